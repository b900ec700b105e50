/**
 * @fileoverview Every read and write of one binding: identifiers with its name that resolve to
 * the scope declaring it (a local of the same name elsewhere is another variable). The
 * identifiers of a file are indexed by name once per run: transforms ask about many names.
 */
import { isValueReference } from './is-value-reference.js';
import type { AstPath, RecipeContext } from './types.js';

const indexes = new WeakMap<RecipeContext, Map<string, AstPath[]>>();

function getIndex(ctx: RecipeContext): Map<string, AstPath[]> {
  let index = indexes.get(ctx);
  if (index) return index;
  index = new Map();
  ctx.root.find(ctx.j.Identifier).forEach((p: AstPath) => {
    if (!isValueReference(p)) return;
    let list = index!.get(p.node.name);
    if (!list) index!.set(p.node.name, (list = []));
    list.push(p);
  });
  indexes.set(ctx, index);
  return index;
}

export function findReferences(ctx: RecipeContext, name: string, scope: AstPath['scope']): AstPath[] {
  return (getIndex(ctx).get(name) ?? []).filter((p) => p.scope?.lookup(name) === scope).sort((a, b) => a.node.start - b.node.start);
}
