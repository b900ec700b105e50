/**
 * Python end to end: the SAM + Python and serverless.yml + Python fixture projects through the
 * API and the built CLI (every report format, suppressions, the baseline), handlers found by
 * convention when no infrastructure code names them, a file that does not parse, and module
 * globals that must never be reported (one process per concurrent invocation on LMI).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { fix, scan } from '../../src/index.js';
import type { Report } from '../../src/types.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/lmi-audit.js');

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [bin, ...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

function findingsOf(report: Report): string[] {
  return report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} (${f.severity})${f.suppressed ? ' suppressed' : ''} -> ${f.functions.join(', ')}`);
}

const temps: string[] = [];
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-py-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('fixtures/projects/sam-python (SAM + Python)', () => {
  const dir = path.join(root, 'fixtures/projects/sam-python');

  it('finds both handlers from the template and reports exactly the Python findings', async () => {
    const report = await scan({ paths: ['.'], cwd: dir });
    expect(report.errors).toEqual([]);
    expect(findingsOf(report)).toEqual([
      'src/app.py:23 unstructured-logging (warning) -> src/app.py#lambda_handler',
      'src/app.py:26 shared-tmp-path (error) -> src/app.py#lambda_handler',
      'src/db.py:6 shared-db-connection (info) -> src/app.py#lambda_handler',
      'src/report.py:10 shared-tmp-path (error) -> src/report.py#handler',
      'src/report.py:12 unstructured-logging (warning) suppressed -> src/report.py#handler',
    ]);
    // Only the static /tmp paths carry a fix (tmp-paths rewrites Python paths); the rest is for a person.
    expect(report.findings.filter((f) => f.fix !== null).map((f) => `${f.file}:${f.line} ${f.fix!.transform}`)).toEqual([
      'src/app.py:26 tmp-paths',
      'src/report.py:10 tmp-paths',
    ]);
    // The connection count uses the concurrency the template sets for the function that uses it.
    expect(report.findings.find((f) => f.ruleId === 'shared-db-connection')!.message).toMatch(
      /one psycopg2 connection per process.*up to 1 \(one connection per process\) × 32 processes \(PerExecutionEnvironmentMaxConcurrency, template\.yaml:24\) = 32 connections per execution environment/,
    );
    expect(
      report.functions.map((f) => ({
        id: f.id,
        line: f.line,
        runtime: f.runtime,
        declaredIn: f.declaredIn?.logicalId,
        checklist: f.checklist,
        score: f.score,
      })),
    ).toEqual([
      {
        id: 'src/app.py#lambda_handler',
        line: 16,
        runtime: 'python3.13',
        declaredIn: 'ResizeFunction',
        checklist: {
          'global-mutable-state': 'not-applicable',
          'shared-tmp-path': 'fail',
          'shared-db-connection': 'pass',
          'event-source-backpressure': 'pass',
          'unstructured-logging': 'warn',
          'unsafe-shared-collection': 'not-applicable',
          lifecycle: 'pass',
        },
        // (tmp 0 + db 20 + backpressure 15 + logging 10 x 0.5 + lifecycle 5) / 70
        score: 64,
      },
      {
        id: 'src/report.py#handler',
        line: 7,
        runtime: 'python3.13',
        declaredIn: 'ReportFunction',
        checklist: {
          'global-mutable-state': 'not-applicable',
          'shared-tmp-path': 'fail',
          'shared-db-connection': 'pass',
          'event-source-backpressure': 'pass',
          'unstructured-logging': 'pass',
          'unsafe-shared-collection': 'not-applicable',
          lifecycle: 'pass',
        },
        score: 71,
      },
    ]);
  });

  it.each(['text', 'sarif', 'github', 'markdown'])('prints the Python findings in the %s format', async (format) => {
    const { code, stdout } = await cli(['scan', '.', '--format', format, '--no-progress'], dir);
    expect(code).toBe(1);
    expect(stdout).toContain('src/app.py');
    expect(stdout).toContain('src/report.py');
    expect(stdout).toMatch(/shared-tmp-path/);
  });

  it('fixes the Python /tmp paths and nothing else when fix runs (dry)', async () => {
    // tmp-paths takes the two shared-tmp-path findings; the logging and connection findings have no transform.
    const result = await fix({ cwd: dir, transforms: ['tmp-paths'], dry: true, allowDirty: true });
    expect(result.files.map((f) => `${f.file} ${f.status}`)).toEqual(['src/app.py changed', 'src/report.py changed']);
    expect(result.summary).toMatchObject({ changed: 2, failed: 0, findings: 2 });
    const all = await fix({ cwd: dir, all: true, dry: true, allowDirty: true });
    expect(all.summary).toMatchObject({ changed: 2, failed: 0, findings: 2 });
  });

  it('baselines Python findings like any others', async () => {
    const copy = project({});
    fs.cpSync(dir, copy, { recursive: true });
    const first = await cli(['scan', '.', '--format', 'json', '--write-baseline', 'baseline.json', '--no-progress'], copy);
    expect(first.code).toBe(0);
    const again = JSON.parse((await cli(['scan', '.', '--format', 'json', '--baseline', 'baseline.json', '--no-progress'], copy)).stdout) as Report;
    expect(again.summary.findings).toBe(0);
    expect(again.baseline?.matched).toBeGreaterThanOrEqual(4);
  });
});

describe('fixtures/projects/serverless-python (serverless.yml + Python)', () => {
  it('follows a relative import to a package constant and reports the repeatable name, and event data passed into another module', async () => {
    const report = await scan({ paths: ['.'], cwd: path.join(root, 'fixtures/projects/serverless-python') });
    expect(report.errors).toEqual([]);
    expect(report.functions.map((f) => `${f.id} ${f.declaredIn?.logicalId}`)).toEqual(['src/handler.py#main export']);
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}: ${f.message.split(' is ')[0]}`)).toEqual([
      'src/handler.py:16 shared-tmp-path: `/tmp/exports/export-${random.randint(0, 1000)}.csv`',
      'src/lib/uploads.py:8 shared-tmp-path: `/tmp/${key}`',
    ]);
  });
});

describe('a Python connection opened per invocation', () => {
  it('advises a module-level connection (one per process), not a pool', async () => {
    const report = await scan({ paths: ['python-per-invocation.py'], cwd: path.join(root, 'fixtures/rules/shared-db-connection') });
    expect(report.findings.map((f) => `${f.line} ${f.ruleId} (${f.severity})`)).toEqual(['11 shared-db-connection (info)']);
    const message = report.findings[0]!.message;
    expect(message).toMatch(/^A PyMySQL connection is opened inside the invocation .*one process per concurrent invocation/);
    expect(message).not.toMatch(/pool/);
  });
});

describe('a CDK app with a PythonFunction', () => {
  it('names index.py#handler of the entry directory as the function', async () => {
    const dir = project({
      'cdk.json': '{"app": "npx ts-node bin/app.ts"}',
      'lib/stack.ts': [
        "import { Stack } from 'aws-cdk-lib';",
        "import * as lambda from 'aws-cdk-lib/aws-lambda';",
        "import { PythonFunction } from '@aws-cdk/aws-lambda-python-alpha';",
        'export class S extends Stack {',
        '  constructor(scope: any, id: string) {',
        '    super(scope, id);',
        "    new PythonFunction(this, 'ReportFn', { entry: 'lambda/report', runtime: lambda.Runtime.PYTHON_3_13 });",
        '  }',
        '}',
        '',
      ].join('\n'),
      'lambda/report/index.py': 'def handler(event, context):\n    open("/tmp/r.csv", "w")\n',
    });
    const report = await scan({ paths: ['.'], cwd: dir });
    expect(report.functions.map((f) => `${f.id} ${f.declaredIn?.logicalId} ${f.runtime}`)).toEqual(['lambda/report/index.py#handler ReportFn python3.13']);
    expect(findingsOf(report)).toEqual(['lambda/report/index.py:2 shared-tmp-path (error) -> lambda/report/index.py#handler']);
  });
});

describe('Python without infrastructure code', () => {
  it('treats def lambda_handler/handler(event, context) and Powertools-decorated functions as handlers', async () => {
    const dir = project({
      'a.py': 'def lambda_handler(event, context):\n    print(event)\n',
      'b.py': 'def handler(event, context):\n    return 1\n\ndef helper(event, context):\n    print(event)\n',
      'c.py': 'from aws_lambda_powertools import Tracer\ntracer = Tracer()\n\n@tracer.capture_lambda_handler\ndef process(event, context):\n    return 1\n',
      // Not handlers: no (event, context), or a class method.
      'd.py': 'def handler(event):\n    print(event)\n\nclass C:\n    def lambda_handler(self, event, context):\n        print(event)\n',
    });
    const report = await scan({ paths: ['.'], cwd: dir });
    expect(report.functions.map((f) => f.id)).toEqual(['a.py#lambda_handler', 'b.py#handler', 'c.py#process']);
    expect(findingsOf(report)).toEqual(['a.py:2 unstructured-logging (warning) -> a.py#lambda_handler']);
  });

  it('reads # lmi-audit-ignore comments: same line, next line, whole file, and says how to write a bad one', async () => {
    const dir = project({
      'a.py': [
        'def handler(event, context):',
        '    open("/tmp/a", "w")  # lmi-audit-ignore shared-tmp-path -- one invocation at a time (max concurrency 1)',
        '    # lmi-audit-ignore-next-line unstructured-logging',
        '    print("no reason given")',
        '',
      ].join('\n'),
      'b.py': '# lmi-audit-ignore-file unstructured-logging -- a CLI prints its output\ndef handler(event, context):\n    print(1)\n    print(2)\n',
    });
    const report = await scan({ paths: ['.'], cwd: dir });
    expect(findingsOf(report)).toEqual([
      'a.py:2 shared-tmp-path (error) suppressed -> a.py#handler',
      'a.py:3 invalid-suppression (warning) -> ',
      'a.py:4 unstructured-logging (warning) -> a.py#handler',
      'b.py:3 unstructured-logging (warning) suppressed -> b.py#handler',
      'b.py:4 unstructured-logging (warning) suppressed -> b.py#handler',
    ]);
    expect(report.findings.find((f) => f.ruleId === 'invalid-suppression')!.message).toContain('`# lmi-audit-ignore-next-line <rule-id>');
  });

  it('reports a file that does not parse and goes on with the others', async () => {
    const dir = project({
      'broken.py': 'def handler(event, context)\n    return 1\n',
      'ok.py': 'def handler(event, context):\n    open("/tmp/x", "w")\n',
    });
    const report = await scan({ paths: ['.'], cwd: dir });
    expect(report.errors.map((e) => `${e.file} ${e.message}`)).toEqual(['broken.py Parsing error: invalid syntax']);
    expect(findingsOf(report)).toEqual(['ok.py:2 shared-tmp-path (error) -> ok.py#handler']);
  });

  it('never reports module globals, dict caches or counters written by a Python handler', async () => {
    const dir = project({
      'app.py': [
        'from state import registry',
        'current_user = None',
        'cache = {}',
        'count = 0',
        '',
        'def handler(event, context):',
        '    global current_user, count',
        '    current_user = event["user"]',
        '    count += 1',
        '    cache[event["key"]] = event',
        '    registry.append(event)',
        '    return current_user',
        '',
      ].join('\n'),
      'state.py': 'registry = []\n',
    });
    const report = await scan({ paths: ['.'], cwd: dir });
    expect(report.findings).toEqual([]);
    expect(report.functions[0]!.checklist['global-mutable-state']).toBe('not-applicable');
    expect(report.functions[0]!.checklist['unsafe-shared-collection']).toBe('not-applicable');
  });

  it('follows from . import submodule and import pkg.module to code that runs during the invocation', async () => {
    const dir = project({
      'pkg/__init__.py': '',
      'pkg/app.py': 'from . import util\nimport pkg.other\n\ndef handler(event, context):\n    util.save()\n    pkg.other.log()\n',
      'pkg/util.py': 'def save():\n    open("/tmp/state.json", "w")\n',
      'pkg/other.py': 'def log():\n    print("x")\n',
    });
    const report = await scan({ paths: ['.'], cwd: dir });
    expect(findingsOf(report)).toEqual([
      'pkg/other.py:2 unstructured-logging (warning) -> pkg/app.py#handler',
      'pkg/util.py:2 shared-tmp-path (error) -> pkg/app.py#handler',
    ]);
  });
});
