import { describe, expect, it } from 'vitest';
import { readFixture, simplify } from './helpers.js';

describe('AWS Solutions Constructs (fixtures/iac/cdk-solutions-constructs)', () => {
  const result = readFixture('cdk-solutions-constructs');
  const functions = simplify('cdk-solutions-constructs', result);

  it('reads the function of a pattern, of buildLambdaFunction and of a wrapper around it; not of existingLambdaObj', () => {
    expect(result.errors).toEqual([]);
    expect(functions.map((fn) => [fn.source.file, fn.source.line, fn.logicalId, fn.runtime, fn.codeFile, fn.exportName])).toEqual([
      ['lib/stack.ts', 16, 'SearchApi', 'nodejs22.x', 'lambda/api/index.js', 'handler'],
      ['lib/stack.ts', 26, 'proxy', 'python3.13', 'lambda/proxy/lambda_function.py', 'handler'],
      ['lib/stack.ts', 37, 'fn', 'nodejs20.x', 'lambda/submit/index.js', 'handler'],
    ]);
    expect(functions[0]).toMatchObject({ memorySize: 512, handler: 'index.handler' });
  });
});
