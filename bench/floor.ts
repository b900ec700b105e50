/**
 * @fileoverview The floor contender of `npm run bench`: read every source file of a corpus and
 * parse it on one thread, as the scanner must at least do: `.ts` with `ts.createSourceFile`
 * (defaults: JSDoc parsed, no parent pointers, as a scan parses, so the floor is not inflated by
 * work the scanner chose to do), `.py` with the tree-sitter Python grammar the scanner uses
 * (loaded once, only when the corpus has Python files). Prints `{ files, bytes, statements }` as
 * JSON on stdout (the statement count keeps the parse from being optimised away).
 * Usage: node dist-bench/bench/floor.js <corpus dir>
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import ts from 'typescript';

export function listSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && ((entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) || entry.name.endsWith('.py'))) out.push(full);
    }
  };
  walk(root);
  return out;
}

/** The tree-sitter Python parser, from the same packages the scanner loads. */
async function pythonParser(): Promise<{ parse(text: string): { rootNode: { childCount: number }; delete(): void } | null }> {
  const { Parser, Language } = await import('web-tree-sitter');
  await Parser.init();
  const require = createRequire(import.meta.url);
  const wasm = path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
  const parser = new Parser();
  parser.setLanguage(await Language.load(wasm));
  return parser;
}

async function main(): Promise<void> {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write('usage: floor.js <corpus dir>\n');
    process.exit(2);
  }
  let bytes = 0;
  let statements = 0;
  const files = listSourceFiles(root);
  const python = files.some((f) => f.endsWith('.py')) ? await pythonParser() : undefined;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    bytes += text.length;
    if (file.endsWith('.py')) {
      // Freed as the scanner frees its trees: tree-sitter's memory is outside the JS heap.
      const tree = python!.parse(text);
      statements += tree?.rootNode.childCount ?? 0;
      tree?.delete();
      continue;
    }
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    statements += sf.statements.length;
  }
  process.stdout.write(JSON.stringify({ files: files.length, bytes, statements }) + '\n');
}

await main();
