import { describe, expect, it } from 'vitest';
import { FIXTURES, readFixture, simplify } from './helpers.js';

describe('serverless.yml (fixtures/iac/serverless-basic)', () => {
  const result = readFixture('serverless-basic');
  const functions = simplify('serverless-basic', result);

  it('reads every function with provider defaults', () => {
    expect(result.errors).toEqual([]);
    expect(functions).toEqual([
      {
        logicalId: 'createOrder',
        kind: 'serverless',
        source: { file: 'serverless.yml', line: 24 },
        runtime: 'nodejs22.x',
        handler: 'src/handlers/create.main',
        codeFile: 'src/handlers/create.ts',
        exportName: 'main',
        // memorySize: ${self:custom.memory} stays unresolved, so it is unknown
        unknownSettings: ['memorySize'],
        timeout: 15,
        events: [{ kind: 'api', type: 'httpApi', source: { file: `${FIXTURES}/serverless-basic/serverless.yml`, line: 28, column: 9, endColumn: 32 } }],
      },
      {
        logicalId: 'listOrders',
        kind: 'serverless',
        source: { file: 'serverless.yml', line: 30 },
        runtime: 'nodejs22.x',
        handler: 'src/handlers/list.handler',
        codeFile: 'src/handlers/list.ts',
        exportName: 'handler',
        memorySize: 1024,
        timeout: 6,
        layers: ['arn:aws:lambda:us-east-1:123456789012:layer:utils:4', 'SharedLambdaLayer'],
        lmi: { capacityProvider: 'shared', perExecutionEnvironmentMaxConcurrency: 32, memoryGiBPerVCpu: 4 },
      },
      {
        logicalId: 'report',
        kind: 'serverless',
        source: { file: 'serverless.yml', line: 41 },
        runtime: 'python3.13',
        handler: 'reports/report.handler',
        codeFile: 'reports/report.py',
        exportName: 'handler',
        memorySize: 1024,
        timeout: 15,
        lmi: { capacityProvider: 'shared' },
      },
      {
        logicalId: 'ghost',
        kind: 'serverless',
        source: { file: 'serverless.yml', line: 46 },
        runtime: 'nodejs22.x',
        handler: '${self:custom.handlerDir}/ghost.main',
        exportName: 'main',
        memorySize: 1024,
        timeout: 15,
      },
    ]);
  });
});

describe('serverless.yml with variables everywhere and a list of functions (fixtures/iac/broken/odd-serverless)', () => {
  const result = readFixture('broken/odd-serverless');
  const functions = simplify('broken/odd-serverless', result);

  it('never resolves variables and never crashes', () => {
    expect(result.errors).toEqual([]);
    expect(functions).toEqual([
      {
        logicalId: 'first',
        kind: 'serverless',
        source: { file: 'serverless.yml', line: 9 },
        runtime: '${self:custom.runtime}',
        handler: '${file(./handlers.yml):first}',
        lmi: { capacityProvider: '${self:custom.fleet}' },
        unknownSettings: ['runtime', 'memorySize', 'timeout'],
      },
      {
        logicalId: 'second',
        kind: 'serverless',
        source: { file: 'serverless.yml', line: 13 },
        runtime: '${self:custom.runtime}',
        handler: 'app.main',
        codeFile: 'app.mjs',
        exportName: 'main',
        unknownSettings: ['runtime', 'memorySize'],
      },
    ]);
  });
});
