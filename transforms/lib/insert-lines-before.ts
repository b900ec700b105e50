/**
 * @fileoverview Inserts whole lines of code above a statement, at the statement's indentation.
 */
import type { AstNode, RecipeContext } from './types.js';

export function insertLinesBefore(ctx: RecipeContext, statement: AstNode, lines: string[]): void {
  if (lines.length === 0) return;
  const indent = ctx.edits.indentAt(statement.start);
  if (ctx.edits.startsLine(statement.start)) {
    ctx.edits.insert(ctx.edits.lineStart(statement.start), lines.map((l) => `${indent}${l}\n`).join(''));
  } else {
    ctx.edits.insert(statement.start, `${lines.join(' ')} `);
  }
}
