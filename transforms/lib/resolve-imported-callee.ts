/**
 * @fileoverview What an expression names in terms of imports: `fs.promises.writeFile` with
 * `import fs from 'fs'` is `{ module: 'fs', path: ['promises', 'writeFile'] }`; `append` from
 * `import { appendFileSync as append } from 'node:fs'` is `{ module: 'node:fs', path: ['appendFileSync'] }`.
 */
import type { ModuleImport } from './get-module-imports.js';
import { getRequireSpecifier, unwrapExpression } from './nodes.js';
import type { AstPath, RecipeContext } from './types.js';

export interface ImportedName {
  module: string;
  path: string[];
  import?: ModuleImport;
}

export function resolveImportedCallee(ctx: RecipeContext, imports: ModuleImport[], exprPath: AstPath): ImportedName | undefined {
  const path: string[] = [];
  let node = unwrapExpression(exprPath.node);
  while (node && (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && !node.computed && node.property.type === 'Identifier') {
    path.unshift(node.property.name);
    node = unwrapExpression(node.object);
  }
  const required = getRequireSpecifier(node);
  if (required !== undefined) return { module: required, path };
  if (!node || node.type !== 'Identifier') return undefined;
  const imp = imports.find((i) => i.local === node.name);
  if (!imp) return undefined;
  // Only the module-level binding is the import; a local of the same name shadows it. (Checked
  // after the name: scope look-ups are the expensive part.)
  if (exprPath.scope && exprPath.scope.lookup(node.name) !== ctx.programScope) return undefined;
  const head = imp.imported === '*' || imp.imported === 'default' ? [] : [imp.imported];
  return { module: imp.module, path: [...head, ...path], import: imp };
}
