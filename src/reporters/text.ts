/**
 * @fileoverview The text reporter, for people, fitted to the terminal (`ctx.width`, 80 when
 * piped): long lines wrap at word boundaries with a hanging indent, the checklist takes as many
 * columns as fit. A long report opens with the verdict and a table of functions; then one block
 * per function, worst first (score, checklist, findings with the flagged code; a function with
 * nothing to show is one line), the files that could not be analysed, the baseline, the next
 * steps as commands to run, and last the verdict, the line a CI log shows. A finding reached by
 * several functions is shown in full once and referred to from the others.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import wrapAnsi from 'wrap-ansi';
import { PLAIN_TEXT, wrapPlain } from './wrap-plain.js';
import type { RuleMeta } from '../rules/types.js';
import { SEVERITY_RANK } from '../scoring/index.js';
import {
  CHECKLIST_ITEMS,
  DIRECTIVE_RULE_IDS,
  type BaselineSummary,
  type ChecklistItem,
  type ChecklistStatus,
  type Finding,
  type Report,
  type ReportFunction,
  type ScanError,
  type Severity,
} from '../types.js';
import { compareStrings as compare } from '../util/compare-strings.js';
import type { Reporter, ReporterContext } from './types.js';

/** A Record so that a new status cannot be left without a mark. */
export const STATUS_MARKS: Record<ChecklistStatus, string> = {
  pass: '✔',
  fail: '✖',
  warn: '⚠',
  unknown: '?',
  'not-applicable': '–',
};

const STATUS_WORDS: Record<ChecklistStatus, string> = {
  pass: 'pass',
  warn: 'warnings',
  fail: 'errors',
  unknown: 'not checked',
  'not-applicable': 'not applicable',
};

/** Marks an item whose findings the baseline accepted: its status would be worse without the baseline. */
const ACCEPTED_MARK = '*';
const DEFAULT_WIDTH = 80;
/** Narrower than this, nothing fits anyway: wrap as if the terminal had this much. */
const MIN_WIDTH = 40;
/** Longer reports start with the verdict and a table of functions, so nobody scrolls to find it. */
const SUMMARY_AT_TOP_FUNCTIONS = 4;
const LONGEST_ITEM = Math.max(...CHECKLIST_ITEMS.map((item) => item.length));

interface Style {
  c: ChalkInstance;
  severity: Record<Severity, (s: string) => string>;
  status: Record<ChecklistStatus, (s: string) => string>;
}

interface Layout {
  width: number;
  style: Style;
  ctx: ReporterContext;
  rulesById: Map<string, RuleMeta>;
  /** How a command line of the next steps starts: `npx lmi-audit`, `node bin/lmi-audit.js`. */
  command: string;
}

export const reportText: Reporter = (report, ctx) => {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const layout: Layout = {
    width: Math.max(MIN_WIDTH, ctx.width ?? DEFAULT_WIDTH),
    style: {
      c,
      severity: { error: (s) => c.red.bold(s), warning: (s) => c.yellow.bold(s), info: (s) => c.blue(s) },
      status: {
        pass: (s) => c.green(s),
        fail: (s) => c.red(s),
        warn: (s) => c.yellow(s),
        unknown: (s) => c.gray(s),
        'not-applicable': (s) => c.gray(s),
      },
    },
    ctx,
    rulesById: new Map(ctx.rules.map((rule) => [rule.id, rule])),
    command: ctx.command ?? 'npx lmi-audit',
  };
  const blocks: string[] = [];
  // Suppressed findings are counted in the summary, not shown; --quiet shows errors only.
  const visible = report.findings.filter((f) => !f.suppressed && (!ctx.quiet || f.severity === 'error'));
  const accepted = report.findings.filter((f) => f.suppressed?.kind === 'baseline');
  // Grouped once by function: looking each function's findings up in the whole list made a
  // dense project's report cost functions x findings.
  const visibleOf = groupByFunction(visible);
  const acceptedOf = groupByFunction(accepted);
  const functions = sortWorstFirst(report.functions, visibleOf);

  if (report.functions.length === 0 && !ctx.quiet) blocks.push(formatEmpty(report, layout));
  if (report.functions.length >= SUMMARY_AT_TOP_FUNCTIONS && !ctx.quiet) blocks.push(formatTop(report, functions, visibleOf, acceptedOf, layout));

  const shownFunctions = functions.filter((fn) => !ctx.quiet || findingsOf(visibleOf, fn).length > 0);
  if (shownFunctions.length > 0) blocks.push(formatLegend(accepted.length > 0, layout));
  /** Where each multi-function finding was printed in full: the first of its functions. */
  const shownUnder = new Map<Finding, string>();
  for (const fn of shownFunctions) {
    blocks.push(formatFunction(fn, findingsOf(visibleOf, fn), findingsOf(acceptedOf, fn), shownUnder, layout));
  }

  const functionIds = new Set(report.functions.map((fn) => fn.id));
  const unattached = visible.filter((f) => !f.functions.some((id) => functionIds.has(id)));
  for (const [title, findings] of [
    ['Findings not reached from a handler', unattached.filter((f) => !isDirectiveFinding(f))],
    ['Suppression comments', unattached.filter((f) => isDirectiveFinding(f))],
  ] as const) {
    if (findings.length === 0) continue;
    const lines = [c.bold(title)];
    for (const finding of findings) lines.push('', ...formatFinding(finding, layout));
    blocks.push(lines.join('\n'));
  }

  if (report.errors.length > 0) blocks.push(formatErrors(report.errors, layout));
  if (report.baseline && !ctx.quiet) blocks.push(formatBaseline(report.baseline, layout));
  if (!report.summary.passed && !ctx.quiet) {
    const steps = formatNextSteps(report, visible, layout);
    if (steps) blocks.push(steps);
  }
  if (!ctx.quiet || !report.summary.passed) blocks.push(formatSummary(report, layout));
  return blocks.length > 0 ? blocks.join('\n\n') + '\n' : '';
};

/**
 * Each function id's findings, in the order of `findings`; a finding that lists a function twice
 * is in its list once.
 */
function groupByFunction(findings: readonly Finding[]): Map<string, Finding[]> {
  const byFunction = new Map<string, Finding[]>();
  for (const finding of findings) {
    for (const id of finding.functions) {
      const own = byFunction.get(id);
      if (own === undefined) byFunction.set(id, [finding]);
      // This finding's own ids are handled together, so a repeat of one is at the end of its list.
      else if (own[own.length - 1] !== finding) own.push(finding);
    }
  }
  return byFunction;
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

function findingsOf(byFunction: ReadonlyMap<string, readonly Finding[]>, fn: ReportFunction): readonly Finding[] {
  return byFunction.get(fn.id) ?? NO_FINDINGS;
}

/** Lowest score first; among equals, more errors, then more warnings, then by id. */
function sortWorstFirst(functions: readonly ReportFunction[], visibleOf: ReadonlyMap<string, readonly Finding[]>): ReportFunction[] {
  const counts = new Map(functions.map((fn) => [fn.id, countBySeverity(findingsOf(visibleOf, fn))]));
  return [...functions].sort((a, b) => {
    const ca = counts.get(a.id)!;
    const cb = counts.get(b.id)!;
    return a.score - b.score || cb.error - ca.error || cb.warning - ca.warning || compare(a.id, b.id);
  });
}

function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

const DIRECTIVE_RULES: ReadonlySet<string> = new Set<string>(DIRECTIVE_RULE_IDS);

function isDirectiveFinding(finding: Finding): boolean {
  return DIRECTIVE_RULES.has(finding.ruleId);
}

/** The verdict, the counts and one row per function, worst first. */
function formatTop(
  report: Report,
  functions: readonly ReportFunction[],
  visibleOf: ReadonlyMap<string, readonly Finding[]>,
  acceptedOf: ReadonlyMap<string, readonly Finding[]>,
  layout: Layout,
): string {
  const { c } = layout.style;
  const lines = [...formatVerdict(report, layout), ...wrap(`${formatCounts(report)}.`, layout.width, 0, 2), ''];
  lines.push(c.gray('score  function  (findings)'));
  for (const fn of functions) {
    const counts = countBySeverity(findingsOf(visibleOf, fn));
    const parts = [counts.error && plural(counts.error, 'error'), counts.warning && plural(counts.warning, 'warning'), counts.info && `${counts.info} info`];
    // Under a baseline, what it accepted for the function is counted too: "no findings" would hide it.
    const accepted = findingsOf(acceptedOf, fn).length;
    if (accepted > 0) parts.push(`${accepted} accepted`);
    const found = parts.filter(Boolean).join(', ') || 'no findings';
    // The score is padded outside the wrap, which trims the start of each line.
    const row = wrap(`${fn.id}  ${c.gray(`(${found})`)}`, layout.width, 7, 0);
    row[0] = `${scoreColour(fn.score, layout)(String(fn.score).padStart(5))}  ${row[0]!.slice(7)}`;
    lines.push(...row);
  }
  return lines.join('\n');
}

function formatLegend(withAccepted: boolean, layout: Layout): string {
  const { c, status } = layout.style;
  const entries = (['pass', 'warn', 'fail', 'unknown', 'not-applicable'] as const).map((s) => ({
    plain: `${STATUS_MARKS[s]} ${STATUS_WORDS[s]}`,
    styled: `${status[s](STATUS_MARKS[s])} ${c.gray(STATUS_WORDS[s])}`,
  }));
  if (withAccepted) entries.push({ plain: `${ACCEPTED_MARK} accepted in the baseline`, styled: c.gray(`${ACCEPTED_MARK} accepted in the baseline`) });
  // Packed by hand, not wrapped: a narrow terminal breaks the legend between entries, never inside one.
  const lines: string[] = [];
  let plain = 'Checklist:';
  let styled = c.gray('Checklist:');
  for (const entry of entries) {
    const gap = lines.length === 0 && plain === 'Checklist:' ? ' ' : '  ';
    if (plain.length + gap.length + entry.plain.length > layout.width && plain.trim() !== '') {
      lines.push(styled);
      [plain, styled] = [`  ${entry.plain}`, `  ${entry.styled}`];
    } else {
      [plain, styled] = [plain + gap + entry.plain, styled + gap + entry.styled];
    }
  }
  lines.push(styled);
  return lines.join('\n');
}

function formatFunction(
  fn: ReportFunction,
  findings: readonly Finding[],
  accepted: readonly Finding[],
  shownUnder: Map<Finding, string>,
  layout: Layout,
): string {
  const { c } = layout.style;
  const details = describeFunction(fn);
  const title = `${c.bold(fn.id)}  ${scoreColour(fn.score, layout)(`score ${fn.score}/100`)}`;
  if (findings.length === 0 && accepted.length === 0) {
    // Nothing to show but what was not checked: one line.
    const unchecked = CHECKLIST_ITEMS.filter((item) => fn.checklist[item] === 'unknown');
    const name = fn.declaredIn ? ` (${fn.declaredIn.logicalId})` : '';
    const found = details.filter((d) => (!fn.declaredIn || d.startsWith('inline code')) && !d.startsWith('declared in') && d !== fn.runtime);
    const notes = [`no findings${name}`, ...found, ...(unchecked.length > 0 ? [`not checked: ${unchecked.join(', ')}`] : [])];
    return wrap(`${title}  ${c.gray(notes.join('; '))}`, layout.width, 0, 2).join('\n');
  }
  const lines = wrap(title, layout.width, 0, 2);
  if (details.length > 0) lines.push(...wrap(c.gray(details.join(', ')), layout.width, 2, 2));
  lines.push(...formatChecklist(fn, accepted, layout));
  if (accepted.length > 0) {
    lines.push(...wrap(c.gray(`${plural(accepted.length, 'finding')} accepted in the baseline (not shown)`), layout.width, 2, 2));
  }
  const ordered = [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  for (const finding of ordered) {
    lines.push('');
    const firstShown = shownUnder.get(finding);
    if (firstShown === undefined) {
      shownUnder.set(finding, fn.id);
      lines.push(...formatFinding(finding, layout));
    } else {
      lines.push(...wrap(`${formatFindingTitle(finding, layout)}  ${c.gray(`(see above, under ${firstShown})`)}`, layout.width, 2, 4));
    }
  }
  return lines.join('\n');
}

function describeFunction(fn: ReportFunction): string[] {
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
  if (fn.code === 'inline') details.push(`inline code at ${fn.file}:${fn.line}`);
  return details;
}

/** The seven items in as many columns as the width holds, in checklist order row by row. */
function formatChecklist(fn: ReportFunction, accepted: readonly Finding[], layout: Layout): string[] {
  const { c, status } = layout.style;
  const acceptedWorst = new Map<ChecklistItem, Severity>();
  for (const finding of accepted) {
    const item = finding.checklist ?? layout.rulesById.get(finding.ruleId)?.checklist;
    if (!item) continue;
    const current = acceptedWorst.get(item);
    if (current === undefined || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[current]) acceptedWorst.set(item, finding.severity);
  }
  const cellWidth = 2 + LONGEST_ITEM + (acceptedWorst.size > 0 ? ACCEPTED_MARK.length : 0);
  const gutter = 2;
  const indent = 2;
  const columns = Math.max(1, Math.min(CHECKLIST_ITEMS.length, Math.floor((layout.width - indent + gutter) / (cellWidth + gutter))));
  const cells = CHECKLIST_ITEMS.map((item) => {
    let state = fn.checklist[item];
    const worst = acceptedWorst.get(item);
    // The baseline accepted what would fail or warn here: show that, marked, not a plain pass.
    const isAccepted = worst !== undefined && worst !== 'info' && (state === 'pass' || (state === 'warn' && worst === 'error'));
    if (isAccepted) state = worst === 'error' ? 'fail' : 'warn';
    const text = `${STATUS_MARKS[state]} ${item}${isAccepted ? ACCEPTED_MARK : ''}`;
    const name = state === 'unknown' || state === 'not-applicable' || isAccepted ? c.gray(item) : item;
    return { text, styled: `${isAccepted ? c.gray(STATUS_MARKS[state]) : status[state](STATUS_MARKS[state])} ${name}${isAccepted ? ACCEPTED_MARK : ''}` };
  });
  const lines: string[] = [];
  for (let i = 0; i < cells.length; i += columns) {
    const row = cells.slice(i, i + columns);
    lines.push(
      ' '.repeat(indent) + row.map((cell, j) => (j < row.length - 1 ? cell.styled + ' '.repeat(cellWidth + gutter - cell.text.length) : cell.styled)).join(''),
    );
  }
  return lines;
}

function formatFindingTitle(finding: Finding, { style }: Layout): string {
  const location = `${finding.file}:${finding.line}:${finding.column}`;
  return `${style.severity[finding.severity](finding.severity)}  ${finding.ruleId}  ${style.c.cyan(location)}`;
}

function formatFinding(finding: Finding, layout: Layout): string[] {
  const { c } = layout.style;
  const rule = layout.rulesById.get(finding.ruleId);
  const item = finding.checklist ?? rule?.checklist;
  let title = formatFindingTitle(finding, layout);
  if (item && item !== finding.ruleId) title += `  ${c.gray(`[${item}]`)}`;
  const lines = wrap(title, layout.width, 2, 4);
  lines.push(...formatCodeFrame(finding, layout));
  for (const paragraph of finding.message.split('\n')) lines.push(...wrap(paragraph, layout.width, 4, 0));
  if (finding.fix) {
    const unsafe = isUnsafe(finding, layout);
    const command = formatCommand([layout.command, 'fix', '--transform', finding.fix.transform, finding.file], layout.width - 9, 4);
    if (unsafe) {
      lines.push(`    ${c.green('fix')} ${c.gray('(unsafe: review the diff, add --dry to see it)')}:`, ...command.map((l) => `         ${l}`));
    } else {
      lines.push(`    ${c.green('fix:')} ${command[0]}`, ...command.slice(1).map((l) => `         ${l.slice(4)}`));
    }
  }
  return lines;
}

function isUnsafe(finding: Finding, layout: Layout): boolean {
  const rule = layout.rulesById.get(finding.ruleId);
  return finding.fix !== null && rule?.fix?.transform === finding.fix.transform && rule.fix.safety === 'unsafe';
}

/** The flagged line, trimmed and cut to the width, with a caret line under the flagged columns (1-based). */
function formatCodeFrame(finding: Finding, layout: Layout): string[] {
  const { c } = layout.style;
  const raw = layout.ctx.readSourceLine?.(finding.file, finding.line);
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

  const gutter = String(finding.line);
  // `    12 │ ` before the code; two characters kept for the ellipses.
  const room = Math.max(20, layout.width - (4 + gutter.length + 3) - 2);
  if (code.length > room) {
    const from = Math.max(0, Math.min(start - Math.floor(room / 6), code.length - room));
    const prefix = from > 0 ? '…' : '';
    const suffix = from + room < code.length ? '…' : '';
    code = prefix + code.slice(from, from + room) + suffix;
    const shift = prefix.length - from;
    start += shift;
    end = Math.min(end + shift, code.length - suffix.length);
  }

  const blank = ' '.repeat(gutter.length);
  return [`    ${c.gray(`${gutter} │`)} ${code}`, `    ${c.gray(`${blank} │`)} ${' '.repeat(start)}${c.red('^'.repeat(Math.max(1, end - start)))}`];
}

function formatErrors(errors: readonly ScanError[], layout: Layout): string {
  const { c } = layout.style;
  const files = new Set(errors.map((e) => e.file)).size;
  const lines = [c.bold(`Errors: ${plural(files, 'file')} not analysed`)];
  for (const error of errors) {
    const where = [error.file, error.line, error.line === undefined ? undefined : error.column].filter((part) => part !== undefined).join(':');
    lines.push(...wrap(`${c.cyan(where)}: ${error.message}`, layout.width, 2, 2));
  }
  return lines.join('\n');
}

function formatBaseline(baseline: BaselineSummary, layout: Layout): string {
  const { c } = layout.style;
  const lines = wrap(
    `${c.bold('Baseline')} ${baseline.file}: ${plural(baseline.matched, 'finding')} accepted (not shown), ${baseline.new} new.`,
    layout.width,
    0,
    2,
  );
  if (baseline.fixed.length > 0) {
    lines.push(
      ...wrap(
        `${baseline.fixed.length === 1 ? '1 entry is' : `${baseline.fixed.length} entries are`} fixed and can be dropped from the baseline:`,
        layout.width,
        2,
        2,
      ),
    );
    for (const entry of baseline.fixed) {
      lines.push(...wrap(`${c.green('fixed')}  ${entry.ruleId}  ${c.cyan(entry.file)}  ${entry.function}: ${entry.code}`, layout.width, 2, 2));
    }
  }
  return lines.join('\n');
}

function formatEmpty(report: Report, layout: Layout): string {
  const { c } = layout.style;
  const { ctx } = layout;
  const paths = ctx.scanned && ctx.scanned.paths.length > 0 ? ctx.scanned.paths : ['.'];
  const where = paths.map((path) => (path === '.' || path === './' ? (report.root ?? ctx.cwd) : path)).join(', ');
  const files = ctx.scanned?.files;
  const count = files === undefined ? '' : ` (${plural(files, 'source file')} scanned)`;
  const lines = wrap(`${c.yellow('⚠')} No Lambda handlers found in ${where}${count}: nothing was checked.`, layout.width, 0, 2);
  const skipped = new Set(report.errors.map((e) => e.file)).size;
  if (skipped > 0) {
    lines.push(...wrap(`${plural(skipped, 'file')} could not be analysed (listed under Errors): a handler there was skipped.`, layout.width, 2, 2));
  }
  lines.push(
    ...wrap(
      'Handlers are the ones SAM/CloudFormation, serverless.yml, CDK or Terraform code names, the exports that look like handlers, ' +
        'and those the configuration names in "handlers". Check the paths, the configuration\'s include/exclude and --max-file-size.',
      layout.width,
      2,
      2,
    ),
  );
  if (!report.summary.failOnEmpty) lines.push(...wrap(c.gray('--fail-on-empty makes such a scan fail (on by default when CI is set).'), layout.width, 2, 2));
  return lines.join('\n');
}

/**
 * Commands that act on this report: the safe fixes of the scanned paths (preview, then apply),
 * the unsafe transforms one at a time, and `explain` for what no transform fixes.
 */
function formatNextSteps(report: Report, visible: readonly Finding[], layout: Layout): string | undefined {
  const { c } = layout.style;
  const scanned = layout.ctx.scanned?.paths.length ? [...layout.ctx.scanned.paths] : ['.'];
  const args = [...(layout.ctx.scanned?.args ?? []), ...scanned];
  const fixable = visible.filter((f) => f.fix !== null && f.severity !== 'info');
  const safe = fixable.filter((f) => !isUnsafe(f, layout));
  const unsafe = fixable.filter((f) => isUnsafe(f, layout));
  const manual = visible.filter((f) => f.fix === null && f.severity !== 'info' && !isDirectiveFinding(f));
  const lines = [c.bold('Next steps')];
  const command = (words: string[]) => formatCommand([layout.command, ...words], layout.width - 4, 4).map((l) => `    ${l}`);
  if (safe.length > 0) {
    const transforms = [...new Set(safe.map((f) => f.fix!.transform))].join(', ');
    lines.push(...wrap(`Preview, then apply the safe fixes (${plural(safe.length, 'finding')}: ${transforms}):`, layout.width, 2, 2));
    lines.push(...command(['fix', '--all', '--dry', ...args]), ...command(['fix', '--all', ...args]));
  }
  const unsafeByTransform = new Map<string, Finding[]>();
  for (const finding of unsafe) {
    const own = unsafeByTransform.get(finding.fix!.transform);
    if (own === undefined) unsafeByTransform.set(finding.fix!.transform, [finding]);
    else own.push(finding);
  }
  for (const [transform, own] of unsafeByTransform) {
    const where = own
      .slice(0, 3)
      .map((f) => `${f.file}:${f.line}`)
      .join(', ');
    const more = own.length > 3 ? `, +${own.length - 3} more` : '';
    lines.push(
      ...wrap(
        `${plural(own.length, 'finding')} ${own.length === 1 ? 'needs' : 'need'} the unsafe transform ${transform} (${where}${more}): review its diff before applying it:`,
        layout.width,
        2,
        2,
      ),
    );
    lines.push(...command(['fix', '--transform', transform, '--dry', ...args]));
  }
  if (manual.length > 0) {
    const ruleIds = [...new Set(manual.map((f) => f.ruleId))].sort(compare);
    lines.push(
      ...wrap(`${plural(manual.length, 'finding')} ${manual.length === 1 ? 'has' : 'have'} no automatic fix; what to do by hand:`, layout.width, 2, 2),
    );
    for (const id of ruleIds) lines.push(...command(['explain', id]));
  }
  if (report.functions.length > 0 && report.summary.minScore !== undefined && report.summary.minScore > 0 && fixable.length + manual.length === 0) {
    lines.push(...wrap(`Raise the scores above --min-score ${report.summary.minScore}: the checklist items marked ? are not checked yet.`, layout.width, 2, 2));
  }
  return lines.length > 1 ? lines.join('\n') : undefined;
}

function formatCounts(report: Report): string {
  const { summary } = report;
  const parts = [plural(summary.functions, 'function')];
  const bySeverity = [plural(summary.bySeverity.error, 'error'), plural(summary.bySeverity.warning, 'warning'), `${summary.bySeverity.info} info`];
  parts.push(`${plural(summary.findings, 'finding')}${summary.findings > 0 ? ` (${bySeverity.join(', ')})` : ''}`);
  // The baseline's findings apart from inline suppressions: they are the debt still to pay.
  const accepted = report.findings.filter((f) => f.suppressed?.kind === 'baseline').length;
  if (summary.suppressed && summary.suppressed > accepted) parts.push(`${summary.suppressed - accepted} suppressed`);
  if (accepted > 0) parts.push(`${accepted} accepted in the baseline`);
  if (summary.functions > 0) parts.push(`lowest score ${summary.score}/100`);
  if (report.errors.length > 0) parts.push(`${plural(new Set(report.errors.map((e) => e.file)).size, 'file')} not analysed`);
  return parts.join(', ');
}

function formatVerdict(report: Report, layout: Layout): string[] {
  const { c } = layout.style;
  const { summary } = report;
  const reasons = summary.reasons ?? [];
  let text: string;
  if (!summary.passed) text = `${c.red.bold('FAILED')}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}.`;
  else if (summary.functions === 0) text = `${c.green.bold('PASSED')}, ${c.yellow('but nothing was checked: no Lambda handler was analysed')}.`;
  else text = `${c.green.bold('PASSED')}.`;
  return wrap(text, layout.width, 0, 2);
}

function formatSummary(report: Report, layout: Layout): string {
  const { summary } = report;
  const isEmpty = summary.functions === 0 && summary.findings === 0 && report.errors.length === 0;
  // The verdict comes last: it is the line a CI log shows.
  return [...(isEmpty ? [] : wrap(`${formatCounts(report)}.`, layout.width, 0, 2)), ...formatVerdict(report, layout)].join('\n');
}

function scoreColour(score: number, { style: { c } }: Layout): (s: string) => string {
  return score >= 90 ? c.green : score >= 50 ? c.yellow : c.red;
}

/**
 * `text` wrapped at word boundaries to `width`: the first line indented by `indent`, the others
 * by `indent + hang`. ANSI colours survive the breaks (wrap-ansi closes and reopens them).
 */
function wrap(text: string, width: number, indent: number, hang: number): string[] {
  const pad = (n: number) => ' '.repeat(n);
  // Most lines fit as they are: wrap-ansi measures every word with string-width, whose grapheme
  // segmenting made wrapping most of a dense project's report time.
  if (fitsAsItIs(text, Math.max(10, width - indent))) return [pad(indent) + text];
  // Plain ASCII (no colour, as in a piped or CI report) is wrapped the same way without it.
  const options = { hard: true, trim: true, wordWrap: true };
  const wrapLine = (line: string, columns: number) => (PLAIN_TEXT.test(line) ? wrapPlain(line, columns) : wrapAnsi(line, columns, options));
  const [first = '', ...rest] = wrapLine(text, Math.max(10, width - indent)).split('\n');
  if (rest.length === 0) return [pad(indent) + first];
  const others = wrapLine(rest.join(' '), Math.max(10, width - indent - hang)).split('\n');
  return [pad(indent) + first, ...others.map((line) => pad(indent + hang) + line)];
}

// eslint-disable-next-line no-control-regex -- SGR colour codes start with ESC
const SGR = /\u001b\[[0-9;]*m/g;
/** Printable ASCII, one column a character, nothing for wrap-ansi to trim at either end. */
const PLAIN_LINE = /^(?! )[\x20-\x7e]*(?<! )$/;

/** `text` is one line no wider than `width` that wrap-ansi would give back unchanged. */
function fitsAsItIs(text: string, width: number): boolean {
  const visible = text.includes('\u001b') ? text.replace(SGR, '') : text;
  return visible.length <= width && PLAIN_LINE.test(visible);
}

/**
 * A command line that stays runnable when copied: words that need it are quoted, and a line
 * too long for `width` continues on the next, after ` \`, indented by `hang`.
 */
function formatCommand(words: readonly string[], width: number, hang: number): string[] {
  const quoted = words.map((word, i) => (i === 0 ? word : quoteShell(word)));
  const lines: string[] = [];
  let line = '';
  for (const word of quoted) {
    // `line` holds its own hanging indent; two characters are kept for ` \`.
    if (line !== '' && line.length + 1 + word.length + 2 > width) {
      lines.push(`${line} \\`);
      line = ' '.repeat(hang) + word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

function quoteShell(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
