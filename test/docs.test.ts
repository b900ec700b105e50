import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_SOURCES } from '../src/docs/check-sources.js';
import { CHECKS_END, CHECKS_START, renderChecksTable, renderRulesTable, RULES_END, RULES_START, updateReadme } from '../src/docs/rules-table.js';
import { formatRules } from '../src/commands/rules.js';
import { rules } from '../src/rules/index.js';

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8');

describe('README rules table', () => {
  it('is generated from the rule registry and up to date (run `npm run docs` to refresh)', () => {
    expect(readme).toContain(RULES_START);
    expect(updateReadme(readme, rules)).toBe(readme);
  });

  it('lists every rule with its checklist item and severity', () => {
    const table = renderRulesTable(rules);
    for (const rule of rules) expect(table).toContain(`| \`${rule.id}\` | ${rule.checklist} | ${rule.severity} |`);
    expect(table.endsWith(RULES_END)).toBe(true);
  });

  it('lists every rule `lmi-audit rules` prints, the suppression checks included', () => {
    const listed = formatRules(rules, 'json');
    const ids = (JSON.parse(listed) as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toContain('unused-suppression');
    expect([...renderRulesTable(rules).matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])).toEqual(ids);
  });

  it('refuses a README without the markers rather than guessing where the table goes', () => {
    expect(() => updateReadme('# no markers', rules)).toThrow(/markers/);
    expect(() => updateReadme(`${RULES_START}\n${RULES_END}`, rules)).toThrow(/checks section/);
  });
});

describe('README checks table', () => {
  it('is generated and up to date', () => {
    expect(readme).toContain(CHECKS_START);
    expect(readme).toContain(renderChecksTable(rules));
    expect(renderChecksTable(rules).endsWith(CHECKS_END)).toBe(true);
  });

  it('names an AWS documentation page for every check of every rule, and no check that does not exist', () => {
    for (const rule of rules) {
      expect(Object.keys(CHECK_SOURCES[rule.id] ?? {}).sort(), rule.id).toEqual(Object.keys(rule.messages).sort());
      for (const source of Object.values(CHECK_SOURCES[rule.id]!)) expect(source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
    expect(Object.keys(CHECK_SOURCES).sort()).toEqual(rules.map((rule) => rule.id).sort());
  });
});
