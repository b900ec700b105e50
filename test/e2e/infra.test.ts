/**
 * @fileoverview End to end on the infrastructure fixture projects (`fixtures/projects/sam-lmi`,
 * `serverless-lmi`, `cdk-lmi`) and the dependency-floor project (`fixtures/dependencies/floors`):
 * `scan()` must report exactly the listed findings, each under the functions whose handler the
 * infrastructure names (code and infrastructure findings under the same function), map every
 * function to its declaration (`declaredIn`), and give each function the listed checklist.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ChecklistItem, ChecklistStatus, Report } from '../../src/types.js';
import { readExpectations } from '../helpers/annotations.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function scanProject(relative: string): Promise<Report> {
  const api = await import('../../src/index.js');
  return api.scan({ paths: ['.'], cwd: path.join(ROOT, relative) });
}

/** `file:line ruleId (severity) -> function ids`, one string per finding, in report order. */
function findingRows(report: Report): string[] {
  return report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} (${f.severity}) -> ${f.functions.join(' ')}`);
}

/** A checklist: `pass` everywhere but the items given. */
function checklist(overrides: Partial<Record<ChecklistItem, ChecklistStatus>> = {}): Record<ChecklistItem, ChecklistStatus> {
  return {
    'global-mutable-state': 'pass',
    'shared-tmp-path': 'pass',
    'shared-db-connection': 'pass',
    'event-source-backpressure': 'pass',
    'unstructured-logging': 'pass',
    'unsafe-shared-collection': 'pass',
    lifecycle: 'pass',
    ...overrides,
  };
}

/**
 * A Python function's checklist: its code is analysed for /tmp, connections and logging; the
 * process-isolated items cannot fail; lifecycle is judged from layers, alarms and its dependencies.
 */
function pythonChecklist(backpressure: ChecklistStatus): Record<ChecklistItem, ChecklistStatus> {
  return {
    'global-mutable-state': 'not-applicable',
    'shared-tmp-path': 'pass',
    'shared-db-connection': 'pass',
    'event-source-backpressure': backpressure,
    'unstructured-logging': 'pass',
    'unsafe-shared-collection': 'not-applicable',
    lifecycle: 'pass',
  };
}

function functionsOf(report: Report) {
  return Object.fromEntries(
    report.functions.map((fn) => [fn.id, { declaredIn: fn.declaredIn, runtime: fn.runtime, checklist: fn.checklist, score: fn.score }]),
  );
}

/** The annotations of a project agree with its report: every `expect` is reported, nothing sits on an `ok` line. */
function expectAnnotationsToHold(report: Report, relative: string): void {
  const expectations = readExpectations(path.join(ROOT, relative));
  const reported = new Set(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`));
  const missing = expectations.filter((e) => e.kind === 'expect' && !reported.has(`${e.file}:${e.line} ${e.ruleId}`));
  const onOkLines = expectations.filter((e) => e.kind === 'ok' && reported.has(`${e.file}:${e.line} ${e.ruleId}`));
  expect(missing, 'annotated but not reported').toEqual([]);
  expect(onOkLines, 'reported on an `ok` line').toEqual([]);
}

describe('fixtures/projects/sam-lmi (SAM)', () => {
  const project = 'fixtures/projects/sam-lmi';
  let report: Report;

  it('reports exactly these findings, code and template findings under the same function', async () => {
    report = await scanProject(project);
    expect(findingRows(report)).toEqual([
      'src/notify/handler.mjs:7 lifecycle (warning) -> src/notify/handler.mjs#handler',
      'src/worker/handler.ts:10 pool-undersized (warning) -> src/worker/handler.ts#handler',
      'src/worker/handler.ts:18 global-mutable-state (error) -> src/worker/handler.ts#handler',
      // A loop of awaited inserts with a 30 s timeout: LMI does not stop it at the timeout.
      'src/worker/handler.ts:19 unchecked-timeout (warning) -> src/worker/handler.ts#handler',
      'template.yaml:25 event-source-backpressure (error) -> src/worker/handler.ts#handler',
      'template.yaml:60 lifecycle (warning) -> src/worker/handler.ts#handler',
      'template.yaml:67 event-source-backpressure (error) -> src/worker/handler.ts#handler',
      'template.yaml:103 lmi-runtime-support (error) -> src/notify/handler.mjs#handler',
      'template.yaml:108 event-source-backpressure (error) -> src/notify/handler.mjs#handler',
      'template.yaml:122 event-source-backpressure (warning) -> src/reports/report.py#handler',
      'template.yaml:129 lifecycle (warning) -> src/worker/handler.ts#handler',
    ]);
    expectAnnotationsToHold(report, project);
  });

  it('records the reference to a queue the template does not define as an error, and goes on', () => {
    expect(report.errors).toEqual([
      { file: 'template.yaml', line: 148, column: 7, message: '!GetAtt ArchiveQueue.Arn: no resource ArchiveQueue in this template' },
    ]);
  });

  it('maps every function to its handler and declaration, and judges the infrastructure items', () => {
    expect(functionsOf(report)).toEqual({
      'src/api/handler.ts#handler': {
        declaredIn: { file: 'template.yaml', line: 37, logicalId: 'OrdersApiFunction' },
        runtime: 'nodejs22.x',
        checklist: checklist(),
        score: 100,
      },
      'src/notify/handler.mjs#handler': {
        declaredIn: { file: 'template.yaml', line: 97, logicalId: 'NotifyFunction' },
        runtime: 'nodejs20.x',
        checklist: checklist({ 'event-source-backpressure': 'fail', lifecycle: 'fail' }),
        score: 80,
      },
      'src/reports/report.py#handler': {
        declaredIn: { file: 'template.yaml', line: 114, logicalId: 'ReportsFunction' },
        runtime: 'python3.12',
        checklist: pythonChecklist('warn'),
        // (tmp 20 + db 20 + backpressure 15 x 0.5 + logging 10 + lifecycle 5) / 70
        score: 89,
      },
      'src/thumbnails/handler.ts#handler': {
        declaredIn: { file: 'template.yaml', line: 74, logicalId: 'ThumbnailsFunction' },
        runtime: 'nodejs22.x',
        checklist: checklist(),
        score: 100,
      },
      'src/worker/handler.ts#handler': {
        declaredIn: { file: 'template.yaml', line: 54, logicalId: 'OrdersWorkerFunction' },
        runtime: 'nodejs22.x',
        checklist: checklist({
          'global-mutable-state': 'fail',
          'shared-db-connection': 'warn',
          'event-source-backpressure': 'fail',
          lifecycle: 'warn',
        }),
        score: 53,
      },
    });
  });

  it('says what is wrong, why, and what to do, with the numbers it used', () => {
    const messages = report.findings.map((f) => f.message);
    expect(messages).toContain(
      'The visibility timeout of queue `OrdersQueue` (60 s, template.yaml:25) is under 6 × the timeout of `OrdersWorkerFunction` (30 s): ' +
        'when LMI throttles the function or an invocation runs long, the message becomes visible again and is processed twice. ' +
        'Set `VisibilityTimeout` to at least 180 s.',
    );
    expect(messages).toContain(
      '`pool` is a pg pool of at most 4 connections, but one worker of `OrdersWorkerFunction` may run 32 invocations at once on LMI ' +
        '(PerExecutionEnvironmentMaxConcurrency 32 over 1 worker, one per vCPU: 2048 MB at 2 GiB per vCPU): the others wait for a ' +
        'connection and time out under load. Set `max` to at least 32 (each worker has its own pool), or lower ' +
        '`PerExecutionEnvironmentMaxConcurrency`. The pools of `OrdersWorkerFunction` hold up to 4 (`max`) × 1 worker (one per ' +
        'vCPU: 2048 MB at 2 GiB per vCPU) = 4 connections per execution environment, times the execution environments (no ' +
        "MaxExecutionEnvironments is set): mind the database's connection limit.",
    );
  });
});

describe('fixtures/projects/serverless-lmi (Serverless Framework)', () => {
  const project = 'fixtures/projects/serverless-lmi';
  let report: Report;

  it('reports exactly these findings', async () => {
    report = await scanProject(project);
    expect(findingRows(report)).toEqual([
      'serverless.yml:40 event-source-backpressure (error) -> src/refund.ts#handler',
      'serverless.yml:44 event-source-backpressure (error) -> src/refund.ts#handler',
      'serverless.yml:56 lmi-runtime-support (error) -> src/ledger.ts#handler',
      'serverless.yml:58 lmi-runtime-support (error) -> src/ledger.ts#handler',
      'serverless.yml:62 event-source-backpressure (error) -> src/ledger.ts#handler',
      'serverless.yml:73 event-source-backpressure (warning) -> src/audit/handler.py#handler',
      'serverless.yml:90 event-source-backpressure (error) -> src/refund.ts#handler',
      'src/charge.ts:12 unchecked-timeout (warning) -> src/charge.ts#handler',
      'src/refund.ts:12 shared-tmp-path (error) -> src/refund.ts#handler',
    ]);
    expectAnnotationsToHold(report, project);
    expect(report.errors).toEqual([
      { file: 'serverless.yml', line: 50, column: 11, message: '!GetAtt MissingQueue.Arn: no resource MissingQueue in resources.Resources' },
    ]);
  });

  it('maps every function to its handler and declaration', () => {
    expect(functionsOf(report)).toEqual({
      'src/audit/handler.py#handler': {
        declaredIn: { file: 'serverless.yml', line: 68, logicalId: 'audit' },
        runtime: 'python3.13',
        checklist: pythonChecklist('warn'),
        // (tmp 20 + db 20 + backpressure 15 x 0.5 + logging 10 + lifecycle 5) / 70
        score: 89,
      },
      'src/charge.ts#handler': {
        declaredIn: { file: 'serverless.yml', line: 21, logicalId: 'charge' },
        runtime: 'nodejs22.x',
        checklist: checklist({ lifecycle: 'warn' }),
        score: 98,
      },
      'src/ledger.ts#handler': {
        declaredIn: { file: 'serverless.yml', line: 53, logicalId: 'ledger' },
        runtime: 'nodejs20.x',
        checklist: checklist({ 'event-source-backpressure': 'fail', lifecycle: 'fail' }),
        score: 80,
      },
      'src/refund.ts#handler': {
        declaredIn: { file: 'serverless.yml', line: 35, logicalId: 'refund' },
        runtime: 'nodejs22.x',
        checklist: checklist({ 'shared-tmp-path': 'fail', 'event-source-backpressure': 'fail' }),
        score: 65,
      },
    });
  });
});

describe('fixtures/projects/cdk-lmi (CDK, read statically)', () => {
  const project = 'fixtures/projects/cdk-lmi';
  let report: Report;

  it('reports exactly these findings', async () => {
    report = await scanProject(project);
    expect(findingRows(report)).toEqual([
      'lib/shop-stack.ts:41 event-source-backpressure (error) -> src/ingest.ts#handler',
      'lib/shop-stack.ts:49 event-source-backpressure (error) -> src/ingest.ts#handler',
      'lib/shop-stack.ts:50 event-source-backpressure (error) -> src/ingest.ts#handler',
      'lib/shop-stack.ts:59 lifecycle (warning) -> src/ingest.ts#handler',
      'lib/shop-stack.ts:63 lmi-runtime-support (error) -> lambda/legacy/index.js#handler',
      'lib/shop-stack.ts:66 lmi-runtime-support (error) -> lambda/legacy/index.js#handler',
      'lib/shop-stack.ts:68 lmi-runtime-support (warning) -> lambda/legacy/index.js#handler',
      'lib/shop-stack.ts:80 event-source-backpressure (warning) -> src/webhook.ts#handler',
      'src/ingest.ts:13 global-mutable-state (error) -> src/ingest.ts#handler',
      'src/orders.ts:12 unchecked-timeout (warning) -> src/orders.ts#handler',
    ]);
    expectAnnotationsToHold(report, project);
    expect(report.errors).toEqual([]);
  });

  it('reads the previous synth (cdk.out) to tell that Legacy must be recreated', () => {
    const recreate = report.findings.find((f) => f.ruleId === 'lmi-runtime-support' && f.severity === 'warning');
    expect(recreate?.message).toContain('the last build (../cdk.out/Shop.template.json) has the same function without one');
    expect(recreate?.message).toContain('give it a new construct id');
  });

  it('maps every function to its handler and declaration', () => {
    expect(functionsOf(report)).toEqual({
      'lambda/legacy/index.js#handler': {
        declaredIn: { file: 'lib/shop-stack.ts', line: 62, logicalId: 'Legacy' },
        runtime: 'nodejs20.x',
        checklist: checklist({ lifecycle: 'fail' }),
        score: 95,
      },
      'src/ingest.ts#handler': {
        declaredIn: { file: 'lib/shop-stack.ts', line: 43, logicalId: 'Ingest' },
        runtime: 'nodejs22.x',
        checklist: checklist({ 'global-mutable-state': 'fail', 'event-source-backpressure': 'fail', lifecycle: 'warn' }),
        score: 63,
      },
      'src/orders.ts#handler': {
        declaredIn: { file: 'lib/shop-stack.ts', line: 30, logicalId: 'Orders' },
        runtime: 'nodejs22.x',
        checklist: checklist({ lifecycle: 'warn' }),
        score: 98,
      },
      'src/webhook.ts#handler': {
        declaredIn: { file: 'lib/shop-stack.ts', line: 74, logicalId: 'Webhook' },
        runtime: 'nodejs22.x',
        checklist: checklist({ 'event-source-backpressure': 'warn' }),
        score: 93,
      },
    });
  });
});

describe('fixtures/dependencies/floors (package.json and package-lock.json)', () => {
  it('reads the package.json nearest each handler, prefers the locked version, and ignores devDependencies', async () => {
    const report = await scanProject('fixtures/dependencies/floors');
    expect(findingRows(report)).toEqual([
      'legacy/package.json:5 lifecycle (warning) -> legacy/index.js#handler',
      // `>=3.400.0 <4` without a lockfile: a fresh install resolves to a current 3.x, so legacy/package.json:8 is not reported.
      'orders/package.json:6 lifecycle (warning) -> orders/handler.ts#handler',
      'orders/package.json:9 lifecycle (warning) -> orders/handler.ts#handler',
    ]);
    expect(report.findings.map((f) => f.message)).toEqual([
      '`aws-sdk` is the AWS SDK for JavaScript v2, which is end-of-life and not part of the LMI-aware versions. Migrate to the v3 clients (`@aws-sdk/client-*` 3.933.0 or later; aws-sdk-js-codemod automates most of it).',
      '`@aws-lambda-powertools/logger` 2.28.1 (package-lock.json) is older than 2.29.0, the first version AWS lists as ready for LMI (Powertools switches to multi-invocation mode when LMI sets `AWS_LAMBDA_MAX_CONCURRENCY`). Upgrade it to 2.29.0 or later.',
      '`@aws-sdk/lib-dynamodb` 3.500.0 (package-lock.json) is older than 3.933.0, the first version AWS lists as ready for LMI. Upgrade it to 3.933.0 or later.',
    ]);
    expect(report.functions.map((fn) => [fn.id, fn.checklist.lifecycle])).toEqual([
      ['current/handler.ts#handler', 'pass'],
      ['legacy/index.js#handler', 'warn'],
      ['orders/handler.ts#handler', 'warn'],
    ]);
  });
});

describe('fixtures/dependencies/lockfiles (npm workspace, yarn v1, yarn Berry, pnpm workspace, no lockfile)', () => {
  it('judges each dependency by the version its lockfile installs, or by every version its range allows', async () => {
    const report = await scanProject('fixtures/dependencies/lockfiles');
    expect(report.errors).toEqual([]);
    expect(findingRows(report)).toEqual([
      'berry/package.json:6 lifecycle (warning) -> berry/handler.mjs#handler',
      'no-lockfile/package.json:6 lifecycle (warning) -> no-lockfile/handler.mjs#handler',
      'no-lockfile/package.json:7 lifecycle (info) -> no-lockfile/handler.mjs#handler',
      'no-lockfile/package.json:8 lifecycle (warning) -> no-lockfile/handler.mjs#handler',
      'npm-workspace/packages/api/package.json:5 lifecycle (warning) -> npm-workspace/packages/api/handler.mjs#handler',
      'npm-workspace/packages/api/package.json:6 lifecycle (warning) -> npm-workspace/packages/api/handler.mjs#handler',
      'pnpm-workspace/services/orders/package.json:5 lifecycle (warning) -> pnpm-workspace/services/orders/handler.mjs#handler',
      'yarn/package.json:5 lifecycle (warning) -> yarn/handler.mjs#handler',
    ]);
    expect(report.findings.map((f) => f.message.replace(/, the first version AWS lists as ready for LMI.*$/, ''))).toEqual([
      // Berry: `^3.100.0` locked at 3.700.0; the Powertools logger at 2.29.1 is fine.
      '`@aws-sdk/client-dynamodb` 3.700.0 (yarn.lock) is older than 3.933.0',
      // No lockfile: `~3.600.0` allows only 3.600.x; `^3.200.0` and `>=3.400.0 <4` allow current versions and are not reported.
      '`@aws-sdk/client-sqs` `~3.600.0` allows no version at or above 3.933.0',
      '`@aws-lambda-powertools/logger` `latest` names no version range lmi-audit can compare, and no lockfile says what is installed: check that the version deployed is 2.29.0 or later',
      '`aws-xray-sdk` `3.11.0` allows no version at or above 3.12.0',
      // The workspace root's package-lock.json: the hoisted client, and the workspace's own nested logger (the hoisted
      // 2.30.0 serves admin, which is not reported); aws-xray-sdk-core 3.12.0 is fine.
      '`@aws-sdk/client-s3` 3.600.0 (package-lock.json) is older than 3.933.0',
      '`@aws-lambda-powertools/logger` 2.28.1 (package-lock.json) is older than 2.29.0',
      // pnpm: the importer's version without its peer suffix; ADOT 0.8.1 is fine.
      '`@aws-sdk/client-s3` 3.620.0 (pnpm-lock.yaml) is older than 3.933.0',
      // yarn v1: the entry for the range written; client-s3 locked at 3.940.0 is fine.
      '`@aws-sdk/client-sqs` 3.540.0 (yarn.lock) is older than 3.933.0',
    ]);
  });
});

describe('fixtures/dependencies/python (requirements.txt, pyproject.toml, poetry.lock, uv.lock)', () => {
  it('judges Powertools for AWS Lambda (Python) by the locked or pinned version, else by every version the constraint allows', async () => {
    const report = await scanProject('fixtures/dependencies/python');
    expect(report.errors).toEqual([]);
    // range-allows-floor (`>=3.0.0, <4`) and poetry-locked (`^3.10` locked at 3.24.0; its dev group pins 3.0.0) are not
    // reported; nor are dependency groups and extras; the package.json beside the Python functions (aws-sdk v2) is not theirs.
    expect(findingRows(report)).toEqual([
      'compatible-release/requirements.txt:2 lifecycle (warning) -> compatible-release/app.py#handler',
      'git-source/requirements.txt:1 lifecycle (info) -> git-source/app.py#handler',
      'pep621-uv/pyproject.toml:7 lifecycle (warning) -> pep621-uv/app.py#handler',
      'pinned-hashes/requirements.txt:4 lifecycle (warning) -> pinned-hashes/app.py#handler',
      'poetry-unlocked/pyproject.toml:7 lifecycle (warning) -> poetry-unlocked/app.py#handler',
      'uv-workspace/services/billing/pyproject.toml:4 lifecycle (warning) -> uv-workspace/services/billing/app.py#handler',
      'uv-workspace/services/orders/pyproject.toml:4 lifecycle (warning) -> uv-workspace/services/orders/app.py#handler',
    ]);
    expect(report.findings.map((f) => f.message.replace(/, the first version AWS lists as ready for LMI.*$/, ''))).toEqual([
      '`aws-lambda-powertools` `~=3.20.0` allows no version at or above 3.23.0',
      '`aws-lambda-powertools` `@ git+https://example.invalid/powertools-lambda-python@v3` names no version range lmi-audit can compare, and no lockfile says what is installed: check that the version deployed is 3.23.0 or later',
      '`aws-lambda-powertools` 3.19.0 (uv.lock) is older than 3.23.0',
      // A pin (pip-compile output with hashes) is what pip installs.
      '`aws-lambda-powertools` 3.22.0 (requirements.txt) is older than 3.23.0',
      '`aws-lambda-powertools` `^2.30` allows no version at or above 3.23.0',
      // The uv workspace root's lockfile, forked by markers: the lowest version is kept.
      '`aws_lambda_powertools` 3.22.1 (uv.lock) is older than 3.23.0',
      '`aws-lambda-powertools` 3.22.1 (uv.lock) is older than 3.23.0',
    ]);
    expect(report.findings[0]!.message).toMatch(/Widen the range to `>=3\.23\.0`\.$/);
    expect(Object.fromEntries(report.functions.map((fn) => [fn.id, fn.checklist.lifecycle]))).toMatchObject({
      'range-allows-floor/app.py#handler': 'pass',
      'poetry-locked/app.py#handler': 'pass',
      'git-source/app.py#handler': 'pass',
      'pinned-hashes/app.py#handler': 'warn',
    });
  });
});

describe('functions whose code is not in the repository', () => {
  it('say where the code is (an S3 object of a packaged template) instead of a handler that matches no file; inline code is analysed', async () => {
    const api = await import('../../src/index.js');
    const report = await api.scan({ paths: ['fixtures/iac/remote-code'], cwd: ROOT });
    expect(report.functions.map((fn) => `${fn.id} ${fn.file}:${fn.line} ${fn.code}`)).toEqual([
      'fixtures/iac/remote-code/template.yaml/InlineCfnFunction/index.js#handler fixtures/iac/remote-code/template.yaml:48 inline',
      'fixtures/iac/remote-code/template.yaml/InlineSamFunction/index.js#handler fixtures/iac/remote-code/template.yaml:40 inline',
    ]);
    expect(report.errors.map((e) => `${e.line} ${e.message}`)).toEqual([
      '7 PackagedFunction: its code is not in the repository (`s3://artifacts-bucket/orders/4de6f0c600ed.zip`): not analysed',
      '13 BucketKeyFunction: its code is not in the repository (`s3://artifacts-bucket/…`): not analysed',
      '21 PlainFunction: its code is not in the repository (`s3://artifacts-bucket/reports.zip`): not analysed',
      '30 MissingFileFunction: handler `missing.handler` does not match a scanned source file',
    ]);
  });
});

describe('broken infrastructure files next to a good project', () => {
  it('lists invalid YAML/JSON, unknown tags and missing references under errors, and scans everything else', async () => {
    const api = await import('../../src/index.js');
    const report = await api.scan({ paths: ['fixtures/iac/broken', 'fixtures/projects/sam-lmi'], cwd: ROOT });
    expect(report.errors.map((e) => `${e.file}:${e.line} ${e.message.replace(/^(invalid JSON):.*/, '$1: …')}`)).toEqual([
      'fixtures/iac/broken/bad-json/template.json:7 invalid JSON: …',
      'fixtures/iac/broken/invalid-yaml/template.yaml:11 invalid YAML: Missing closing "quote',
      'fixtures/iac/broken/unknown-tag/template.yaml:11 unknown YAML tag !Vault',
      'fixtures/iac/broken/unknown-tag/template.yaml:18 unknown YAML tag !CustomMap',
      'fixtures/projects/sam-lmi/template.yaml:148 !GetAtt ArchiveQueue.Arn: no resource ArchiveQueue in this template',
    ]);
    expect(report.functions.map((fn) => fn.id)).toContain('fixtures/iac/broken/unknown-tag/src/app.ts#main');
    expect(report.functions.filter((fn) => fn.id.startsWith('fixtures/projects/sam-lmi/'))).toHaveLength(5);
    expect(report.findings).toHaveLength(11);
  });
});
