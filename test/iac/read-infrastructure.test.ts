import { describe, expect, it } from 'vitest';
import { readInfrastructure, type IacResult } from '../../src/iac/index.js';

/** A virtual project: nothing here exists on disk, so code files exist only through `sourceFiles`. */
const ROOT = '/virtual-lmi-audit-iac';

function read(files: Record<string, string>, options: { infra?: string[]; extraSources?: string[] } = {}): IacResult {
  const paths = Object.keys(files).map((name) => `${ROOT}/${name}`);
  const infra = /(^|\/)(template\.(ya?ml|json)|[^/]+\.template\.[^/]+|serverless\.(ya?ml|json))$/;
  return readInfrastructure({
    infraFiles: options.infra ?? paths.filter((file) => infra.test(file)),
    sourceFiles: [...paths.filter((file) => /\.(ts|js|mjs|cjs|py)$/.test(file)), ...(options.extraSources ?? []).map((f) => `${ROOT}/${f}`)],
    readFile: (file) => {
      const name = file.slice(ROOT.length + 1);
      const text = files[name];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${file}'`);
      return text;
    },
  });
}

const CODE = 'export const main = async () => ({ ok: true });';

describe('readInfrastructure', () => {
  it('records an error for an unreadable file and carries on', () => {
    const result = readInfrastructure({
      infraFiles: [`${ROOT}/gone/template.yaml`, `${ROOT}/ok/template.yaml`],
      sourceFiles: [`${ROOT}/ok/app.ts`],
      readFile: (file) => {
        if (file.includes('gone')) throw new Error('EACCES: permission denied');
        return 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: app.main\n';
      },
    });
    expect(result.errors).toEqual([{ file: `${ROOT}/gone/template.yaml`, message: 'could not read infrastructure: EACCES: permission denied' }]);
    expect(result.functions.map((fn) => [fn.logicalId, fn.codeFile])).toEqual([['Fn', `${ROOT}/ok/app.ts`]]);
  });

  it('ignores empty and non-template documents silently, and build output directories', () => {
    const fn = 'Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: app.main\n';
    const result = read({
      'empty/template.yaml': '',
      'list/template.yaml': '- a\n- b\n',
      'scalar/template.json': '"just a string"',
      'cdk.out/App.template.json': JSON.stringify({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {} } } }),
      '.aws-sam/build/template.yaml': fn,
      '.serverless/serverless.yml': 'functions:\n  f:\n    handler: a.b\n',
    });
    expect(result).toEqual({ functions: [], errors: [] });
  });

  it('sorts functions by file then line across readers', () => {
    const result = read({
      'b/template.yaml': 'Resources:\n  Second:\n    Type: AWS::Serverless::Function\n  First:\n    Type: AWS::Serverless::Function\n',
      'a/serverless.yml': 'functions:\n  z:\n    handler: z.main\n  y:\n    handler: y.main\n',
    });
    expect(result.functions.map((fn) => `${fn.source.file.slice(ROOT.length + 1)}:${fn.source.line}:${fn.logicalId}`)).toEqual([
      'a/serverless.yml:2:z',
      'a/serverless.yml:4:y',
      'b/template.yaml:2:Second',
      'b/template.yaml:4:First',
    ]);
  });

  it('SAM: S3 CodeUri, images and inline code have no code file; Globals capacity config is merged', () => {
    const template = [
      'Globals:',
      '  Function:',
      '    Runtime: nodejs22.x',
      '    CapacityProviderConfig:',
      '      Arn: arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet',
      'Resources:',
      '  S3Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { Handler: app.main, CodeUri: s3://bucket/key.zip }',
      '  ImageFn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { PackageType: Image, ImageUri: repo:latest, Handler: app.main }',
      '  InlineFn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { Handler: app.main, InlineCode: "exports.main = 1" }',
      '  LocalFn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: app.main',
      '      CapacityProviderConfig: { PerExecutionEnvironmentMaxConcurrency: "16" }',
    ].join('\n');
    const result = read({ 'template.yaml': template, 'app.ts': CODE });
    const byId = Object.fromEntries(result.functions.map((fn) => [fn.logicalId, fn]));
    expect(result.errors).toEqual([]);
    expect(byId.S3Fn!.codeFile).toBeUndefined();
    expect(byId.ImageFn!.codeFile).toBeUndefined();
    expect(byId.InlineFn!.codeFile).toBeUndefined();
    expect(byId.InlineFn!.exportName).toBe('main');
    expect(byId.LocalFn).toMatchObject({
      codeFile: `${ROOT}/app.ts`,
      lmi: {
        capacityProvider: 'arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet',
        perExecutionEnvironmentMaxConcurrency: 16,
      },
    });
  });

  it('serverless: anchors and merge keys, handler with the Node.js nested export form', () => {
    const yml = [
      'defaults: &defaults',
      '  timeout: 12',
      '  memorySize: 256',
      'provider:',
      '  runtime: nodejs22.x',
      'functions:',
      '  nested:',
      '    <<: *defaults',
      '    handler: lib/orders.handlers.create',
    ].join('\n');
    const result = read({ 'serverless.yml': yml, 'lib/orders.js': CODE });
    expect(result.errors).toEqual([]);
    expect(result.functions).toEqual([
      {
        logicalId: 'nested',
        kind: 'serverless',
        source: { file: `${ROOT}/serverless.yml`, line: 7 },
        runtime: 'nodejs22.x',
        handler: 'lib/orders.handlers.create',
        codeFile: `${ROOT}/lib/orders.js`,
        exportName: 'handlers',
        memorySize: 256,
        timeout: 12,
      },
    ]);
  });

  it('CDK: the aws-cdk-lib namespace import, const ids, CapacityProvider.from*, this.x providers', () => {
    const stack = [
      "import * as cdk from 'aws-cdk-lib';",
      "import * as path from 'node:path';",
      "const ID = 'Namespaced';",
      'export class S extends cdk.Stack {',
      '  fleet: cdk.aws_lambda.CapacityProvider;',
      '  constructor(scope: any) {',
      "    super(scope, 'S');",
      "    this.fleet = new cdk.aws_lambda.CapacityProvider(this, 'OwnFleet', {});",
      "    const imported = cdk.aws_lambda.CapacityProvider.fromCapacityProviderArn(this, 'F', 'arn:aws:lambda:us-east-1:1:capacity-provider:x');",
      '    const a = new cdk.aws_lambda.Function(this, ID, {',
      '      runtime: cdk.aws_lambda.Runtime.NODEJS_24_X,',
      "      handler: 'app.main',",
      "      code: cdk.aws_lambda.Code.fromAsset(path.resolve(__dirname, 'code')),",
      '      timeout: cdk.Duration.minutes(5),',
      '    });',
      "    const b = new cdk.aws_lambda_nodejs.NodejsFunction(this, 'Nodejs', { entry: path.join(__dirname, 'code', 'app.ts') });",
      '    this.fleet.addFunction(a, { perExecutionEnvironmentMaxConcurrency: 10 });',
      '    imported.addFunction(b, {});',
      '    somethingElse.addFunction(unknownFn, {});',
      '  }',
      '}',
    ].join('\n');
    const result = read({ 'infra/stack.ts': stack, 'infra/code/app.ts': CODE });
    expect(result.errors).toEqual([]);
    expect(result.functions).toEqual([
      {
        logicalId: 'Namespaced',
        kind: 'cdk',
        source: { file: `${ROOT}/infra/stack.ts`, line: 10 },
        runtime: 'nodejs24.x',
        handler: 'app.main',
        codeFile: `${ROOT}/infra/code/app.ts`,
        exportName: 'main',
        timeout: 300,
        lmi: { capacityProvider: 'OwnFleet', perExecutionEnvironmentMaxConcurrency: 10 },
        settingLines: { runtime: 11, capacityProvider: 17 },
      },
      {
        logicalId: 'Nodejs',
        kind: 'cdk',
        source: { file: `${ROOT}/infra/stack.ts`, line: 16 },
        codeFile: `${ROOT}/infra/code/app.ts`,
        exportName: 'handler',
        lmi: { capacityProvider: 'arn:aws:lambda:us-east-1:1:capacity-provider:x' },
        settingLines: { capacityProvider: 18 },
      },
    ]);
  });

  it('CDK: PythonFunction, v1 modules, and constructs not imported from the CDK are ignored', () => {
    const stack = [
      "import * as lambda from '@aws-cdk/aws-lambda';",
      "import { PythonFunction } from '@aws-cdk/aws-lambda-python-alpha';",
      "import { Function } from './my-own-function';",
      "new PythonFunction(this, 'Py', { entry: __dirname + '/py', runtime: lambda.Runtime.PYTHON_3_12, index: 'main.py', handler: 'run' });",
      "new Function(this, 'NotLambda', { handler: 'app.main' });",
      "new lambda.Function(this, 'V1', { runtime: new lambda.Runtime('nodejs22.x'), handler: 'app.main', code: lambda.Code.asset(`${__dirname}/py`) });",
    ].join('\n');
    const result = read({ 'stack.ts': stack, 'py/main.py': 'def run(e, c): pass', 'py/app.js': CODE });
    expect(result.functions.map((fn) => [fn.logicalId, fn.runtime, fn.codeFile?.slice(ROOT.length + 1), fn.exportName])).toEqual([
      ['Py', 'python3.12', 'py/main.py', 'run'],
      ['V1', 'nodejs22.x', 'py/app.js', 'main'],
    ]);
  });

  it('CDK: survives syntax errors, skips declaration files and files without CDK imports', () => {
    const result = read({
      'broken.ts': "import * as lambda from 'aws-cdk-lib/aws-lambda';\nnew lambda.Function(this, 'Half', { handler: 'app.main', code: lambda.Code.fromAsset(",
      'types.d.ts': "import * as lambda from 'aws-cdk-lib/aws-lambda';\ndeclare const x: lambda.Function;\nnew lambda.Function(this, 'Typed', {});",
      'plain.ts': "const f = new Function('return 1');",
    });
    expect(result.errors).toEqual([]);
    expect(result.functions.map((fn) => fn.logicalId)).toEqual(['Half']);
  });
});
