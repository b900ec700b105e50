/**
 * @fileoverview callback-to-async: the Node.js runtime client that LMI uses no longer supports
 * callback-style handlers, `context.succeed/fail/done` or `callbackWaitsForEmptyEventLoop`.
 *
 * - A handler that takes a callback becomes an `async` handler of two parameters whose body
 *   runs inside `return new Promise((resolve, reject) => { ... })`, with the callback defined
 *   there (`const callback = (error, result) => (error ? reject(error) : resolve(result));`):
 *   every call of it, however deep in nested callbacks, settles the invocation as before.
 * - `context.succeed(x)` / `context.fail(e)` / `context.done(e, x)` settle the same promise.
 * - `context.callbackWaitsForEmptyEventLoop = ...;` is removed.
 * - A callback parameter that is never used is just dropped.
 *
 * Unsafe: one behaviour differs for an invocation alone. A callback handler that never calls
 * its callback ends when its event loop is empty; the promise never settles, so that handler
 * now times out. Handlers with a declared return type, already `async` ones that use their
 * callback, and callbacks that leave the handler (passed on, stored) get a marker instead.
 */
import type { API, FileInfo } from 'jscodeshift';
import { addMarkerComment } from './lib/add-marker-comment.js';
import { getEnclosingStatement } from './lib/get-enclosing-statement.js';
import { getHandlerFunctions } from './lib/get-handler-functions.js';
import { getParser } from './lib/get-parser.js';
import { getMemberName, getParamName, getParams, isAsync, isFunctionNode } from './lib/nodes.js';
import { removeStatement } from './lib/remove-statement.js';
import { runRecipe } from './lib/run-recipe.js';
import type { AstNode, AstPath, RecipeContext, TransformMeta, TransformOptions } from './lib/types.js';
import { wrapFunctionBody } from './lib/wrap-in-try-finally.js';

export const meta: TransformMeta = {
  id: 'callback-to-async',
  description: 'Turns callback-style handlers and context.succeed/fail/done into async handlers that return a promise; removes callbackWaitsForEmptyEventLoop.',
  fixes: 'lifecycle',
  safety: 'unsafe',
};

export const parser = getParser;

const CONTEXT_METHODS = new Set(['succeed', 'fail', 'done']);

export default function transform(file: FileInfo, api: API, options: TransformOptions): string | undefined {
  return runRecipe(file, api, options, (ctx) => {
    for (const handler of getHandlerFunctions(ctx)) rewriteHandler(ctx, handler.path);
  });
}

function rewriteHandler(ctx: RecipeContext, fnPath: AstPath): void {
  const fn: AstNode = fnPath.node;
  const params = getParams(fn);
  const body = fn.body ?? fn.value?.body;
  if (!body) return;
  const contextName = getParamName(params[1]);
  const callbackParam = params[2];
  const callbackName = getParamName(callbackParam);
  const contextCalls = contextName ? findContextCalls(ctx, body, contextName) : [];
  const waits = contextName ? findCallbackWaits(ctx, body, contextName) : [];
  const callbackRefs = callbackName ? findIdentifierRefs(ctx, body, callbackName) : [];
  if (!callbackParam && contextCalls.length === 0 && waits.length === 0) return;
  if (!ctx.isReported(fn) && !contextCalls.some((c) => ctx.isReported(c.node)) && !waits.some((w) => ctx.isReported(w))) return;
  const mark = (why: string) => {
    const statement = getEnclosingStatement(fnPath);
    if (statement) addMarkerComment(ctx, statement.node, why);
  };
  if (callbackParam && !callbackName) return mark('the callback parameter is destructured: make this handler `async` and return its result by hand.');

  // `callbackWaitsForEmptyEventLoop` goes whatever happens next: the runtime ignores it.
  for (const statement of waits) removeStatement(ctx, statement);
  const settles = callbackRefs.length > 0 || contextCalls.length > 0;
  if (!settles) {
    if (callbackParam) removeParameter(ctx, params, 2);
    return;
  }
  if (isAsync(fn)) return mark('this `async` handler also settles through its callback or `context`: return the result (throw the error) instead, by hand.');
  if (fn.returnType ?? fn.value?.returnType)
    return mark('this handler declares its return type: make it `async`, return its result and throw its errors, by hand.');
  if (body.type !== 'BlockStatement') return mark('this handler has an expression body: make it `async` and return its result by hand.');
  const escapes = callbackRefs.find((ref) => !isCallee(ref));
  if (escapes) return mark(`\`${callbackName}\` is passed on or stored, not only called: make this handler \`async\` and return its result by hand.`);

  const taken = (name: string) => findIdentifierRefs(ctx, body, name).length > 0 || params.some((p: AstNode) => getParamName(p) === name);
  const resolve = taken('resolve') ? 'resolveInvocation' : 'resolve';
  const reject = taken('reject') ? 'rejectInvocation' : 'reject';
  const settle = callbackName ?? (taken('callback') ? 'settleInvocation' : 'callback');
  const needsSettle = callbackRefs.length > 0 || contextCalls.some((c) => c.method === 'done');
  // TypeScript: the promise's type from `Callback<T>`, and typed parameters for the callback.
  const resultType = ctx.isTypeScript ? (callbackResultType(ctx, callbackParam) ?? 'unknown') : undefined;
  const open = [`return new Promise${resultType && resultType !== 'unknown' ? `<${resultType}>` : ''}((${resolve}, ${reject}) => {`];
  if (needsSettle) {
    open.push(
      resultType
        ? `const ${settle} = (error?: unknown, result?: ${resultType}) => (error ? ${reject}(error) : ${resolve}(${resultType === 'unknown' ? 'result' : `result as ${resultType}`}));`
        : `const ${settle} = (error, result) => (error ? ${reject}(error) : ${resolve}(result));`,
    );
  }
  if (!wrapFunctionBody(ctx, fn, open, ['});']))
    return mark('the body of this handler shares lines with other code: make it `async` and return its result by hand.');
  for (const call of contextCalls) {
    const callee = call.method === 'succeed' ? resolve : call.method === 'fail' ? reject : settle;
    ctx.edits.replace(call.node.callee.start, call.node.callee.end, callee);
  }
  if (callbackParam) removeParameter(ctx, params, 2);
  makeAsync(ctx, fn);
}

/** `T` of a parameter typed `Callback<T>` (aws-lambda), as written. */
function callbackResultType(ctx: RecipeContext, param: AstNode | undefined): string | undefined {
  const type = param?.typeAnnotation?.typeAnnotation;
  if (type?.type !== 'TSTypeReference') return undefined;
  const name = type.typeName?.type === 'Identifier' ? type.typeName.name : type.typeName?.right?.name;
  const argument = (type.typeParameters ?? type.typeArguments)?.params?.[0];
  return name === 'Callback' && argument ? ctx.source.slice(argument.start, argument.end) : undefined;
}

/** `context.succeed(...)`, `context.fail(...)`, `context.done(...)` calls anywhere in the body. */
function findContextCalls(ctx: RecipeContext, body: AstNode, contextName: string): Array<{ node: AstNode; method: string }> {
  const out: Array<{ node: AstNode; method: string }> = [];
  ctx
    .j(body)
    .find(ctx.j.CallExpression)
    .forEach((p: AstPath) => {
      const callee = p.node.callee;
      const method = getMemberName(callee);
      if (
        method &&
        CONTEXT_METHODS.has(method) &&
        callee.object.type === 'Identifier' &&
        callee.object.name === contextName &&
        !shadowed(p, contextName, body)
      ) {
        out.push({ node: p.node, method });
      }
    });
  return out;
}

/** Statements `context.callbackWaitsForEmptyEventLoop = <value>;`. */
function findCallbackWaits(ctx: RecipeContext, body: AstNode, contextName: string): AstNode[] {
  const out: AstNode[] = [];
  ctx
    .j(body)
    .find(ctx.j.ExpressionStatement)
    .forEach((p: AstPath) => {
      const e = p.node.expression;
      if (e.type !== 'AssignmentExpression' || getMemberName(e.left) !== 'callbackWaitsForEmptyEventLoop') return;
      if (e.left.object.type === 'Identifier' && e.left.object.name === contextName) out.push(p.node);
    });
  return out;
}

/** References to a parameter in the body, not counting nested functions that declare the same name. */
function findIdentifierRefs(ctx: RecipeContext, body: AstNode, name: string): AstPath[] {
  const refs: AstPath[] = [];
  ctx
    .j(body)
    .find(ctx.j.Identifier, { name })
    .forEach((p: AstPath) => {
      const parent = p.parent?.node;
      // Property keys and member names are not references.
      if (parent && (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.property === p.node && !parent.computed)
        return;
      if (parent && (parent.type === 'ObjectProperty' || parent.type === 'Property') && parent.key === p.node && !parent.computed && parent.value !== p.node)
        return;
      if (shadowed(p, name, body)) return;
      refs.push(p);
    });
  return refs;
}

/** Is `name` declared again between the reference and the handler's body (a nested parameter or local)? */
function shadowed(path: AstPath, name: string, body: AstNode): boolean {
  for (let p = path.parent; p && p.node !== body; p = p.parent) {
    const node = p.node;
    if (isFunctionNode(node) && getParams(node).some((param: AstNode) => getParamName(param) === name)) return true;
    if (node.type === 'BlockStatement' || node.type === 'Program') {
      for (const stmt of node.body) {
        if (stmt.type === 'VariableDeclaration' && stmt.declarations.some((d: AstNode) => d.id.type === 'Identifier' && d.id.name === name)) return true;
        if (stmt.type === 'FunctionDeclaration' && stmt.id?.name === name) return true;
      }
    }
  }
  return false;
}

function isCallee(ref: AstPath): boolean {
  const parent = ref.parent?.node;
  return !!parent && (parent.type === 'CallExpression' || parent.type === 'OptionalCallExpression') && parent.callee === ref.node;
}

/** Removes parameter `index` (the last one) with the comma before it: `(event, context, callback)` -> `(event, context)`. */
function removeParameter(ctx: RecipeContext, params: AstNode[], index: number): void {
  const param = params[index];
  if (!param || index !== params.length - 1) return;
  const previous = params[index - 1];
  ctx.edits.replace(previous ? previous.end : param.start, param.end, '');
}

function makeAsync(ctx: RecipeContext, fn: AstNode): void {
  if (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression' || fn.type === 'FunctionDeclaration') {
    ctx.edits.insert(fn.start, 'async ');
  } else if (fn.value && (fn.type === 'Property' || fn.type === 'MethodDefinition')) {
    ctx.edits.insert(fn.key.start, 'async ');
  } else if (fn.type === 'ObjectMethod' || fn.type === 'ClassMethod') {
    ctx.edits.insert(fn.key.start, 'async ');
  }
}
