import { describe, expect, it } from 'vitest';
import { readFixture, simplify } from './helpers.js';

describe('CDK app (fixtures/iac/cdk-basic)', () => {
  const result = readFixture('cdk-basic');
  const functions = simplify('cdk-basic', result);
  const byId = (id: string) => functions.find((fn) => fn.logicalId === id);

  it('finds every function construct, sorted by file and line', () => {
    expect(result.errors).toEqual([]);
    expect(functions.map((fn) => [fn.source.file, fn.source.line, fn.logicalId])).toEqual([
      ['lib/app-stack.ts', 19, 'ApiFn'],
      ['lib/app-stack.ts', 29, 'WorkerFn'],
      ['lib/app-stack.ts', 40, 'defaulted'],
      ['lib/app-stack.ts', 42, 'PyFn'],
      ['lib/app-stack.ts', 48, 'DynamicFn'],
      ['lib/app-stack.ts', 54, 'InlineFn'],
      ['lib/legacy-stack.js', 8, 'LegacyFn'],
      ['lib/named-stack.ts', 11, 'JobsFn'],
    ]);
  });

  it('lambda.Function: Code.fromAsset(path.join(__dirname, ...)) via a module const, Duration, layer ARNs', () => {
    expect(byId('ApiFn')).toEqual({
      logicalId: 'ApiFn',
      kind: 'cdk',
      source: { file: 'lib/app-stack.ts', line: 19 },
      runtime: 'nodejs22.x',
      handler: 'app.main',
      codeFile: 'src/app.ts',
      exportName: 'main',
      memorySize: 1024,
      timeout: 30,
      layers: ['arn:aws:lambda:us-east-1:123456789012:layer:otel:7'],
    });
  });

  it('NodejsFunction: entry from fileURLToPath(import.meta.url), spread props, capacityProvider.addFunction', () => {
    expect(byId('WorkerFn')).toEqual({
      logicalId: 'WorkerFn',
      kind: 'cdk',
      source: { file: 'lib/app-stack.ts', line: 29 },
      runtime: 'nodejs22.x',
      handler: 'process',
      codeFile: 'src/worker.ts',
      exportName: 'process',
      memorySize: 2048,
      timeout: 120,
      lmi: { capacityProvider: 'Fleet', perExecutionEnvironmentMaxConcurrency: 64, memoryGiBPerVCpu: 2 },
    });
  });

  it('NodejsFunction defaults: entry <stack file>.<id>.ts beside the stack, export handler', () => {
    expect(byId('defaulted')).toEqual({
      logicalId: 'defaulted',
      kind: 'cdk',
      source: { file: 'lib/app-stack.ts', line: 40 },
      codeFile: 'lib/app-stack.defaulted.ts',
      exportName: 'handler',
    });
  });

  it('resolves a relative asset path from the cdk.json directory (Python runtime -> .py)', () => {
    expect(byId('PyFn')).toMatchObject({ runtime: 'python3.13', codeFile: 'py/handler.py', exportName: 'lambda_handler' });
  });

  it('gives up on dynamic values without crashing', () => {
    expect(byId('DynamicFn')).toEqual({
      logicalId: 'DynamicFn',
      kind: 'cdk',
      source: { file: 'lib/app-stack.ts', line: 48 },
      runtime: 'nodejs22.x',
    });
  });

  it('reads inline code as text, with the line and column where it is written, and sets no codeFile', () => {
    expect(byId('InlineFn')).toEqual({
      logicalId: 'InlineFn',
      kind: 'cdk',
      source: { file: 'lib/app-stack.ts', line: 54 },
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      exportName: 'handler',
      inlineCode: 'Code.fromInline',
      inlineSource: { text: 'exports.handler = async () => ({ ok: true });', lines: [{ line: 57, column: 37 }] },
    });
  });

  it('reads CommonJS apps (require) with path.resolve(__dirname, ...)', () => {
    expect(byId('LegacyFn')).toMatchObject({ runtime: 'nodejs22.x', codeFile: 'lambda/legacy.js', exportName: 'handler' });
  });

  it('named and aliased imports, import.meta.dirname templates, this.x bindings and arithmetic', () => {
    expect(byId('JobsFn')).toEqual({
      logicalId: 'JobsFn',
      kind: 'cdk',
      source: { file: 'lib/named-stack.ts', line: 11 },
      runtime: 'nodejs22.x',
      handler: 'jobs/run.main',
      codeFile: 'src/jobs/run.ts',
      exportName: 'main',
      memorySize: 2048,
      lmi: { capacityProvider: 'capacityProvider', perExecutionEnvironmentMaxConcurrency: 8 },
    });
  });

  it('ignores source files that do not mention the CDK (new Function(...) of plain JavaScript)', () => {
    expect(functions.some((fn) => fn.source.file.startsWith('src/'))).toBe(false);
  });
});
