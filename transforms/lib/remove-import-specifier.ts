/**
 * @fileoverview Removes one named import (or destructured require property) that is no longer
 * used, with its comma; the whole statement when it was the only one.
 */
import { findReferences } from './find-references.js';
import type { ModuleImport } from './get-module-imports.js';
import { removeStatement } from './remove-statement.js';
import type { AstNode, RecipeContext } from './types.js';

/** Removes `imp` when nothing but `except` (nodes being rewritten away) still refers to it. */
export function removeImportSpecifier(ctx: RecipeContext, imp: ModuleImport, except: AstNode[] = []): boolean {
  if (!imp.specifier) return false;
  const refs = findReferences(ctx, imp.local, ctx.programScope).filter((r) => !except.includes(r.node));
  // Type positions are not value references: check the raw text too, for `typeof x` / type uses.
  if (refs.length > 0) return false;
  const typeUses =
    ctx.root.find(ctx.j.TSTypeReference, { typeName: { name: imp.local } }).size() + ctx.root.find(ctx.j.TSTypeQuery, { exprName: { name: imp.local } }).size();
  if (typeUses > 0) return false;
  const list: AstNode[] =
    imp.kind === 'esm'
      ? imp.statement.specifiers
      : imp.statement.declarations.find((d: AstNode) => d.id.type === 'ObjectPattern' && d.id.properties.includes(imp.specifier)).id.properties;
  if (list.length === 1) {
    removeStatement(ctx, imp.statement);
    return true;
  }
  const i = list.indexOf(imp.specifier);
  const src = ctx.source;
  const s = imp.specifier;
  if (ctx.edits.startsLine(s.start) && list.length > 1 && list[0].loc.start.line !== list[list.length - 1].loc.start.line) {
    // One specifier per line: drop the line.
    const end = /^\s*,?[ \t]*\n?/.exec(src.slice(s.end))![0].length;
    ctx.edits.replace(ctx.edits.lineStart(s.start), s.end + end, '');
    return true;
  }
  if (i < list.length - 1) ctx.edits.replace(s.start, list[i + 1].start, '');
  else ctx.edits.replace(list[i - 1].end, s.end, '');
  return true;
}
