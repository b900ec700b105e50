/**
 * @fileoverview The JSON reporter: the report as `schema/report.schema.json` describes it, keys
 * in contract order (src/types.ts) whatever order the analyser built them in, so diffs between
 * two runs stay small.
 */
import { CHECKLIST_ITEMS, type Finding, type Report, type ReportFunction, type ScanError } from '../types.js';
import { jsonChunks } from '../util/json-chunks.js';
import { chunkedReporter } from './types.js';

/** Streamed by finding and by function (depth 2): no string holds the whole report. */
export const reportJson = chunkedReporter(function* (report) {
  yield* jsonChunks(orderReport(report), 2);
  yield '\n';
});

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
    findings: report.findings.map(orderFinding),
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
  return {
    id: fn.id,
    file: fn.file,
    name: fn.name,
    line: fn.line,
    ...(fn.declaredIn && {
      declaredIn: { file: fn.declaredIn.file, line: fn.declaredIn.line, logicalId: fn.declaredIn.logicalId },
    }),
    ...(fn.code !== undefined && { code: fn.code }),
    ...(fn.discovery !== undefined && { discovery: fn.discovery }),
    ...(fn.runtime !== undefined && { runtime: fn.runtime }),
    score: fn.score,
    checklist: Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, fn.checklist[item]])) as ReportFunction['checklist'],
    ...(fn.findings !== undefined && { findings: fn.findings }),
  };
}

function orderFinding(finding: Finding): Finding {
  return {
    ...(finding.id !== undefined && { id: finding.id }),
    ruleId: finding.ruleId,
    severity: finding.severity,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    message: finding.message,
    functions: finding.functions,
    fix: finding.fix && { transform: finding.fix.transform },
    ...(finding.checklist !== undefined && { checklist: finding.checklist }),
    ...(finding.docs !== undefined && { docs: finding.docs }),
    ...(finding.suppressed && {
      suppressed: { kind: finding.suppressed.kind, justification: finding.suppressed.justification },
    }),
    ...(finding.fingerprint !== undefined && { fingerprint: finding.fingerprint }),
  };
}

function orderError(error: ScanError): ScanError {
  return {
    file: error.file,
    message: error.message,
    ...(error.line !== undefined && { line: error.line }),
    ...(error.column !== undefined && { column: error.column }),
  };
}
