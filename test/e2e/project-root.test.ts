/**
 * @fileoverview A scan of a folder inside a project (`lmi-audit scan ./functions`) reads the
 * project root above it (its infrastructure code, the shared code its handlers import) and
 * reports the functions whose handlers are in the scanned paths, with every finding that is in
 * those paths or belongs to one of those functions: the same as a scan of the root, for those
 * files. Through the API and the built CLI, from the project and from elsewhere.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import type { Report } from '../../src/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin/lmi-audit.js');
const run = promisify(execFile);

async function cli(args: string[], cwd: string): Promise<Report> {
  try {
    const { stdout } = await run(process.execPath, [BIN, 'scan', ...args, '--format', 'json', '--no-progress'], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as Report;
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    if (e.code !== 1) throw new Error(e.stderr);
    return JSON.parse(e.stdout) as Report;
  }
}

/** What a subfolder scan must equal: the root scan's functions in `prefix`, with their findings. */
function restrictTo(report: Report, prefix: string): Pick<Report, 'functions' | 'findings' | 'summary'> {
  const functions = report.functions.filter((f) => f.file.startsWith(prefix));
  const ids = new Set(functions.map((f) => f.id));
  const findings = report.findings.filter((f) => f.file.startsWith(prefix) || f.functions.some((id) => ids.has(id)));
  const bySeverity = { error: 0, warning: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  return {
    functions,
    findings,
    summary: { ...report.summary, functions: functions.length, findings: findings.length, bySeverity, score: Math.min(100, ...functions.map((f) => f.score)) },
  };
}

function rows(report: Pick<Report, 'findings'>): string[] {
  return report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} -> ${f.functions.join(' ')}`);
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('scanning a folder of fixtures/projects/sam-lmi', () => {
  const project = path.join(ROOT, 'fixtures/projects/sam-lmi');

  it('gives the functions and findings of the root scan (5 functions, 11 findings), through the API', async () => {
    const whole = await scan({ paths: ['.'], cwd: project });
    const sub = await scan({ paths: ['src'], cwd: project });
    expect(sub.summary.functions).toBe(5);
    expect(sub.summary.findings).toBe(11);
    const expected = restrictTo(whole, 'src/');
    expect(sub.functions).toEqual(expected.functions);
    expect(sub.findings).toEqual(expected.findings);
    expect(sub.summary).toEqual(expected.summary);
    expect(sub.errors).toEqual(whole.errors);
  });

  it('keeps only the scanned function and what belongs to it for one function folder', async () => {
    const sub = await scan({ paths: ['src/worker'], cwd: project });
    expect(sub.functions.map((f) => f.id)).toEqual(['src/worker/handler.ts#handler']);
    expect(sub.functions[0]!.declaredIn).toEqual({ file: 'template.yaml', line: 54, logicalId: 'OrdersWorkerFunction' });
    expect(rows(sub)).toEqual([
      'src/worker/handler.ts:10 pool-undersized -> src/worker/handler.ts#handler',
      'src/worker/handler.ts:18 global-mutable-state -> src/worker/handler.ts#handler',
      'src/worker/handler.ts:19 unchecked-timeout -> src/worker/handler.ts#handler',
      'template.yaml:25 event-source-backpressure -> src/worker/handler.ts#handler',
      'template.yaml:60 lifecycle -> src/worker/handler.ts#handler',
      'template.yaml:67 event-source-backpressure -> src/worker/handler.ts#handler',
      'template.yaml:129 lifecycle -> src/worker/handler.ts#handler',
    ]);
  });

  it('reads the template for a single handler file too', async () => {
    const sub = await scan({ paths: ['src/notify/handler.mjs'], cwd: project });
    expect(sub.functions.map((f) => `${f.id} ${f.runtime}`)).toEqual(['src/notify/handler.mjs#handler nodejs20.x']);
    expect(rows(sub)).toEqual([
      'src/notify/handler.mjs:7 lifecycle -> src/notify/handler.mjs#handler',
      'template.yaml:103 lmi-runtime-support -> src/notify/handler.mjs#handler',
      'template.yaml:108 event-source-backpressure -> src/notify/handler.mjs#handler',
    ]);
  });

  it('gives the same report through the CLI, with paths relative to the working directory', async () => {
    const sub = await cli(['fixtures/projects/sam-lmi/src'], ROOT);
    const whole = await cli(['fixtures/projects/sam-lmi'], ROOT);
    expect(sub.summary.functions).toBe(5);
    expect(sub.summary.findings).toBe(11);
    expect(sub.functions[0]!.id).toBe('fixtures/projects/sam-lmi/src/api/handler.ts#handler');
    const expected = restrictTo(whole, 'fixtures/projects/sam-lmi/src/');
    expect(sub.functions).toEqual(expected.functions);
    expect(sub.findings).toEqual(expected.findings);
    expect(sub.summary).toEqual(expected.summary);
  });
});

describe('fixtures/projects/functions-folder: `scan ./functions` beside the template and lib/', () => {
  const project = path.join(ROOT, 'fixtures/projects/functions-folder');
  const expectedRows = [
    'functions/billing/app.mjs:5 global-mutable-state -> functions/billing/app.mjs#lambdaHandler',
    'functions/orders/index.js:4 unchecked-timeout -> functions/orders/index.js#processOrder',
    'lib/db.js:5 shared-db-connection -> functions/orders/index.js#processOrder',
    'template.yaml:40 event-source-backpressure -> functions/orders/index.js#processOrder',
  ];

  it('reports the template-named exports and the shared code they reach, both ways (API)', async () => {
    const whole = await scan({ paths: ['.'], cwd: project });
    expect(rows(whole)).toEqual(expectedRows);
    const sub = await scan({ paths: ['functions'], cwd: project });
    expect(sub.functions.map((f) => `${f.id} ${f.declaredIn?.logicalId}`)).toEqual([
      'functions/billing/app.mjs#lambdaHandler BillingFunction',
      'functions/orders/index.js#processOrder OrdersFunction',
    ]);
    expect(rows(sub)).toEqual(expectedRows);
    expect(sub.functions).toEqual(whole.functions);
  });

  it('does the same through the CLI from inside the scanned folder', async () => {
    const sub = await cli(['.'], path.join(project, 'functions'));
    expect(rows(sub)).toEqual([
      '../lib/db.js:5 shared-db-connection -> orders/index.js#processOrder',
      '../template.yaml:40 event-source-backpressure -> orders/index.js#processOrder',
      'billing/app.mjs:5 global-mutable-state -> billing/app.mjs#lambdaHandler',
      'orders/index.js:4 unchecked-timeout -> orders/index.js#processOrder',
    ]);
    expect(sub.functions.map((f) => f.declaredIn?.file)).toEqual(['../template.yaml', '../template.yaml']);
  });

  it('reports a finding in the scanned paths that only functions outside them reach, with those functions', async () => {
    const sub = await scan({ paths: ['lib'], cwd: project });
    expect(sub.functions).toEqual([]);
    expect(rows(sub)).toEqual(['lib/db.js:5 shared-db-connection -> functions/orders/index.js#processOrder']);
  });
});

describe('without a project root above the scanned path', () => {
  it('scans the path alone, as before', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-noroot-')));
    temps.push(dir);
    fs.mkdirSync(path.join(dir, 'a'));
    fs.writeFileSync(path.join(dir, 'a/index.js'), 'let n;\nexports.handler = async (event) => { n = event.id; return event.id; };\n');
    // Beside the scanned folder but not under a project root: not read.
    fs.writeFileSync(path.join(dir, 'other.js'), 'let m;\nexports.handler = async (event) => { m = event.id; return event.id; };\n');
    const report = await scan({ paths: ['a'], cwd: dir });
    expect(report.functions.map((f) => f.id)).toEqual(['a/index.js#handler']);
    expect(rows(report)).toEqual(['a/index.js:2 global-mutable-state -> a/index.js#handler']);
  });

  it('does not read past a repository root to a template above it', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-gitroot-')));
    temps.push(dir);
    fs.writeFileSync(
      path.join(dir, 'template.yaml'),
      [
        'Resources:',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties: { CodeUri: repo/src/, Handler: index.run, Runtime: nodejs22.x }',
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(dir, 'repo/.git'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'repo/src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'repo/src/index.js'), 'exports.run = async (job) => job;\nexports.handler = async (event) => event;\n');
    const report = await scan({ paths: ['repo/src'], cwd: dir });
    expect(report.functions.map((f) => `${f.id} ${f.declaredIn?.logicalId ?? '-'}`)).toEqual(['repo/src/index.js#handler -']);
  });
});
