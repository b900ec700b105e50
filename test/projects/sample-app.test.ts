/**
 * @fileoverview End to end on the bundled sample project (fixtures/projects/sample-app): every
 * finding of every rule must be annotated in the sources (`// expect:`), nothing may be reported on
 * an `// ok:` line, and the functions split into the clean and broken ones the project was built
 * to show.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Report, Severity } from '../../src/types.js';
import { readExpectations, type Expectation } from '../helpers/annotations.js';

const APP_DIR = fileURLToPath(new URL('../../fixtures/projects/sample-app/', import.meta.url));

const DEFAULT_SEVERITY: Record<string, Severity> = {
  'global-mutable-state': 'error',
  'shared-tmp-path': 'error',
  'shared-db-connection': 'error',
  'unsafe-shared-collection': 'warning',
  'unstructured-logging': 'warning',
};

/** Function directory under src/ -> whether the sample app means it to be LMI-ready. */
const DESIGN: Record<string, 'clean' | 'broken'> = {
  orders: 'clean',
  thumbnails: 'clean',
  reports: 'broken',
  users: 'broken',
  pricing: 'broken',
};

function normalise(file: string): string {
  return file.split(path.sep).join('/');
}

function key(file: string, line: number, ruleId: string, severity: Severity): string {
  return `${file}:${line} ${ruleId} (${severity})`;
}

function functionDir(file: string): string | undefined {
  return /(?:^|\/)src\/([^/]+)\//.exec(normalise(file))?.[1];
}

describe('sample-app', () => {
  let report: Report;
  let expectations: Expectation[];

  beforeAll(async () => {
    expectations = readExpectations(APP_DIR);
    const api = await import('../../src/index.js');
    report = await api.scan({ paths: [APP_DIR], cwd: APP_DIR });
  }, 120_000);

  it('reports exactly the annotated findings, for all rules', () => {
    const expected = [
      ...new Set(expectations.filter((e) => e.kind === 'expect').map((e) => key(e.file, e.line, e.ruleId, e.severity ?? DEFAULT_SEVERITY[e.ruleId]!))),
    ].sort();
    const actual = [...new Set(report.findings.map((f) => key(normalise(f.file), f.line, f.ruleId, f.severity)))].sort();
    const messages = report.findings.map((f) => `  ${key(normalise(f.file), f.line, f.ruleId, f.severity)} ${f.message}`).join('\n');
    expect(actual, `expected:\n  ${expected.join('\n  ')}\nactual:\n${messages || '  (none)'}\n` + `scan errors: ${JSON.stringify(report.errors)}`).toEqual(
      expected,
    );
  });

  it('reports nothing on lines marked `ok`', () => {
    const okLines = new Set(expectations.filter((e) => e.kind === 'ok').map((e) => `${e.file}:${e.line} ${e.ruleId}`));
    const violations = report.findings
      .filter((f: Finding) => okLines.has(`${normalise(f.file)}:${f.line} ${f.ruleId}`))
      .map((f) => `${key(normalise(f.file), f.line, f.ruleId, f.severity)} ${f.message}`);
    expect(violations).toEqual([]);
  });

  it('finds the five functions', () => {
    const found = report.functions.map((fn) => functionDir(fn.file)).sort();
    expect(found).toEqual(Object.keys(DESIGN).sort());
  });

  it('has at least 2 clean functions and at least 3 broken ones, as designed', () => {
    const status = Object.fromEntries(
      report.functions.map((fn) => [functionDir(fn.file), report.findings.some((f) => f.functions.includes(fn.id)) ? 'broken' : 'clean']),
    );
    expect(Object.values(status).filter((s) => s === 'clean').length).toBeGreaterThanOrEqual(2);
    expect(Object.values(status).filter((s) => s === 'broken').length).toBeGreaterThanOrEqual(3);
    expect(status).toEqual(DESIGN);
  });
});
