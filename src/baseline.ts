/**
 * @fileoverview The baseline: a file listing the findings a team has accepted for now, so that
 * lmi-audit can gate a legacy project on new findings only. Entries are matched by fingerprint
 * (src/fingerprint.ts), never by line, so code moving around does not turn old findings into
 * new ones. Entries that no finding matches any more are reported as fixed: the file can drop
 * them. Paths in the file are relative to the file's own directory, so it works from any cwd.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigurationError, UsageError } from './errors.js';
import type { FingerprintedFinding } from './fingerprint.js';
import type { BaselineEntry, BaselineSummary, Finding } from './types.js';
import { compareStrings as compare } from './util/compare-strings.js';
import { toReportPath as relative } from './util/report-path.js';

const BASELINE_VERSION = 1;

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  tool: 'lmi-audit';
  entries: BaselineEntry[];
}

export interface BaselineOptions {
  cwd: string;
  /** Baseline to compare with. */
  baseline?: string;
  /** Baseline to write from today's findings (and then compare with). */
  writeBaseline?: string;
}

/**
 * Writes and/or applies a baseline. Findings the baseline lists come back marked
 * `suppressed: { kind: 'baseline' }`; findings already suppressed inline are neither written
 * nor matched.
 */
export function applyBaselineOptions(
  fingerprinted: readonly FingerprintedFinding[],
  options: BaselineOptions,
): { findings: Finding[]; summary?: BaselineSummary } {
  const findings = fingerprinted.map(({ finding, fingerprint }) => ({ ...finding, fingerprint }));
  const target = options.writeBaseline ?? options.baseline;
  if (target === undefined) return { findings };
  const file = path.resolve(options.cwd, target);
  const dir = path.dirname(file);
  let baseline: BaselineFile;
  if (options.writeBaseline !== undefined) {
    baseline = createBaseline(fingerprinted, dir, options.cwd);
    writeBaselineFile(file, baseline);
  } else {
    baseline = readBaseline(file, target);
  }
  return matchBaseline(findings, baseline, dir, options.cwd, relative(options.cwd, file));
}

function createBaseline(fingerprinted: readonly FingerprintedFinding[], dir: string, cwd: string): BaselineFile {
  const entries = fingerprinted
    .filter(({ finding }) => !finding.suppressed)
    .map(({ finding, fingerprint, parts }) => ({
      ruleId: finding.ruleId,
      file: relative(dir, path.resolve(cwd, finding.file)),
      fingerprint,
      function: parts.function,
      code: parts.code,
    }))
    .sort(
      (a, b) =>
        compare(a.file, b.file) ||
        compare(a.ruleId, b.ruleId) ||
        compare(a.function, b.function) ||
        compare(a.code, b.code) ||
        compare(a.fingerprint, b.fingerprint),
    );
  return { version: BASELINE_VERSION, tool: 'lmi-audit', entries };
}

/** Reads and checks a baseline file; `shown` is how the user wrote its path (for messages). */
function readBaseline(file: string, shown = file): BaselineFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`${shown}: cannot read the baseline (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${shown}: the baseline is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const problem = getBaselineProblem(data);
  if (problem) throw new ConfigurationError(`${shown}: not an lmi-audit baseline: ${problem}. Write one with --write-baseline.`);
  return data as BaselineFile;
}

function getBaselineProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'expected an object';
  const record = data as Record<string, unknown>;
  if (record.version !== BASELINE_VERSION) return `version must be ${BASELINE_VERSION}`;
  if (!Array.isArray(record.entries)) return 'entries must be an array';
  const index = record.entries.findIndex(
    (entry: unknown) =>
      typeof entry !== 'object' ||
      entry === null ||
      ['ruleId', 'file', 'fingerprint'].some((key) => typeof (entry as Record<string, unknown>)[key] !== 'string'),
  );
  return index >= 0 ? `entries[${index}] needs string ruleId, file and fingerprint` : undefined;
}

function matchBaseline(
  findings: Finding[],
  baseline: BaselineFile,
  dir: string,
  cwd: string,
  shownFile: string,
): { findings: Finding[]; summary: BaselineSummary } {
  // A multiset: the same fingerprint may be listed (and found) more than once.
  const remaining = new Map<string, BaselineEntry[]>();
  for (const entry of baseline.entries) {
    const key = keyOf(entry.ruleId, entry.file, entry.fingerprint);
    let list = remaining.get(key);
    if (!list) remaining.set(key, (list = []));
    list.push(entry);
  }
  let matched = 0;
  let unmatched = 0;
  const out = findings.map((finding) => {
    if (finding.suppressed) return finding;
    const key = keyOf(finding.ruleId, relative(dir, path.resolve(cwd, finding.file)), finding.fingerprint!);
    const list = remaining.get(key);
    if (!list || list.length === 0) {
      unmatched++;
      return finding;
    }
    list.pop();
    matched++;
    return { ...finding, suppressed: { kind: 'baseline' as const, justification: `listed in the baseline ${shownFile}` } };
  });
  const fixed = [...remaining.values()]
    .flat()
    .map((entry) => ({
      ruleId: entry.ruleId,
      file: path.resolve(dir, entry.file),
      fingerprint: entry.fingerprint,
      function: typeof entry.function === 'string' ? entry.function : '',
      code: typeof entry.code === 'string' ? entry.code : '',
    }))
    .sort((a, b) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint));
  // Absolute, as every path until the report's boundary (src/report-paths.ts) makes it a report path.
  return { findings: out, summary: { file: path.resolve(cwd, shownFile), matched, new: unmatched, fixed } };
}

function keyOf(ruleId: string, file: string, fingerprint: string): string {
  return `${ruleId}\u0000${file}\u0000${fingerprint}`;
}

/** Sorted keys and a trailing newline: the file diffs well in review. Written atomically. */
function writeBaselineFile(file: string, baseline: BaselineFile): void {
  const temp = path.join(path.dirname(file), `.lmi-audit-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.writeFileSync(temp, JSON.stringify(baseline, null, 2) + '\n', 'utf8');
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new UsageError(`Cannot write the baseline to ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}
