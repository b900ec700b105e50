/**
 * @fileoverview The GitHub Actions reporter: workflow commands, escaped as @actions/core does
 * (packages/core/src/command.ts): `%`, CR and LF in messages; those and `:` and `,` in
 * property values.
 */
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatCommand } from '../../src/reporters/github.js';
import { reporters, type ReporterContext } from '../../src/reporters/index.js';
import { makeReport, RULES } from './sample-report.js';

const context: ReporterContext = { rules: RULES, cwd: '/project', color: false };

describe('GitHub Actions reporter', () => {
  it('prints one command per finding and per file not analysed, then the verdict', () => {
    expect(reporters.github(makeReport(), context).split('\n')).toEqual([
      '::error file=src/orders/handler.ts,line=10,endLine=10,col=3,endColumn=10,title=lmi-audit%3A mutable-module-state::`counter` is module state written during an invocation: concurrent invocations on a worker share it. Keep it in a local variable.',
      '::warning file=src/lib/export.ts,line=4,endLine=4,col=18,endColumn=35,title=lmi-audit%3A shared-tmp-path::`/tmp/export.csv` is shared by every concurrent invocation. Put the request id in the name.',
      '::notice file=package.json,line=14,endLine=14,col=5,endColumn=40,title=lmi-audit%3A powertools-version::Powertools 2.28.0 predates LMI support (2.29.0).',
      '::error file=src/broken.ts,line=3,col=9,title=lmi-audit%3A file not analysed::Parsing error: Expression expected.',
      'lmi-audit: 2 functions, 3 findings, lowest score 70/100: FAILED (1 error (--fail-on error); src/orders/handler.ts#handler scores 70, under --min-score 80)',
      '',
    ]);
  });

  it('escapes messages and property values', () => {
    expect(escapeData('100% sure\r\nnext: a, b')).toBe('100%25 sure%0D%0Anext: a, b');
    expect(escapeProperty('C:\\dir, 100%\nx')).toBe('C%3A\\dir%2C 100%25%0Ax');
    const report = makeReport();
    report.findings = [{ ...report.findings[0]!, file: 'src/a,b:c%.ts', message: 'line one\nline two: 50% done, really\r' }];
    report.errors = [];
    expect(reporters.github(report, context).split('\n')[0]).toBe(
      '::error file=src/a%2Cb%3Ac%25.ts,line=10,endLine=10,col=3,endColumn=10,title=lmi-audit%3A mutable-module-state::line one%0Aline two: 50%25 done, really%0D',
    );
  });

  it('leaves columns out of a multi-line range, and undefined properties out entirely', () => {
    const report = makeReport();
    report.findings = [{ ...report.findings[0]!, endLine: 12 }];
    report.errors = [{ file: 'template.yaml', message: 'no handler' }];
    const [finding, error] = reporters.github(report, context).split('\n');
    expect(finding).toMatch(/^::error file=src\/orders\/handler.ts,line=10,endLine=12,title=/);
    expect(error).toBe('::error file=template.yaml,title=lmi-audit%3A file not analysed::no handler');
    expect(formatCommand('notice', {}, 'plain')).toBe('::notice::plain');
  });

  it('leaves suppressed findings out, and with --quiet prints errors only', () => {
    const report = makeReport();
    report.findings[0]!.suppressed = { kind: 'inline', justification: 'reviewed' };
    const lines = reporters
      .github(report, { ...context, quiet: true })
      .trimEnd()
      .split('\n');
    expect(lines).toEqual(['::error file=src/broken.ts,line=3,col=9,title=lmi-audit%3A file not analysed::Parsing error: Expression expected.']);
  });

  it('annotates a scan that analysed no handler: a warning when it passed, an error when the gate failed on it', () => {
    const empty = { ...makeReport(), functions: [], findings: [], errors: [] };
    empty.summary = { ...empty.summary, functions: 0, findings: 0, passed: true, reasons: [] };
    expect(reporters.github(empty, context)).toBe(
      '::warning title=lmi-audit%3A nothing checked::No Lambda handler was analysed.\nlmi-audit: 0 functions, 0 findings: PASSED\n',
    );
    empty.summary = { ...empty.summary, passed: false, reasons: ['no Lambda handler was analysed (--fail-on-empty)'] };
    expect(reporters.github(empty, context)).toMatch(/^::error title=lmi-audit%3A nothing checked::/);
  });
});
