import { describe, expect, it } from 'vitest';
import { readFixture, relative, simplify } from './helpers.js';

describe('templates that cdk synth wrote, committed beside the app (fixtures/iac/cdk-synthesized-copies)', () => {
  const name = 'cdk-synthesized-copies';
  const result = readFixture(name);
  const functions = simplify(name, result);

  it('reads a Node CDK app once, from its code, and not again from its synthesized copy', () => {
    const fromNodeApp = functions.filter((fn) => fn.source.file.startsWith('node-app/'));
    expect(fromNodeApp.map((fn) => [fn.source.file, fn.logicalId, fn.codeFile, fn.exportName])).toEqual([
      ['node-app/lib/stack.ts', 'OrdersHandler', 'node-app/lambda/orders.js', 'handler'],
    ]);
    expect(result.errors.map((e) => relative(name, e.file))).not.toContain('node-app/template.yaml');
  });

  it('keeps the synthesized copy of an app it does not read (Python), the only record of that function', () => {
    expect(functions.filter((fn) => fn.source.file.startsWith('python-app/')).map((fn) => [fn.source.file, fn.logicalId, fn.runtime])).toEqual([
      ['python-app/template.yaml', 'ReportsHandler9A1B2C3D', 'python3.13'],
    ]);
  });
});
