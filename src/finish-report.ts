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
import type { ChecklistItem, Finding, Report, Severity } from './types.js';

const SEVERITIES_WORST_FIRST = (Object.keys(SEVERITY_RANK) as Severity[]).sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a]);

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
  // Each function's findings in report order, worst first: one pass over the findings per
  // severity (what a stable sort by severity gives), each distinct `functions` list deduplicated
  // once. Not functions x findings: a dense project has thousands of each.
  const byFunction = new Map<string, string[]>();
  const distinct = new Map<readonly string[], readonly string[]>();
  for (const severity of SEVERITIES_WORST_FIRST) {
    for (const f of active) {
      if (f.severity !== severity) continue;
      let ids = distinct.get(f.functions);
      if (!ids) distinct.set(f.functions, (ids = [...new Set(f.functions)]));
      for (const id of ids) {
        let list = byFunction.get(id);
        if (!list) byFunction.set(id, (list = []));
        list.push(f.id!);
      }
    }
  }
  const functions = analysed.functions.map((fn) => ({ ...fn, findings: byFunction.get(fn.id) ?? [] }));
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
