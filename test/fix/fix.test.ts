/**
 * @fileoverview The fix API (`fix()` from src/index.ts): choosing transforms, the git guard,
 * `--from-report`, dry runs, per-file outcomes (one failure never stops the others), atomic
 * writes that keep the file mode and byte-order mark, and the pool size from infrastructure code.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fix, scan, UsageError, type Report } from '../../src/index.js';
import { mapLines } from '../../src/fix/map-lines.js';
import { createFixProvider } from '../../src/sarif-fixes.js';
import { applyReplacements } from '../helpers/apply-replacements.js';

const ARTICLE_TMP = `import { writeFileSync, readFileSync } from 'fs';

export const handler = async (event, context) => {
  writeFileSync('/tmp/a.json', JSON.stringify(event.payload));
  writeFileSync('/tmp/b.json', JSON.stringify(event.payload));
  await Promise.resolve();
  const a = readFileSync('/tmp/a.json', 'utf8');
  const b = readFileSync('/tmp/b.json', 'utf8');
  return [a, b];
};
`;

const STATE = `let currentUser = null;

export const handler = async (event) => {
  currentUser = event.userId;
  await Promise.resolve();
  return { user: currentUser };
};
`;

const PG = `import { Client } from 'pg';

const client = new Client({ connectionString: process.env.DATABASE_URL });
await client.connect();

export const handler = async (event: { id: string }) => {
  const { rows } = await client.query('SELECT * FROM items WHERE id = $1', [event.id]);
  return rows[0];
};
`;

let dir: string;
const write = (name: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
};
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'pipe' });
const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-fix-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('choosing transforms', () => {
  it('needs --transform or --all, knows every id, and does not take both', async () => {
    write('app.mjs', STATE);
    await expect(fix({ cwd: dir })).rejects.toThrow(UsageError);
    await expect(fix({ cwd: dir, transforms: ['no-such'] })).rejects.toThrow(/Unknown transform `no-such`/);
    await expect(fix({ cwd: dir, transforms: ['hoisted-stat'] })).rejects.toThrow(/Did you mean `hoisted-state`\?/);
    // The id of a rule that one transform fixes names that transform; ids in any case.
    expect((await fix({ cwd: dir, transforms: ['global-mutable-state'], dry: true })).transforms).toEqual(['hoisted-state']);
    expect((await fix({ cwd: dir, transforms: ['TMP-PATHS'], dry: true })).transforms).toEqual(['tmp-paths']);
    await expect(fix({ cwd: dir, transforms: ['tmp-paths'], all: true })).rejects.toThrow(/either --transform or --all/);
    await expect(fix({ cwd: dir, paths: ['missing'], all: true })).rejects.toThrow(/Path not found: missing/);
  });

  it('--all runs the safe transforms only, in registry order', async () => {
    write('app.ts', PG);
    const result = await fix({ cwd: dir, all: true });
    expect(result.transforms).toEqual(['single-flight', 'tmp-paths', 'hoisted-state']);
    expect(read('app.ts')).toBe(PG);
    expect(result.files).toEqual([]);
  });

  it('applies several transforms to one file, one after the other', async () => {
    write(
      'app.ts',
      `${PG.replace("import { Client } from 'pg';", "import { Client } from 'pg';\n\nlet lastId: string | undefined;")}`
        .replace('  const { rows }', '  lastId = event.id;\n  const { rows }')
        .replace('return rows[0];', 'return { row: rows[0], lastId };'),
    );
    const result = await fix({ cwd: dir, transforms: ['hoisted-state', 'client-to-pool'] });
    expect(result.files.map((f) => [f.file, f.status, f.transforms])).toEqual([['app.ts', 'changed', ['client-to-pool', 'hoisted-state']]]);
    const text = read('app.ts');
    expect(text).toContain('const pool = new Pool(');
    expect(text).toContain('const lastId: string | undefined = event.id;');
    const after = await scan({ paths: ['.'], cwd: dir });
    expect(after.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

describe.skipIf(!hasGit)('the git guard', () => {
  it('refuses to rewrite a file with uncommitted changes unless allowed; other work in progress does not block it', async () => {
    write('src/orders/app.mjs', STATE);
    write('other.mjs', 'export const x = 1;\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    // Unrelated work in progress: an untracked file and a modified one that fix does not touch.
    write('notes.txt', 'work in progress');
    write('other.mjs', 'export const x = 2;\n');
    expect((await fix({ cwd: dir, all: true, dry: true })).summary.changed).toBe(1);
    // The file fix would rewrite is modified: refused before anything is written, path shown whole.
    const edited = STATE.replace('let currentUser', 'let  currentUser');
    write('src/orders/app.mjs', edited);
    await expect(fix({ cwd: dir, all: true })).rejects.toThrow(/uncommitted changes \(src\/orders\/app\.mjs\).*--allow-dirty/);
    expect(read('src/orders/app.mjs')).toBe(edited);
    // Staged counts too; from a subdirectory the path is relative to it.
    git('add', 'src/orders/app.mjs');
    await expect(fix({ cwd: path.join(dir, 'src'), all: true })).rejects.toThrow(/\(orders\/app\.mjs\)/);
    git('commit', '-qm', 'edit');
    expect((await fix({ cwd: dir, all: true })).summary.changed).toBe(1);
    expect(read('other.mjs')).toBe('export const x = 2;\n');
  });

  it('refuses an untracked file it would rewrite (git could not undo the fix)', async () => {
    write('tracked.mjs', 'export const y = 1;\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    write('app.mjs', STATE);
    await expect(fix({ cwd: dir, all: true })).rejects.toThrow(/uncommitted changes \(app\.mjs\)/);
    expect(read('app.mjs')).toBe(STATE);
  });

  it('writes into a dirty tree with allowDirty', async () => {
    write('app.mjs', STATE);
    git('init', '-q');
    expect((await fix({ cwd: dir, all: true, allowDirty: true })).summary.changed).toBe(1);
  });

  it('allows a directory that is not in a git work tree', async () => {
    write('app.mjs', STATE);
    expect((await fix({ cwd: dir, all: true })).summary.changed).toBe(1);
  });
});

describe("a transform for some of a rule's findings", () => {
  it('callback-to-async: only the code findings of lifecycle carry it; the dependency finding is left alone', async () => {
    write('package.json', JSON.stringify({ name: 'app', dependencies: { 'aws-sdk': '2.1500.0' } }));
    write('app.mjs', 'export const handler = (event, context, callback) => {\n  callback(null, { id: event.id });\n};\n');
    const report = await scan({ paths: ['.'], cwd: dir });
    const lifecycle = report.findings.filter((f) => f.ruleId === 'lifecycle');
    expect(lifecycle.map((f) => [f.file, f.fix?.transform ?? null]).sort()).toEqual([
      ['app.mjs', 'callback-to-async'],
      ['package.json', null],
    ]);
    const result = await fix({ cwd: dir, transforms: ['callback-to-async'] });
    expect(result.summary).toMatchObject({ changed: 1, skipped: 0, findings: 1 });
    expect(read('app.mjs')).toMatch(/^export const handler = async \(event, context\) => \{\n {2}return new Promise/);
  });
});

describe('the configuration', () => {
  // A handler only the configuration names: `process(job)` has neither a handler's name nor its signature.
  const CONFIGURED = ARTICLE_TMP.replace('export const handler = async (event, context)', 'export const process = async (job)').replaceAll(
    'event.payload',
    'job.payload',
  );
  const config = (value: object) => fs.writeFileSync(path.join(dir, 'lmi-audit.config.json'), JSON.stringify(value));

  it('fixes the handlers the configuration file declares, as scan reports them', async () => {
    write('jobs/run.mjs', CONFIGURED);
    config({ handlers: { 'jobs/run.mjs': ['process'] } });
    const result = await fix({ cwd: dir, paths: ['jobs'], transforms: ['tmp-paths'] });
    // One finding per shared path and function: /tmp/a.json and /tmp/b.json.
    expect(result.summary).toMatchObject({ changed: 1, findings: 2 });
    expect(read('jobs/run.mjs')).toContain('`/tmp/a-${context.awsRequestId}.json`');
  });

  it('is ignored under config: false, and an explicit file replaces the search', async () => {
    write('jobs/run.mjs', CONFIGURED);
    config({ handlers: { 'jobs/run.mjs': ['process'] } });
    expect((await fix({ cwd: dir, transforms: ['tmp-paths'], dry: true, config: false })).summary).toMatchObject({ findings: 0 });
    fs.writeFileSync(path.join(dir, 'off.json'), JSON.stringify({ handlers: { 'jobs/run.mjs': ['process'] }, rules: { 'shared-tmp-path': 'off' } }));
    expect((await fix({ cwd: dir, transforms: ['tmp-paths'], dry: true, config: 'off.json' })).summary).toMatchObject({ findings: 0 });
    expect((await fix({ cwd: dir, transforms: ['tmp-paths'], dry: true })).summary).toMatchObject({ findings: 2 });
    expect(read('jobs/run.mjs')).toBe(CONFIGURED);
  });

  it('stops with the configuration error, before writing anything', async () => {
    write('jobs/run.mjs', CONFIGURED);
    config({ rules: { 'shared-tmp-path': 'loud' } });
    await expect(fix({ cwd: dir, transforms: ['tmp-paths'] })).rejects.toThrow(/rules\.shared-tmp-path/);
    expect(read('jobs/run.mjs')).toBe(CONFIGURED);
  });
});

describe('--from-report', () => {
  it('fixes only what the report lists', async () => {
    write('app.mjs', ARTICLE_TMP);
    const report = await scan({ paths: ['.'], cwd: dir });
    expect(report.findings.filter((f) => f.ruleId === 'shared-tmp-path')).toHaveLength(2);
    // Keep the findings of /tmp/a.json only.
    const onlyA: Report = { ...report, findings: report.findings.filter((f) => f.message.includes('/tmp/a.json')) };
    fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(onlyA));
    const result = await fix({ cwd: dir, transforms: ['tmp-paths'], fromReport: 'report.json' });
    expect(result.summary).toMatchObject({ changed: 1, findings: 1 });
    const text = read('app.mjs');
    expect(text).toContain('`/tmp/a-${context.awsRequestId}.json`');
    expect(text).toContain("writeFileSync('/tmp/b.json'");
  });

  it('rejects what is not a report of this schema version', async () => {
    write('app.mjs', STATE);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ not json');
    await expect(fix({ cwd: dir, all: true, fromReport: 'bad.json' })).rejects.toThrow(/is not JSON/);
    await expect(fix({ cwd: dir, all: true, fromReport: 'missing.json' })).rejects.toThrow(/Cannot read the report/);
    const report = await scan({ paths: ['.'], cwd: dir });
    await expect(fix({ cwd: dir, all: true, fromReport: { ...report, schemaVersion: 2 } as unknown as Report })).rejects.toThrow(/schemaVersion 2/);
    await expect(fix({ cwd: dir, all: true, fromReport: { ...report, tool: { name: 'other' } } as unknown as Report })).rejects.toThrow(
      /not an lmi-audit report/,
    );
    await expect(fix({ cwd: dir, all: true, fromReport: { ...report, findings: [{ ruleId: 'x' }] } as unknown as Report })).rejects.toThrow(/malformed/);
  });
});

describe('per-file outcomes', () => {
  it('one failing file does not stop the others; unusable files are skipped', async () => {
    write('good.mjs', STATE);
    write('broken.mjs', 'let currentUser = null;\nexport const handler = async (event) => { currentUser = event.userId;\n');
    const report = await scan({ paths: ['good.mjs'], cwd: dir });
    const finding = report.findings.find((f) => f.ruleId === 'global-mutable-state')!;
    const fromReport: Report = {
      ...report,
      findings: [finding, { ...finding, file: 'broken.mjs' }, { ...finding, file: 'template.yaml' }, { ...finding, file: 'gone.mjs' }],
    };
    const result = await fix({ cwd: dir, all: true, fromReport });
    const status = Object.fromEntries(result.files.map((f) => [f.file, f.status]));
    expect(status).toEqual({ 'good.mjs': 'changed', 'broken.mjs': 'failed', 'template.yaml': 'skipped', 'gone.mjs': 'skipped' });
    expect(result.files.find((f) => f.file === 'broken.mjs')!.reason).toMatch(/^hoisted-state: /);
    expect(result.summary).toMatchObject({ changed: 1, failed: 1, skipped: 2, unchanged: 0 });
    expect(read('broken.mjs')).toContain('currentUser = event.userId;');
    expect(read('good.mjs')).toContain('const currentUser = event.userId;');
  });

  it('a dry run writes nothing and returns the diff', async () => {
    write('app.mjs', STATE);
    const result = await fix({ cwd: dir, all: true, dry: true });
    expect(result.dry).toBe(true);
    expect(read('app.mjs')).toBe(STATE);
    expect(result.files[0]!.diff).toContain('--- a/app.mjs');
    expect(result.files[0]!.diff).toContain('+  const currentUser = event.userId;');
  });

  it('leaves findings a person suppressed alone', async () => {
    const suppressed = [
      "import { writeFileSync } from 'fs';",
      'export const handler = async (event) => {',
      '  // lmi-audit-ignore-next-line shared-tmp-path -- one writer per environment, reviewed',
      "  writeFileSync('/tmp/lock', String(event.id));",
      '};',
      '',
    ].join('\n');
    write('reviewed.mjs', suppressed);
    write('unreviewed.mjs', suppressed.replace(/ *\/\/ lmi-audit-ignore.*\n/, ''));
    await fix({ cwd: dir, transforms: ['tmp-paths'], allowDirty: true });
    expect(read('reviewed.mjs')).toBe(suppressed);
    // The same code without the comment is rewritten: the suppression is what kept it.
    expect(read('unreviewed.mjs')).toContain('awsRequestId');
  });

  it('reports the markers it left, and a file it cannot improve as unchanged', async () => {
    write('counter.mjs', 'let count = 0;\nexport const handler = async () => {\n  count++;\n  await Promise.resolve();\n  return count;\n};\n');
    write(
      'safe.mjs',
      'let s3;\nconst client = () => (s3 ??= {});\nexport const handler = async (event) => {\n  await Promise.resolve();\n  return client();\n};\n',
    );
    const result = await fix({ cwd: dir, all: true });
    const counter = result.files.find((f) => f.file === 'counter.mjs')!;
    expect(counter.status).toBe('changed');
    expect(counter.markers).toEqual([{ line: 3, text: expect.stringContaining('`count` is read before it is written') }]);
    expect(result.summary.markers).toBe(1);
  });

  it('writes atomically: same mode, byte-order mark kept, no temporary file left', async () => {
    write('app.mjs', `\uFEFF${STATE}`);
    fs.chmodSync(path.join(dir, 'app.mjs'), 0o755);
    await fix({ cwd: dir, all: true });
    expect(fs.statSync(path.join(dir, 'app.mjs')).mode & 0o777).toBe(0o755);
    expect(read('app.mjs').charCodeAt(0)).toBe(0xfeff);
    expect(read('app.mjs')).toContain('const currentUser = event.userId;');
    expect(fs.readdirSync(dir).filter((f) => f.includes('lmi-audit-tmp'))).toEqual([]);
  });
});

describe('inline code (fixtures/projects/inline-code)', () => {
  const fixture = path.resolve(import.meta.dirname, '../../fixtures/projects/inline-code');
  const files = ['template.yaml', 'cdk/lib/stack.ts', 'cdk/lambda/counter.js'];

  it('--all rewrites no template or CDK file around inline code, says why, fixes the real file, and a second run changes nothing', async () => {
    fs.cpSync(fixture, dir, { recursive: true });
    const before = Object.fromEntries(files.map((f) => [f, read(f)]));
    const dry = await fix({ cwd: dir, all: true, dry: true });
    expect(dry.files.map((f) => [f.file, f.status, f.reason ?? ''])).toEqual([
      ['cdk/lambda/counter.js', 'changed', ''],
      [
        'cdk/lib/stack.ts',
        'skipped',
        '1 finding is in inline code (written in the infrastructure code): not rewritten, fix it by hand or move the code to a file',
      ],
      [
        'template.yaml',
        'skipped',
        '3 findings are in inline code (written in the infrastructure code): not rewritten, fix it by hand or move the code to a file',
      ],
    ]);
    expect(dry.files[0]!.diff).toContain('+  // lmi-audit: `count` is read before it is written');

    const result = await fix({ cwd: dir, all: true });
    expect(result.summary).toMatchObject({ changed: 1, skipped: 2, failed: 0 });
    expect(read('template.yaml')).toBe(before['template.yaml']);
    expect(read('cdk/lib/stack.ts')).toBe(before['cdk/lib/stack.ts']);
    expect(read('cdk/lambda/counter.js')).not.toBe(before['cdk/lambda/counter.js']);

    const again = await fix({ cwd: dir, all: true });
    expect(again.summary).toMatchObject({ changed: 0, skipped: 2, failed: 0 });
    expect(read('template.yaml')).toBe(before['template.yaml']);
  });
});

describe('client-to-pool pool size', () => {
  const template = (concurrency: number, workers?: number) => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  ItemsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      CodeUri: src/
      Handler: app.handler
      MemorySize: 2048
      CapacityProviderConfig:
        Arn: arn:aws:lambda:eu-west-1:123456789012:capacity-provider/main
        PerExecutionEnvironmentMaxConcurrency: ${concurrency}
${workers ? `      Environment:\n        Variables:\n          AWS_LAMBDA_NODEJS_WORKER_COUNT: '${workers}'\n` : ''}`;

  it('takes the concurrency one worker sees from the infrastructure code', async () => {
    write('template.yaml', template(96, 4));
    write('src/app.ts', PG);
    const result = await fix({ cwd: dir, transforms: ['client-to-pool'] });
    expect(read('src/app.ts')).toContain('max: 24 }');
    expect(result.files[0]!.notes[0]).toMatch(/max 24 \(ItemsFunction: PerExecutionEnvironmentMaxConcurrency 96 over 4 workers/);
    // The pool-undersized rule agrees: the new pool is large enough.
    const after = await scan({ paths: ['.'], cwd: dir });
    expect(after.findings.filter((f) => f.ruleId === 'pool-undersized' || f.ruleId === 'shared-db-connection')).toEqual([]);
  });

  it('gives SARIF the same edit as fix: one applyFix path, pool size from the infrastructure code', async () => {
    write('template.yaml', template(96, 4));
    write('src/app.ts', PG);
    const report = await scan({ paths: ['.'], cwd: dir });
    const finding = report.findings.find((f) => f.ruleId === 'shared-db-connection')!;
    const sarifFix = (await createFixProvider(report, dir))!(finding)!;
    const edited = applyReplacements(PG, sarifFix.changes[0]!.replacements);
    expect(edited).toContain('max: 24 }');
    await fix({ cwd: dir, transforms: ['client-to-pool'], fromReport: report });
    expect(read('src/app.ts')).toBe(edited);
  });

  it('reads the concurrency of a Terraform function from its whole root module', async () => {
    write(
      'main.tf',
      [
        'resource "aws_lambda_capacity_provider" "fleet" {',
        '  name = "fleet"',
        '}',
        'data "archive_file" "items" {',
        '  type        = "zip"',
        '  source_dir  = "${path.module}/src"',
        '  output_path = "${path.module}/build/items.zip"',
        '}',
        '',
      ].join('\n'),
    );
    // The function sits in another file of the same module.
    write(
      'lambda.tf',
      [
        'resource "aws_lambda_function" "items" {',
        '  function_name = "items"',
        '  role          = "arn:aws:iam::123456789012:role/items"',
        '  filename      = data.archive_file.items.output_path',
        '  handler       = "app.handler"',
        '  runtime       = "nodejs22.x"',
        '  memory_size   = 4096',
        '  capacity_provider_config {',
        '    lambda_managed_instances_capacity_provider_config {',
        '      capacity_provider_arn                     = aws_lambda_capacity_provider.fleet.arn',
        '      per_execution_environment_max_concurrency = 48',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    write('src/app.ts', PG);
    const report = await scan({ paths: ['.'], cwd: dir });
    expect(report.functions.map((f) => f.declaredIn?.file)).toEqual(['lambda.tf']);
    const result = await fix({ cwd: dir, transforms: ['client-to-pool'], fromReport: report });
    // 4096 MB at 2 GiB per vCPU: 2 workers; 48 over 2 workers: 24 each.
    expect(read('src/app.ts')).toContain('max: 24 }');
    expect(result.files[0]!.notes[0]).toMatch(/max 24 \([^)]*items[^)]*: PerExecutionEnvironmentMaxConcurrency 48/);
  });

  it('defaults to 64 without infrastructure code, and --pool-max wins over both', async () => {
    write('src/app.ts', PG);
    await fix({ cwd: dir, transforms: ['client-to-pool'], dry: true }).then((r) => expect(r.files[0]!.diff).toContain('max: 64 }'));
    write('template.yaml', template(32));
    await fix({ cwd: dir, transforms: ['client-to-pool'], poolMax: 8 });
    expect(read('src/app.ts')).toContain('max: 8 }');
  });
});

describe('mapLines', () => {
  it('follows lines through inserted lines and re-indentation, and maps rewritten lines to their replacement', () => {
    const before = 'a\nb\nc\nd\n';
    const after = 'a\nx\ntry {\n  b\n  C2\n  d\n}\n';
    expect(mapLines(before, after, [1, 2, 3, 4])).toEqual([1, 4, 5, 6]);
  });
});
