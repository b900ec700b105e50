import { describe, expect, it } from 'vitest';
import { readFixture, simplify } from './helpers.js';

// The SST fixture projects are whole apps (their findings are checked in test/e2e/projects.test.ts).
const read = (name: string) => simplify(`../projects/${name}`, readFixture(`../projects/${name}`));

describe('SST apps', () => {
  it('v3: functions, routes, crons and queue subscribers of the global `sst` components, with their settings', () => {
    const functions = read('sst-v3');
    expect(functions.map((fn) => [fn.source.file, fn.source.line, fn.logicalId, fn.codeFile, fn.exportName, fn.events?.map((e) => e.kind)])).toEqual([
      ['infra/api.ts', 4, 'GET /notes', 'packages/functions/src/list.ts', 'main', ['api']],
      ['infra/api.ts', 6, 'POST /notes', 'packages/functions/src/create.ts', 'main', ['api']],
      ['infra/jobs.ts', 4, 'Cleanup', 'packages/functions/src/cleanup.ts', 'run', ['schedule']],
      ['infra/jobs.ts', 9, 'packages/functions/src/upload.handler', 'packages/functions/src/upload.ts', 'handler', ['sqs']],
    ]);
    expect(functions[1]).toMatchObject({ kind: 'sst', memorySize: 512, timeout: 10 });
    expect(functions[0]!.memorySize).toBeUndefined();
  });

  it('v2: the functions of sst/constructs Function, Api routes, Cron jobs and Topic subscribers', () => {
    const functions = read('sst-v2');
    expect(functions.map((fn) => [fn.source.line, fn.logicalId, fn.codeFile, fn.exportName, fn.runtime])).toEqual([
      [6, 'GET /orders', 'packages/functions/src/orders.ts', 'list', undefined],
      [7, 'POST /orders', 'packages/functions/src/orders.ts', 'create', undefined],
      [11, 'Nightly', 'packages/functions/src/report.ts', 'handler', undefined],
      [13, 'audit', 'packages/functions/src/audit.ts', 'handler', undefined],
      [14, 'Resize', 'packages/functions/src/resize.ts', 'handler', 'nodejs20.x'],
    ]);
    expect(functions[1]).toMatchObject({ timeout: 15, memorySize: 2048 });
  });
});

describe('SST input that declares nothing (fixtures/iac/sst-odd)', () => {
  it('reads a named subscriber; not handlers unknown statically, ARNs, bare words, nor files outside an app', () => {
    const result = readFixture('sst-odd');
    expect(result.errors).toEqual([]);
    expect(simplify('sst-odd', result).map((fn) => [fn.source.file, fn.logicalId, fn.runtime, fn.codeFile, fn.exportName])).toEqual([
      ['app/infra.ts', 'AlertsSubscriber', 'python3.12', 'app/src/alerts.py', 'handler'],
    ]);
  });
});
