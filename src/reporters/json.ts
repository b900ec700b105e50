/**
 * @fileoverview The JSON reporter: the report as `schema/report.schema.json` describes it, keys
 * in contract order (src/types.ts) whatever order the analyser built them in, so diffs between
 * two runs stay small.
 */
import { CHECKLIST_ITEMS, type Finding, type Report, type ReportFunction, type ScanError } from '../types.js';
import { indentJson, jsonChunks, type LeafWriter } from '../util/json-chunks.js';
import { chunkedReporter } from './types.js';

/** Streamed by finding and by function (depth 2): no string holds the whole report. */
export const reportJson = chunkedReporter(function* (report) {
  const ordered = orderReport(report);
  yield* jsonChunks(ordered, 2, '', createReportWriter(new Set(report.findings), new Set(ordered.functions)));
  yield '\n';
});

/**
 * Writes each finding and function as `JSON.stringify(…, null, 2)` would (a finding's keys in
 * contract order), with the id lists written fast: findings share their `functions` lists
 * (src/scan.ts), each written once, and every id is quoted once however many lists hold it. In a
 * dense project the lists (hundreds of handlers per finding, a thousand findings per function)
 * are most of the report's bytes.
 */
function createReportWriter(findings: ReadonlySet<object>, functions: ReadonlySet<object>): LeafWriter {
  const quoted = new Map<string, string>();
  const quote = (id: string) => {
    let text = quoted.get(id);
    if (text === undefined) quoted.set(id, (text = JSON.stringify(id)));
    return text;
  };
  const writeList = (list: readonly string[], indent: string) =>
    list.length === 0 ? '[]' : `[\n${indent}  ${list.map(quote).join(`,\n${indent}  `)}\n${indent}]`;
  const shared = new Map<readonly string[], Map<string, string>>();
  const writeShared = (list: readonly string[], indent: string) => {
    let byIndent = shared.get(list);
    if (!byIndent) shared.set(list, (byIndent = new Map()));
    let text = byIndent.get(indent);
    if (text === undefined) byIndent.set(indent, (text = writeList(list, indent)));
    return text;
  };
  return (value, indent) => {
    const inner = `${indent}  `;
    if (findings.has(value as object)) {
      const finding = value as Finding;
      // `{\n  "id": …,\n  "message": "…"` + `,\n  "functions": […]` + `,\n  "fix": …\n}`
      const head = JSON.stringify(findingHead(finding), null, 2).slice(0, -2);
      const tail = `,\n${JSON.stringify(findingTail(finding), null, 2).slice(2)}`;
      return `${indentJson(head, indent)},\n${inner}"functions": ${writeShared(finding.functions, inner)}${indentJson(tail, indent)}`;
    }
    if (functions.has(value as object)) {
      const { findings: ids, ...rest } = value as ReportFunction;
      const head = indentJson(JSON.stringify(rest, null, 2), indent);
      if (ids === undefined) return head;
      // `findings` is the last key.
      return `${head.slice(0, -(indent.length + 2))},\n${inner}"findings": ${writeList(ids, inner)}\n${indent}}`;
    }
    return undefined;
  };
}

function orderReport(report: Report): Report {
  return {
    schemaVersion: report.schemaVersion,
    tool: { name: report.tool.name, version: report.tool.version },
    ...(report.root !== undefined && { root: report.root }),
    summary: {
      functions: report.summary.functions,
      findings: report.summary.findings,
      bySeverity: {
        error: report.summary.bySeverity.error,
        warning: report.summary.bySeverity.warning,
        info: report.summary.bySeverity.info,
      },
      score: report.summary.score,
      passed: report.summary.passed,
      ...(report.summary.reasons !== undefined && { reasons: report.summary.reasons }),
      ...(report.summary.failOn !== undefined && { failOn: report.summary.failOn }),
      ...(report.summary.minScore !== undefined && { minScore: report.summary.minScore }),
      ...(report.summary.failOnEmpty !== undefined && { failOnEmpty: report.summary.failOnEmpty }),
      ...(report.summary.suppressed !== undefined && { suppressed: report.summary.suppressed }),
    },
    functions: report.functions.map(orderFunction),
    // Ordered as they are written (createFindingWriter).
    findings: report.findings,
    errors: report.errors.map(orderError),
    ...(report.baseline && {
      baseline: {
        file: report.baseline.file,
        matched: report.baseline.matched,
        new: report.baseline.new,
        fixed: report.baseline.fixed.map((e) => ({
          ruleId: e.ruleId,
          file: e.file,
          fingerprint: e.fingerprint,
          function: e.function,
          code: e.code,
        })),
      },
    }),
  };
}

function orderFunction(fn: ReportFunction): ReportFunction {
  const ordered = { id: fn.id, file: fn.file, name: fn.name, line: fn.line } as ReportFunction;
  if (fn.declaredIn) ordered.declaredIn = { file: fn.declaredIn.file, line: fn.declaredIn.line, logicalId: fn.declaredIn.logicalId };
  if (fn.code !== undefined) ordered.code = fn.code;
  if (fn.discovery !== undefined) ordered.discovery = fn.discovery;
  if (fn.runtime !== undefined) ordered.runtime = fn.runtime;
  ordered.score = fn.score;
  const checklist = {} as ReportFunction['checklist'];
  for (const item of CHECKLIST_ITEMS) checklist[item] = fn.checklist[item];
  ordered.checklist = checklist;
  if (fn.findings !== undefined) ordered.findings = fn.findings;
  return ordered;
}

// Objects are built by assignment, not by spreading `...(cond && { … })`: spreading a boolean
// or a fresh object goes through V8's slow clone path, ~30x slower for 100k findings.

/** A finding's keys up to `message`, in contract order. */
function findingHead(finding: Finding): Partial<Finding> {
  const head: Partial<Finding> = {};
  if (finding.id !== undefined) head.id = finding.id;
  head.ruleId = finding.ruleId;
  head.severity = finding.severity;
  head.file = finding.file;
  head.line = finding.line;
  head.column = finding.column;
  head.endLine = finding.endLine;
  head.endColumn = finding.endColumn;
  head.message = finding.message;
  return head;
}

/** A finding's keys after `functions`, in contract order (`fix` is always there). */
function findingTail(finding: Finding): Partial<Finding> {
  const tail: Partial<Finding> = { fix: finding.fix ? { transform: finding.fix.transform } : null };
  if (finding.checklist !== undefined) tail.checklist = finding.checklist;
  if (finding.docs !== undefined) tail.docs = finding.docs;
  if (finding.suppressed) tail.suppressed = { kind: finding.suppressed.kind, justification: finding.suppressed.justification };
  if (finding.fingerprint !== undefined) tail.fingerprint = finding.fingerprint;
  return tail;
}

function orderError(error: ScanError): ScanError {
  return {
    file: error.file,
    message: error.message,
    ...(error.line !== undefined && { line: error.line }),
    ...(error.column !== undefined && { column: error.column }),
  };
}
