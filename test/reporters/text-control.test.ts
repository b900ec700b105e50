/**
 * @fileoverview The text reporter with suppressions, a baseline and --quiet: suppressed findings
 * are counted, not shown; fixed baseline entries are listed; quiet shows errors only.
 */
import { describe, expect, it } from 'vitest';
import { reporters, type ReporterContext } from '../../src/reporters/index.js';
import type { Report } from '../../src/types.js';
import { makeReport, readSourceLine, RULES } from './sample-report.js';

const context: ReporterContext = { rules: RULES, cwd: '/project', color: false, readSourceLine, width: 120 };

function controlled(): Report {
  const report = makeReport();
  report.findings[1]!.suppressed = { kind: 'inline', justification: 'a lock file' };
  report.findings.push({
    ruleId: 'unused-suppression',
    severity: 'warning',
    file: 'src/orders/handler.ts',
    line: 5,
    column: 1,
    endLine: 5,
    endColumn: 12,
    message: '`lmi-audit-ignore-next-line` for `shared-tmp-path` silences nothing.',
    functions: [],
    fix: null,
  });
  report.summary = { ...report.summary, findings: 3, suppressed: 1, reasons: ['1 error (--fail-on error)'], minScore: 0 };
  report.baseline = {
    file: '.lmi-audit-baseline.json',
    matched: 0,
    new: 3,
    fixed: [{ ruleId: 'shared-tmp-path', file: 'src/old.ts', fingerprint: 'f', function: 'handler', code: "writeFileSync('/tmp/a', x)" }],
  };
  return report;
}

describe('text reporter: suppressions, baseline, quiet', () => {
  it('hides suppressed findings, groups comment problems, lists fixed baseline entries and counts suppressed ones', () => {
    const text = reporters.text(controlled(), context);
    expect(text).not.toContain('src/lib/export.ts:4:18');
    expect(text).toContain('Suppression comments\n\n  warning  unused-suppression  src/orders/handler.ts:5:1');
    expect(text).toContain(
      [
        'Baseline .lmi-audit-baseline.json: 0 findings accepted (not shown), 3 new.',
        '  1 entry is fixed and can be dropped from the baseline:',
        "  fixed  shared-tmp-path  src/old.ts  handler: writeFileSync('/tmp/a', x)",
      ].join('\n'),
    );
    expect(text).toContain('2 functions, 3 findings (1 error, 1 warning, 1 info), 1 suppressed, lowest score 70/100, 1 file not analysed.');
  });

  it('with quiet, shows only error findings, files not analysed and a failed verdict', () => {
    const text = reporters.text(controlled(), { ...context, quiet: true });
    expect(text).toContain('error  mutable-module-state  src/orders/handler.ts:10:3');
    expect(text).toContain('src/broken.ts:3:9: Parsing error');
    expect(text).not.toMatch(/ {2}warning {2}| {2}info {2}|Baseline|src\/reports\/handler/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('FAILED: 1 error (--fail-on error).');
  });

  it('with quiet, prints nothing for a clean, passing run', () => {
    const report = makeReport();
    report.findings = report.findings.filter((f) => f.severity !== 'error');
    report.errors = [];
    report.summary = { ...report.summary, passed: true };
    expect(reporters.text(report, { ...context, quiet: true })).toBe('');
  });
});
