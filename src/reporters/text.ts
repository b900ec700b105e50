/**
 * @fileoverview The text reporter, for people: one block per function (score, the seven
 * checklist items, then its findings with the flagged code), the files that could not be
 * analysed, and a last line with the verdict. A finding reached by several functions is shown in
 * full once and referred to from the others.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { RuleMeta } from '../rules/types.js';
import { getGateFailures } from '../scoring/index.js';
import {
  CHECKLIST_ITEMS,
  DIRECTIVE_RULE_IDS,
  type BaselineSummary,
  type ChecklistStatus,
  type Finding,
  type Report,
  type ReportFunction,
  type ScanError,
  type Severity,
} from '../types.js';
import type { Reporter, ReporterContext } from './types.js';

/** A Record so that a new status cannot be left without a mark. */
export const STATUS_MARKS: Record<ChecklistStatus, string> = {
  pass: '✔',
  fail: '✖',
  warn: '⚠',
  unknown: '?',
  'not-applicable': '–',
};

const CHECKLIST_COLUMNS = 3;
/** Longest item name (`event-source-backpressure`) plus the mark and two spaces of gutter. */
const CHECKLIST_CELL_WIDTH = 29;
/** Code lines longer than this are cut to a window around the flagged column. */
const MAX_CODE_WIDTH = 120;

interface Style {
  c: ChalkInstance;
  severity: Record<Severity, (s: string) => string>;
  status: Record<ChecklistStatus, (s: string) => string>;
}

export const reportText: Reporter = (report, ctx) => {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const style: Style = {
    c,
    severity: { error: (s) => c.red.bold(s), warning: (s) => c.yellow.bold(s), info: (s) => c.blue(s) },
    status: {
      pass: (s) => c.green(s),
      fail: (s) => c.red(s),
      warn: (s) => c.yellow(s),
      unknown: (s) => c.gray(s),
      'not-applicable': (s) => c.gray(s),
    },
  };
  const rulesById = new Map(ctx.rules.map((rule) => [rule.id, rule]));
  const blocks: string[] = [];
  // Suppressed findings are counted in the summary, not shown; --quiet shows errors only.
  const visible = report.findings.filter((f) => !f.suppressed && (!ctx.quiet || f.severity === 'error'));

  if (report.functions.length === 0 && !ctx.quiet) {
    blocks.push(formatNoHandlers(ctx));
  }

  const functionIds = new Set(report.functions.map((fn) => fn.id));
  /** Where each multi-function finding was printed in full: the first of its functions. */
  const shownUnder = new Map<Finding, string>();
  for (const fn of report.functions) {
    const findings = visible.filter((f) => f.functions.includes(fn.id));
    if (ctx.quiet && findings.length === 0) continue;
    const lines = formatFunctionHeader(fn, style);
    if (findings.length === 0) lines.push('', `  ${c.gray('No findings.')}`);
    for (const finding of findings) {
      lines.push('');
      const firstShown = shownUnder.get(finding);
      if (firstShown === undefined) {
        shownUnder.set(finding, fn.id);
        lines.push(...formatFinding(finding, rulesById.get(finding.ruleId), ctx, style));
      } else {
        lines.push(`  ${formatFindingTitle(finding, style)}  ${c.gray(`(see above, under ${firstShown})`)}`);
      }
    }
    blocks.push(lines.join('\n'));
  }

  const unattached = visible.filter((f) => !f.functions.some((id) => functionIds.has(id)));
  const aboutDirectives = unattached.filter((f) => isDirectiveFinding(f));
  const unreached = unattached.filter((f) => !isDirectiveFinding(f));
  for (const [title, findings] of [
    ['Findings not reached from a handler', unreached],
    ['Suppression comments', aboutDirectives],
  ] as const) {
    if (findings.length === 0) continue;
    const lines = [c.bold(title)];
    for (const finding of findings) {
      lines.push('', ...formatFinding(finding, rulesById.get(finding.ruleId), ctx, style));
    }
    blocks.push(lines.join('\n'));
  }

  if (report.errors.length > 0) blocks.push(formatErrors(report.errors, style));
  if (report.baseline && !ctx.quiet) blocks.push(formatBaseline(report.baseline, style));
  if (!ctx.quiet || !report.summary.passed) blocks.push(formatSummary(report, ctx, style));
  return blocks.length > 0 ? blocks.join('\n\n') + '\n' : '';
};

function isDirectiveFinding(finding: Finding): boolean {
  return (DIRECTIVE_RULE_IDS as readonly string[]).includes(finding.ruleId);
}

function formatBaseline(baseline: BaselineSummary, { c }: Style): string {
  const lines = [`${c.bold('Baseline')} ${baseline.file}: ${plural(baseline.matched, 'finding')} accepted (not shown), ${baseline.new} new.`];
  if (baseline.fixed.length > 0) {
    lines.push(`  ${baseline.fixed.length === 1 ? '1 entry is' : `${baseline.fixed.length} entries are`} fixed and can be dropped from the baseline:`);
    for (const entry of baseline.fixed) {
      lines.push(`  ${c.green('fixed')}  ${entry.ruleId}  ${c.cyan(entry.file)}  ${entry.function}: ${entry.code}`);
    }
  }
  return lines.join('\n');
}

function formatNoHandlers(ctx: ReporterContext): string {
  const paths = ctx.scanned && ctx.scanned.paths.length > 0 ? ctx.scanned.paths : ['.'];
  const where = paths.map((path) => (path === '.' || path === './' ? ctx.cwd : path)).join(', ');
  const files = ctx.scanned?.files;
  const count = files === undefined ? '' : ` (${plural(files, 'source file')} scanned)`;
  return `No Lambda handlers found in ${where}${count}.`;
}

function formatFunctionHeader(fn: ReportFunction, { c, status }: Style): string[] {
  const scoreColor = fn.score >= 90 ? c.green : fn.score >= 50 ? c.yellow : c.red;
  const lines = [`${c.bold(fn.id)}  ${scoreColor(`score ${fn.score}/100`)}`];
  const details: string[] = [];
  if (fn.declaredIn) {
    const { file, line, logicalId } = fn.declaredIn;
    details.push(`declared in ${file}:${line} (${logicalId})`);
  } else if (fn.discovery === 'configuration') {
    details.push('handler named by the configuration');
  } else if (fn.discovery === 'inferred') {
    details.push('inferred handler: no infrastructure code names it');
  }
  if (fn.runtime) details.push(fn.runtime);
  if (details.length > 0) lines.push(`  ${c.gray(details.join(', '))}`);

  let row = '';
  CHECKLIST_ITEMS.forEach((item, index) => {
    const state = fn.checklist[item];
    const cell = `${STATUS_MARKS[state]} ${item}`;
    const isLastInRow = (index + 1) % CHECKLIST_COLUMNS === 0 || index === CHECKLIST_ITEMS.length - 1;
    const padding = isLastInRow ? '' : ' '.repeat(Math.max(1, CHECKLIST_CELL_WIDTH - cell.length));
    const name = state === 'unknown' || state === 'not-applicable' ? c.gray(item) : item;
    row += `${status[state](STATUS_MARKS[state])} ${name}${padding}`;
    if (isLastInRow) {
      lines.push(`  ${row}`);
      row = '';
    }
  });
  return lines;
}

function formatFindingTitle(finding: Finding, { c, severity }: Style): string {
  const location = `${finding.file}:${finding.line}:${finding.column}`;
  return `${severity[finding.severity](finding.severity)}  ${finding.ruleId}  ${c.cyan(location)}`;
}

function formatFinding(finding: Finding, rule: RuleMeta | undefined, ctx: ReporterContext, style: Style): string[] {
  const { c } = style;
  let title = `  ${formatFindingTitle(finding, style)}`;
  if (rule && rule.checklist !== finding.ruleId) title += `  ${c.gray(`[${rule.checklist}]`)}`;
  const lines = [title];
  lines.push(...formatCodeFrame(finding, ctx, style));
  for (const messageLine of finding.message.split('\n')) lines.push(`    ${messageLine}`);
  if (finding.fix) {
    const unsafe = rule?.fix?.transform === finding.fix.transform && rule.fix.safety === 'unsafe';
    const note = unsafe ? c.gray(' (unsafe: review the change)') : '';
    lines.push(`    ${c.green('fix:')} lmi-audit fix --transform ${finding.fix.transform}${note}`);
  }
  return lines;
}

/** The flagged line, trimmed, with a caret line under the flagged columns (1-based). */
function formatCodeFrame(finding: Finding, ctx: ReporterContext, { c }: Style): string[] {
  const raw = ctx.readSourceLine?.(finding.file, finding.line);
  if (raw === undefined) return [];
  // One space per tab keeps columns and characters in step.
  const untabbed = raw.replace(/\t/g, ' ').trimEnd();
  const indent = untabbed.length - untabbed.trimStart().length;
  let code = untabbed.slice(indent);
  if (code.length === 0) return [];

  let start = Math.max(0, finding.column - 1 - indent);
  let end = finding.endLine === finding.line ? finding.endColumn - 1 - indent : code.length;
  start = Math.min(start, code.length - 1);
  end = Math.min(Math.max(end, start + 1), code.length);

  if (code.length > MAX_CODE_WIDTH) {
    const from = Math.max(0, Math.min(start - 20, code.length - MAX_CODE_WIDTH));
    const prefix = from > 0 ? '…' : '';
    const suffix = from + MAX_CODE_WIDTH < code.length ? '…' : '';
    code = prefix + code.slice(from, from + MAX_CODE_WIDTH) + suffix;
    const shift = prefix.length - from;
    start += shift;
    end = Math.min(end + shift, code.length - suffix.length);
  }

  const gutter = String(finding.line);
  const blank = ' '.repeat(gutter.length);
  return [`    ${c.gray(`${gutter} │`)} ${code}`, `    ${c.gray(`${blank} │`)} ${' '.repeat(start)}${c.red('^'.repeat(end - start))}`];
}

function formatErrors(errors: readonly ScanError[], { c }: Style): string {
  const files = new Set(errors.map((e) => e.file)).size;
  const lines = [c.bold(`Errors: ${plural(files, 'file')} not analysed`)];
  for (const error of errors) {
    const where = [error.file, error.line, error.line === undefined ? undefined : error.column].filter((part) => part !== undefined).join(':');
    lines.push(`  ${c.cyan(where)}: ${error.message}`);
  }
  return lines.join('\n');
}

function formatSummary(report: Report, ctx: ReporterContext, { c }: Style): string {
  const { summary } = report;
  const parts = [plural(summary.functions, 'function')];
  const bySeverity = [plural(summary.bySeverity.error, 'error'), plural(summary.bySeverity.warning, 'warning'), `${summary.bySeverity.info} info`];
  parts.push(`${plural(summary.findings, 'finding')}${summary.findings > 0 ? ` (${bySeverity.join(', ')})` : ''}`);
  if (summary.suppressed) parts.push(`${summary.suppressed} suppressed`);
  if (summary.functions > 0) parts.push(`lowest score ${summary.score}/100`);
  if (report.errors.length > 0) {
    parts.push(`${plural(new Set(report.errors.map((e) => e.file)).size, 'file')} not analysed`);
  }

  const verdict = summary.passed ? c.green.bold('PASSED') : c.red.bold('FAILED');
  const gated = { functions: report.functions, findings: report.findings.filter((f) => !f.suppressed) };
  const reasons = !summary.passed && ctx.gate ? getGateFailures(gated, ctx.gate) : [];
  const because = reasons.length > 0 ? `: ${reasons.join('; ')}` : '';
  const isEmpty = summary.functions === 0 && summary.findings === 0 && report.errors.length === 0;
  // The verdict comes last: it is the line a CI log shows.
  return [...(isEmpty ? [] : [`${parts.join(', ')}.`]), `${verdict}${because}.`].join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
