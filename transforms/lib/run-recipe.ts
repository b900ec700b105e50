/**
 * @fileoverview The frame every transform runs in: line endings normalised to LF (restored
 * afterwards), the right parser for the file, the file's quote and indentation style detected,
 * edits applied at the end. Returns `undefined` when nothing changed (the jscodeshift contract).
 */
import type { API, FileInfo } from 'jscodeshift';
import { getParser } from './get-parser.js';
import { parseSource } from './parse-source.js';
import { SourceEdits } from './source-edits.js';
import type { AstNode, Recipe, RecipeContext, TransformOptions } from './types.js';

export function runRecipe(file: FileInfo, api: API, options: TransformOptions, recipe: Recipe): string | undefined {
  const crlf = file.source.includes('\r\n');
  const source = crlf ? file.source.replace(/\r\n/g, '\n') : file.source;
  const j = api.jscodeshift.withParser(getParser(file.path));
  const root = parseSource(j, source);
  const lines = options.lines ? new Set(options.lines) : undefined;
  const parser = getParser(file.path);
  // Style questions are answered when a step first asks (each one walks the tree).
  let quote: "'" | '"' | undefined;
  let commonJS: boolean | undefined;
  let indentUnit: string | undefined;
  let programScope: AstNode;
  const ctx: RecipeContext = {
    j,
    root,
    source,
    path: file.path,
    options,
    isTypeScript: parser === 'tsx',
    get isCommonJS() {
      return (commonJS ??= detectCommonJS(j, root, file.path, source));
    },
    get quote() {
      return (quote ??= detectQuote(j, root));
    },
    get indentUnit() {
      return (indentUnit ??= detectIndentUnit(source));
    },
    edits: new SourceEdits(source),
    report: (note) => (api.report ? api.report(note) : undefined),
    isReported: (node: AstNode) => {
      if (!lines) return true;
      // Declarations under `export` carry no `loc` in the babel tree: their offsets tell the lines.
      const lineOf = (pos: number) => source.slice(0, pos).split('\n').length;
      const from = node.loc?.start.line ?? (typeof node.start === 'number' ? lineOf(node.start) : undefined);
      const to = node.loc?.end.line ?? (typeof node.end === 'number' ? lineOf(node.end) : from);
      if (from === undefined || to === undefined) return false;
      for (let l = from; l <= to; l++) if (lines.has(l)) return true;
      return false;
    },
    handlerNames: options.handlers ?? ['handler'],
    str: (text) => quoteString(text, ctx.quote),
    get programScope() {
      return (programScope ??= root.find(j.Program).paths()[0]!.scope);
    },
  };
  recipe(ctx);
  if (ctx.edits.size === 0) return undefined;
  const out = ctx.edits.apply();
  if (out === source) return undefined;
  return crlf ? out.replace(/\n/g, '\r\n') : out;
}

function quoteString(text: string, quote: "'" | '"'): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(quote === "'" ? /'/g : /"/g, `\\${quote}`)
    .replace(/\n/g, '\\n');
  return `${quote}${escaped}${quote}`;
}

function detectQuote(j: RecipeContext['j'], root: RecipeContext['root']): "'" | '"' {
  let single = 0;
  let double = 0;
  root.find(j.Literal).forEach((p: AstNode) => {
    const raw: unknown = p.node.extra?.raw ?? p.node.raw;
    if (typeof raw !== 'string' || typeof p.node.value !== 'string') return;
    if (p.parent?.node.type === 'JSXAttribute') return;
    if (raw.startsWith("'")) single++;
    else if (raw.startsWith('"')) double++;
  });
  return double > single ? '"' : "'";
}

function detectCommonJS(j: RecipeContext['j'], root: RecipeContext['root'], file: string, source: string): boolean {
  if (/\.(mjs|mts)$/.test(file)) return false;
  const body: AstNode[] = root.find(j.Program).paths()[0]!.node.body;
  const esm = body.some((s) => /^(Import|Export)/.test(s.type) && s.type !== 'TSImportEqualsDeclaration');
  if (esm) return false;
  if (/\.(cjs|cts)$/.test(file)) return true;
  return /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[\w$]/.test(source);
}

/** A tab when most indented lines start with one, else the most common step between indentation levels. */
function detectIndentUnit(source: string): string {
  const lines = source.split('\n').filter((l) => l.trim() !== '' && !/^\s*\*/.test(l));
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let prev = 0;
  for (const line of lines) {
    const ws = /^[ \t]*/.exec(line)![0];
    if (ws.startsWith('\t')) tabs++;
    else if (ws.startsWith(' ')) spaces++;
    if (ws.includes('\t')) continue;
    const width = ws.length;
    if (width > prev) steps.set(width - prev, (steps.get(width - prev) ?? 0) + 1);
    prev = width;
  }
  if (tabs > spaces) return '\t';
  let best = 2;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (step >= 2 && step <= 8 && count > bestCount) {
      best = step;
      bestCount = count;
    }
  }
  return ' '.repeat(best);
}
