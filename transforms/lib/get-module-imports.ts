/**
 * @fileoverview The module's imports: ESM import declarations and top-level `require` calls,
 * one entry per local name.
 */
import { getRequireSpecifier, getStringValue, isObjectProperty, unwrapExpression } from './nodes.js';
import type { AstNode, RecipeContext } from './types.js';

export interface ModuleImport {
  local: string;
  module: string;
  /** `'default'`, `'*'` (namespace, or the whole CommonJS module) or an export name. */
  imported: string;
  kind: 'esm' | 'cjs';
  /** The import declaration or the `const ... = require(...)` statement. */
  statement: AstNode;
  /** The specifier or pattern property, when the binding has one. */
  specifier?: AstNode;
}

const memo = new WeakMap<RecipeContext, ModuleImport[]>();

export function getModuleImports(ctx: RecipeContext): ModuleImport[] {
  const known = memo.get(ctx);
  if (known) return known;
  const out: ModuleImport[] = [];
  memo.set(ctx, out);
  const body: AstNode[] = ctx.root.find(ctx.j.Program).paths()[0]!.node.body;
  for (const statement of body) {
    if (statement.type === 'ImportDeclaration') {
      if (statement.importKind === 'type') continue;
      const module = statement.source.value as string;
      for (const s of statement.specifiers ?? []) {
        if (s.importKind === 'type') continue;
        const imported = s.type === 'ImportDefaultSpecifier' ? 'default' : s.type === 'ImportNamespaceSpecifier' ? '*' : (s.imported.name ?? s.imported.value);
        out.push({ local: s.local.name, module, imported, kind: 'esm', statement, specifier: s });
      }
      continue;
    }
    if (statement.type !== 'VariableDeclaration') continue;
    for (const d of statement.declarations) {
      let init = unwrapExpression(d.init);
      const path: string[] = [];
      while (init && init.type === 'MemberExpression' && !init.computed && init.property.type === 'Identifier') {
        path.unshift(init.property.name);
        init = unwrapExpression(init.object);
      }
      const module = getRequireSpecifier(init);
      if (module === undefined || path.length > 1) continue;
      if (d.id.type === 'Identifier') {
        out.push({ local: d.id.name, module, imported: path[0] ?? '*', kind: 'cjs', statement });
      } else if (d.id.type === 'ObjectPattern' && path.length === 0) {
        for (const p of d.id.properties) {
          if (!isObjectProperty(p) || p.computed) continue;
          const key = p.key.type === 'Identifier' ? p.key.name : getStringValue(p.key);
          const value = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
          if (key === undefined || value.type !== 'Identifier') continue;
          out.push({ local: value.name, module, imported: key, kind: 'cjs', statement, specifier: p });
        }
      }
    }
  }
  return out;
}
