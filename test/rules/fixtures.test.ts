/**
 * @fileoverview Runs `scan` on every rule fixture and compares what it reports with what the
 * fixture's own `// expect:` / `// ok:` comments say (see test/helpers/annotations.ts).
 *
 * A case is one entry of `fixtures/rules/<rule-id>/`: a single source file, or a directory (a
 * mini project with helpers, barrels, tsconfig paths...). For each case, the findings compared are
 * those of the directory's rule plus those of any other rule the case annotates; they must equal
 * the `expect` annotations exactly (file, line, rule, severity), and no finding may sit on a line
 * marked `ok` for its rule.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding, Report, ScanOptions, Severity } from '../../src/types.js';
import { readExpectations, type Expectation } from '../helpers/annotations.js';

const RULES_DIR = fileURLToPath(new URL('../../fixtures/rules/', import.meta.url));
const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.py']);

/** Default severity of each rule: an `expect` annotation without `(severity)` means this one. */
const DEFAULT_SEVERITY: Record<string, Severity> = {
  'global-mutable-state': 'error',
  'thread-shared-state': 'warning',
  'shared-tmp-path': 'error',
  'shared-db-connection': 'error',
  'unsafe-shared-collection': 'warning',
  'unstructured-logging': 'warning',
  'pool-undersized': 'warning',
  // Errors for functions on LMI, warnings for the others: annotations say which.
  'event-source-backpressure': 'error',
  lifecycle: 'warning',
  'unchecked-timeout': 'warning',
  'lmi-runtime-support': 'error',
};
/** One directory per rule under fixtures/rules/. */
const RULE_IDS = readdirSync(RULES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface Case {
  name: string;
  /** The file or directory handed to `scan`. */
  target: string;
  /** `cwd` of the scan: the case directory, or the rule directory for a single-file case. */
  cwd: string;
}

function listCases(ruleId: string): Case[] {
  const ruleDir = path.join(RULES_DIR, ruleId);
  return readdirSync(ruleDir, { withFileTypes: true })
    .filter((entry) => (entry.isDirectory() ? true : entry.isFile() && SOURCE_EXTENSIONS.has(path.extname(entry.name))))
    .map((entry) => {
      const target = path.join(ruleDir, entry.name);
      return { name: entry.name, target, cwd: entry.isDirectory() ? target : ruleDir };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

// Imported lazily so that a missing or broken analyser fails the scan tests one by one while the
// structural checks below still run.
async function runScan(options: ScanOptions): Promise<Report> {
  const api = await import('../../src/index.js');
  return api.scan(options);
}

function findingKey(file: string, line: number, ruleId: string, severity: Severity): string {
  return `${file}:${line} ${ruleId} (${severity})`;
}

function normalise(file: string): string {
  return file.split(path.sep).join('/');
}

function expectedKeys(expectations: Expectation[]): string[] {
  const keys = expectations.filter((e) => e.kind === 'expect').map((e) => findingKey(e.file, e.line, e.ruleId, e.severity ?? DEFAULT_SEVERITY[e.ruleId]!));
  return [...new Set(keys)].sort();
}

function actualKeys(findings: Finding[], rules: Set<string>): string[] {
  const keys = findings.filter((f) => rules.has(f.ruleId)).map((f) => findingKey(normalise(f.file), f.line, f.ruleId, f.severity));
  return [...new Set(keys)].sort();
}

function okViolations(findings: Finding[], expectations: Expectation[]): string[] {
  const okLines = new Set(expectations.filter((e) => e.kind === 'ok').map((e) => `${e.file}:${e.line} ${e.ruleId}`));
  return findings
    .filter((f) => okLines.has(`${normalise(f.file)}:${f.line} ${f.ruleId}`))
    .map((f) => `${findingKey(normalise(f.file), f.line, f.ruleId, f.severity)}: ${f.message}`);
}

function describeReport(report: Report): string {
  const findings = report.findings.map((f) => `  ${findingKey(normalise(f.file), f.line, f.ruleId, f.severity)} ${f.message}`).join('\n');
  const errors = report.errors.map((e) => `  ${e.file}: ${e.message}`).join('\n');
  return `all findings:\n${findings || '  (none)'}\nscan errors:\n${errors || '  (none)'}`;
}

describe.each(RULE_IDS)('rule %s', (ruleId) => {
  it.each(listCases(ruleId))(
    '$name',
    async ({ target, cwd }) => {
      const expectations = readExpectations(target);
      const rules = new Set([ruleId, ...expectations.map((e) => e.ruleId)]);

      const report = await runScan({ paths: [target], cwd });

      const expected = expectedKeys(expectations);
      const actual = actualKeys(report.findings, rules);
      expect(
        actual,
        `findings of ${[...rules].join(', ')} differ from the annotations\n` +
          `expected:\n  ${expected.join('\n  ') || '(none)'}\nactual:\n  ${actual.join('\n  ') || '(none)'}\n` +
          describeReport(report),
      ).toEqual(expected);
      expect(okViolations(report.findings, expectations), 'findings on lines marked `ok`').toEqual([]);
    },
    60_000,
  );
});

describe('rule fixtures', () => {
  it('has a fixture directory for every rule, and knows the default severity of each directory', () => {
    expect(RULE_IDS).toEqual(expect.arrayContaining(Object.keys(DEFAULT_SEVERITY)));
    const unknown = RULE_IDS.filter((ruleId) => !(ruleId in DEFAULT_SEVERITY));
    expect(unknown, 'rule directories missing from DEFAULT_SEVERITY').toEqual([]);
  });

  it.each(RULE_IDS)('%s has at least one `expect` and one `ok` annotation', (ruleId) => {
    const expectations = readExpectations(path.join(RULES_DIR, ruleId));
    const own = expectations.filter((e) => e.ruleId === ruleId);
    expect(
      own.some((e) => e.kind === 'expect'),
      'an `expect` annotation',
    ).toBe(true);
    expect(
      own.some((e) => e.kind === 'ok'),
      'an `ok` annotation',
    ).toBe(true);
  });

  it.each(RULE_IDS)('%s annotations only name known rules', (ruleId) => {
    const unknown = readExpectations(path.join(RULES_DIR, ruleId))
      .filter((e) => !(e.ruleId in DEFAULT_SEVERITY))
      .map((e) => `${e.file}:${e.line} ${e.ruleId}`);
    expect(unknown).toEqual([]);
  });
});
