/**
 * @fileoverview Handlers without infrastructure code (fixtures/projects/inferred-handlers): the
 * exports found, how each was found in the report, the test files the configuration can let in,
 * and inference turned off.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import type { LoadedConfig } from '../../src/types.js';

const PROJECT = fileURLToPath(new URL('../../fixtures/projects/inferred-handlers/', import.meta.url));
const config = (inferHandlers: LoadedConfig['inferHandlers']): LoadedConfig => ({
  file: path.join(PROJECT, 'lmi-audit.config.json'),
  dir: PROJECT,
  inferHandlers,
});

const HANDLERS = [
  'src/api/middy.mjs#main',
  'src/api/sst.ts#main',
  'src/api/typed.ts#invoke',
  'src/express/app.js#api',
  'src/functions/default-export.mjs#default',
  'src/functions/landing.mjs#landingPage',
  'src/functions/mkgif.js#mkgif',
  'src/functions/todos.js#create',
  'src/functions/whole-module.cjs#default',
  'src/handlers/hello-from-lambda.mjs#helloFromLambdaHandler',
  'src/handlers/put-item.mjs#putItemHandler',
  'src/hello-world/app.mjs#lambdaHandler',
  'src/jobs/class-handler.ts#run',
  'src/jobs/local-run.js#process',
];

describe('fixtures/projects/inferred-handlers', () => {
  it('finds the handlers of every shape, and no look-alike, each marked inferred', async () => {
    const report = await scan({ paths: ['.'], cwd: PROJECT });
    expect(report.functions.map((f) => `${f.id} ${f.discovery}`)).toEqual(HANDLERS.map((id) => `${id} inferred`));
    expect(report.functions.every((f) => f.declaredIn === undefined)).toBe(true);
    // `exports.api = serverless(app)`: followed into the app's route callbacks, so not an error.
    expect(report.errors).toEqual([]);
    // The helper a handler imports is reported under that handler only.
    expect(report.findings.find((f) => f.file === 'src/lib/format.mjs')?.functions).toEqual(['src/handlers/put-item.mjs#putItemHandler']);
  });

  it('gives each handler the line of its export', async () => {
    const report = await scan({ paths: ['src/api'], cwd: PROJECT });
    expect(report.functions.map((f) => `${f.id}:${f.line}`)).toEqual(['src/api/middy.mjs#main:13', 'src/api/sst.ts#main:6', 'src/api/typed.ts#invoke:6']);
  });

  it('infers handlers in test files when the configuration says so', async () => {
    const report = await scan({ paths: ['.'], cwd: PROJECT, config: config({ testFiles: true }) });
    expect(report.functions.map((f) => f.id)).toEqual([...HANDLERS, 'src/orders/__tests__/fake-handler.mjs#handler', 'test/put-item.test.mjs#run'].sort());
    expect(report.findings.filter((f) => f.file.includes('test')).map((f) => `${f.file}:${f.line}`)).toEqual([
      'src/orders/__tests__/fake-handler.mjs:6',
      'test/put-item.test.mjs:8',
    ]);
  });

  it('infers nothing when the configuration turns inference off', async () => {
    const report = await scan({ paths: ['.'], cwd: PROJECT, config: config({ enabled: false }) });
    expect(report.functions).toEqual([]);
    expect(report.findings).toEqual([]);
  });
});
