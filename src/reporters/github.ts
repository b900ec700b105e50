/**
 * @fileoverview The GitHub Actions reporter: one workflow command per finding
 * (`::error file=…,line=…,col=…,title=…::message`), so findings show inline on a pull request
 * without uploading SARIF, then a plain verdict line for the log. Suppressed findings are left
 * out. Escaping follows @actions/core (packages/core/src/command.ts): `%`, CR and LF in the
 * message; those and `:` and `,` in property values, where they would end a value.
 *
 * Paths are the report's, relative to the directory the scan ran in: run it from the
 * repository root for GitHub to place the annotations.
 */
import type { Finding, Report, ScanError, Severity } from '../types.js';
import type { Reporter } from './types.js';

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

export const reportGithub: Reporter = (report, ctx) => {
  const lines: string[] = [];
  for (const finding of report.findings) {
    if (finding.suppressed) continue;
    if (ctx.quiet && finding.severity !== 'error') continue;
    lines.push(formatFinding(finding));
  }
  for (const error of report.errors) lines.push(formatError(error));
  // Nothing checked is worth an annotation of its own: a green check mark would say otherwise.
  if (report.functions.length === 0) {
    lines.push(formatCommand(report.summary.passed ? 'warning' : 'error', { title: 'lmi-audit: nothing checked' }, 'No Lambda handler was analysed.'));
  }
  if (!ctx.quiet) lines.push(formatVerdict(report));
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
};

function formatFinding(finding: Finding): string {
  const singleLine = finding.line === finding.endLine;
  return formatCommand(
    COMMANDS[finding.severity],
    {
      file: finding.file,
      line: finding.line,
      endLine: finding.endLine,
      // GitHub only honours columns on a one-line range.
      ...(singleLine && { col: finding.column, endColumn: finding.endColumn }),
      title: `lmi-audit: ${finding.ruleId}`,
    },
    finding.message,
  );
}

function formatError(error: ScanError): string {
  return formatCommand('error', { file: error.file, line: error.line, col: error.column, title: 'lmi-audit: file not analysed' }, error.message);
}

function formatVerdict(report: Report): string {
  const { summary } = report;
  const parts = [`${summary.functions} functions`, `${summary.findings} findings`];
  if (summary.suppressed) parts.push(`${summary.suppressed} suppressed`);
  if (summary.functions > 0) parts.push(`lowest score ${summary.score}/100`);
  const reasons = !summary.passed && summary.reasons?.length ? ` (${summary.reasons.join('; ')})` : '';
  return `lmi-audit: ${parts.join(', ')}: ${summary.passed ? 'PASSED' : 'FAILED'}${reasons}`;
}

/** `::name key=value,key=value::message`, skipping undefined values. */
export function formatCommand(name: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
