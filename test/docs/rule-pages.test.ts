/**
 * @fileoverview docs/rules/<id>.md, the pages SARIF's helpUri and the Markdown summary link to,
 * are generated from the rules' own docs (`npm run docs`) and must be current.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDocumentedRules, renderRulePage, RULE_DOCS_DIR } from '../../src/docs/rule-docs.js';
import { rules } from '../../src/rules/index.js';

const dir = path.resolve(import.meta.dirname, '../..', RULE_DOCS_DIR);

describe('rule pages', () => {
  const documented = getDocumentedRules(rules);

  it.each(documented.map((rule) => [rule.id, rule] as const))('docs/rules/%s.md is up to date (run `npm run docs` to refresh)', (id, rule) => {
    const file = path.join(dir, `${id}.md`);
    expect(fs.existsSync(file), `${file} is missing: run \`npm run docs\``).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(renderRulePage(rule));
  });

  it('has no page for a rule that does not exist', () => {
    const pages = fs.readdirSync(dir).filter((name) => name.endsWith('.md'));
    expect(pages.sort()).toEqual(documented.map((rule) => `${rule.id}.md`).sort());
  });
});
