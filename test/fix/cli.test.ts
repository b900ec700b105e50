/**
 * @fileoverview `lmi-audit fix` on the command line: exit codes (0 done, 1 a file failed, 2 the
 * command could not start), what goes to stdout and stderr, and the sample application end to
 * end: after `fix`, `scan` no longer reports what was fixed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../src/cli.js';
import { scan } from '../../src/index.js';

const SAMPLE_APP = path.resolve(import.meta.dirname, '../../fixtures/projects/sample-app');
const SAM_PYTHON = path.resolve(import.meta.dirname, '../../fixtures/projects/sam-python');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-fix-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], cwd = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const io: CliIO = { stdout, stderr, env: {}, stdoutIsTTY: false, stderrIsTTY: false, cwd };
  const code = await main(['node', 'lmi-audit', 'fix', ...args], io);
  return { code, stdout: out, stderr: err };
}

const STATE =
  'let currentUser = null;\nexport const handler = async (event) => {\n  currentUser = event.userId;\n  await Promise.resolve();\n  return { user: currentUser };\n};\n';

describe('lmi-audit fix', () => {
  it('rewrites, prints one line per file and a summary, and exits 0', async () => {
    fs.writeFileSync(path.join(dir, 'app.mjs'), STATE);
    const result = await run(['--all']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'changed   app.mjs  (hoisted-state)\nlmi-audit fix [single-flight, tmp-paths, hoisted-state]: 1 changed, 0 unchanged, 0 skipped, 0 failed.\n',
    );
    expect(fs.readFileSync(path.join(dir, 'app.mjs'), 'utf8')).toContain('const currentUser = event.userId;');
  });

  it('--dry prints the unified diff on stdout, the file lines on stderr, and writes nothing', async () => {
    fs.writeFileSync(path.join(dir, 'app.mjs'), STATE);
    const result = await run(['--transform', 'hoisted-state', '--dry']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^=+\n--- a\/app\.mjs\n\+\+\+ b\/app\.mjs\n/);
    expect(result.stdout).toContain('-  currentUser = event.userId;\n+  const currentUser = event.userId;\n');
    expect(result.stderr).toContain('1 would change');
    expect(fs.readFileSync(path.join(dir, 'app.mjs'), 'utf8')).toBe(STATE);
  });

  it('exits 1 when a file failed, after handling the others', async () => {
    fs.writeFileSync(path.join(dir, 'good.mjs'), STATE);
    fs.writeFileSync(path.join(dir, 'bad.mjs'), 'let x = 1;\nexport const handler = async (e) => { x = e;\n');
    const { scan: scanApi } = await import('../../src/index.js');
    const report = await scanApi({ paths: ['good.mjs'], cwd: dir });
    const finding = report.findings[0]!;
    fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify({ ...report, findings: [finding, { ...finding, file: 'bad.mjs' }] }));
    const result = await run(['--all', '--from-report', 'report.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^failed {4}bad\.mjs: hoisted-state: /m);
    expect(result.stdout).toMatch(/^changed {3}good\.mjs/m);
    expect(result.stdout).toContain('1 changed, 0 unchanged, 0 skipped, 1 failed');
  });

  it('exits 2, with one line, when it cannot start', async () => {
    expect(await run([])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^lmi-audit: Choose what to run: --transform/) });
    expect(await run(['--transform', 'nope'])).toMatchObject({
      code: 2,
      stderr:
        'lmi-audit: Unknown transform `nope`. Transforms: client-to-pool, single-flight, tmp-paths, hoisted-state, callback-to-async (or the id of the rule one of them fixes)\n',
    });
    expect(await run(['--transform', 'tmp-path'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown transform `tmp-path`. Did you mean `tmp-paths`?'),
    });
    expect(await run(['--all', '--from-report', 'missing.json'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Cannot read the report missing\.json/),
    });
    expect(await run(['--all', '--pool-max', 'lots'])).toMatchObject({ code: 2 });
  });

  it('lists the transforms', async () => {
    const result = await run(['--list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^client-to-pool +unsafe +fixes shared-db-connection: /m);
    expect(result.stdout).toMatch(/^tmp-paths +safe +fixes shared-tmp-path: /m);
    expect(result.stdout).toMatch(/^hoisted-state +safe +fixes global-mutable-state: /m);
    // One column for the safety, whatever the longest transform id (`callback-to-async`).
    const safetyColumns = new Set(
      result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.search(/ (safe|unsafe) /)),
    );
    expect(safetyColumns.size).toBe(1);
  });

  it('on the sample application, scan no longer reports what fix fixed', async () => {
    fs.cpSync(SAMPLE_APP, dir, { recursive: true });
    const before = await scan({ paths: ['.'], cwd: dir });
    const fixable = ['global-mutable-state', 'shared-tmp-path', 'shared-db-connection'];
    expect(before.findings.filter((f) => fixable.includes(f.ruleId)).length).toBeGreaterThanOrEqual(3);
    const result = await run(['--transform', 'client-to-pool,tmp-paths,hoisted-state']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^changed {3}src\/users\/handler\.ts {2}\(client-to-pool, hoisted-state\)$/m);
    expect(result.stdout).toMatch(/^changed {3}src\/reports\/handler\.ts {2}\(tmp-paths\)$/m);
    const after = await scan({ paths: ['.'], cwd: dir });
    expect(after.findings.filter((f) => fixable.includes(f.ruleId) && f.severity !== 'info')).toEqual([]);
    // What the transforms do not fix is still reported.
    expect(after.findings.map((f) => f.ruleId)).toContain('unsafe-shared-collection');
  });

  it('on a SAM Python project: --dry shows the diff, fix writes it, a second run changes nothing, scan no longer reports /tmp', async () => {
    fs.cpSync(SAM_PYTHON, dir, { recursive: true });
    const original = fs.readFileSync(path.join(dir, 'src/app.py'), 'utf8');
    const before = await scan({ paths: ['.'], cwd: dir });
    expect(before.findings.filter((f) => f.ruleId === 'shared-tmp-path').map((f) => `${f.file}:${f.line}`)).toEqual(['src/app.py:26', 'src/report.py:10']);
    const dry = await run(['--transform', 'tmp-paths', '--dry', '.']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('--- a/src/app.py\n+++ b/src/app.py\n');
    expect(dry.stdout).toContain('+    meta_path = f"/tmp/meta-{context.aws_request_id}.json"\n');
    expect(dry.stdout).toContain(
      '-    subprocess.run(["rm", "-rf", "/tmp/report"], check=True)\n+    subprocess.run(["rm", "-rf", report_path], check=True)\n',
    );
    expect(dry.stderr).toContain('2 would change');
    expect(fs.readFileSync(path.join(dir, 'src/app.py'), 'utf8')).toBe(original);
    const first = await run(['--transform', 'tmp-paths', '.']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^changed {3}src\/app\.py {2}\(tmp-paths\)$/m);
    expect(first.stdout).toMatch(/^changed {3}src\/report\.py {2}\(tmp-paths\)$/m);
    const fixed = fs.readFileSync(path.join(dir, 'src/app.py'), 'utf8');
    expect(fixed).toContain('        with open(meta_path, "w") as f:\n');
    expect(fixed).toContain('    finally:\n        if os.path.exists(meta_path):\n            os.remove(meta_path)\n');
    const second = await run(['--all', '.']);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/^changed/m);
    expect(fs.readFileSync(path.join(dir, 'src/app.py'), 'utf8')).toBe(fixed);
    const after = await scan({ paths: ['.'], cwd: dir });
    expect(after.findings.filter((f) => f.ruleId === 'shared-tmp-path')).toEqual([]);
    // What tmp-paths does not fix is still reported.
    expect(after.findings.map((f) => f.ruleId)).toContain('unstructured-logging');
  });

  it('--from-report fixes a Python file the report names', async () => {
    fs.cpSync(SAM_PYTHON, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(await scan({ paths: ['.'], cwd: dir, env: {} })));
    const result = await run(['--all', '--from-report', 'report.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^changed {3}src\/app\.py {2}\(tmp-paths\)$/m);
  });

  it('--from-report reads the report against its root, from any directory', async () => {
    const project = path.join(dir, 'project');
    const elsewhere = path.join(dir, 'elsewhere');
    fs.mkdirSync(project);
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(project, 'app.mjs'), STATE);
    // The same file name where fix runs: resolving against the cwd would rewrite this one.
    fs.writeFileSync(path.join(elsewhere, 'app.mjs'), STATE);
    const report = await scan({ paths: ['.'], cwd: project, env: {} });
    expect(report.root).toBe(project);
    fs.writeFileSync(path.join(elsewhere, 'report.json'), JSON.stringify(report));
    const result = await run(['--all', '--from-report', 'report.json'], elsewhere);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^changed {3}\.\.\/project\/app\.mjs {2}\(hoisted-state\)$/m);
    expect(fs.readFileSync(path.join(project, 'app.mjs'), 'utf8')).toContain('const currentUser = event.userId;');
    expect(fs.readFileSync(path.join(elsewhere, 'app.mjs'), 'utf8')).toBe(STATE);
  });

  it('--from-report exits 2 when the report resolves no file, and reads a report without a root against the cwd', async () => {
    fs.writeFileSync(path.join(dir, 'app.mjs'), STATE);
    const report = await scan({ paths: ['.'], cwd: dir, env: {} });
    fs.writeFileSync(path.join(dir, 'moved.json'), JSON.stringify({ ...report, root: path.join(dir, 'gone') }));
    const moved = await run(['--all', '--from-report', 'moved.json']);
    expect(moved.code).toBe(2);
    expect(moved.stdout).toBe('');
    expect(moved.stderr).toBe(
      `lmi-audit: None of the file moved.json names exists under its root ${path.join(dir, 'gone')} (first: gone/app.mjs); scan again from here, or run fix where the report was written\n`,
    );
    const { root: _root, ...old } = report;
    fs.writeFileSync(path.join(dir, 'old.json'), JSON.stringify(old));
    const result = await run(['--all', '--from-report', 'old.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^changed {3}app\.mjs/m);
  });

  it('runs the next steps a failed scan prints, from the directory above the project, on the scanned path only', async () => {
    const project = path.join(dir, 'services', 'shop');
    fs.mkdirSync(project, { recursive: true });
    fs.writeFileSync(path.join(project, 'app.mjs'), STATE);
    // An unrelated file with the same finding, outside the scanned path.
    fs.writeFileSync(path.join(dir, 'other.mjs'), STATE);
    const scanOut = new PassThrough();
    let text = '';
    scanOut.on('data', (d) => (text += d));
    const io: CliIO = { stdout: scanOut, stderr: new PassThrough(), env: {}, stdoutIsTTY: false, stderrIsTTY: false, cwd: dir };
    expect(await main(['node', '/usr/lib/node_modules/lmi-audit/bin/lmi-audit.js', 'scan', 'services/shop'], io)).toBe(1);
    const step = text.split('\n').find((line) => line.includes('fix --all services/shop'));
    expect(step).toBe('    lmi-audit fix --all services/shop');
    const result = await run(step!.trim().split(' ').slice(2));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^changed {3}services\/shop\/app\.mjs/m);
    expect(fs.readFileSync(path.join(dir, 'other.mjs'), 'utf8')).toBe(STATE);
  });
});
