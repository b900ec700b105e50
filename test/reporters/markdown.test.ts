/**
 * @fileoverview The Markdown reporter, compared with a reviewed file snapshot
 * (test/reporters/__snapshots__/markdown.md: open it to see the summary as GitHub renders it).
 */
import { describe, expect, it } from 'vitest';
import { reporters, type ReporterContext } from '../../src/reporters/index.js';
import type { Report } from '../../src/types.js';
import { makeReport, RULES } from './sample-report.js';

function context(overrides: Partial<ReporterContext> = {}): ReporterContext {
  return {
    rules: RULES,
    cwd: '/project',
    color: false,
    sourceLink: (file, line) => `https://github.com/acme/shop/blob/0123abc/${file}#L${line}`,
    ...overrides,
  };
}

function reportWithBaseline(): Report {
  const report = makeReport();
  report.findings[0]!.message = 'A message with | a pipe, <html> and\na line break.';
  report.findings.push({ ...report.findings[0]!, line: 11, suppressed: { kind: 'baseline', justification: 'listed in the baseline' } });
  report.summary.suppressed = 1;
  report.baseline = {
    file: '.lmi-audit-baseline.json',
    matched: 1,
    new: 3,
    fixed: [{ ruleId: 'shared-tmp-path', file: 'src/old.ts', fingerprint: 'abc', function: 'handler', code: "writeFileSync('/tmp/a', x)" }],
  };
  return report;
}

describe('Markdown reporter', () => {
  it('renders the verdict, a row per function, all findings, errors and the baseline', async () => {
    await expect(reporters.markdown(reportWithBaseline(), context())).toMatchFileSnapshot('__snapshots__/markdown.md');
  });

  it('prints plain locations without a link source, and a short summary for a clean run', () => {
    const report = makeReport();
    const text = reporters.markdown(report, context({ sourceLink: undefined }));
    expect(text).toContain('`src/orders/handler.ts:10`');
    expect(text).not.toContain('](https://github.com/acme');
    const clean = reporters.markdown(
      {
        ...report,
        summary: { functions: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, score: 100, passed: true },
        functions: [],
        findings: [],
        errors: [],
      },
      context(),
    );
    expect(clean).toBe('## ✅ lmi-audit: PASSED\n\n0 functions · 0 findings\n\n> [!WARNING]\n> No Lambda handler was analysed: nothing was checked.\n');
  });

  it('sorts and cuts the findings errors first, and places each top finding relative to its function', () => {
    const report = makeReport();
    const note = report.findings[2]!;
    const notes = Array.from({ length: 120 }, (_, i) => ({ ...note, file: 'a.json', line: i + 1 }));
    // The error sorts after every note by place, so a cut before sorting would lose it.
    const error = { ...report.findings[0]!, file: 'z.ts', line: 1, functions: ['src/orders/handler.ts#handler'] };
    report.findings = [...notes, error];
    const md = reporters.markdown(report, context({ sourceLink: undefined }));
    const rows = md
      .slice(md.indexOf('| severity |'))
      .split('\n')
      .filter((line) => line.startsWith('| '));
    expect(rows[1]).toMatch(/^\| ❌ error \| \[`mutable-module-state`\]/);
    expect(rows).toHaveLength(1 + 100);
    expect(md).toContain('…and 21 more: see the JSON or SARIF report.');
    expect(md).toContain('❌ [`mutable-module-state`](https://github.com/lmi-audit/lmi-audit/blob/main/docs/rules/mutable-module-state.md) `../../z.ts:1`');
  });
});
