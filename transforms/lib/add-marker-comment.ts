/**
 * @fileoverview Leaves `// lmi-audit: <text>` on the line above a statement, for code a
 * transform does not rewrite. Idempotent: a marker with the same text right above is kept as is.
 */
import type { AstNode, RecipeContext } from './types.js';

const MARKER = 'lmi-audit:';

export function addMarkerComment(ctx: RecipeContext, statement: AstNode, text: string): void {
  const marker = `// ${MARKER} ${text}`;
  const lineStart = ctx.edits.lineStart(statement.start);
  // Comments directly above (a contiguous block of comment lines).
  let pos = lineStart;
  while (pos > 0) {
    const prevStart = ctx.edits.lineStart(pos - 1);
    const line = ctx.source.slice(prevStart, pos - 1).trim();
    if (!line.startsWith('//')) break;
    if (line === marker) return;
    pos = prevStart;
  }
  if (!ctx.edits.startsLine(statement.start)) {
    // `} else foo();` style: put the marker on its own line above the whole line.
    ctx.edits.insert(lineStart, `${ctx.edits.indentAt(statement.start)}${marker}\n`);
    return;
  }
  ctx.edits.insert(lineStart, `${ctx.edits.indentAt(statement.start)}${marker}\n`);
}
