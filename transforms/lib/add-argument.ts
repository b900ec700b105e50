/**
 * @fileoverview Appends an argument to a call (`f(a)` -> `f(a, b)`, `f()` -> `f(b)`).
 */
import type { AstNode, RecipeContext } from './types.js';

export function addArgument(ctx: RecipeContext, call: AstNode, text: string): boolean {
  const src = ctx.source;
  if (src[call.end - 1] !== ')') return false;
  const args = call.arguments;
  if (args.length === 0) {
    ctx.edits.insert(call.end - 1, text);
    return true;
  }
  const last = args[args.length - 1];
  const comma = /^\s*,/.exec(src.slice(last.end, call.end - 1));
  if (comma) ctx.edits.insert(last.end + comma[0].length, ` ${text}`);
  else ctx.edits.insert(last.end, `, ${text}`);
  return true;
}
