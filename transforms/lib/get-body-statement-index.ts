/**
 * @fileoverview Which statement of a function's body block contains a node (-1 when the node is
 * not inside that body, or the body is an expression).
 */
import type { AstNode, AstPath } from './types.js';

export function getBodyStatementIndex(fn: AstNode, path: AstPath): number {
  const body = fn.body ?? fn.value?.body;
  if (!body || body.type !== 'BlockStatement') return -1;
  for (let p = path; p; p = p.parent) {
    if (p.parent?.node === body && p.parentPath?.name === 'body') return p.name as number;
  }
  return -1;
}
