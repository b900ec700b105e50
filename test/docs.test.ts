import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRulesTable, RULES_END, RULES_START, updateReadme } from '../src/docs/rules-table.js';
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

  it('refuses a README without the markers rather than guessing where the table goes', () => {
    expect(() => updateReadme('# no markers', rules)).toThrow(/markers/);
  });
});
