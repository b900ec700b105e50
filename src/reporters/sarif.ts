/**
 * @fileoverview The SARIF 2.1.0 reporter, for GitHub code scanning and other SARIF viewers. One
 * run: every rule (and the two suppression checks) in `tool.driver.rules` with its docs, one
 * result per finding with a physical location relative to `%SRCROOT%` (the directory the scan
 * ran in), the finding's fingerprint as a partial fingerprint, `suppressions` on every result
 * (empty when not suppressed: SARIF wants all or none), and `fixes` when the fix transform's
 * edits were computed. Files that could not be analysed are tool execution notifications, and
 * make `executionSuccessful` false: a scan that skipped files did not fully succeed.
 *
 * Tests validate the output against the SARIF 2.1.0 schema and with Microsoft's SARIF
 * Multitool, including its GitHub ingestion rules (`--rule-kind "Sarif;Gh"`).
 */
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { getDocumentedRules, getRuleDocsUrl, renderRuleHelpMarkdown, renderRuleHelpText, REPOSITORY_URL, type DocumentedRule } from '../docs/rule-docs.js';
import type { Finding, Report, ScanError, Severity } from '../types.js';
import { jsonChunks } from '../util/json-chunks.js';
import { chunkedReporter, type FindingFix, type ReporterContext } from './types.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';
/** The key of the partial fingerprint: versioned, so a change of algorithm is a new key. */
export const FINGERPRINT_KEY = 'lmiAuditFingerprint/v1';

const LEVELS: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };

/** Streamed by result (depth 4: log, runs, run, results): no string holds the whole log. */
export const reportSarif = chunkedReporter(function* (report, ctx) {
  yield* jsonChunks(toSarif(report, ctx), 4);
  yield '\n';
});

export function toSarif(report: Report, ctx: ReporterContext): Sarif.Log {
  const rules = getDocumentedRules(ctx.rules);
  // A finding of a rule the reporter was not told about still needs a driver rule to point at.
  for (const id of new Set(report.findings.map((f) => f.ruleId))) {
    if (!rules.some((r) => r.id === id)) rules.push(placeholderRule(id, report.findings.find((f) => f.ruleId === id)!.severity));
  }
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: REPOSITORY_URL,
            rules: rules.map(toReportingDescriptor),
          },
        },
        invocations: [toInvocation(report.errors)],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(ctx.cwd) } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((finding) => toResult(finding, ruleIndex.get(finding.ruleId)!, ctx)),
        // The functions the results name (`properties.functions`), and how each handler was found.
        ...(report.functions.length > 0 && {
          properties: {
            functions: report.functions.map((fn) => ({
              id: fn.id,
              ...(fn.discovery !== undefined && { discovery: fn.discovery }),
              ...(fn.declaredIn && { declaredIn: fn.declaredIn }),
              score: fn.score,
            })),
          },
        }),
      },
    ],
  };
}

function toReportingDescriptor(rule: DocumentedRule): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    // SARIF wants `name` to differ from the opaque `id`, so one-word ids have none.
    ...(pascalCase(rule.id).toLowerCase() !== rule.id.toLowerCase() && { name: pascalCase(rule.id) }),
    shortDescription: { text: rule.docs.summary },
    fullDescription: { text: rule.docs.why },
    help: { text: renderRuleHelpText(rule), markdown: renderRuleHelpMarkdown(rule) },
    helpUri: getRuleDocsUrl(rule.id),
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: {
      tags: rule.checklist ? ['lmi', 'lambda', 'concurrency', rule.checklist] : ['lmi', 'suppression'],
      ...(rule.checklist && { checklistItem: rule.checklist }),
      ...(rule.fix && { fix: { transform: rule.fix.transform, safety: rule.fix.safety } }),
    },
  };
}

function toResult(finding: Finding, ruleIndex: number, ctx: ReporterContext): Sarif.Result {
  const snippet = getSnippet(finding, ctx);
  const fix = ctx.getFix?.(finding);
  const result: Sarif.Result = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(finding.file),
          region: {
            startLine: finding.line,
            startColumn: finding.column,
            endLine: finding.endLine,
            endColumn: finding.endColumn,
            ...(snippet !== undefined && { snippet: { text: snippet } }),
          },
        },
      },
    ],
    suppressions: finding.suppressed
      ? [
          {
            kind: finding.suppressed.kind === 'inline' ? 'inSource' : 'external',
            status: 'accepted',
            justification: finding.suppressed.justification,
          },
        ]
      : [],
  };
  if (finding.fingerprint) result.partialFingerprints = { [FINGERPRINT_KEY]: finding.fingerprint };
  if (fix) result.fixes = [toFix(fix)];
  const properties: Sarif.PropertyBag = {};
  if (finding.functions.length > 0) properties.functions = finding.functions;
  if (finding.fix) properties.fixCommand = `lmi-audit fix --transform ${finding.fix.transform}`;
  if (Object.keys(properties).length > 0) result.properties = properties;
  return result;
}

/** The flagged text, when the source lines are at hand. */
function getSnippet(finding: Finding, ctx: ReporterContext): string | undefined {
  if (!ctx.readSourceLine) return undefined;
  const lines: string[] = [];
  for (let line = finding.line; line <= finding.endLine; line++) {
    const text = ctx.readSourceLine(finding.file, line);
    if (text === undefined) return undefined;
    const from = line === finding.line ? finding.column - 1 : 0;
    const to = line === finding.endLine ? finding.endColumn - 1 : text.length;
    lines.push(text.slice(from, to));
  }
  const snippet = lines.join('\n');
  return snippet.length > 0 ? snippet : undefined;
}

function toFix(fix: FindingFix): Sarif.Fix {
  return {
    description: { text: fix.description },
    artifactChanges: fix.changes.map((change) => ({
      artifactLocation: artifactLocation(change.file),
      replacements: change.replacements.map((r) => ({
        deletedRegion: { charOffset: r.offset, charLength: r.length },
        ...(r.text.length > 0 && { insertedContent: { text: r.text } }),
      })),
    })),
  };
}

function toInvocation(errors: readonly ScanError[]): Sarif.Invocation {
  return {
    executionSuccessful: errors.length === 0,
    toolExecutionNotifications: errors.map((error) => {
      const notification: Sarif.Notification = {
        level: 'error',
        message: { text: endSentence(error.message) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifactLocation(error.file),
              ...(error.line !== undefined && {
                region: { startLine: error.line, ...(error.column !== undefined && { startColumn: error.column }) },
              }),
            },
          },
        ],
      };
      return notification;
    }),
  };
}

function artifactLocation(file: string): Sarif.ArtifactLocation {
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const uri = pathToFileURL(dir).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function placeholderRule(id: string, severity: Severity): DocumentedRule {
  const text = `Findings of the rule ${id}.`;
  return { id, checklist: null, severity, fix: null, docs: { summary: text, why: text, bad: '', good: '', howToFix: text, whenNotToUse: text } };
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase());
}

function endSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
