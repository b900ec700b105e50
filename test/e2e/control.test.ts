/**
 * @fileoverview The built command (`node bin/lmi-audit.js`, after `npm run build`) for the CI
 * features: several reports at once, `rules` and `explain`, the configuration file and its
 * errors, baselines, `--quiet`, and the exit codes 0 / 1 / 2.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin/lmi-audit.js');
const SAMPLE_APP = 'fixtures/projects/sample-app';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const { FORCE_COLOR: _force, NO_COLOR: _no, GITHUB_ACTIONS: _gha, CI: _ci, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? ROOT, env: { ...env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const reportSchema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')) as object;
const validateReport = new Ajv2020({ allErrors: true }).compile(reportSchema);
const sarifSchema = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json'), 'utf8')) as object;
const sarifAjv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(sarifAjv);
const validateSarif = sarifAjv.compile(sarifSchema);

let temp: string;

/** A copy of a fixture project in its own directory (with .git, so no configuration above leaks in). */
function copyProject(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(temp, 'project-'));
  fs.cpSync(path.join(ROOT, fixture), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, '.git'));
  return dir;
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist/src/cli.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).');
  }
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-e2e-control-'));
});

afterAll(() => {
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
});

describe.concurrent('lmi-audit CLI: reports', () => {
  it('writes several reports at once: SARIF and JSON to files, text to stdout', async () => {
    const sarif = path.join(temp, 'multi.sarif');
    const json = path.join(temp, 'multi.json');
    const result = await runCli(['scan', SAMPLE_APP, '--format', `sarif=${sarif}`, '--format', `json=${json}`, '--format', 'text']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAILED: ');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^lmi-audit: sarif report written to .*multi\.sarif: 5 functions, \d+ findings, lowest score \d+: FAILED$/),
      expect.stringMatching(/^lmi-audit: json report written to .*multi\.json: /),
    ]);
    const log = JSON.parse(fs.readFileSync(sarif, 'utf8')) as { runs: Array<{ results: unknown[] }> };
    expect(validateSarif(log) ? [] : validateSarif.errors).toEqual([]);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as Report;
    expect(validateReport(report) ? [] : validateReport.errors).toEqual([]);
    expect(log.runs[0]!.results).toHaveLength(report.findings.length);
  });

  it('takes --output-<format> files and leaves stdout empty when no report goes there', async () => {
    const markdown = path.join(temp, 'summary.md');
    const result = await runCli(['scan', SAMPLE_APP, '--output-markdown', markdown]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(fs.readFileSync(markdown, 'utf8')).toMatch(/^## ❌ lmi-audit: FAILED\n/);
  });

  it('prints GitHub workflow commands', async () => {
    const result = await runCli(['scan', SAMPLE_APP, '--format', 'github']);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('::error file=fixtures/projects/sample-app/src/')).length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(/^lmi-audit: 5 functions, \d+ findings, lowest score \d+\/100: FAILED \(\d+ errors \(--fail-on error\)\)$/);
  });

  it('exits 2 when two reports would go to stdout, before scanning', async () => {
    const result = await runCli(['scan', SAMPLE_APP, '--format', 'json', '--format', 'text']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'lmi-audit: Only one report can go to stdout (json, text were given without a file); write the others to files: --format text=<file>\n',
    );
  });

  it('exits 2 for an unknown format', async () => {
    const result = await runCli(['scan', SAMPLE_APP, '--format', 'xml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Expected one of text, json, sarif, github, markdown');
  });

  it('prints only errors with --quiet', async () => {
    const result = await runCli(['scan', SAMPLE_APP, '--quiet', '--format', 'json=' + path.join(temp, 'quiet.json'), '--format', 'text']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('  error  ');
    expect(result.stdout).not.toContain('  warning  ');
  });
});

describe.concurrent('lmi-audit CLI: rules and explain', () => {
  it('lists the rules, as a table and as JSON', async () => {
    const text = await runCli(['rules']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^rule +checklist item +severity +fix +what it finds\n/);
    expect(text.stdout).toMatch(/\nshared-tmp-path +shared-tmp-path +error /);
    const json = await runCli(['rules', '--format', 'json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as Array<{ id: string }>).map((r) => r.id)).toContain('unused-suppression');
  });

  it('explains a rule, and exits 2 listing the rules for an unknown one', async () => {
    const known = await runCli(['explain', 'shared-tmp-path']);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/^shared-tmp-path\nA \/tmp path/);
    expect(known.stdout).toContain('\nHow to fix\n');
    const unknown = await runCli(['explain', 'no-such-rule']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^lmi-audit: Unknown rule `no-such-rule`\. Rules: global-mutable-state, .*shared-tmp-path.*\n$/);
  });
});

describe.concurrent('lmi-audit CLI: configuration and baseline', () => {
  it('applies the configuration file, and a flag wins over it', async () => {
    const dir = copyProject('fixtures/config/app');
    fs.writeFileSync(path.join(dir, 'lmi-audit.config.json'), JSON.stringify({ rules: { 'shared-tmp-path': 'off' }, failOn: 'info' }));
    const fromFile = await runCli(['scan', '.', '--format', 'json'], { cwd: dir });
    expect(fromFile.code).toBe(1); // the console logging note (info) fails under failOn: info
    expect((JSON.parse(fromFile.stdout) as Report).findings.map((f) => f.ruleId)).toEqual(['unstructured-logging']);
    const flag = await runCli(['scan', '.', '--fail-on', 'error'], { cwd: dir });
    expect(flag.code).toBe(0);
    const ignored = await runCli(['scan', '.', '--no-config', '--fail-on', 'error'], { cwd: dir });
    expect(ignored.code).toBe(1); // shared-tmp-path is back
  });

  it('exits 2 with one line naming the bad key', async () => {
    const dir = copyProject('fixtures/config/app');
    fs.writeFileSync(path.join(dir, 'lmi-audit.config.json'), JSON.stringify({ rules: { 'shared-tmp-path': 'fatal' } }));
    const result = await runCli(['scan', '.'], { cwd: dir });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lmi-audit: lmi-audit.config.json: rules.shared-tmp-path: must be one of error, warning, info, off\n',
    });
  });

  it('refuses a JavaScript configuration with exit code 2, without running it', async () => {
    const dir = copyProject('fixtures/config/app');
    const marker = path.join(dir, 'ran');
    fs.writeFileSync(path.join(dir, 'lmi-audit.config.mjs'), `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'x');\n`);
    const result = await runCli(['scan', '.'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^lmi-audit: lmi-audit\.config\.mjs: lmi-audit only reads JSON configuration/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('writes a baseline, then gates only a new finding and lists the fixed one', async () => {
    const dir = copyProject('fixtures/baseline/app');
    const written = await runCli(['scan', '.', '--write-baseline', '.lmi-audit-baseline.json'], { cwd: dir });
    expect(written.code).toBe(0);
    expect(written.stderr).toBe('lmi-audit: baseline written to .lmi-audit-baseline.json (3 findings)\n');

    const file = path.join(dir, 'src/handler.ts');
    const source = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      '// Lines inserted above every finding.\n\n' +
        source
          .replace("  writeFileSync('/tmp/cache.json', '{}');\n", '')
          .replace('  return lastId;', "  writeFileSync('/tmp/new.json', '{}');\n  return lastId;"),
    );
    const result = await runCli(['scan', '.', '--baseline', '.lmi-audit-baseline.json', '--format', 'text', '--format', 'json=report.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error  shared-tmp-path  src/handler.ts:10:3');
    expect(result.stdout).not.toContain('src/handler.ts:8:3');
    expect(result.stdout).toContain(
      "  1 entry is fixed and can be dropped from the baseline:\n  fixed  shared-tmp-path  src/handler.ts  handler:\n    writeFileSync('/tmp/cache.json', '{}')",
    );
    // The function's block says what the baseline accepted: a count, and the items it would fail, marked.
    expect(result.stdout).toContain('  2 findings accepted in the baseline (not shown)\n');
    expect(result.stdout).toMatch(/^ {2}✖ global-mutable-state\* {2}/m);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
    expect(validateReport(report) ? [] : validateReport.errors).toEqual([]);
    expect(report.baseline).toMatchObject({ file: '.lmi-audit-baseline.json', matched: 2, new: 1 });
  });

  it('exits 2 for a baseline file that does not exist', async () => {
    const result = await runCli(['scan', SAMPLE_APP, '--baseline', 'no-such-baseline.json']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'lmi-audit: no-such-baseline.json: cannot read the baseline (ENOENT)\n' });
  });
});
