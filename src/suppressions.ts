/**
 * @fileoverview Inline suppressions: applies the `lmi-audit-ignore*` comments the walk collected
 * (src/analysis/directives.ts) to the findings, and reports the comments that are wrong or
 * silence nothing, as ESLint's `--report-unused-disable-directives` does. A suppressed finding
 * stays in the report, marked, so SARIF consumers and reviewers still see what was silenced and
 * why. A directive with a problem silences nothing: a typo must not hide a finding.
 */
import type { Directive, FileSummary } from './core/summary.js';
import type { RuleDocs } from './rules/types.js';
import type { DIRECTIVE_RULE_IDS, Finding, Severity } from './types.js';
import { closestMatch } from './util/did-you-mean.js';

export type DirectiveRuleId = (typeof DIRECTIVE_RULE_IDS)[number];

/** The two checks on suppression comments: rule-like (configurable, explainable), but no checklist item. */
export interface DirectiveRule {
  id: DirectiveRuleId;
  severity: Severity;
  docs: RuleDocs;
}

const SYNTAX =
  '`// lmi-audit-ignore-next-line <rule-id>[, <rule-id>] -- reason`, `// lmi-audit-ignore <rule-id> -- reason` ' +
  '(same line) or `/* lmi-audit-ignore-file <rule-id> -- reason */`';
/** The same in Python's comment syntax, for directives in `.py` files. */
const PYTHON_SYNTAX =
  '`# lmi-audit-ignore-next-line <rule-id>[, <rule-id>] -- reason`, `# lmi-audit-ignore <rule-id> -- reason` ' +
  '(same line) or `# lmi-audit-ignore-file <rule-id> -- reason`';

export const directiveRules: ReadonlyArray<DirectiveRule> = [
  {
    id: 'invalid-suppression',
    severity: 'warning',
    docs: {
      summary: 'A suppression comment without a rule id or a reason, or naming a rule that does not exist.',
      why:
        'A suppression is a reviewed decision: the rule id says what is accepted and the reason says why, for the next ' +
        'reader. A comment without them would silence every future finding on the line for no recorded reason, so ' +
        'lmi-audit does not honour it: the finding it meant to silence is still reported, next to this one.',
      bad: [
        "writeFileSync('/tmp/cache.json', data); // lmi-audit-ignore",
        '// lmi-audit-ignore-next-line shared-tmp-path',
        "writeFileSync('/tmp/cache.json', data);",
      ].join('\n'),
      good: ['// lmi-audit-ignore-next-line shared-tmp-path -- written once at init, only read by invocations', "writeFileSync('/tmp/cache.json', data);"].join(
        '\n',
      ),
      howToFix: `Write the comment as ${SYNTAX}. \`lmi-audit rules\` lists the rule ids.`,
      whenNotToUse: 'Never: fix the comment instead. Set it to `off` in the configuration only while migrating from another syntax.',
    },
  },
  {
    id: 'unused-suppression',
    severity: 'warning',
    docs: {
      summary: 'A suppression comment that silences no finding.',
      why:
        'A suppression left behind after the code was fixed, or placed on the wrong line, documents a problem that is ' +
        'not there and would silently hide a future, unreviewed finding on that line.',
      bad: ['// lmi-audit-ignore-next-line shared-tmp-path -- legacy', 'const file = `/tmp/${context.awsRequestId}.json`;'].join('\n'),
      good: 'const file = `/tmp/${context.awsRequestId}.json`;',
      howToFix:
        'Remove the comment, or the rule id that no longer applies. For a finding inside a multi-line statement, put ' +
        'the comment on (or just above) the first line of the statement.',
      whenNotToUse:
        'When the same code is scanned with different configurations (a rule turned off in one of them). Comments ' +
        'for rules turned off in the configuration are never reported as unused.',
    },
  },
];

export const DIRECTIVE_RULES = new Map(directiveRules.map((rule) => [rule.id, rule]));

export interface SuppressionOptions {
  /** Ids a directive may name (every rule of the registry). */
  knownRules: ReadonlySet<string>;
  /** Rules that ran: a directive for a rule turned off cannot be used, and is not reported as unused. */
  activeRules: ReadonlySet<string>;
  /** Severity of each directive rule, or `off` (from the configuration). */
  severityOf: (id: DirectiveRuleId) => Severity | 'off';
}

/**
 * Marks the findings that a directive silences (`suppressed: { kind: 'inline' }`) and returns
 * them with a finding for every directive with a problem or without a use.
 */
export function applyInlineSuppressions(findings: readonly Finding[], summaries: readonly FileSummary[], options: SuppressionOptions): Finding[] {
  const directivesByFile = new Map<string, Directive[]>();
  for (const summary of summaries) {
    if (summary.directives && summary.directives.length > 0) {
      directivesByFile.set(summary.file, summary.directives);
    }
  }
  if (directivesByFile.size === 0) return [...findings];

  const used = new Map<Directive, Set<string>>();
  const out = findings.map((finding) => {
    if (finding.suppressed) return finding;
    const directive = directivesByFile
      .get(finding.file)
      ?.find((d) => isValid(d, options.knownRules) && d.rules.includes(finding.ruleId) && covers(d, finding.line));
    if (!directive) return finding;
    let ids = used.get(directive);
    if (!ids) used.set(directive, (ids = new Set()));
    ids.add(finding.ruleId);
    return { ...finding, suppressed: { kind: 'inline' as const, justification: directive.reason! } };
  });

  for (const [file, directives] of directivesByFile) {
    for (const directive of directives) {
      const problems = getProblems(directive, options.knownRules);
      if (problems.length > 0) {
        pushDirectiveFinding(out, 'invalid-suppression', file, directive, invalidMessage(problems, file.endsWith('.py') ? PYTHON_SYNTAX : SYNTAX), options);
        continue;
      }
      const unused = directive.rules.filter((id) => options.activeRules.has(id) && !used.get(directive)?.has(id));
      if (unused.length > 0) {
        pushDirectiveFinding(out, 'unused-suppression', file, directive, unusedMessage(directive, unused), options);
      }
    }
  }
  return out;
}

function covers(directive: Directive, line: number): boolean {
  if (directive.kind === 'file') return true;
  return directive.lines.some(([from, to]) => line >= from && line <= to);
}

function isValid(directive: Directive, knownRules: ReadonlySet<string>): boolean {
  return getProblems(directive, knownRules).length === 0;
}

function getProblems(directive: Directive, knownRules: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (directive.kind === 'unknown') problems.push(`\`${directive.name}\` is not a directive`);
  if (directive.rules.length === 0) problems.push('it names no rule id');
  const unknown = directive.rules.filter((id) => !knownRules.has(id));
  if (unknown.length > 0) {
    const suggestion = unknown.length === 1 ? closestMatch(unknown[0]!, knownRules) : undefined;
    const names = unknown.map((id) => `\`${id}\``).join(', ');
    problems.push(
      `${unknown.length === 1 ? 'rule' : 'rules'} ${names} ${unknown.length === 1 ? 'does' : 'do'} not exist${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}`,
    );
  }
  if (directive.reason === undefined) problems.push('it gives no reason after ` -- `');
  return problems;
}

function invalidMessage(problems: string[], syntax: string): string {
  return (
    `This suppression comment is ignored: ${problems.join(', ')}. A suppression must say which rule it silences and why, ` +
    `so the finding it meant to silence is still reported. Write it as ${syntax}.`
  );
}

function unusedMessage(directive: Directive, unused: string[]): string {
  const ids = unused.map((id) => `\`${id}\``).join(', ');
  const where = directive.kind === 'file' ? 'in this file' : directive.kind === 'next-line' ? 'on the next statement' : 'on this line';
  return (
    `\`${directive.name}\` for ${ids} silences nothing: there is no such finding ${where}. ` +
    `Remove ${directive.rules.length === unused.length ? 'the comment' : 'the unused rule ids'}, so it cannot hide a future, unreviewed finding.`
  );
}

function pushDirectiveFinding(out: Finding[], ruleId: DirectiveRuleId, file: string, directive: Directive, message: string, options: SuppressionOptions): void {
  const severity = options.severityOf(ruleId);
  if (severity === 'off') return;
  out.push({
    ruleId,
    severity,
    file,
    line: directive.loc.line,
    column: directive.loc.column,
    endLine: directive.loc.endLine,
    endColumn: directive.loc.endColumn,
    message,
    functions: [],
    fix: null,
  });
}
