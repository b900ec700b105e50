/**
 * @fileoverview `lmi-audit rules` (every rule: checklist item, severity, fix transform, summary;
 * `--format json` for tools) and `lmi-audit explain <rule-id>` (a rule's docs). Both read the
 * docs that live beside each rule's code, the same ones the README table and docs/rules/ are
 * generated from.
 */
import { UsageError } from '../errors.js';
import { getDocumentedRules, getRuleDocsUrl, renderRulePage, renderRuleText, type DocumentedRule } from '../docs/rule-docs.js';
import type { RuleMeta } from '../rules/types.js';
import { didYouMean } from '../util/did-you-mean.js';

export type RulesFormat = 'text' | 'json';
export type ExplainFormat = 'text' | 'markdown' | 'json';

export function formatRules(registry: ReadonlyArray<RuleMeta>, format: RulesFormat): string {
  const rules = getDocumentedRules(registry);
  if (format === 'json') {
    return (
      JSON.stringify(
        rules.map((rule) => ({
          id: rule.id,
          checklist: rule.checklist,
          severity: rule.severity,
          fix: rule.fix,
          summary: rule.docs.summary,
          docs: getRuleDocsUrl(rule.id),
        })),
        null,
        2,
      ) + '\n'
    );
  }
  const rows = rules.map((rule) => [
    rule.id,
    rule.checklist ?? '—',
    rule.severity,
    rule.fix ? `${rule.fix.transform} (${rule.fix.safety})` : '—',
    rule.docs.summary,
  ]);
  const header = ['rule', 'checklist item', 'severity', 'fix', 'what it finds'];
  const widths = header.slice(0, -1).map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), '', 'lmi-audit explain <rule> prints what a rule finds, why, and how to fix it.', ''].join('\n');
}

export function formatExplanation(registry: ReadonlyArray<RuleMeta>, id: string, format: ExplainFormat): string {
  const rule = findRule(registry, id);
  if (format === 'json') return JSON.stringify({ ...rule, docsUrl: getRuleDocsUrl(rule.id) }, null, 2) + '\n';
  if (format === 'markdown') return renderRulePage(rule);
  return renderRuleText(rule) + '\n';
}

function findRule(registry: ReadonlyArray<RuleMeta>, id: string): DocumentedRule {
  const rules = getDocumentedRules(registry);
  const rule = rules.find((r) => r.id === id) ?? rules.find((r) => r.id === id.toLowerCase());
  if (!rule) {
    const ids = rules.map((r) => r.id);
    // A transform id is the likeliest mix-up: `fix --transform` takes both.
    const fixedBy = rules.filter((r) => r.fix?.transform === id.toLowerCase()).map((r) => `\`${r.id}\``);
    const hint = fixedBy.length > 0 ? ` \`${id}\` is a transform; it fixes ${fixedBy.join(', ')}: explain that rule.` : didYouMean(id, ids);
    throw new UsageError(`Unknown rule \`${id}\`.${hint} Rules: ${ids.join(', ')}`);
  }
  return rule;
}
