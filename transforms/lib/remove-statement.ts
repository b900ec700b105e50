/**
 * @fileoverview Removes a statement: its whole lines when nothing else is on them (with a
 * trailing comment on the last line), else just its text. Comments above it stay.
 */
import type { AstNode, RecipeContext } from './types.js';

/** `from`: also remove from here (the statement's leading comments). */
export function removeStatement(ctx: RecipeContext, statement: AstNode, from?: number): void {
  const { edits, source } = ctx;
  const start = from ?? edits.lineStart(statement.start);
  const restOfLine = source.slice(statement.end, edits.lineEnd(statement.end)).trim();
  if (edits.startsLine(statement.start) && (restOfLine === '' || restOfLine.startsWith('//'))) {
    let end = edits.lineEnd(statement.end);
    // Two blank lines would meet where the statement was: keep one.
    const before = source.slice(edits.lineStart(Math.max(0, start - 1)), start).trim();
    const after = source.slice(end, edits.lineEnd(end)).trim();
    if (start > 0 && before === '' && after === '' && end < source.length) end = edits.lineEnd(end);
    edits.replace(start, end, '');
    return;
  }
  edits.replace(statement.start, statement.end, '');
}
