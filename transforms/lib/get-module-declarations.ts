/**
 * @fileoverview The module-level names that lead to code, found in one pass over the program's
 * statements (memoized per run): functions (`function f`, `const f = () => ...`) and the methods
 * behind objects and classes (`const o = { m() {} }`, `class C { m() {} }`, `const c = new C()`).
 */
import { getTopLevelFunction } from './get-top-level-function.js';
import { isFunctionNode, unwrapExpression } from './nodes.js';
import type { AstNode, AstPath, RecipeContext } from './types.js';

export interface ModuleDeclarations {
  functions: Map<string, AstPath>;
  /** Top-level functions (methods) reached through a module-level object, class or instance. */
  methods: Map<string, AstPath[]>;
}

const memo = new WeakMap<RecipeContext, ModuleDeclarations>();

export function getModuleDeclarations(ctx: RecipeContext): ModuleDeclarations {
  const known = memo.get(ctx);
  if (known) return known;
  const { j } = ctx;
  const functions = new Map<string, AstPath>();
  const methods = new Map<string, AstPath[]>();
  const classes = new Map<string, AstPath>();
  const instances: Array<[string, string]> = [];
  const methodsIn = (path: AstPath): AstPath[] => {
    const out: AstPath[] = [];
    j(path)
      .find(j.Function)
      .forEach((f: AstPath) => {
        if (!getTopLevelFunction(f)) out.push(f);
      });
    return out;
  };
  const program = ctx.root.find(j.Program).paths()[0]!;
  program.get('body').each((stmtPath: AstPath) => {
    let path = stmtPath;
    if ((path.node.type === 'ExportNamedDeclaration' || path.node.type === 'ExportDefaultDeclaration') && path.node.declaration) path = path.get('declaration');
    const node: AstNode = path.node;
    if (node.type === 'FunctionDeclaration' && node.id) functions.set(node.id.name, path);
    if (node.type === 'ClassDeclaration' && node.id) {
      classes.set(node.id.name, path);
      methods.set(node.id.name, methodsIn(path));
    }
    if (node.type !== 'VariableDeclaration') return;
    node.declarations.forEach((d: AstNode, k: number) => {
      if (d.id.type !== 'Identifier' || !d.init) return;
      let init = path.get('declarations', k, 'init');
      while (init.node !== unwrapExpression(init.node)) init = init.get('expression');
      const value = init.node;
      if (isFunctionNode(value)) functions.set(d.id.name, init);
      else if (value.type === 'ObjectExpression' || value.type === 'ClassExpression') methods.set(d.id.name, methodsIn(init));
      else if (value.type === 'NewExpression' && value.callee.type === 'Identifier') instances.push([d.id.name, value.callee.name]);
    });
  });
  for (const [name, cls] of instances) if (classes.has(cls)) methods.set(name, methods.get(cls) ?? []);
  const result = { functions, methods };
  memo.set(ctx, result);
  return result;
}
