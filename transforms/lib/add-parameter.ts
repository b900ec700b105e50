/**
 * @fileoverview Appends a parameter to a function's parameter list (`(a)` -> `(a, b: T)`,
 * `a => ...` -> `(a, b) => ...`, `()` -> `(b)`).
 */
import { getParams } from './nodes.js';
import type { AstNode, RecipeContext } from './types.js';

export function addParameter(ctx: RecipeContext, fn: AstNode, text: string): boolean {
  const params = getParams(fn);
  const src = ctx.source;
  if (params.length > 0) {
    const first = params[0];
    const last = params[params.length - 1];
    if (last.type === 'RestElement') return false;
    const before = src.slice(0, first.start).trimEnd();
    if (!before.endsWith('(')) {
      // A lone arrow parameter without parentheses.
      ctx.edits.insert(first.start, '(');
      ctx.edits.insert(last.end, `, ${text})`);
      return true;
    }
    const after = /^\s*,/.exec(src.slice(last.end));
    if (after) ctx.edits.insert(last.end + after[0].length, ` ${text}`);
    else ctx.edits.insert(last.end, `, ${text}`);
    return true;
  }
  const fnNode = fn.value ?? fn;
  const bodyStart = fnNode.body.start;
  const open = src.indexOf('(', fnNode.typeParameters ? fnNode.typeParameters.end : fnNode.start);
  if (open < 0 || open > bodyStart) return false;
  ctx.edits.insert(open + 1, text);
  return true;
}
