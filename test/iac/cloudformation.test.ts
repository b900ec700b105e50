import { describe, expect, it } from 'vitest';
import { readFixture, simplify } from './helpers.js';

describe('SAM template (fixtures/iac/sam-basic)', () => {
  const result = readFixture('sam-basic');
  const functions = simplify('sam-basic', result);
  const byId = (id: string) => functions.find((fn) => fn.logicalId === id);

  it('parses every short-form tag without errors', () => {
    expect(result.errors).toEqual([]);
  });

  it('returns the functions sorted by line, and only functions', () => {
    expect(functions.map((fn) => [fn.logicalId, fn.source.line])).toEqual([
      ['ApiFunction', 45],
      ['OrdersFunction', 64],
      ['PythonFunction', 77],
      ['WorkerFunction', 86],
      ['MissingCodeFunction', 102],
      ['LegacyFunction', 107],
      ['InlineFunction', 120],
    ]);
  });

  it('applies Globals.Function (CodeUri, Runtime, Timeout, Layers) and parameter defaults', () => {
    expect(byId('ApiFunction')).toEqual({
      logicalId: 'ApiFunction',
      kind: 'sam',
      source: { file: 'template.yaml', line: 45 },
      runtime: 'nodejs22.x',
      handler: 'app.main',
      codeFile: 'src/app.ts',
      exportName: 'main',
      memorySize: 1024, // !Ref FunctionMemory -> its Default
      timeout: 10,
      layers: ['SharedLayer'],
    });
  });

  it('uses the esbuild entry point relative to CodeUri', () => {
    expect(byId('OrdersFunction')).toMatchObject({
      runtime: 'nodejs20.x',
      handler: 'create.handler',
      codeFile: 'src/orders/create.ts',
      exportName: 'handler',
      memorySize: 512,
      timeout: 30,
    });
  });

  it('resolves a Python handler with a dotted module path, and prepends global layers', () => {
    expect(byId('PythonFunction')).toMatchObject({
      runtime: 'python3.13',
      codeFile: 'py/pkg/handler.py',
      exportName: 'lambda_handler',
      layers: ['SharedLayer', 'arn:aws:lambda:us-east-1:123456789012:layer:powertools:3'],
    });
  });

  it('reads a SAM CapacityProviderConfig into lmi', () => {
    expect(byId('WorkerFunction')).toMatchObject({
      codeFile: 'src/lmi/worker.mjs',
      exportName: 'main',
      memorySize: 4096,
      lmi: { capacityProvider: 'Fleet.Arn', perExecutionEnvironmentMaxConcurrency: 32, memoryGiBPerVCpu: 4 },
    });
    expect(byId('ApiFunction')?.lmi).toBeUndefined();
  });

  it('keeps the export but sets no codeFile when the module does not exist', () => {
    const fn = byId('MissingCodeFunction');
    expect(fn).toMatchObject({ handler: 'nothere.main', exportName: 'main' });
    expect(fn?.codeFile).toBeUndefined();
  });

  it('reads AWS::Lambda::Function with a local Code path and the long-form capacity provider config', () => {
    expect(byId('LegacyFunction')).toEqual({
      logicalId: 'LegacyFunction',
      // CloudFormation publishes no version without `PublishToLatestPublished` or an `AWS::Lambda::Version`.
      publishesVersion: false,
      kind: 'cloudformation',
      source: { file: 'template.yaml', line: 107 },
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      codeFile: 'legacy/index.js',
      exportName: 'handler',
      memorySize: 2048,
      lmi: { capacityProvider: 'Fleet', perExecutionEnvironmentMaxConcurrency: 64 },
    });
  });

  it('reads inline (ZipFile) code as text at its block lines, sets no codeFile, and no Globals for CloudFormation functions', () => {
    expect(byId('InlineFunction')).toEqual({
      logicalId: 'InlineFunction',
      publishesVersion: false,
      kind: 'cloudformation',
      source: { file: 'template.yaml', line: 120 },
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      exportName: 'handler',
      inlineCode: 'ZipFile',
      // Line 128 of the template, after 10 spaces of block indentation; the block's final newline makes an empty line 2.
      inlineSource: {
        text: 'exports.handler = async () => ({ ok: true });\n',
        lines: [
          { line: 128, column: 11 },
          { line: 129, column: 11 },
        ],
      },
    });
  });

  it('reports absolute paths', () => {
    for (const fn of result.functions) {
      expect(fn.source.file).toMatch(/^\/.*fixtures\/iac\/sam-basic\/template\.yaml$/);
      if (fn.codeFile) expect(fn.codeFile.startsWith('/')).toBe(true);
    }
  });
});

describe('CloudFormation JSON template (fixtures/iac/cfn-json)', () => {
  const result = readFixture('cfn-json');
  const functions = simplify('cfn-json', result);

  it('reads the functions with their lines', () => {
    expect(result.errors).toEqual([]);
    expect(functions).toEqual([
      {
        logicalId: 'ZipFunction',
        publishesVersion: false,
        kind: 'cloudformation',
        source: { file: 'template.json', line: 8 },
        runtime: 'nodejs22.x', // { Ref: Runtime } -> its Default
        handler: 'functions/zip.handler',
        codeFile: 'functions/zip.js', // no Code: the template directory
        exportName: 'handler',
        memorySize: 2048,
        timeout: 60,
        layers: ['UtilsLayer', 'arn:aws:lambda:${AWS::Region}:123456789012:layer:otel:7'],
        lmi: { capacityProvider: 'Fleet.Arn', perExecutionEnvironmentMaxConcurrency: 100, memoryGiBPerVCpu: 2 },
      },
      {
        logicalId: 'S3Function',
        publishesVersion: false,
        kind: 'cloudformation',
        source: { file: 'template.json', line: 29 },
        runtime: 'nodejs22.x',
        handler: 'index.handler',
        exportName: 'handler', // code in S3: index.js beside the template is not assumed
        remoteCode: 's3://artifacts/s3-function.zip',
      },
      {
        logicalId: 'SamJsonFunction',
        kind: 'sam',
        source: { file: 'template.json', line: 37 },
        runtime: 'nodejs22.x',
        handler: 'handler.run',
        codeFile: 'sam-src/handler.ts',
        exportName: 'run',
        timeout: 20,
      },
    ]);
  });
});
