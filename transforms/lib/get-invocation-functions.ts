/**
 * @fileoverview The module-level functions that run during an invocation, as far as one file
 * shows: the handlers and every function they reach by name (calls, callbacks, methods of
 * module-level objects and classes they use). In a module without a handler (a helper module),
 * its exported functions are the entry points. Code reached only from module scope is init code.
 * The fix engine passes the scan's finding lines, which are precise; this is for running a
 * transform on its own.
 */
import { findModuleFunction } from './find-module-function.js';
import { getModuleDeclarations } from './get-module-declarations.js';
import { isFunctionNode, unwrapExpression } from './nodes.js';
import type { AstNode, AstPath, RecipeContext } from './types.js';

export function getInvocationFunctions(ctx: RecipeContext, handlers: AstPath[]): Set<AstNode> {
  const { j } = ctx;
  const wrapped = wrappedHandlers(ctx);
  const roots: AstPath[] = handlers.length || wrapped.length ? [...handlers, ...wrapped] : exportedFunctions(ctx);
  const seen = new Set<AstNode>();
  const queue = [...roots];
  const followed = new Set<string>();
  while (queue.length) {
    const fn = queue.pop()!;
    if (seen.has(fn.node)) continue;
    seen.add(fn.node);
    j(fn)
      .find(j.Identifier)
      .forEach((p: AstPath) => {
        const name: string = p.node.name;
        // Each module-level name is followed once: the functions it leads to are the same everywhere.
        if (followed.has(name) || p.scope?.lookup(name) !== ctx.programScope) return;
        followed.add(name);
        const target = findModuleFunction(ctx, name);
        if (target) queue.push(target);
        for (const method of methodsOf(ctx, name)) queue.push(method);
      });
  }
  return seen;
}

/** Methods of a module-level object literal or class, or of the class a module-level `new C()` makes. */
function methodsOf(ctx: RecipeContext, name: string): AstPath[] {
  return getModuleDeclarations(ctx).methods.get(name) ?? [];
}

/**
 * Handler exports that are not functions written here (`instance.method.bind(instance)`,
 * `middy(base).use(...)`): the functions and methods their expression names run per invocation.
 */
function wrappedHandlers(ctx: RecipeContext): AstPath[] {
  const { j } = ctx;
  const out: AstPath[] = [];
  const names = new Set(ctx.handlerNames);
  const fromExpression = (expr: AstPath) => {
    if (isFunctionNode(unwrapExpression(expr.node))) return;
    j(expr)
      .find(j.Identifier)
      .forEach((p: AstPath) => {
        if (p.scope?.lookup(p.node.name) !== ctx.programScope) return;
        const f = findModuleFunction(ctx, p.node.name);
        if (f) out.push(f);
        out.push(...methodsOf(ctx, p.node.name));
      });
    j(expr)
      .find(j.Function)
      .forEach((f: AstPath) => out.push(f));
  };
  ctx.root.find(j.VariableDeclarator).forEach((d: AstPath) => {
    if (d.node.id.type === 'Identifier' && names.has(d.node.id.name) && d.parent.parent.node.type === 'ExportNamedDeclaration' && d.node.init)
      fromExpression(d.get('init'));
  });
  ctx.root.find(j.AssignmentExpression).forEach((a: AstPath) => {
    const left = ctx.source.slice(a.node.left.start, a.node.left.end);
    const m = /^(?:module\.)?exports\.([\w$]+)$/.exec(left);
    if (m && names.has(m[1]!)) fromExpression(a.get('right'));
  });
  return out;
}

function exportedFunctions(ctx: RecipeContext): AstPath[] {
  const { j } = ctx;
  const out: AstPath[] = [];
  ctx.root.find(j.ExportNamedDeclaration).forEach((p: AstPath) => {
    const decl = p.node.declaration;
    if (decl?.type === 'FunctionDeclaration') out.push(p.get('declaration'));
    if (decl?.type === 'VariableDeclaration') {
      decl.declarations.forEach((d: AstNode, i: number) => {
        if (isFunctionNode(unwrapExpression(d.init))) out.push(p.get('declaration', 'declarations', i, 'init'));
      });
    }
    for (const s of p.node.specifiers ?? []) {
      const f = findModuleFunction(ctx, s.local.name);
      if (f) out.push(f);
    }
  });
  ctx.root.find(j.AssignmentExpression).forEach((p: AstPath) => {
    const left = ctx.source.slice(p.node.left.start, p.node.left.end);
    if (!/^(module\.)?exports(\.|$)/.test(left)) return;
    const right = unwrapExpression(p.node.right);
    if (isFunctionNode(right)) out.push(p.get('right'));
    if (right.type === 'Identifier') {
      const f = findModuleFunction(ctx, right.name);
      if (f) out.push(f);
    }
    if (right.type === 'ObjectExpression') {
      j(p.get('right'))
        .find(j.Identifier)
        .forEach((id: AstPath) => {
          const f = findModuleFunction(ctx, id.node.name);
          if (f) out.push(f);
        });
      j(p.get('right'))
        .find(j.Function)
        .forEach((f: AstPath) => out.push(f));
    }
  });
  return out;
}
