/**
 * @fileoverview The floor contender of `npm run bench`: read every .ts file of a corpus and parse
 * it with `ts.createSourceFile` on one thread, as the scanner must at least do. Defaults
 * (JSDoc parsed, no parent pointers) as a scan would parse, so the floor is not inflated by work
 * the scanner chose to do. Prints `{ files, bytes,
 * statements }` as JSON on stdout (the statement count keeps the parse from being optimised away).
 * Usage: node dist-bench/bench/floor.js <corpus dir>
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export function listTsFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
    }
  };
  walk(root);
  return out;
}

function main(): void {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write('usage: floor.js <corpus dir>\n');
    process.exit(2);
  }
  let bytes = 0;
  let statements = 0;
  const files = listTsFiles(root);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    bytes += text.length;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    statements += sf.statements.length;
  }
  process.stdout.write(JSON.stringify({ files: files.length, bytes, statements }) + '\n');
}

main();
