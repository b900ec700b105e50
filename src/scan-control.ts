/**
 * @fileoverview The scan stages that put the user in control, kept out of the analysis
 * pipeline (src/scan.ts calls each one once): the configuration's file selection, which rules
 * run, the gate's settings, and what happens to findings after the rules ran: inline
 * suppressions, fingerprints and the baseline.
 */
import * as path from 'node:path';
import type { FileSummary } from './core/summary.js';
import { applyBaselineOptions } from './baseline.js';
import { createFileSelector, getConfiguredSeverity } from './config/apply.js';
import { fingerprintFindings } from './fingerprint.js';
import type { Discovery } from './project/files.js';
import type { Rule } from './rules/define.js';
import type { Gate } from './scoring/index.js';
import { applyInlineSuppressions, DIRECTIVE_RULES, type DirectiveRuleId } from './suppressions.js';
import { rules as registry } from './rules/index.js';
import { DIRECTIVE_RULE_IDS, type BaselineSummary, type Finding, type LoadedConfig, type ScanOptions } from './types.js';
import { compareStrings as compare } from './util/compare-strings.js';

/** Ids the configuration's `rules` may name: the registry's rules and the suppression checks. */
export function getConfigurableRuleIds(): Set<string> {
  return new Set([...registry.map((rule) => rule.id), ...DIRECTIVE_RULE_IDS]);
}

/**
 * The gate: options first, then the configuration file, then the defaults. An empty scan fails
 * by default in CI (`CI` set, as GitHub Actions, GitLab CI, CircleCI and others set it): a
 * pipeline whose paths moved would otherwise go green having checked nothing.
 */
export function resolveGate(options: Pick<ScanOptions, 'failOn' | 'minScore' | 'failOnEmpty' | 'env'> & { config?: LoadedConfig }): Gate {
  const ci = (options.env ?? process.env).CI;
  return {
    failOn: options.failOn ?? options.config?.failOn ?? 'error',
    minScore: options.minScore ?? options.config?.minScore ?? 0,
    failOnEmpty: options.failOnEmpty ?? options.config?.failOnEmpty ?? (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'),
  };
}

/** Drops the files the configuration's include/exclude globs leave out. */
export function selectFiles(discovery: Discovery, config: LoadedConfig | undefined): Discovery {
  const isSelected = createFileSelector(config);
  if (!isSelected) return discovery;
  return {
    ...discovery,
    sources: discovery.sources.filter((f) => isSelected(f.path)),
    infra: discovery.infra.filter((f) => isSelected(f.path)),
    python: discovery.python.filter((f) => isSelected(f)),
    errors: discovery.errors.filter((e) => !path.isAbsolute(e.file) || isSelected(e.file)),
  };
}

/** The rules the configuration does not turn off. */
export function getActiveRules(rules: ReadonlyArray<Rule>, config: LoadedConfig | undefined): Rule[] {
  return rules.filter((rule) => getConfiguredSeverity(config, rule.id) !== 'off');
}

export interface FinishOptions {
  cwd: string;
  config?: LoadedConfig;
  baseline?: string;
  writeBaseline?: string;
  /** Every rule id (a suppression may name any of them). */
  ruleIds: ReadonlySet<string>;
  /** Ids of the rules that ran. */
  activeRuleIds: ReadonlySet<string>;
  /**
   * The findings the report keeps (after inline suppressions, so that a comment outside the
   * scanned paths still silences its finding; before the baseline, which only records these).
   */
  keep?: (finding: Finding) => boolean;
  /** Reads a finding's file for its fingerprint (inline code is in memory); default: from disk. */
  readFile?: (file: string) => string;
}

/**
 * Inline suppressions, then fingerprints, then the baseline. The result is sorted like the
 * rules' findings (file, line, column, rule) and keeps suppressed findings, marked.
 */
export function finishFindings(
  findings: readonly Finding[],
  summaries: readonly FileSummary[],
  options: FinishOptions,
): { findings: Finding[]; baseline?: BaselineSummary } {
  const withDirectives = applyInlineSuppressions(findings, summaries, {
    knownRules: options.ruleIds,
    activeRules: options.activeRuleIds,
    severityOf: (id: DirectiveRuleId) => getConfiguredSeverity(options.config, id) ?? DIRECTIVE_RULES.get(id)!.severity,
  });
  const kept = options.keep ? withDirectives.filter(options.keep) : withDirectives;
  kept.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId));
  const functionsByFile = new Map(summaries.map((s) => [s.file, s.functions]));
  const fingerprinted = fingerprintFindings(kept, options.cwd, {
    functionsOf: (file) => functionsByFile.get(file),
    ...(options.readFile && { readFile: options.readFile }),
  });
  const result = applyBaselineOptions(fingerprinted, options);
  return result.summary ? { findings: result.findings, baseline: result.summary } : { findings: result.findings };
}
