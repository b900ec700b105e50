/**
 * @fileoverview Where a statement's block of comment lines begins (the `//` lines directly above
 * it, with no blank line between), or the statement's own line start when it has none.
 */
import type { AstNode, RecipeContext } from './types.js';

export function getLeadingCommentStart(ctx: RecipeContext, statement: AstNode): number {
  let pos = ctx.edits.lineStart(statement.start);
  while (pos > 0) {
    const prev = ctx.edits.lineStart(pos - 1);
    const line = ctx.source.slice(prev, pos - 1).trim();
    if (!(line.startsWith('//') || line.startsWith('/*') || line.startsWith('*') || line.endsWith('*/'))) break;
    pos = prev;
  }
  return pos;
}
