/**
 * @fileoverview Findings -> per-function checklist status and score, and the CI gate. Pure: no
 * I/O, no analysis. The rules decide what is wrong; this module only decides how much it weighs.
 */
import { CHECKLIST_ITEMS, type ChecklistItem, type ChecklistStatus, type FailOn, type Finding, type Report, type Severity } from '../types.js';

/**
 * How much each checklist item counts towards a function's score (sum 100). The correctness
 * items (silent data corruption if missed, checklist items 1-3) weigh most, then the event-source
 * item (throttled invocations are lost without retries/DLQ), then the operational ones.
 */
export const CHECKLIST_WEIGHTS: Record<ChecklistItem, number> = {
  'global-mutable-state': 20,
  'shared-tmp-path': 20,
  'shared-db-connection': 20,
  'event-source-backpressure': 15,
  'unstructured-logging': 10,
  'unsafe-shared-collection': 10,
  lifecycle: 5,
};

/** Severity order for the gate (`--fail-on`). A Record so a new severity cannot be forgotten. */
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** What a status is worth in the score; unknown and not-applicable are left out entirely. */
const CREDIT: Partial<Record<ChecklistStatus, number>> = { pass: 1, warn: 0.5, fail: 0 };

/**
 * Python runs one process per concurrent invocation, so module globals are private to an
 * invocation (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-python-runtime.html): these items cannot go wrong there.
 */
const PROCESS_ISOLATED_ITEMS: ReadonlySet<ChecklistItem> = new Set(['global-mutable-state', 'unsafe-shared-collection']);

export interface ScoreInput {
  /** Findings touching this function. */
  findings: readonly Finding[];
  /** Items that have at least one implemented rule; the others cannot pass. */
  coveredItems: ReadonlySet<ChecklistItem>;
  runtime?: string;
  /** The language of the function's code; a `python*` runtime means Python too. */
  language?: 'javascript' | 'python';
  /** The checklist item of a rule id; unknown rule ids are ignored. */
  ruleItem: (ruleId: string) => ChecklistItem | undefined;
}

export interface ScoreResult {
  checklist: Record<ChecklistItem, ChecklistStatus>;
  score: number;
}

export function scoreFunction(input: ScoreInput): ScoreResult {
  return scoreFromWorst(getWorstSeverityByItem(input.findings, input.ruleItem), input);
}

/** The worst severity of each checklist item among a function's findings. */
export type WorstByItem = ReadonlyMap<ChecklistItem, Severity>;

/** {@link scoreFunction} from the worst severities already known ({@link getWorstByFunction}). */
export function scoreFromWorst(worst: WorstByItem, input: Omit<ScoreInput, 'findings' | 'ruleItem'>): ScoreResult {
  const isPython = input.language === 'python' || (input.runtime?.startsWith('python') ?? false);
  const checklist = {} as Record<ChecklistItem, ChecklistStatus>;
  for (const item of CHECKLIST_ITEMS) {
    checklist[item] = getItemStatus(item, worst.get(item), input.coveredItems.has(item), isPython);
  }
  return { checklist, score: computeScore(checklist) };
}

/**
 * Every function's worst severity per item, from the findings' `functions` lists in one pass.
 * Findings share their lists (src/scan.ts): each distinct list is merged into its functions once,
 * so a dense project's millions of (finding, function) pairs cost one step per distinct list
 * entry instead of one per pair.
 */
export function getWorstByFunction(findings: readonly Finding[], ruleItem: ScoreInput['ruleItem']): Map<string, WorstByItem> {
  const byList = new Map<readonly string[], Map<ChecklistItem, Severity>>();
  for (const finding of findings) {
    const item = ruleItem(finding.ruleId);
    if (item === undefined || finding.functions.length === 0) continue;
    let worst = byList.get(finding.functions);
    if (!worst) byList.set(finding.functions, (worst = new Map()));
    raise(worst, item, finding.severity);
  }
  const byFunction = new Map<string, Map<ChecklistItem, Severity>>();
  for (const [ids, worst] of byList) {
    for (const id of ids) {
      let merged = byFunction.get(id);
      if (!merged) byFunction.set(id, (merged = new Map()));
      for (const [item, severity] of worst) raise(merged, item, severity);
    }
  }
  return byFunction;
}

function raise(worst: Map<ChecklistItem, Severity>, item: ChecklistItem, severity: Severity): void {
  const current = worst.get(item);
  if (current === undefined || SEVERITY_RANK[severity] > SEVERITY_RANK[current]) worst.set(item, severity);
}

function getWorstSeverityByItem(findings: readonly Finding[], ruleItem: ScoreInput['ruleItem']): Map<ChecklistItem, Severity> {
  const worst = new Map<ChecklistItem, Severity>();
  for (const finding of findings) {
    const item = ruleItem(finding.ruleId);
    if (item !== undefined) raise(worst, item, finding.severity);
  }
  return worst;
}

function getItemStatus(item: ChecklistItem, worst: Severity | undefined, covered: boolean, isPython: boolean): ChecklistStatus {
  // A reported problem always shows, even where the item "should" not apply: hiding a finding
  // behind `not-applicable` would make a rule bug invisible.
  if (worst === 'error') return 'fail';
  if (worst === 'warning') return 'warn';
  if (isPython && PROCESS_ISOLATED_ITEMS.has(item)) return 'not-applicable';
  // Info findings are notes: they do not lower the status.
  return covered ? 'pass' : 'unknown';
}

function computeScore(checklist: Record<ChecklistItem, ChecklistStatus>): number {
  let earned = 0;
  let possible = 0;
  for (const item of CHECKLIST_ITEMS) {
    const credit = CREDIT[checklist[item]];
    if (credit === undefined) continue;
    earned += CHECKLIST_WEIGHTS[item] * credit;
    possible += CHECKLIST_WEIGHTS[item];
  }
  return possible === 0 ? 100 : Math.round((100 * earned) / possible);
}

export interface Gate {
  failOn: FailOn;
  minScore: number;
  /** Fail when the report has no function: nothing was checked, which is not a pass. */
  failOnEmpty?: boolean;
}

/** How the gate names the findings it counts, singular and plural. */
const GATE_NOUNS: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning or error', 'warnings or errors'],
  info: ['finding', 'findings'],
};

/** True when the report passes the gate. */
export function evaluateGate(report: Pick<Report, 'functions' | 'findings'>, gate: Gate): boolean {
  return getGateFailures(report, gate).length === 0;
}

/**
 * Why the gate fails, one short sentence per reason (empty when it passes), for reporters and
 * the CLI to show next to FAILED.
 */
export function getGateFailures(report: Pick<Report, 'functions' | 'findings'>, gate: Gate): string[] {
  const reasons: string[] = [];
  if (gate.failOnEmpty && report.functions.length === 0) {
    reasons.push('no Lambda handler was analysed (--fail-on-empty)');
  }
  if (gate.failOn !== 'none') {
    const threshold = SEVERITY_RANK[gate.failOn];
    const count = report.findings.filter((f) => SEVERITY_RANK[f.severity] >= threshold).length;
    if (count > 0) {
      reasons.push(`${count} ${GATE_NOUNS[gate.failOn][count === 1 ? 0 : 1]} (--fail-on ${gate.failOn})`);
    }
  }
  const below = report.functions.filter((fn) => fn.score < gate.minScore);
  if (below.length > 0) {
    const lowest = below.reduce((a, b) => (b.score < a.score ? b : a));
    reasons.push(
      below.length === 1
        ? `${lowest.id} scores ${lowest.score}, under --min-score ${gate.minScore}`
        : `${below.length} functions score under --min-score ${gate.minScore} (lowest: ${lowest.id}, ${lowest.score})`,
    );
  }
  return reasons;
}
