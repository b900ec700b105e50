import { describe, expect, it } from 'vitest';
import { reporters, type ReporterContext } from '../../src/reporters/index.js';
import type { Report } from '../../src/types.js';
import { checklist, makeReport, readSourceLine, RULES } from './sample-report.js';

// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
const ANSI = /\u001b\[[0-9;]*m/;

function context(overrides: Partial<ReporterContext> = {}): ReporterContext {
  return {
    rules: RULES,
    cwd: '/project',
    color: false,
    readSourceLine,
    gate: { failOn: 'error', minScore: 80 },
    ...overrides,
  };
}

function emptyReport(overrides: Partial<Report> = {}): Report {
  return {
    ...makeReport(),
    summary: { functions: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, score: 100, passed: true },
    functions: [],
    findings: [],
    errors: [],
    ...overrides,
  };
}

describe('text reporter', () => {
  it('prints functions, findings with code, errors and the verdict', () => {
    expect(reporters.text(makeReport(), context())).toBe(
      [
        'src/orders/handler.ts#handler  score 70/100',
        '  declared in template.yaml:12 (OrdersFunction), nodejs22.x',
        '  ✖ global-mutable-state       ⚠ shared-tmp-path            ✔ shared-db-connection',
        '  ? event-source-backpressure  ✔ unstructured-logging       ✔ unsafe-shared-collection',
        '  ? lifecycle',
        '',
        '  error  mutable-module-state  src/orders/handler.ts:10:3  [global-mutable-state]',
        '    10 │ counter += 1;',
        '       │ ^^^^^^^',
        '    `counter` is module state written during an invocation: concurrent invocations on a worker share it. Keep it in a local variable.',
        '',
        '  warning  shared-tmp-path  src/lib/export.ts:4:18',
        "    4 │ await writeFile('/tmp/export.csv', String(data));",
        '      │                 ^^^^^^^^^^^^^^^^^',
        '    `/tmp/export.csv` is shared by every concurrent invocation. Put the request id in the name.',
        '    fix: lmi-audit fix --transform tmp-paths',
        '',
        'src/reports/handler.ts#handler  score 92/100',
        '  ✔ global-mutable-state       ⚠ shared-tmp-path            ✔ shared-db-connection',
        '  ? event-source-backpressure  ✔ unstructured-logging       ✔ unsafe-shared-collection',
        '  – lifecycle',
        '',
        '  warning  shared-tmp-path  src/lib/export.ts:4:18  (see above, under src/orders/handler.ts#handler)',
        '',
        'Findings not reached from a handler',
        '',
        '  info  powertools-version  package.json:14:5',
        '    Powertools 2.28.0 predates LMI support (2.29.0).',
        '',
        'Errors: 1 file not analysed',
        '  src/broken.ts:3:9: Parsing error: Expression expected.',
        '',
        '2 functions, 3 findings (1 error, 1 warning, 1 info), lowest score 70/100, 1 file not analysed.',
        'FAILED: 1 error (--fail-on error); src/orders/handler.ts#handler scores 70, under --min-score 80.',
        '',
      ].join('\n'),
    );
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

  it('says so when the scan found no handlers', () => {
    const text = reporters.text(emptyReport(), context({ scanned: { paths: ['fixtures/empty'], files: 12 } }));
    expect(text).toBe('No Lambda handlers found in fixtures/empty (12 source files scanned).\n\nPASSED.\n');
    expect(reporters.text(emptyReport(), context({ scanned: { paths: ['a', 'b'], files: 1 } }))).toContain(
      'No Lambda handlers found in a, b (1 source file scanned).',
    );
    expect(reporters.text(emptyReport(), context())).toContain('No Lambda handlers found in /project.');
  });

  it('marks a function without findings and an unsafe fix', () => {
    const report = makeReport();
    report.functions[1]!.checklist = checklist();
    report.findings = [{ ...report.findings[1]!, functions: [report.functions[0]!.id] }];
    const rules = RULES.map((rule) => (rule.fix ? { ...rule, fix: { ...rule.fix, safety: 'unsafe' as const } } : rule));
    const text = reporters.text(report, context({ rules }));
    expect(text).toContain('src/reports/handler.ts#handler  score 92/100\n  ✔ global-mutable-state');
    expect(text).toContain('  ✔ lifecycle\n\n  No findings.\n');
    expect(text).toContain('    fix: lmi-audit fix --transform tmp-paths (unsafe: review the change)\n');
  });

  it('says PASSED and leaves out the reason when the gate is unknown', () => {
    const passed = makeReport();
    passed.summary.passed = true;
    expect(reporters.text(passed, context()).trimEnd().split('\n').at(-1)).toBe('PASSED.');
    expect(
      reporters
        .text(makeReport(), context({ gate: undefined }))
        .trimEnd()
        .split('\n')
        .at(-1),
    ).toBe('FAILED.');
  });

  it('underlines to the end of the line for a multi-line finding and cuts long lines', () => {
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
    expect(codeLine.length).toBeLessThan(140);
    expect(codeLine).toContain('…');
    expect(codeLine.slice(caretLine.indexOf('^'), caretLine.lastIndexOf('^') + 1)).toBe('target');
  });
});
