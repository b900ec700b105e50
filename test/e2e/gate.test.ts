/**
 * @fileoverview The gate a CI can trust, end to end: a scan that analysed no handler (none
 * found, or every one skipped by the size limit, a parse error or an exclude) is not a silent
 * pass; the JSON summary says how it was judged and why it failed; the API judges exactly as
 * the command line does, configuration included.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import type { Report } from '../../src/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin/lmi-audit.js');
const HANDLER = 'let last;\nexport const handler = async (event) => {\n  last = event.id;\n  await Promise.resolve();\n  return last;\n};\n';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI with a clean environment: CI (set by .ci/run) and colour only as each test says. */
function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  const { FORCE_COLOR: _f, NO_COLOR: _n, CI: _ci, ...rest } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...rest, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let temp: string;
beforeAll(() => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-gate-'));
});
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** A project directory of its own (with .git, so no configuration above leaks in). */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(temp, 'p-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe.concurrent('the gate on a scan that analysed nothing', () => {
  it('passes with a warning outside CI, and fails in CI (CI=true) or with --fail-on-empty', async () => {
    const dir = project({ 'README.md': '# nothing to scan\n', 'src/util.js': 'export const add = (a, b) => a + b;\n' });
    const local = await runCli(['scan', '.'], dir);
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(/^⚠ No Lambda handlers found in [\s\S]*: nothing was checked\./);
    expect(local.stdout.trimEnd().split('\n').at(-1)).toBe('PASSED, but nothing was checked: no Lambda handler was analysed.');

    const ci = await runCli(['scan', '.'], dir, { CI: 'true' });
    expect(ci.code).toBe(1);
    expect(ci.stdout.trimEnd().split('\n').at(-1)).toBe('FAILED: no Lambda handler was analysed (--fail-on-empty).');
    expect((await runCli(['scan', '.', '--fail-on-empty'], dir)).code).toBe(1);
    expect((await runCli(['scan', '.', '--no-fail-on-empty'], dir, { CI: 'true' })).code).toBe(0);
    expect((await runCli(['scan', '.'], dir, { CI: 'false' })).code).toBe(0);
  });

  it('records the gate and its reasons in the JSON summary, and warns on stderr when no text report is printed', async () => {
    const dir = project({ 'src/util.js': 'export const add = (a, b) => a + b;\n' });
    const result = await runCli(['scan', '.', '--format', 'json', '--min-score', '50'], dir, { CI: 'true' });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary).toMatchObject({
      functions: 0,
      passed: false,
      reasons: ['no Lambda handler was analysed (--fail-on-empty)'],
      failOn: 'error',
      minScore: 50,
      failOnEmpty: true,
    });
    expect(report.root).toBe(fs.realpathSync(dir));
    expect(result.stderr).toBe('lmi-audit: warning: no Lambda handler was analysed in .: nothing was checked\n');
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['the size limit', { 'src/handler.mjs': HANDLER + `// ${'x'.repeat(2000)}\n` }, ['--max-file-size', '1KB']],
    ['a parse error', { 'src/handler.mjs': HANDLER.replace('return last;', 'return last +;') }, []],
    ['an exclude', { 'src/handler.mjs': HANDLER, 'lmi-audit.config.json': JSON.stringify({ exclude: ['src/handler.mjs'] }) }, []],
  ])('fails under --fail-on-empty when %s skips the only handler', async (_name, files, args) => {
    const dir = project(files);
    // The same project without the skip has a handler: the empty scan is the skip's doing.
    const whole = project({ 'src/handler.mjs': HANDLER });
    expect(((await scan({ paths: ['.'], cwd: whole, env: {} })) as Report).functions).toHaveLength(1);
    const result = await runCli(['scan', '.', '--fail-on-empty', ...args], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('No Lambda handlers found in');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('FAILED: no Lambda handler was analysed (--fail-on-empty).');
    if (!files['lmi-audit.config.json']) expect(result.stdout).toContain('1 file could not be analysed (listed under Errors)');
  });

  it('takes failOnEmpty from the configuration, and a flag wins over it', async () => {
    const dir = project({ 'lmi-audit.config.json': JSON.stringify({ failOnEmpty: true }), 'src/util.js': 'export {};\n' });
    expect((await runCli(['scan', '.'], dir)).code).toBe(1);
    expect((await runCli(['scan', '.', '--no-fail-on-empty'], dir)).code).toBe(0);
  });
});

describe('the API judges as the command line does', () => {
  it('reads the configuration itself: its failOn gates scan() as it gates the CLI', async () => {
    const dir = project({
      'src/handler.mjs': "export const handler = async () => {\n  process.stdout.write('hi\\n');\n  return 1;\n};\n",
      'lmi-audit.config.json': JSON.stringify({ failOn: 'warning' }),
    });
    const report = await scan({ paths: ['.'], cwd: dir, env: {} });
    expect(report.summary).toMatchObject({ passed: false, failOn: 'warning', reasons: ['1 warning or error (--fail-on warning)'] });
    const cli = await runCli(['scan', '.', '--format', 'json'], dir);
    expect(cli.code).toBe(1);
    expect((JSON.parse(cli.stdout) as Report).summary).toEqual(report.summary);
    expect((await scan({ paths: ['.'], cwd: dir, env: {}, config: false })).summary.passed).toBe(true);
  });

  it('gives every finding its id, checklist item and docs, and every function its finding ids', async () => {
    const dir = project({ 'src/handler.mjs': HANDLER });
    const report = await scan({ paths: ['.'], cwd: dir, env: {} });
    const finding = report.findings.find((f) => f.ruleId === 'global-mutable-state')!;
    expect(finding).toMatchObject({
      id: `global-mutable-state@src/handler.mjs:${finding.line}:${finding.column}`,
      checklist: 'global-mutable-state',
      docs: 'https://github.com/lmi-audit/lmi-audit/blob/main/docs/rules/global-mutable-state.md',
    });
    expect(report.functions[0]!.findings).toContain(finding.id);
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);
  });
});
