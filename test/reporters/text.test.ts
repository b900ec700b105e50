/**
 * @fileoverview The text reporter, compared with reviewed file snapshots at 80 and 120 columns
 * (test/reporters/__snapshots__/text-*.txt: open them to see the report as a terminal shows it),
 * and the rules of its layout: nothing wider than the terminal, worst function first, one line
 * for a function with nothing to show, runnable next steps, honest empty scans and baselines.
 */
import { describe, expect, it } from 'vitest';
import { reporters, type ReporterContext } from '../../src/reporters/index.js';
import type { Finding, Report } from '../../src/types.js';
import { checklist, makeReport, readSourceLine, RULES } from './sample-report.js';

// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
const ANSI = /\u001b\[[0-9;]*m/;

function context(overrides: Partial<ReporterContext> = {}): ReporterContext {
  return {
    rules: RULES,
    cwd: '/project',
    color: false,
    readSourceLine,
    scanned: { paths: ['services/shop'] },
    command: 'npx lmi-audit',
    ...overrides,
  };
}

function emptyReport(overrides: Partial<Report['summary']> = {}): Report {
  return {
    ...makeReport(),
    summary: { functions: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, score: 100, passed: true, reasons: [], ...overrides },
    functions: [],
    findings: [],
    errors: [],
  };
}

/** Four functions, so the report opens with the verdict and a table; one needs an unsafe transform. */
function longReport(): Report {
  const report = makeReport();
  report.functions.push(
    { ...report.functions[1]!, id: 'src/health/handler.ts#handler', file: 'src/health/handler.ts', score: 100, checklist: checklist({ lifecycle: 'unknown' }) },
    {
      ...report.functions[1]!,
      id: 'src/users/handler.ts#handler',
      file: 'src/users/handler.ts',
      declaredIn: { file: 'template.yaml', line: 40, logicalId: 'UsersFunction' },
      score: 60,
      checklist: checklist({ 'shared-db-connection': 'fail', 'global-mutable-state': 'fail' }),
    },
  );
  report.findings.push({
    ruleId: 'shared-db-connection',
    severity: 'error',
    file: 'src/users/handler.ts',
    line: 9,
    column: 16,
    endLine: 9,
    endColumn: 40,
    message: '`client` is a single pg Client created at module scope and used by invocations: use a pool.',
    functions: ['src/users/handler.ts#handler'],
    fix: { transform: 'client-to-pool' },
  });
  report.summary = { ...report.summary, functions: 4, findings: 4, bySeverity: { error: 2, warning: 1, info: 1 }, score: 60 };
  report.summary.reasons = ['2 errors (--fail-on error)', '2 functions score under --min-score 80 (lowest: src/users/handler.ts#handler, 60)'];
  return report;
}

const RULES_WITH_POOL = [
  ...RULES,
  { ...RULES[0]!, id: 'shared-db-connection', checklist: 'shared-db-connection' as const, fix: { transform: 'client-to-pool', safety: 'unsafe' as const } },
];

function widest(text: string): number {
  return Math.max(...text.split('\n').map((line) => [...line].length));
}

describe('text reporter', () => {
  it('matches the reviewed report at 80 columns (the width when piped)', async () => {
    await expect(reporters.text(makeReport(), context())).toMatchFileSnapshot('__snapshots__/text-80.txt');
    await expect(reporters.text(longReport(), context({ rules: RULES_WITH_POOL }))).toMatchFileSnapshot('__snapshots__/text-long-80.txt');
  });

  it('matches the reviewed report at 120 columns', async () => {
    await expect(reporters.text(longReport(), context({ rules: RULES_WITH_POOL, width: 120 }))).toMatchFileSnapshot('__snapshots__/text-long-120.txt');
  });

  it('fits every line in the width, and puts more checklist columns in a wider terminal', () => {
    for (const width of [60, 80, 100, 120]) {
      expect(widest(reporters.text(longReport(), context({ rules: RULES_WITH_POOL, width })))).toBeLessThanOrEqual(width);
    }
    const rows = (width: number) =>
      reporters
        .text(makeReport(), context({ width }))
        .split('\n')
        .filter((line) => /^ {2}[✔✖⚠?–] (global|shared|event|unstructured|unsafe|lifecycle)/.test(line)).length;
    // Two functions with a checklist: 7 items in 1, 2 or 4 columns.
    expect([rows(40), rows(80), rows(120)]).toEqual([14, 8, 4]);
  });

  it('shows the legend once, the worst function first and a function with nothing to show on one line', () => {
    const text = reporters.text(longReport(), context({ rules: RULES_WITH_POOL, width: 120 }));
    expect(text.match(/Checklist: ✔ pass {2}⚠ warnings {2}✖ errors {2}\? not checked {2}– not applicable/g)).toHaveLength(1);
    const blocks = text.split('\n\n').filter((block) => /^src\/\S+#handler {2}score/.test(block));
    expect(blocks.map((b) => b.split('  ')[0])).toEqual([
      'src/users/handler.ts#handler',
      'src/orders/handler.ts#handler',
      'src/reports/handler.ts#handler',
      'src/health/handler.ts#handler',
    ]);
    expect(blocks.at(-1)).toBe('src/health/handler.ts#handler  score 100/100  no findings; not checked: lifecycle');
  });

  it('opens a long report with the verdict and a table of functions, and ends with the verdict', () => {
    const lines = reporters
      .text(longReport(), context({ rules: RULES_WITH_POOL, width: 120 }))
      .trimEnd()
      .split('\n');
    const verdict = 'FAILED: 2 errors (--fail-on error); 2 functions score under --min-score 80 (lowest: src/users/handler.ts#handler, 60).';
    expect(lines[0]).toBe(verdict);
    expect(lines.slice(3, 8)).toEqual([
      'score  function  (findings)',
      '   60  src/users/handler.ts#handler  (1 error)',
      '   70  src/orders/handler.ts#handler  (1 error, 1 warning)',
      '   92  src/reports/handler.ts#handler  (1 warning)',
      '  100  src/health/handler.ts#handler  (no findings)',
    ]);
    expect(lines.at(-1)).toBe(verdict);
    // A short report does not repeat itself: the legend, then the first function.
    expect(reporters.text(makeReport(), context()).split('\n').slice(0, 3)).toEqual([
      'Checklist: ✔ pass  ⚠ warnings  ✖ errors  ? not checked  – not applicable',
      '',
      'src/orders/handler.ts#handler  score 70/100',
    ]);
  });

  it('ends a failed scan with commands that carry the scanned paths, and names the unsafe transform', () => {
    const text = reporters.text(
      longReport(),
      context({ rules: RULES_WITH_POOL, width: 120, scanned: { paths: ['services/shop', 'my dir'], args: ['--config', 'ci.json'] } }),
    );
    const steps = text.slice(text.indexOf('Next steps\n'));
    expect(steps).toContain("    npx lmi-audit fix --all --dry --config ci.json services/shop 'my dir'\n");
    expect(steps).toContain("    npx lmi-audit fix --all --config ci.json services/shop 'my dir'\n");
    expect(steps).toContain('1 finding needs the unsafe transform client-to-pool (src/users/handler.ts:9): review its diff before applying it:');
    expect(steps).toContain("    npx lmi-audit fix --transform client-to-pool --dry --config ci.json services/shop 'my dir'\n");
    expect(steps).toContain('    npx lmi-audit explain mutable-module-state\n');
    // The per-finding hint names the file, so it never rewrites anything else.
    expect(text).toContain('    fix: npx lmi-audit fix --transform tmp-paths src/lib/export.ts\n');
    expect(text).toContain(
      '    fix (unsafe: review the diff, add --dry to see it):\n         npx lmi-audit fix --transform client-to-pool src/users/handler.ts\n',
    );
    const passed = makeReport();
    passed.summary = { ...passed.summary, passed: true, reasons: [] };
    expect(reporters.text(passed, context())).not.toContain('Next steps');
  });

  it('breaks a command too long for the line after ` \\`, so it still runs when copied', () => {
    const text = reporters.text(makeReport(), context({ scanned: { paths: ['services/a-rather-long-directory-name/with-more-below-it/and-more'] } }));
    expect(text).toContain('    npx lmi-audit fix --all --dry \\\n        services/a-rather-long-directory-name/with-more-below-it/and-more\n');
  });

  it('warns when no handler was analysed, and says why the gate failed under --fail-on-empty', () => {
    const text = reporters.text(emptyReport(), context({ scanned: { paths: ['fixtures/empty'], files: 12 }, width: 120 }));
    expect(text).toMatch(/^⚠ No Lambda handlers found in fixtures\/empty \(12 source files scanned\): nothing was checked\.\n/);
    expect(text).toContain('--fail-on-empty makes such a scan fail');
    expect(text.trimEnd().split('\n').at(-1)).toBe('PASSED, but nothing was checked: no Lambda handler was analysed.');

    const skipped = emptyReport({ passed: false, reasons: ['no Lambda handler was analysed (--fail-on-empty)'], failOnEmpty: true });
    skipped.errors = [{ file: 'src/big.ts', message: 'File is larger than 1048576 bytes (the --max-file-size limit): not analysed.' }];
    const failed = reporters.text(skipped, context({ width: 120 }));
    expect(failed).toContain('  1 file could not be analysed (listed under Errors): a handler there was skipped.');
    expect(failed).not.toContain('--fail-on-empty makes');
    expect(failed.trimEnd().split('\n').at(-1)).toBe('FAILED: no Lambda handler was analysed (--fail-on-empty).');
  });

  it('under a baseline, counts the accepted findings per function and marks their items', () => {
    const report = makeReport();
    const accepted = (finding: Finding): Finding => ({ ...finding, suppressed: { kind: 'baseline', justification: 'listed in the baseline b.json' } });
    report.findings = report.findings.map((f) => (f.ruleId === 'mutable-module-state' ? accepted(f) : f));
    report.findings.push(accepted({ ...report.findings[0]!, line: 3 }));
    report.functions[0]!.checklist['global-mutable-state'] = 'pass';
    report.baseline = { file: 'b.json', matched: 2, new: 2, fixed: [] };
    const text = reporters.text(report, context({ width: 120 }));
    const orders = text.slice(text.indexOf('src/orders/handler.ts#handler  score'), text.indexOf('src/reports/handler.ts#handler  score'));
    expect(orders).toContain('  ✖ global-mutable-state*  ');
    expect(orders).toContain('  2 findings accepted in the baseline (not shown)\n');
    expect(orders).not.toContain('mutable-module-state  src/orders');
    expect(text).toContain('* accepted in the baseline');
    report.summary.suppressed = 3;
    expect(reporters.text(report, context({ width: 120 }))).toContain(', 1 suppressed, 2 accepted in the baseline, ');
    // The summary at the top of a long report counts them too: not "(no findings)".
    const long = longReport();
    long.findings = long.findings.map((f) => (f.ruleId === 'shared-db-connection' ? accepted(f) : f));
    long.baseline = { file: 'b.json', matched: 1, new: 3, fixed: [] };
    expect(reporters.text(long, context({ width: 120 }))).toMatch(/^ +\d+ {2}src\/users\/handler\.ts#handler {2}\(1 accepted\)$/m);
  });

  it('gives each function its own findings when functions share them, and shows a shared one in full once', () => {
    const report = longReport();
    const reports = 'src/reports/handler.ts#handler';
    const orders = 'src/orders/handler.ts#handler';
    report.functions.find((fn) => fn.id === reports)!.score = 70;
    const error = (file: string, functions: string[]): Finding => ({ ...report.findings[0]!, file, line: 2, column: 1, functions });
    report.findings.push(
      error('src/lib/shared.ts', [reports, orders]),
      // Listed twice: still one finding of the function, counted once.
      error('src/reports/a.ts', [reports, reports]),
      error('src/reports/b.ts', [reports]),
    );
    const text = reporters.text(report, context({ rules: RULES_WITH_POOL, width: 120 }));
    const lines = text.split('\n');
    // Scores tie at 70: the function with more errors comes first, in the table and in the blocks.
    expect(lines.slice(4, 8)).toEqual([
      '   60  src/users/handler.ts#handler  (1 error)',
      '   70  src/reports/handler.ts#handler  (3 errors, 1 warning)',
      '   70  src/orders/handler.ts#handler  (2 errors, 1 warning)',
      '  100  src/health/handler.ts#handler  (no findings)',
    ]);
    const block = (id: string) => {
      const start = text.indexOf(`\n${id}  score`);
      const end = text.indexOf('#handler  score', start + id.length + 2);
      return text
        .slice(start, end === -1 ? undefined : end)
        .split('\n')
        .filter((line) => /^ {2}(error|warning|info) {2}/.test(line))
        .map((line) => line.trim().replace(/\s+\[[\w-]+\]$/, ''));
    };
    expect(block(reports)).toEqual([
      'error  mutable-module-state  src/lib/shared.ts:2:1',
      'error  mutable-module-state  src/reports/a.ts:2:1',
      'error  mutable-module-state  src/reports/b.ts:2:1',
      'warning  shared-tmp-path  src/lib/export.ts:4:18',
    ]);
    expect(block(orders)).toEqual([
      'error  mutable-module-state  src/orders/handler.ts:10:3',
      `error  mutable-module-state  src/lib/shared.ts:2:1  (see above, under ${reports})`,
      `warning  shared-tmp-path  src/lib/export.ts:4:18  (see above, under ${reports})`,
    ]);
    expect(lines).toContain('src/health/handler.ts#handler  score 100/100  no findings; not checked: lifecycle');
    // A shared finding's message is printed once, under the first function that shows it.
    expect(text.split('`/tmp/export.csv` is shared').length - 1).toBe(1);
  });

  it('has no ANSI escapes without colour and some with it', () => {
    expect(reporters.text(makeReport(), context())).not.toMatch(ANSI);
    const coloured = reporters.text(makeReport(), context({ color: true }));
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(new RegExp(ANSI, 'g'), '')).toBe(reporters.text(makeReport(), context()));
  });

  it('shows no code without readSourceLine', () => {
    const text = reporters.text(makeReport(), context({ readSourceLine: undefined }));
    expect(text).not.toContain('│');
    expect(text).toContain('  error  mutable-module-state  src/orders/handler.ts:10:3');
  });

  it('says FAILED without reasons for a report written before they were recorded', () => {
    const report = makeReport();
    delete report.summary.reasons;
    expect(reporters.text(report, context()).trimEnd().split('\n').at(-1)).toBe('FAILED.');
  });

  it('underlines to the end of the line for a multi-line finding and cuts long lines to the width', () => {
    const report = emptyReport();
    const long = `const x = ${'a'.repeat(200)} + target + ${'b'.repeat(200)};`;
    const column = long.indexOf('target') + 1;
    report.findings = [
      { ...makeReport().findings[0]!, file: 'multi.ts', line: 1, column: 5, endLine: 3, endColumn: 2, functions: [] },
      { ...makeReport().findings[0]!, file: 'long.ts', line: 1, column, endLine: 1, endColumn: column + 6, functions: [] },
    ];
    const sources: Record<string, string> = { 'multi.ts': '  if (a) {', 'long.ts': long };
    const text = reporters.text(report, context({ readSourceLine: (file) => sources[file] }));
    expect(text).toContain('    1 │ if (a) {\n      │   ^^^^^^\n');
    const [codeLine = '', caretLine = ''] = text
      .split('\n')
      .filter((l) => l.startsWith('    1 │') || l.startsWith('      │'))
      .slice(2);
    expect([...codeLine].length).toBeLessThanOrEqual(80);
    expect(codeLine).toContain('…');
    expect(codeLine.slice(caretLine.indexOf('^'), caretLine.lastIndexOf('^') + 1)).toBe('target');
  });
});
