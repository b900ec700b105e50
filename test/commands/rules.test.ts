/**
 * @fileoverview `lmi-audit rules` and `lmi-audit explain`, rendered from the registry's docs.
 */
import { describe, expect, it } from 'vitest';
import { formatExplanation, formatRules } from '../../src/commands/rules.js';
import { UsageError } from '../../src/errors.js';
import { rules } from '../../src/rules/index.js';

describe('rules', () => {
  it('lists every rule and both suppression checks with checklist item, severity, fix and summary', () => {
    const lines = formatRules(rules, 'text').split('\n');
    expect(lines[0]).toMatch(/^rule +checklist item +severity +fix +what it finds$/);
    for (const rule of rules) {
      const row = lines.find((line) => line.startsWith(`${rule.id} `))!;
      expect(row).toContain(rule.checklist);
      expect(row).toContain(rule.severity);
      expect(row).toContain(rule.fix ? rule.fix.transform : '—');
      expect(row.endsWith(rule.docs.summary)).toBe(true);
    }
    expect(lines.find((line) => line.startsWith('unused-suppression '))).toMatch(/^unused-suppression +— +warning +— +A suppression comment/);
  });

  it('prints JSON for tools', () => {
    const list = JSON.parse(formatRules(rules, 'json')) as Array<Record<string, unknown>>;
    expect(list.map((r) => r.id)).toEqual([...rules.map((r) => r.id), 'invalid-suppression', 'unused-suppression']);
    expect(list[0]).toEqual({
      id: rules[0]!.id,
      checklist: rules[0]!.checklist,
      severity: rules[0]!.severity,
      fix: rules[0]!.fix,
      summary: rules[0]!.docs.summary,
      docs: `https://github.com/lmi-audit/lmi-audit/blob/main/docs/rules/${rules[0]!.id}.md`,
    });
  });
});

describe('explain', () => {
  it("prints a rule's docs: summary, why, bad and good code, how to fix, when not to use it", () => {
    const rule = rules.find((r) => r.id === 'shared-tmp-path')!;
    const text = formatExplanation(rules, 'shared-tmp-path', 'text');
    expect(text.startsWith(`shared-tmp-path\n${rule.docs.summary}\n`)).toBe(true);
    for (const heading of ['Why it breaks on Lambda Managed Instances', 'Reported', 'Not reported', 'How to fix', 'When not to use it']) {
      expect(text).toContain(`\n${heading}\n  `);
    }
    expect(text).toContain(rule.docs.why);
    expect(text).toContain(`  ${rule.docs.bad.split('\n')[0]}`);
    expect(formatExplanation(rules, 'shared-tmp-path', 'markdown')).toContain('# `shared-tmp-path`');
    expect(JSON.parse(formatExplanation(rules, 'unused-suppression', 'json'))).toMatchObject({ id: 'unused-suppression', checklist: null });
  });

  it('refuses an unknown rule, listing the known ones', () => {
    expect(() => formatExplanation(rules, 'shared-tmp', 'text')).toThrow(UsageError);
    expect(() => formatExplanation(rules, 'shared-tmp', 'text')).toThrow(
      /^Unknown rule `shared-tmp`\. Did you mean `shared-tmp-path`\? Rules: global-mutable-state, /,
    );
    expect(() => formatExplanation(rules, 'no-such-rule', 'text')).toThrow(/^Unknown rule `no-such-rule`\. Rules: /);
  });

  it('names the rule a transform id fixes', () => {
    expect(() => formatExplanation(rules, 'tmp-paths', 'text')).toThrow(
      /^Unknown rule `tmp-paths`\. `tmp-paths` is a transform; it fixes `shared-tmp-path`: explain that rule\. Rules: /,
    );
  });

  it('takes a rule id in any case', () => {
    expect(formatExplanation(rules, 'Shared-Tmp-Path', 'text')).toBe(formatExplanation(rules, 'shared-tmp-path', 'text'));
  });
});
