/**
 * @fileoverview The Markdown reporter: a summary fit for `$GITHUB_STEP_SUMMARY` or a pull
 * request comment. The verdict first, then one table row per function (worst score first) with
 * its seven checklist marks and its top findings, all findings in a collapsed section (errors
 * first), files not analysed, and baseline entries that can be dropped. Cells stay narrow so
 * the table fits the step summary's width: a function is named by its logical id, a finding's
 * place is given relative to the function's file. Long lists are cut, errors kept first, so the
 * summary stays under GitHub's size limits; the JSON and SARIF reports keep everything.
 */
import { getRuleDocsUrl } from '../docs/rule-docs.js';
import * as posixPath from 'node:path/posix';
import { SEVERITY_RANK } from '../scoring/index.js';
import { CHECKLIST_ITEMS, type ChecklistStatus, type Finding, type Report, type ReportFunction, type Severity } from '../types.js';
import type { Reporter, ReporterContext } from './types.js';
import { compareStrings as compare } from '../util/compare-strings.js';

const STATUS_MARKS: Record<ChecklistStatus, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  unknown: '❔',
  'not-applicable': '➖',
};
const SEVERITY_MARKS: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };
const TOP_FINDINGS = 3;
const MAX_FINDINGS = 100;
const MAX_FUNCTIONS = 200;

export const reportMarkdown: Reporter = (report, ctx) => {
  const active = report.findings.filter((f) => !f.suppressed);
  const sections = [formatHeader(report)];
  if (report.functions.length > 0) sections.push(formatFunctions(report, active, ctx));
  if (active.length > 0) sections.push(formatFindings(active, ctx));
  if (report.errors.length > 0) sections.push(formatErrors(report));
  if (report.baseline) sections.push(formatBaseline(report));
  return sections.join('\n\n') + '\n';
};

function formatHeader(report: Report): string {
  const { summary } = report;
  const verdict = summary.passed ? '✅ lmi-audit: PASSED' : '❌ lmi-audit: FAILED';
  const counts = [plural(summary.functions, 'function'), plural(summary.findings, 'finding')];
  if (summary.findings > 0) {
    counts[1] += ` (${plural(summary.bySeverity.error, 'error')}, ${plural(summary.bySeverity.warning, 'warning')}, ${summary.bySeverity.info} info)`;
  }
  if (summary.functions > 0) counts.push(`lowest score **${summary.score}/100**`);
  if (summary.suppressed) counts.push(`${summary.suppressed} suppressed`);
  if (report.errors.length > 0) counts.push(`${plural(new Set(report.errors.map((e) => e.file)).size, 'file')} not analysed`);
  const lines = [`## ${verdict}`, '', counts.join(' · ')];
  const reasons = summary.passed ? [] : (summary.reasons ?? []);
  if (reasons.length > 0) lines.push('', `Gate: ${reasons.map(escapeText).join('; ')}.`);
  if (summary.functions === 0) {
    const skipped = report.errors.length > 0 ? ` ${plural(new Set(report.errors.map((e) => e.file)).size, 'file')} could not be analysed (below).` : '';
    lines.push('', `> [!WARNING]\n> No Lambda handler was analysed: nothing was checked.${skipped}`);
  }
  return lines.join('\n');
}

function formatFunctions(report: Report, active: readonly Finding[], ctx: ReporterContext): string {
  const functions = [...report.functions].sort((a, b) => a.score - b.score || compare(a.id, b.id));
  const shown = functions.slice(0, MAX_FUNCTIONS);
  const header = `| function | score | ${CHECKLIST_ITEMS.map((_, i) => i + 1).join(' | ')} | top findings |`;
  const align = `|---|--:|${CHECKLIST_ITEMS.map(() => ':-:').join('|')}|---|`;
  const rows = shown.map((fn) => formatFunctionRow(fn, active, ctx));
  const legend =
    `Checklist: ${CHECKLIST_ITEMS.map((item, i) => `${i + 1} \`${item}\``).join(' · ')}. ` +
    `${STATUS_MARKS.pass} pass · ${STATUS_MARKS.warn} warnings · ${STATUS_MARKS.fail} errors · ${STATUS_MARKS.unknown} not checked · ${STATUS_MARKS['not-applicable']} not applicable`;
  const more = functions.length > shown.length ? [`…and ${functions.length - shown.length} more functions.`] : [];
  return ['### Functions', '', header, align, ...rows, '', legend, ...more].join('\n');
}

function formatFunctionRow(fn: ReportFunction, active: readonly Finding[], ctx: ReporterContext): string {
  const findings = sortErrorsFirst(active.filter((f) => f.functions.includes(fn.id)));
  const top = findings.slice(0, TOP_FINDINGS).map((f) => {
    // Relative to the function's file: `handler.ts:28` for its own file, `../lib/db.ts:4` for a module it reaches.
    const place = `${posixPath.relative(posixPath.dirname(fn.file), f.file) || posixPath.basename(f.file)}:${f.line}`;
    return `${SEVERITY_MARKS[f.severity]} ${ruleLink(f.ruleId)} ${locationLink(f.file, f.line, ctx, place)}${f.fix ? ` · fix ${code(f.fix.transform)}` : ''}`;
  });
  if (findings.length > TOP_FINDINGS) top.push(`+${findings.length - TOP_FINDINGS} more`);
  const marks = CHECKLIST_ITEMS.map((item) => STATUS_MARKS[fn.checklist[item]]);
  const name = fn.declaredIn ? `**${escapeText(fn.declaredIn.logicalId)}**<br><sub>${code(fn.id)}</sub>` : code(fn.id);
  return `| ${name}${formatDiscovery(fn)} | ${fn.score} | ${marks.join(' | ')} | ${top.length > 0 ? top.join('<br>') : 'none'} |`;
}

/** Errors, then warnings, then notes; by place within each. */
function sortErrorsFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compare(a.file, b.file) || a.line - b.line);
}

/** How the handler was found, under its id: where infrastructure code declares it, or that nothing does. */
function formatDiscovery(fn: ReportFunction): string {
  if (fn.discovery === 'infrastructure' && fn.declaredIn) return `<br><sub>declared in ${code(`${fn.declaredIn.file}:${fn.declaredIn.line}`)}</sub>`;
  if (fn.discovery === 'configuration') return '<br><sub>named by the configuration</sub>';
  if (fn.discovery === 'inferred') return '<br><sub>inferred</sub>';
  return '';
}

function formatFindings(active: readonly Finding[], ctx: ReporterContext): string {
  // Cut after sorting: what a long list loses is its notes, never its errors.
  const shown = sortErrorsFirst(active).slice(0, MAX_FINDINGS);
  const rows = shown.map(
    (f) =>
      `| ${SEVERITY_MARKS[f.severity]} ${f.severity} | ${ruleLink(f.ruleId)} | ${locationLink(f.file, f.line, ctx)} | ${escapeText(f.message)} | ${f.fix ? code(f.fix.transform) : '—'} |`,
  );
  const more = active.length > shown.length ? ['', `…and ${active.length - shown.length} more: see the JSON or SARIF report.`] : [];
  return [
    `<details><summary>All findings (${active.length})</summary>`,
    '',
    '| severity | rule | location | message | fix |',
    '|---|---|---|---|---|',
    ...rows,
    ...more,
    '',
    '</details>',
  ].join('\n');
}

function formatErrors(report: Report): string {
  const lines = report.errors.map((e) => {
    const where = [e.file, e.line, e.line === undefined ? undefined : e.column].filter((p) => p !== undefined).join(':');
    return `- ${code(where)}: ${escapeText(e.message)}`;
  });
  return [`### Files not analysed (${report.errors.length})`, '', ...lines].join('\n');
}

function formatBaseline(report: Report): string {
  const baseline = report.baseline!;
  const lines = ['### Baseline', '', `${plural(baseline.matched, 'finding')} listed in ${code(baseline.file)} (not gated), ${baseline.new} new.`];
  if (baseline.fixed.length > 0) {
    const them = baseline.fixed.length === 1 ? 'it' : 'them';
    lines.push('', `${plural(baseline.fixed.length, 'baseline entry', 'baseline entries')} no longer found (fixed: drop ${them} from the file):`, '');
    for (const entry of baseline.fixed) {
      lines.push(`- ${ruleLink(entry.ruleId)} in ${code(entry.file)} (${code(entry.function)}): ${code(entry.code)}`);
    }
  }
  return lines.join('\n');
}

function ruleLink(ruleId: string): string {
  return `[${code(ruleId)}](${getRuleDocsUrl(ruleId)})`;
}

function locationLink(file: string, line: number, ctx: ReporterContext, shown = `${file}:${line}`): string {
  const text = code(shown);
  const url = ctx.sourceLink?.(file, line);
  return url ? `[${text}](${url})` : text;
}

/** A code span that survives a table cell: pipes escaped, no line breaks, backticks fenced. */
function code(text: string): string {
  const clean = text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
  const ticks = clean.includes('`') ? '``' : '`';
  const pad = ticks.length > 1 ? ' ' : '';
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

/** Text for a table cell: no line breaks, no pipes, no raw HTML. */
function escapeText(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
