/**
 * @fileoverview Parses a source for a transform. `tabWidth: 1`: recast expands tabs to that many
 * spaces before parsing, so with 1 the node offsets stay offsets into the source itself (edits
 * depend on it). A `catch {}` without a binding gets a placeholder one: ast-types (0.16) crashes
 * when it scans the scope of such a clause, and the tree is only read, never printed.
 */
import type { Collection, JSCodeshift } from 'jscodeshift';
import type { AstNode, AstPath } from './types.js';

export function parseSource(j: JSCodeshift, source: string): Collection<AstNode> {
  const root = j(source, { tabWidth: 1 });
  if (!/\bcatch\s*\{/.test(source)) return root;
  root.find(j.CatchClause).forEach((p: AstPath) => {
    if (!p.node.param) p.node.param = j.identifier('\u0275catch');
  });
  return root;
}
