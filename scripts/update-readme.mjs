// Regenerates the rules table in README.md from the built rule registry (run `npm run build` first).
import * as fs from 'node:fs';
import { rules } from '../dist/src/rules/index.js';
import { updateReadme } from '../dist/src/docs/rules-table.js';
import { getDocumentedRules, renderRulePage, RULE_DOCS_DIR } from '../dist/src/docs/rule-docs.js';

const file = new URL('../README.md', import.meta.url);
const before = fs.readFileSync(file, 'utf8');
const after = updateReadme(before, rules);
if (after !== before) fs.writeFileSync(file, after);
console.log(after === before ? 'README.md rules table is up to date' : 'README.md rules table updated');

// One page per rule (and suppression check) under docs/rules/: SARIF's helpUri points there.
const docsDir = new URL(`../${RULE_DOCS_DIR}/`, import.meta.url);
fs.mkdirSync(docsDir, { recursive: true });
const pages = new Map(getDocumentedRules(rules).map((rule) => [`${rule.id}.md`, renderRulePage(rule)]));
let changed = 0;
for (const [name, text] of pages) {
  const file = new URL(name, docsDir);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
  fs.writeFileSync(file, text);
  changed++;
}
for (const name of fs.readdirSync(docsDir)) {
  if (name.endsWith('.md') && !pages.has(name)) {
    fs.rmSync(new URL(name, docsDir));
    changed++;
  }
}
console.log(changed === 0 ? `${RULE_DOCS_DIR}/ is up to date` : `${RULE_DOCS_DIR}/: ${changed} pages written or removed`);
