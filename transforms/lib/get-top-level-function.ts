/**
 * @fileoverview The outermost function around a node (the one declared at module level, or a
 * method of a module-level class or object); undefined at module scope. Callbacks nested in a
 * handler belong to the handler: they run on behalf of the same invocation.
 */
import { isFunctionNode } from './nodes.js';
import type { AstPath } from './types.js';

export function getTopLevelFunction(path: AstPath): AstPath | undefined {
  let found: AstPath | undefined;
  for (let p = path.parent; p; p = p.parent) {
    if (isFunctionNode(p.node)) found = p;
  }
  // estree methods: the FunctionExpression is the value of a Property/MethodDefinition.
  return found;
}
