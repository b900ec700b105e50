import { describe, expect, it } from 'vitest';
import {
  CHECKLIST_WEIGHTS,
  evaluateGate,
  getGateFailures,
  getWorstByFunction,
  scoreFromWorst,
  scoreFunction,
  type ScoreInput,
} from '../../src/scoring/index.js';
import { CHECKLIST_ITEMS, type ChecklistItem, type Finding, type ReportFunction, type Severity } from '../../src/types.js';

/** Rule ids in these tests are `<checklist item>/<anything>`. */
function ruleItem(ruleId: string): ChecklistItem | undefined {
  const item = ruleId.split('/')[0]!;
  return (CHECKLIST_ITEMS as readonly string[]).includes(item) ? (item as ChecklistItem) : undefined;
}

function finding(ruleId: string, severity: Severity): Finding {
  return {
    ruleId,
    severity,
    file: 'src/handler.ts',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    message: 'm',
    functions: ['src/handler.ts#handler'],
    fix: null,
  };
}

const ALL: ReadonlySet<ChecklistItem> = new Set(CHECKLIST_ITEMS);

function score(overrides: Partial<ScoreInput>) {
  return scoreFunction({ findings: [], coveredItems: ALL, ruleItem, ...overrides });
}

describe('getWorstByFunction', () => {
  it('scores every function as scoreFunction does on its own findings, with shared and repeated lists', () => {
    const ids = ['a.ts#h', 'b.ts#h', 'c.ts#h', 'd.ts#h'];
    const ab = [ids[0]!, ids[1]!, ids[0]!];
    const severities: Severity[] = ['info', 'warning', 'error'];
    const findings: Finding[] = [];
    // Items and severities cycle, half the findings share one list, a quarter name c alone, d has none.
    for (let i = 0; i < 40; i++) {
      const item = CHECKLIST_ITEMS[i % CHECKLIST_ITEMS.length]!;
      const functions = i % 2 === 0 ? ab : i % 4 === 1 ? [ids[2]!] : [ids[1]!, ids[2]!];
      findings.push({ ...finding(`${item}/r${i}`, severities[(i * 7) % 3]!), functions });
    }
    findings.push({ ...finding('not-an-item/x', 'error'), functions: [ids[3]!] });
    const worst = getWorstByFunction(findings, ruleItem);
    for (const id of ids) {
      const own = findings.filter((f) => f.functions.includes(id));
      expect(scoreFromWorst(worst.get(id) ?? new Map(), { coveredItems: ALL }), id).toEqual(score({ findings: own }));
    }
    expect(worst.has(ids[3]!)).toBe(false);
  });
});

describe('CHECKLIST_WEIGHTS', () => {
  it('weighs every item and sums to 100', () => {
    expect(Object.keys(CHECKLIST_WEIGHTS).sort()).toEqual([...CHECKLIST_ITEMS].sort());
    expect(Object.values(CHECKLIST_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe('scoreFunction: statuses', () => {
  it('passes every covered item without findings, scoring 100', () => {
    const result = score({});
    expect(Object.values(result.checklist)).toEqual(CHECKLIST_ITEMS.map(() => 'pass'));
    expect(result.score).toBe(100);
  });

  it('fails an item with an error finding', () => {
    expect(score({ findings: [finding('shared-tmp-path/x', 'error')] }).checklist['shared-tmp-path']).toBe('fail');
  });

  it('warns on an item whose worst finding is a warning', () => {
    const findings = [finding('lifecycle/a', 'info'), finding('lifecycle/b', 'warning')];
    expect(score({ findings }).checklist.lifecycle).toBe('warn');
  });

  it('lets an error win over a warning on the same item, in any order', () => {
    const findings = [finding('lifecycle/a', 'error'), finding('lifecycle/b', 'warning')];
    expect(score({ findings }).checklist.lifecycle).toBe('fail');
    expect(score({ findings: [...findings].reverse() }).checklist.lifecycle).toBe('fail');
  });

  it('does not lower the status for info findings', () => {
    const result = score({ findings: [finding('unstructured-logging/x', 'info')] });
    expect(result.checklist['unstructured-logging']).toBe('pass');
    expect(result.score).toBe(100);
  });

  it('ignores findings of rules without a checklist item', () => {
    expect(score({ findings: [finding('no-such-rule', 'error')] }).score).toBe(100);
  });

  it('reports uncovered items as unknown, never pass', () => {
    const result = score({ coveredItems: new Set(['global-mutable-state']) });
    expect(result.checklist['global-mutable-state']).toBe('pass');
    for (const item of CHECKLIST_ITEMS.filter((i) => i !== 'global-mutable-state')) {
      expect(result.checklist[item]).toBe('unknown');
    }
  });

  it('still shows an uncovered item as failing when a finding says so', () => {
    const result = score({ coveredItems: new Set(), findings: [finding('lifecycle/x', 'error')] });
    expect(result.checklist.lifecycle).toBe('fail');
  });
});

describe('scoreFunction: Python', () => {
  it('marks process-isolated items not-applicable, items no rule judges for Python unknown, and the judged ones pass', () => {
    // What scan.ts passes for a Python function: the items whose rules apply to Python code.
    const coveredItems = new Set<ChecklistItem>(['shared-tmp-path', 'shared-db-connection', 'event-source-backpressure', 'unstructured-logging']);
    const { checklist } = score({ runtime: 'python3.13', coveredItems });
    expect(checklist).toEqual({
      'global-mutable-state': 'not-applicable',
      'shared-tmp-path': 'pass',
      'shared-db-connection': 'pass',
      'event-source-backpressure': 'pass',
      'unstructured-logging': 'pass',
      'unsafe-shared-collection': 'not-applicable',
      lifecycle: 'unknown',
    });
  });

  it('knows a Python function by its language when no runtime is declared', () => {
    const { checklist } = score({ language: 'python' });
    expect(checklist['global-mutable-state']).toBe('not-applicable');
    expect(checklist['unsafe-shared-collection']).toBe('not-applicable');
    expect(score({ language: 'javascript' }).checklist['global-mutable-state']).toBe('pass');
  });

  it('lets findings decide a Python code item', () => {
    const findings = [finding('shared-tmp-path/x', 'error'), finding('shared-db-connection/y', 'warning')];
    const { checklist } = score({ runtime: 'python3.13', findings });
    expect(checklist['shared-tmp-path']).toBe('fail');
    expect(checklist['shared-db-connection']).toBe('warn');
  });

  it('lets an info note leave a judged Python item passing, and an unjudged one unknown', () => {
    const findings = [finding('shared-db-connection/x', 'info')];
    expect(score({ runtime: 'python3.13', findings }).checklist['shared-db-connection']).toBe('pass');
    expect(score({ runtime: 'python3.13', findings, coveredItems: new Set() }).checklist['shared-db-connection']).toBe('unknown');
  });

  it('does not hide a finding behind not-applicable', () => {
    const { checklist } = score({ runtime: 'python3.14', findings: [finding('global-mutable-state/x', 'error')] });
    expect(checklist['global-mutable-state']).toBe('fail');
  });

  it('treats Node runtimes normally', () => {
    expect(score({ runtime: 'nodejs22.x' }).checklist['global-mutable-state']).toBe('pass');
  });
});

describe('scoreFunction: score', () => {
  it('gives no credit for fail and half for warn', () => {
    // 100 - 20 (fail) - 10/2 (warn) = 75
    const findings = [finding('global-mutable-state/x', 'error'), finding('unstructured-logging/y', 'warning')];
    expect(score({ findings }).score).toBe(75);
  });

  it('leaves unknown and not-applicable items out of both sums', () => {
    // Known: shared-tmp-path (20, fail) and event-source-backpressure (15, pass) -> 15/35.
    const result = score({
      runtime: 'python3.13',
      coveredItems: new Set(['event-source-backpressure']),
      findings: [finding('shared-tmp-path/x', 'error')],
    });
    expect(result.score).toBe(Math.round((100 * 15) / 35));
  });

  it('rounds to an integer', () => {
    // Known: lifecycle (5, warn) and unstructured-logging (10, pass) -> 12.5/15 = 83.33.
    const result = score({
      coveredItems: new Set(['lifecycle', 'unstructured-logging']),
      findings: [finding('lifecycle/x', 'warning')],
    });
    expect(result.score).toBe(83);
  });

  it('scores 100 when no item is known', () => {
    expect(score({ coveredItems: new Set() }).score).toBe(100);
  });

  it('scores 0 when every known item fails', () => {
    const findings = CHECKLIST_ITEMS.map((item) => finding(`${item}/x`, 'error'));
    expect(score({ findings }).score).toBe(0);
  });
});

describe('evaluateGate', () => {
  const fn = (id: string, s: number): ReportFunction => ({
    id,
    file: 'src/handler.ts',
    name: 'handler',
    line: 1,
    score: s,
    checklist: Object.fromEntries(CHECKLIST_ITEMS.map((i) => [i, 'pass'])) as ReportFunction['checklist'],
  });
  const withSeverity = (severity: Severity) => ({ functions: [fn('a#h', 100)], findings: [finding('lifecycle/x', severity)] });

  it('passes a clean report', () => {
    expect(evaluateGate({ functions: [fn('a#h', 100)], findings: [] }, { failOn: 'error', minScore: 0 })).toBe(true);
    expect(evaluateGate({ functions: [], findings: [] }, { failOn: 'info', minScore: 100 })).toBe(true);
  });

  it.each([
    ['error', 'error', false],
    ['error', 'warning', true],
    ['error', 'info', true],
    ['warning', 'error', false],
    ['warning', 'warning', false],
    ['warning', 'info', true],
    ['info', 'info', false],
    ['none', 'error', true],
  ] as const)('--fail-on %s with a %s finding passes: %s', (failOn, severity, passed) => {
    expect(evaluateGate(withSeverity(severity), { failOn, minScore: 0 })).toBe(passed);
  });

  it('fails when a function scores under minScore, and not when it equals it', () => {
    const report = { functions: [fn('a#h', 80), fn('b#h', 60)], findings: [] };
    expect(evaluateGate(report, { failOn: 'none', minScore: 61 })).toBe(false);
    expect(evaluateGate(report, { failOn: 'none', minScore: 60 })).toBe(true);
  });

  it('explains each reason', () => {
    const report = {
      functions: [fn('a#h', 40), fn('b#h', 30), fn('c#h', 90)],
      findings: [finding('lifecycle/x', 'error'), finding('lifecycle/y', 'warning')],
    };
    expect(getGateFailures(report, { failOn: 'error', minScore: 50 })).toEqual([
      '1 error (--fail-on error)',
      '2 functions score under --min-score 50 (lowest: b#h, 30)',
    ]);
    expect(getGateFailures(report, { failOn: 'warning', minScore: 35 })).toEqual([
      '2 warnings or errors (--fail-on warning)',
      'b#h scores 30, under --min-score 35',
    ]);
    expect(getGateFailures(report, { failOn: 'info', minScore: 0 })).toEqual(['2 findings (--fail-on info)']);
    expect(getGateFailures(report, { failOn: 'none', minScore: 0 })).toEqual([]);
  });
});
