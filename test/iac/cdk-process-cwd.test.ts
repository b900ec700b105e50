import { describe, expect, it } from 'vitest';
import { readFixture, simplify } from './helpers.js';

describe('process.cwd() in a CDK app (fixtures/iac/cdk-process-cwd)', () => {
  it('is the directory of the cdk.json, where cdk synth runs the app', () => {
    const result = readFixture('cdk-process-cwd');
    expect(result.errors).toEqual([]);
    expect(simplify('cdk-process-cwd', result).map((fn) => [fn.source.file, fn.logicalId, fn.codeFile, fn.exportName])).toEqual([
      ['infra/lib/stack.ts', 'Authorizer', 'src/tenant_authorizer.py', 'lambda_handler'],
    ]);
  });
});
