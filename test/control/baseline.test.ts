/**
 * @fileoverview The baseline through the scan API, on a copy of fixtures/baseline/app: writing
 * one, matching findings by fingerprint after unrelated edits (lines inserted above, code
 * reformatted), gating only new findings, and listing the entries that were fixed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaselineFile } from '../../src/baseline.js';
import { ConfigurationError, scan } from '../../src/index.js';
import type { Report } from '../../src/types.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/baseline/app/', import.meta.url));
const HANDLER = 'src/handler.ts';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-baseline-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function edit(file: string, change: (text: string) => string): void {
  const full = path.join(dir, file);
  fs.writeFileSync(full, change(fs.readFileSync(full, 'utf8')));
}

function visible(report: Report): string[] {
  return report.findings.filter((f) => !f.suppressed).map((f) => `${f.file}:${f.line} ${f.ruleId}`);
}

async function writeBaseline(): Promise<Report> {
  return scan({ paths: ['.'], cwd: dir, jobs: 1, writeBaseline: '.lmi-audit-baseline.json' });
}

describe('baseline', () => {
  it('records every finding by rule, file, function and code, sorted, without line numbers', async () => {
    const report = await writeBaseline();
    const baseline = JSON.parse(fs.readFileSync(path.join(dir, '.lmi-audit-baseline.json'), 'utf8')) as BaselineFile;
    expect(baseline.version).toBe(1);
    expect(baseline.entries.map(({ ruleId, file, function: fn, code }) => ({ ruleId, file, function: fn, code }))).toEqual([
      { ruleId: 'global-mutable-state', file: HANDLER, function: 'handler', code: 'lastId = event.id' },
      { ruleId: 'shared-tmp-path', file: HANDLER, function: 'handler', code: "writeFileSync('/tmp/cache.json', '{}')" },
      { ruleId: 'shared-tmp-path', file: HANDLER, function: 'handler', code: "writeFileSync('/tmp/report.csv', event.id)" },
    ]);
    expect(JSON.stringify(baseline)).not.toMatch(/"line"/);
    // Writing a baseline accepts today's findings: the run is judged against it.
    expect(report.summary).toMatchObject({ findings: 0, suppressed: 3, passed: true });
    expect(report.baseline).toEqual({ file: '.lmi-audit-baseline.json', matched: 3, new: 0, fixed: [] });
    expect(report.findings.every((f) => f.suppressed?.kind === 'baseline')).toBe(true);
  });

  it('still matches after lines are inserted above the findings and the code is reformatted', async () => {
    await writeBaseline();
    edit(HANDLER, (text) =>
      text
        .replace("import { writeFileSync } from 'node:fs';", "import { writeFileSync } from 'node:fs';\n\n// A comment.\nconst unrelated = 1;\n")
        .replace("writeFileSync('/tmp/report.csv', event.id);", "writeFileSync(\n    '/tmp/report.csv',\n    event.id,\n  );"),
    );
    const report = await scan({ paths: ['.'], cwd: dir, jobs: 1, baseline: '.lmi-audit-baseline.json' });
    expect(visible(report)).toEqual([]);
    expect(report.baseline).toMatchObject({ matched: 3, new: 0, fixed: [] });
    expect(report.summary.passed).toBe(true);
  });

  it('reports and gates only a new finding, and lists the fixed entry', async () => {
    await writeBaseline();
    edit(HANDLER, (text) =>
      text.replace("  writeFileSync('/tmp/cache.json', '{}');\n", '').replace('  return lastId;', "  writeFileSync('/tmp/new.json', '{}');\n  return lastId;"),
    );
    const report = await scan({ paths: ['.'], cwd: dir, jobs: 1, baseline: '.lmi-audit-baseline.json' });
    expect(visible(report)).toEqual([`${HANDLER}:8 shared-tmp-path`]);
    expect(report.summary).toMatchObject({ findings: 1, suppressed: 2, passed: false });
    expect(report.baseline!.matched).toBe(2);
    expect(report.baseline!.new).toBe(1);
    expect(report.baseline!.fixed.map(({ ruleId, file, code }) => ({ ruleId, file, code }))).toEqual([
      { ruleId: 'shared-tmp-path', file: HANDLER, code: "writeFileSync('/tmp/cache.json', '{}')" },
    ]);
  });

  it('tells identical code apart by occurrence, so a second copy is new', async () => {
    await writeBaseline();
    // A second copy of a baselined write (a /tmp path used twice in one function is one finding, so the copy is a module-state write).
    edit(HANDLER, (text) => text.replace('  return lastId;', '  lastId = event.id;\n  return lastId;'));
    const report = await scan({ paths: ['.'], cwd: dir, jobs: 1, baseline: '.lmi-audit-baseline.json' });
    expect(visible(report)).toHaveLength(1);
    expect(report.baseline).toMatchObject({ matched: 3, new: 1 });
  });

  it('keeps paths relative to the baseline file, so it works from another directory', async () => {
    await writeBaseline();
    const parent = path.dirname(dir);
    const report = await scan({
      paths: [path.basename(dir)],
      cwd: parent,
      jobs: 1,
      baseline: path.join(path.basename(dir), '.lmi-audit-baseline.json'),
    });
    expect(visible(report)).toEqual([]);
    expect(report.baseline!.matched).toBe(3);
  });

  it('refuses a file that is not a baseline with a configuration error', async () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"entries": 3}');
    await expect(scan({ paths: ['.'], cwd: dir, jobs: 1, baseline: 'bad.json' })).rejects.toThrow(ConfigurationError);
    await expect(scan({ paths: ['.'], cwd: dir, jobs: 1, baseline: 'bad.json' })).rejects.toThrow(/bad\.json: not an lmi-audit baseline: version must be 1/);
    await expect(scan({ paths: ['.'], cwd: dir, jobs: 1, baseline: 'missing.json' })).rejects.toThrow(/missing\.json: cannot read the baseline \(ENOENT\)/);
  });
});
