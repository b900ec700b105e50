/**
 * @fileoverview The installed command, end to end: `node bin/lmi-audit.js` on the built `dist/`
 * (`npm test` builds first), checking exit codes, stdout/stderr separation and the report.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/lmi-audit.js');
const SAMPLE_APP = 'fixtures/projects/sample-app';
// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
const ANSI = /\u001b\[[0-9;]*m/;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  // Colour must come only from what each test sets; vitest's own FORCE_COLOR must not leak in.
  // Nor the width: piped output is 80 columns unless a test sets COLUMNS.
  const { FORCE_COLOR: _force, NO_COLOR: _no, COLUMNS: _columns, ...env } = process.env;
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

const schema = JSON.parse(readFileSync(join(ROOT, 'schema/report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true }).compile(schema);

let temp: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/src/cli.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).');
  }
  temp = mkdtempSync(join(tmpdir(), 'lmi-audit-e2e-'));
});

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe.concurrent('lmi-audit CLI', () => {
  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exits 2 with one line and no stack for a path that does not exist', async () => {
    const result = await runCli(['scan', 'no/such/dir']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^lmi-audit: .*no\/such\/dir.*\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for an invalid option value', async () => {
    const result = await runCli(['scan', '--fail-on', 'bogus', SAMPLE_APP]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('bogus');
  });

  it('prints help for a command with `help <command>`', async () => {
    const help = await runCli(['help', 'scan']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runCli(['scan', '--help'])).stdout);
    expect(help.stdout).toMatch(/^Usage: lmi-audit scan \[options\] \[paths\.\.\.\]/);
  });

  it('takes --format in any case, and suggests the format meant', async () => {
    const upper = await runCli(['scan', '--format', 'JSON', '--no-progress', SAMPLE_APP]);
    expect(upper.code).toBe(1);
    expect(validate(JSON.parse(upper.stdout))).toBe(true);
    const typo = await runCli(['scan', '--format', 'sarf', SAMPLE_APP]);
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toContain('Did you mean `sarif`?');
  });

  it('says which command `help` does not know, and suggests the one meant', async () => {
    const typo = await runCli(['help', 'scn']);
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toBe("lmi-audit: unknown command 'scn'. Did you mean `scan`? Commands: scan, rules, explain, fix\n");
    const known = await runCli(['help', 'fix']);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/^Usage: lmi-audit fix /);
  });

  it('takes --jobs auto in any case', async () => {
    const result = await runCli(['scan', '--jobs', 'AUTO', '--format', 'json', '--no-progress', '--fail-on', 'none', SAMPLE_APP]);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Report).summary.functions).toBe(5);
  });

  it('takes --format of rules and explain in any case too, and suggests the format meant', async () => {
    const rules = await runCli(['rules', '--format', 'JSON']);
    expect(rules.code).toBe(0);
    expect((JSON.parse(rules.stdout) as { id: string }[]).map((rule) => rule.id)).toContain('shared-tmp-path');
    const explained = await runCli(['explain', 'shared-tmp-path', '--format', 'Markdown']);
    expect(explained).toMatchObject({ code: 0, stdout: (await runCli(['explain', 'shared-tmp-path', '--format', 'markdown'])).stdout });
    const typo = await runCli(['explain', 'shared-tmp-path', '--format', 'mardown']);
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toContain('Did you mean `markdown`?');
  });

  it('reads --max-file-size with a unit (binary: 1KB = 1024 bytes)', async () => {
    const skipped = (r: CliResult) => (JSON.parse(r.stdout) as Report).errors.filter((e) => /size limit/.test(e.message)).length;
    const small = await runCli(['scan', '--format', 'json', '--no-progress', '--max-file-size', '1KB', SAMPLE_APP]);
    const bytes = await runCli(['scan', '--format', 'json', '--no-progress', '--max-file-size', '1024', SAMPLE_APP]);
    expect(skipped(small)).toBeGreaterThan(0);
    expect(small.stdout).toBe(bytes.stdout);
    expect(skipped(await runCli(['scan', '--format', 'json', '--no-progress', '--max-file-size', '1MB', SAMPLE_APP]))).toBe(0);
    const bad = await runCli(['scan', '--max-file-size', '1XB', SAMPLE_APP]);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toContain('Expected a size greater than 0');
  });

  it('prints a schema-valid JSON report of the sample app and fails its gate', async () => {
    const result = await runCli(['scan', '--format', 'json', SAMPLE_APP]);
    const report = JSON.parse(result.stdout) as Report;
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report.functions.length).toBeGreaterThan(0);
    expect(report.summary.passed).toBe(false);
    expect(result.code).toBe(1);
  });

  it('exits 0 with --fail-on none', async () => {
    const result = await runCli(['scan', '--fail-on', 'none', SAMPLE_APP]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^PASSED/);
  });

  it('writes the report to --output and only a summary to stderr', async () => {
    const file = join(temp, 'report.json');
    const result = await runCli(['scan', '--format', 'json', '--output', file, SAMPLE_APP]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(validate(JSON.parse(readFileSync(file, 'utf8')))).toBe(true);
  });

  it('prints text without ANSI escapes under NO_COLOR', async () => {
    const result = await runCli(['scan', SAMPLE_APP], { env: { NO_COLOR: '1' } });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(ANSI);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^FAILED: /);
  });

  it('wraps piped text at 80 columns, or at COLUMNS when it is set', async () => {
    const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
    const piped = await runCli(['scan', SAMPLE_APP], { env: { NO_COLOR: '1' } });
    const wide = await runCli(['scan', SAMPLE_APP], { env: { NO_COLOR: '1', COLUMNS: '120' } });
    const junk = await runCli(['scan', SAMPLE_APP], { env: { NO_COLOR: '1', COLUMNS: 'wide' } });
    expect(widest(piped.stdout)).toBeLessThanOrEqual(80);
    expect(widest(wide.stdout)).toBeGreaterThan(80);
    expect(widest(wide.stdout)).toBeLessThanOrEqual(120);
    expect(junk.stdout).toBe(piped.stdout);
  });

  it('colours text with --color', async () => {
    const result = await runCli(['scan', '--color', SAMPLE_APP]);
    expect(result.stdout).toMatch(ANSI);
  });

  it('says so and exits 0 when there are no handlers, outside CI (test/e2e/gate.test.ts: in CI)', async () => {
    const empty = mkdtempSync(join(temp, 'empty-'));
    const result = await runCli(['scan', '.'], { cwd: empty, env: { CI: '' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No Lambda handlers found in');
  });
});
