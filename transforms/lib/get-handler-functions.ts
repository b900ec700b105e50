/**
 * @fileoverview The functions behind the handler exports of a file: ESM (`export const handler =
 * async () => {}`, `export async function handler`, `export { impl as handler }`) and CommonJS
 * (`exports.handler = ...`, `module.exports.handler = ...`, `module.exports = { handler }`).
 * An export that is not a function written in this file (`middy(base)`, a bound method) has none.
 */
import { findModuleFunction } from './find-module-function.js';
import { getMemberName, isFunctionNode, isObjectProperty, unwrapExpression } from './nodes.js';
import type { AstNode, AstPath, RecipeContext } from './types.js';

export interface HandlerFunction {
  name: string;
  path: AstPath;
}

export function getHandlerFunctions(ctx: RecipeContext): HandlerFunction[] {
  const names = new Set(ctx.handlerNames);
  const out: HandlerFunction[] = [];
  const add = (name: string, path: AstPath | undefined): void => {
    if (path && names.has(name) && !out.some((h) => h.path.node === path.node)) out.push({ name, path });
  };
  const fromValue = (valuePath: AstPath): AstPath | undefined => {
    let p = valuePath;
    while (p.node && p.node !== unwrapExpression(p.node)) p = p.get('expression');
    if (isFunctionNode(p.node)) return p;
    if (p.node?.type === 'Identifier') return findModuleFunction(ctx, p.node.name);
    return undefined;
  };
  const program = ctx.root.find(ctx.j.Program).paths()[0]!;
  const body = program.get('body');
  for (let i = 0; i < body.value.length; i++) {
    const stmt = body.get(i);
    const node: AstNode = stmt.node;
    if (node.type === 'ExportNamedDeclaration') {
      const decl = node.declaration;
      if (decl?.type === 'FunctionDeclaration' && decl.id) add(decl.id.name, stmt.get('declaration'));
      if (decl?.type === 'VariableDeclaration') {
        decl.declarations.forEach((d: AstNode, k: number) => {
          if (d.id.type === 'Identifier' && d.init) add(d.id.name, fromValue(stmt.get('declaration', 'declarations', k, 'init')));
        });
      }
      if (!node.source) {
        for (const s of node.specifiers ?? []) {
          const exported = s.exported?.name ?? s.exported?.value;
          if (exported && names.has(exported)) add(exported, findModuleFunction(ctx, s.local.name));
        }
      }
    } else if (node.type === 'ExportDefaultDeclaration' && names.has('default')) {
      add('default', fromValue(stmt.get('declaration')));
    } else if (node.type === 'ExpressionStatement' && node.expression.type === 'AssignmentExpression' && node.expression.operator === '=') {
      const left = node.expression.left;
      const rightPath = stmt.get('expression', 'right');
      const target = exportTarget(left);
      if (target === 'module.exports') {
        const right = unwrapExpression(node.expression.right);
        if (right.type === 'ObjectExpression') {
          right.properties.forEach((p: AstNode, k: number) => {
            const key = p.key?.type === 'Identifier' ? p.key.name : p.key?.value;
            if (!key || p.computed) return;
            if (p.type === 'ObjectMethod' || (p.type === 'Property' && p.method))
              add(key, p.type === 'ObjectMethod' ? rightPath.get('properties', k) : rightPath.get('properties', k, 'value'));
            else if (isObjectProperty(p)) add(key, fromValue(rightPath.get('properties', k, 'value')));
          });
        } else if (names.has('handler') && isFunctionNode(right)) {
          // `module.exports = async (event) => ...` with a handler string `file.handler`? Not a
          // named export; leave it.
        }
      } else if (target) {
        add(target, fromValue(rightPath));
      }
    }
  }
  return out;
}

/** `exports.x` / `module.exports.x` -> `x`; `module.exports` -> `'module.exports'`. */
function exportTarget(left: AstNode): string | undefined {
  if (left.type !== 'MemberExpression') return undefined;
  const name = getMemberName(left);
  const obj = left.object;
  if (obj.type === 'Identifier' && obj.name === 'module' && name === 'exports') return 'module.exports';
  if (obj.type === 'Identifier' && obj.name === 'exports') return name;
  if (obj.type === 'MemberExpression' && obj.object.type === 'Identifier' && obj.object.name === 'module' && getMemberName(obj) === 'exports') return name;
  return undefined;
}
