/**
 * @fileoverview The statement a node is part of: the nearest ancestor that sits directly in a
 * statement list (a block, the program, a switch case).
 */
import type { AstPath } from './types.js';

export function getEnclosingStatement(path: AstPath): AstPath | undefined {
  for (let p = path; p; p = p.parent) {
    const holder = p.parent?.node;
    if (!holder) return undefined;
    if ((holder.type === 'BlockStatement' || holder.type === 'Program' || holder.type === 'StaticBlock') && p.parentPath?.name === 'body') return p;
    if (holder.type === 'SwitchCase' && p.parentPath?.name === 'consequent') return p;
    // `if (x) foo();`: the single statement of an if/loop without braces.
    if (
      /Statement$/.test(p.node.type) &&
      ['IfStatement', 'ForStatement', 'ForOfStatement', 'ForInStatement', 'WhileStatement', 'DoWhileStatement', 'LabeledStatement'].includes(holder.type)
    )
      return p.parent;
  }
  return undefined;
}
