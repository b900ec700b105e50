/**
 * @fileoverview The package as a user installs it: `npm pack`, then `npm install --omit=dev` of
 * the tarball into an empty project, then a scan and a fix through the installed command. A
 * module that imports a devDependency, a file missing from `files` (a grammar, the schema) or a
 * dependency that only the repository's own node_modules provides fails here, and nowhere else.
 * The install reads npm's cache first (`npm ci` filled it); the registry is asked only for what
 * the cache does not hold.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

let dir: string;
let bin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lmi-audit-package-'));
  const packed = await run(NPM, ['pack', '--pack-destination', dir, '--silent'], ROOT);
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  const project = join(dir, 'project');
  cpSync(join(ROOT, 'fixtures/projects/sample-app'), join(project, 'app'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  const installed = await run(NPM, ['install', '--omit=dev', '--prefer-offline', '--no-save', join(dir, tarball!)], project);
  expect(installed.code, installed.stderr).toBe(0);
  bin = join(project, 'node_modules', 'lmi-audit', 'bin', 'lmi-audit.js');
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the installed package', () => {
  it('has no devDependency in its install', () => {
    expect(readdirSync(join(dir, 'project', 'node_modules'))).not.toContain('typescript');
  });

  it('scans a project, JavaScript and infrastructure, to a JSON report', async () => {
    const result = await run(process.execPath, [bin, 'scan', 'app', '--format', 'json', '--fail-on', 'none', '--no-progress'], join(dir, 'project'));
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.functions.length).toBeGreaterThan(0);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.errors).toEqual([]);
  });

  it('scans Python (its grammar ships in the package)', async () => {
    const py = join(dir, 'project', 'py');
    cpSync(join(ROOT, 'fixtures/rules/shared-tmp-path/python-settings-and-clock.py'), join(py, 'app.py'));
    const result = await run(process.execPath, [bin, 'scan', 'py', '--format', 'json', '--fail-on', 'none', '--no-progress'], join(dir, 'project'));
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.filter((f) => f.ruleId === 'shared-tmp-path').length).toBeGreaterThan(0);
  });

  it('shows a fix as a diff', async () => {
    const result = await run(process.execPath, [bin, 'fix', '--transform', 'tmp-paths', '--dry', 'app'], join(dir, 'project'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^[-+]/m);
  });
});
