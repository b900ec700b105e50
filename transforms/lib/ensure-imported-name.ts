/**
 * @fileoverview The code that names `name` of one of `modules` at module scope, adding the
 * import when the file has none: an existing named import or destructured require gets one more
 * specifier (in sorted position when the list is sorted), a namespace/default import gives
 * `ns.name`, and otherwise a new `import { name } from '...'` (or `const { name } = require(...)`)
 * goes after the last import. Returns undefined when `name` is taken by something else.
 */
import { getModuleImports, type ModuleImport } from './get-module-imports.js';
import type { AstNode, RecipeContext } from './types.js';

/** Additions already made during this run, so two steps asking for the same name agree. */
const added = new WeakMap<RecipeContext, Map<string, string>>();

export function ensureImportedName(ctx: RecipeContext, modules: string[], name: string): string | undefined {
  const memo = added.get(ctx) ?? new Map<string, string>();
  added.set(ctx, memo);
  const key = `${modules.join('|')}#${name}`;
  const known = memo.get(key);
  if (known) return known;
  const result = resolve(ctx, modules, name);
  if (result) memo.set(key, result);
  return result;
}

function resolve(ctx: RecipeContext, modules: string[], name: string): string | undefined {
  const imports = getModuleImports(ctx).filter((i) => modules.includes(i.module));
  const named = imports.find((i) => i.imported === name);
  if (named) return named.local;
  // A default import of a Node built-in or of a CommonJS package is the whole module object.
  const whole = imports.find((i) => i.imported === '*' || i.imported === 'default');
  if (whole) return `${whole.local}.${name}`;
  if (ctx.programScope.declares(name)) return undefined;
  const list = imports.find((i) => i.specifier && (i.kind === 'cjs' || i.specifier.type === 'ImportSpecifier'));
  if (list) {
    addToList(ctx, list, name);
    return name;
  }
  addImportStatement(ctx, modules, name);
  return name;
}

function addToList(ctx: RecipeContext, imp: ModuleImport, name: string): void {
  const items: AstNode[] =
    imp.kind === 'esm'
      ? imp.statement.specifiers.filter((s: AstNode) => s.type === 'ImportSpecifier')
      : imp.statement.declarations.find((d: AstNode) => d.id.type === 'ObjectPattern' && d.id.properties.includes(imp.specifier)).id.properties;
  const nameOf = (s: AstNode): string => (s.imported ?? s.key)?.name ?? '';
  const names = items.map(nameOf);
  const sorted = names.every((n, i) => i === 0 || names[i - 1]!.localeCompare(n) <= 0);
  const index = sorted ? names.findIndex((n) => n.localeCompare(name) > 0) : -1;
  const multiline = items.length > 1 && items[0].loc.start.line !== items[items.length - 1].loc.start.line;
  const src = ctx.source;
  if (index >= 0) {
    const before = items[index];
    if (multiline) {
      const ls = ctx.edits.lineStart(before.start);
      ctx.edits.insert(ls, `${ctx.edits.indentAt(before.start)}${name},\n`);
    } else {
      ctx.edits.insert(before.start, `${name}, `);
    }
    return;
  }
  const last = items[items.length - 1];
  let pos = last.end;
  const trailingComma = /^\s*,/.exec(src.slice(pos));
  if (multiline) {
    if (trailingComma) ctx.edits.insert(pos + trailingComma[0].length, `\n${ctx.edits.indentAt(last.start)}${name},`);
    else ctx.edits.insert(pos, `,\n${ctx.edits.indentAt(last.start)}${name}`);
  } else {
    if (trailingComma) pos += trailingComma[0].length;
    ctx.edits.insert(pos, trailingComma ? ` ${name}` : `, ${name}`);
  }
}

/** `node:fs` when the file already spells built-ins with `node:`, the bare name when it spells them without. */
function pickSpecifier(ctx: RecipeContext, modules: string[]): string {
  const all = getModuleImports(ctx).map((i) => i.module);
  const usesNodePrefix = all.some((m) => m.startsWith('node:'));
  const usesBare = all.some((m) => ['fs', 'os', 'path', 'crypto', 'fs/promises', 'util', 'stream'].includes(m));
  const prefixed = modules.find((m) => m.startsWith('node:'));
  const bare = modules.find((m) => !m.startsWith('node:'));
  if (usesBare && !usesNodePrefix && bare) return bare;
  return prefixed ?? modules[0]!;
}

function addImportStatement(ctx: RecipeContext, modules: string[], name: string): void {
  const specifier = ctx.str(pickSpecifier(ctx, modules));
  const body: AstNode[] = ctx.root.find(ctx.j.Program).paths()[0]!.node.body;
  const line = ctx.isCommonJS ? `const { ${name} } = require(${specifier});` : `import { ${name} } from ${specifier};`;
  const isImport = (s: AstNode): boolean =>
    s.type === 'ImportDeclaration' ||
    (s.type === 'VariableDeclaration' && s.declarations.some((d: AstNode) => d.init?.type === 'CallExpression' && d.init.callee.name === 'require'));
  const imports = body.filter(isImport);
  const last = imports[imports.length - 1];
  if (last) {
    ctx.edits.insert(ctx.edits.lineEnd(last.end), `${line}\n`);
    return;
  }
  // No imports: before the first statement that is not a directive ('use strict').
  const first = body.find((s) => !(s.type === 'ExpressionStatement' && s.directive) && s.type !== 'Directive');
  const directives: AstNode[] = (ctx.root.find(ctx.j.Program).paths()[0]!.node as AstNode).directives ?? [];
  if (directives.length) {
    ctx.edits.insert(ctx.edits.lineEnd(directives[directives.length - 1].end), `\n${line}\n`);
  } else if (first) {
    ctx.edits.insert(ctx.edits.lineStart(first.start), `${line}\n\n`);
  } else {
    ctx.edits.insert(ctx.source.length, `${line}\n`);
  }
}
