/**
 * @fileoverview Report paths, made in one place. The pipeline (src/scan.ts, src/scan-control.ts,
 * src/baseline.ts) keeps every file as the absolute path it read, and function ids as
 * `<absolute file>#<export>`; this last step of the analysis turns each of them into the path the
 * report shows (relative to the directory the scan ran in, `/` separators) and sorts what is
 * sorted by path again, as the report orders it.
 */
import type { AnalysedReport, Finding } from './types.js';
import { compareStrings as compare } from './util/compare-strings.js';
import { toReportPath } from './util/report-path.js';

export function toReportPaths(report: AnalysedReport, cwd: string): AnalysedReport {
  const file = (abs: string) => toReportPath(cwd, abs);
  // An export name has no `#` (no identifier of JavaScript or Python does); a path may. One
  // string per id, and one sorted list per distinct list: findings share their function lists
  // (src/scan.ts sortedIdsOf), and a dense project's findings hold millions of references.
  const ids = new Map<string, string>();
  const id = (fnId: string) => {
    let shown = ids.get(fnId);
    if (shown === undefined) {
      const at = fnId.lastIndexOf('#');
      ids.set(fnId, (shown = at < 0 ? fnId : `${file(fnId.slice(0, at))}${fnId.slice(at)}`));
    }
    return shown;
  };
  const lists = new Map<readonly string[], string[]>();
  const functionsOf = (list: readonly string[]) => {
    let shown = lists.get(list);
    if (!shown) lists.set(list, (shown = Object.freeze(list.map(id).sort(compare)) as string[]));
    return shown;
  };
  const findings: Finding[] = report.findings.map((f) => ({ ...f, file: file(f.file), functions: functionsOf(f.functions) }));
  findings.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId));
  const functions = report.functions.map((fn) => ({
    ...fn,
    id: id(fn.id),
    file: file(fn.file),
    ...(fn.declaredIn ? { declaredIn: { ...fn.declaredIn, file: file(fn.declaredIn.file) } } : {}),
  }));
  functions.sort((a, b) => compare(a.id, b.id));
  return {
    ...report,
    functions,
    findings,
    errors: report.errors.map((e) => ({ ...e, file: file(e.file) })),
    ...(report.baseline && {
      baseline: {
        ...report.baseline,
        file: file(report.baseline.file),
        fixed: report.baseline.fixed
          .map((entry) => ({ ...entry, file: file(entry.file) }))
          .sort((a, b) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint)),
      },
    }),
  };
}
