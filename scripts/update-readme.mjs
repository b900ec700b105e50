// Regenerates the rules table in README.md from the built rule registry (run `npm run build` first).
import * as fs from 'node:fs';
import { rules } from '../dist/src/rules/index.js';
import { updateReadme } from '../dist/src/docs/rules-table.js';

const file = new URL('../README.md', import.meta.url);
const before = fs.readFileSync(file, 'utf8');
const after = updateReadme(before, rules);
if (after !== before) fs.writeFileSync(file, after);
console.log(after === before ? 'README.md rules table is up to date' : 'README.md rules table updated');
