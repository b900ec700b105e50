/**
 * @fileoverview The report's boundary, the last step of `scan()` (src/index.ts): the gate is
 * judged and recorded with its settings and reasons, every finding gets its id, checklist item
 * and docs URL, every function the ids of its findings, and the report its root. Everything a
 * reader of the report needs to act on it is here, so no reporter or tool has to recompute it.
 */
import { getRuleDocsUrl } from './docs/rule-docs.js';
import { rules } from './rules/index.js';
import type { AnalysedReport } from './scan.js';
import { getGateFailures, SEVERITY_RANK, type Gate } from './scoring/index.js';
import type { ChecklistItem, Finding, Report } from './types.js';

export function finishReport(analysed: AnalysedReport, options: { root: string; gate: Gate }): Report {
  const itemOf = new Map<string, ChecklistItem>(rules.map((rule) => [rule.id, rule.checklist]));
  const seen = new Map<string, number>();
  const findings: Finding[] = analysed.findings.map((finding) => {
    const base = `${finding.ruleId}@${finding.file}:${finding.line}:${finding.column}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { ...finding, id: n === 1 ? base : `${base}~${n}`, checklist: itemOf.get(finding.ruleId) ?? null, docs: getRuleDocsUrl(finding.ruleId) };
  });
  const active = findings.filter((f) => !f.suppressed);
  // One pass over the findings' function lists (not functions x findings: a dense project has
  // thousands of each), then each function's list in report order, worst first (a stable sort).
  const byFunction = new Map<string, Finding[]>();
  const distinct = new Map<readonly string[], readonly string[]>();
  for (const f of active) {
    let ids = distinct.get(f.functions);
    if (!ids) distinct.set(f.functions, (ids = [...new Set(f.functions)]));
    for (const id of ids) {
      let list = byFunction.get(id);
      if (!list) byFunction.set(id, (list = []));
      list.push(f);
    }
  }
  const functions = analysed.functions.map((fn) => ({
    ...fn,
    findings: (byFunction.get(fn.id) ?? [])
      .slice()
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])
      .map((f) => f.id!),
  }));
  const reasons = getGateFailures({ functions, findings: active }, options.gate);
  return {
    schemaVersion: analysed.schemaVersion,
    tool: analysed.tool,
    root: options.root,
    summary: {
      ...analysed.summary,
      passed: reasons.length === 0,
      reasons,
      failOn: options.gate.failOn,
      minScore: options.gate.minScore,
      failOnEmpty: options.gate.failOnEmpty ?? false,
    },
    functions,
    findings,
    errors: analysed.errors,
    ...(analysed.baseline && { baseline: analysed.baseline }),
  };
}
