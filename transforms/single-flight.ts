/**
 * @fileoverview single-flight: concurrent invocations that miss a module-level cache, or find a
 * lazily initialised module-level variable unset, wait for one pending load instead of each
 * running their own.
 *
 * - A lazy initialisation across an `await` (`if (!server) server = await bootstrap();`,
 *   `server ??= await bootstrap()`, `server = server ?? await bootstrap()`) awaits a pending
 *   promise kept next to the variable: `server = await (serverPending ??= bootstrap().finally(() =>
 *   { serverPending = undefined; }))`. The first cold invocation starts the initialiser; the ones
 *   that arrive while it runs wait for the same promise. The slot is emptied once the promise
 *   settles, so a failed initialisation is tried again by the next invocation, as before.
 * - A `Map` cache filled after an `await` (`if (!cache.has(key)) cache.set(key, await load(key));`,
 *   or through a local `const value = await load(key); cache.set(key, value);`) gets a companion
 *   map of pending loads: the statement that awaited the load first starts it unless one is
 *   pending for the key (`if (!cachePending.has(key)) cachePending.set(key, load(key).finally(() =>
 *   cachePending.delete(key)));`), then awaits `cachePending.get(key)`.
 *
 * The cached value, the readers of the cache and the variable keep their types: only the loading
 * changes. An invocation alone does exactly what it did. Under concurrency a load that fails fails
 * every invocation waiting for it (they would each have run the same load). Anything else the rule
 * reports (several awaits under one guard, an object prepared after it is stored, a key that is not
 * a plain name) gets a `// lmi-audit:` marker instead.
 */
import type { API, FileInfo } from 'jscodeshift';
import { addMarkerComment } from './lib/add-marker-comment.js';
import { findModuleFunction } from './lib/find-module-function.js';
import { getEnclosingStatement } from './lib/get-enclosing-statement.js';
import { getHandlerFunctions } from './lib/get-handler-functions.js';
import { getInvocationFunctions } from './lib/get-invocation-functions.js';
import { getParser } from './lib/get-parser.js';
import { getTopLevelFunction } from './lib/get-top-level-function.js';
import { isAsync, isFunctionNode, unwrapExpression } from './lib/nodes.js';
import { runRecipe } from './lib/run-recipe.js';
import type { AstNode, AstPath, RecipeContext, TransformMeta, TransformOptions } from './lib/types.js';

export const meta: TransformMeta = {
  id: 'single-flight',
  description:
    'Makes concurrent invocations that miss a module-level Map cache, or find a lazily initialised variable unset, wait for one pending load instead of each starting their own.',
  fixes: 'unsafe-shared-collection',
  safety: 'safe',
};

export const parser = getParser;

/** A module-level declaration the rewrite adds a companion to. */
interface ModuleVariable {
  name: string;
  /** The program-level statement that declares it. */
  statement: AstNode;
  /** Absent for an imported binding. */
  declarator: AstNode | undefined;
  /** `import`: a binding imported from another module (a cache that module holds). */
  kind: 'const' | 'let' | 'var' | 'import';
}

/** `guard`: the `if` the write sits under (one plan per guard). */
type Plan =
  | { kind: 'lazy'; variable: ModuleVariable; awaitNode: AstNode; statement: AstPath; guard?: AstNode }
  | { kind: 'map'; variable: ModuleVariable; awaitNode: AstNode; key: AstNode; statement: AstPath; guard?: AstNode }
  | { kind: 'block'; variable: ModuleVariable; block: AstNode; statement: AstPath; guard?: AstNode; last?: AstNode }
  | { kind: 'mark'; statement: AstPath; why: string; guard?: AstNode };

export default function transform(file: FileInfo, api: API, options: TransformOptions): string | undefined {
  return runRecipe(file, api, options, (ctx) => {
    const handlers = getHandlerFunctions(ctx);
    const invocation = getInvocationFunctions(
      ctx,
      handlers.map((h) => h.path),
    );
    const plans: Plan[] = [];
    // One plan per guard: the writes under one `if` are one initialisation (reported once).
    const guards = new Set<AstNode>();
    const consider = (write: AstPath, plan: (fn: AstPath) => Plan | undefined) => {
      const fn = getTopLevelFunction(write);
      if (!fn || !invocation.has(fn.node) || !ctx.isReported(write.node)) return;
      const found = plan(fn);
      if (!found) return;
      if (found.guard) {
        if (guards.has(found.guard)) return;
        guards.add(found.guard);
      }
      plans.push(found);
    };
    ctx.root.find(ctx.j.AssignmentExpression).forEach((p: AstPath) => consider(p, (fn) => planLazy(ctx, p, fn)));
    ctx.root.find(ctx.j.CallExpression).forEach((p: AstPath) => {
      if (isSetCall(p.node)) consider(p, (fn) => planMap(ctx, p, fn));
    });
    plans.sort((a, b) => a.statement.node.start - b.statement.node.start);
    const pendingNames = new Map<string, string>();
    for (const plan of plans) {
      if (plan.kind === 'mark') {
        addMarkerComment(ctx, plan.statement.node, `single-flight not applied: ${plan.why}`);
        continue;
      }
      const v = plan.variable;
      let pending = pendingNames.get(v.name);
      if (!pending) {
        pendingNames.set(v.name, (pending = freeName(ctx, `${v.name}Pending`)));
        declareCompanion(ctx, plan, pending);
      }
      if (plan.kind === 'lazy') rewriteLazy(ctx, plan, pending);
      else if (plan.kind === 'block') rewriteBlock(ctx, plan, pending);
      else rewriteMap(ctx, plan, pending);
    }
  });
}

/**
 * A write of a module-level `let`/`var` that the rule reports as a lazy initialisation across an
 * `await`: `x ??= await e`, `x = x ?? await e`, or `x = ...` under a guard with an `await`
 * before the value is ready.
 */
function planLazy(ctx: RecipeContext, assignment: AstPath, fn: AstPath): Plan | undefined {
  const node = assignment.node;
  const left = unwrapExpression(node.left);
  if (left.type !== 'Identifier' || !['=', '??=', '||='].includes(node.operator)) return undefined;
  const variable = moduleVariable(ctx, assignment, left.name);
  if (!variable || variable.kind === 'const') return undefined;
  const right = unwrapExpression(node.right);
  const selfGuarded =
    node.operator !== '=' || (right.type === 'LogicalExpression' && (right.operator === '??' || right.operator === '||') && sameName(right.left, left));
  const stored = selfGuarded && node.operator === '=' ? unwrapExpression(right.right) : right;
  if (joinsSharedPromise(ctx, stored, assignment)) return undefined;
  const statement = getEnclosingStatement(assignment);
  if (!statement) return undefined;
  const awaitNode = stored.type === 'AwaitExpression' ? stored : undefined;
  if (selfGuarded) {
    if (!containsAwait(ctx, node.right)) return undefined;
    if (!awaitNode) return { kind: 'mark', statement, why: 'the awaited work is not one expression; move it into one async function and store its promise' };
    return lazyPlan(ctx, variable, awaitNode, statement, undefined);
  }
  const guard = enclosingGuard(assignment, fn, (test) => mentionsModuleVariable(ctx, test, assignment));
  if (!guard) {
    // The scan reported it (fix passes the lines): the guard sits in a caller (`if (app) return app(e); return setup(e);`).
    if (!ctx.options.lines) return undefined;
    return {
      kind: 'mark',
      statement,
      why: `the check of \`${left.name}\` is in the caller; store the promise of this initialiser in a module-level variable there (\`pending ??= setup()\`)`,
    };
  }
  const awaits = ctx.j(guard.node.consequent).find(ctx.j.AwaitExpression).nodes();
  const racy = awaits.some((a: AstNode) => a.start < node.end) || isPrepared(awaits, node, left.name);
  if (!racy) return undefined;
  if (awaitNode && !guardedBlockProblem(awaits, awaitNode, node, left.name)) return lazyPlan(ctx, variable, awaitNode, statement, guard.node);
  // Several steps under the guard: the whole block becomes the one pending initialisation.
  const why = blockProblem(ctx, guard);
  if (why) return { kind: 'mark', statement, guard: guard.node, why };
  // The slot is named after what the guard tests (`if (!loaded)`: `loadedPending`).
  const test = unwrapExpression(guard.node.test);
  const testedName =
    test.type === 'UnaryExpression' && unwrapExpression(test.argument).type === 'Identifier' ? unwrapExpression(test.argument).name : undefined;
  const tested = testedName ? moduleVariable(ctx, guard, testedName) : undefined;
  const slot = tested && tested.kind !== 'const' ? tested : variable;
  const last = finalWrite(ctx, guard.get('consequent'), slot.name);
  if (ctx.isTypeScript) {
    // TypeScript narrows `x` after `if (!x) { ...; x = v; }`; a write inside a closure it does not.
    const annotation = slot.declarator.id.typeAnnotation;
    const optional = !annotation || /\b(undefined|null)\b/.test(ctx.source.slice(annotation.start, annotation.end));
    if (!last && optional)
      return { kind: 'mark', statement, guard: guard.node, why: `end the block with the write of \`${slot.name}\`, then run the transform again` };
    if (last && !annotation)
      return { kind: 'mark', statement, guard: guard.node, why: `give \`${slot.name}\` a type annotation, then run the transform again` };
  }
  return { kind: 'block', variable: slot, block: guard.node.consequent, statement, guard: guard.node, ...(last ? { last } : {}) };
}

/** The block's last statement when it is `name = value;` and the block writes `name` nowhere else: it becomes `return value;`. */
function finalWrite(ctx: RecipeContext, block: AstPath, name: string): AstNode | undefined {
  const body: AstNode[] = block.node.body;
  const last = body[body.length - 1];
  const e = last?.type === 'ExpressionStatement' ? unwrapExpression(last.expression) : undefined;
  if (e?.type !== 'AssignmentExpression' || e.operator !== '=' || !sameName(e.left, { type: 'Identifier', name })) return undefined;
  const others = ctx
    .j(block)
    .find(ctx.j.AssignmentExpression)
    .filter((p: AstPath) => p.node !== e && sameName(p.node.left, { type: 'Identifier', name }));
  return others.size() === 0 ? last : undefined;
}

const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/**
 * Why `if (!x) { ...awaits...; x = ...; }` cannot run as one async function, if it can: it must
 * return, break out or yield nothing, declare no `var`, read no `arguments`, write only
 * module-level names and its own locals (an invocation that waits for another's run gets nothing
 * else), and set the guarded variable only after its last `await` (no one sees a half-made value).
 */
function blockProblem(ctx: RecipeContext, guard: AstPath): string | undefined {
  const block = guard.node.consequent;
  if (block.type !== 'BlockStatement') return 'the initialisation is not a block of its own';
  const { j } = ctx;
  const blockPath = guard.get('consequent');
  const own = (p: AstPath) => runsIn(p, block);
  const inLoop = (p: AstPath) => {
    for (let q = p.parent; q && q.node !== block; q = q.parent) if (LOOPS.has(q.node.type) || q.node.type === 'SwitchStatement') return true;
    return false;
  };
  const exits =
    j(blockPath)
      .find(j.ReturnStatement)
      .some((p: AstPath) => own(p)) ||
    j(blockPath)
      .find(j.YieldExpression)
      .some((p: AstPath) => own(p)) ||
    j(blockPath)
      .find(j.Identifier, { name: 'arguments' })
      .some((p: AstPath) => own(p)) ||
    j(blockPath)
      .find(j.BreakStatement)
      .some((p: AstPath) => own(p) && (!!p.node.label || !inLoop(p))) ||
    j(blockPath)
      .find(j.ContinueStatement)
      .some((p: AstPath) => own(p) && (!!p.node.label || !inLoop(p)));
  if (exits) return 'the initialisation returns or jumps out of its block; move it into one async function and store its promise';
  if (
    j(blockPath)
      .find(j.VariableDeclaration, { kind: 'var' })
      .some((p: AstPath) => own(p))
  )
    return 'the block declares `var`s';
  const writes: AstPath[] = [];
  j(blockPath)
    .find(j.AssignmentExpression)
    .forEach((p: AstPath) => {
      if (own(p)) writes.push(p);
    });
  j(blockPath)
    .find(j.UpdateExpression)
    .forEach((p: AstPath) => {
      if (own(p)) writes.push(p);
    });
  for (const w of writes) {
    const target = unwrapExpression(w.node.left ?? w.node.argument);
    if (target?.type !== 'Identifier') continue;
    const scope = w.scope?.lookup(target.name);
    const local = !!scope && scope !== ctx.programScope && scope.node.start >= block.start && scope.node.end <= block.end;
    if (!local && scope !== ctx.programScope) {
      return `the initialisation also sets \`${target.name}\`, a local of the function: an invocation that waits for another's would not get it`;
    }
  }
  const lastAwait = Math.max(
    -1,
    ...j(blockPath)
      .find(j.AwaitExpression)
      .filter((p: AstPath) => own(p))
      .nodes()
      .map((a: AstNode) => a.end),
  );
  // The names the guard tests must be set last: an invocation that finds them set goes on.
  const tested = new Set<string>();
  const test = guard.node.test;
  if (test.type === 'Identifier') tested.add(test.name);
  j(guard.get('test'))
    .find(j.Identifier)
    .forEach((p: AstPath) => {
      tested.add(p.node.name);
    });
  const early = writes.find((w) => {
    const target = unwrapExpression(w.node.left ?? w.node.argument);
    return target?.type === 'Identifier' && tested.has(target.name) && w.node.end < lastAwait;
  });
  if (early) {
    const name = unwrapExpression(early.node.left ?? early.node.argument).name;
    return `\`${name}\` is set before the initialisation is finished; create and prepare it in one async function and store its promise`;
  }
  const open = block.start;
  const close = block.end - 1;
  if (ctx.source.slice(open + 1, ctx.edits.lineEnd(open)).trim() !== '' || !ctx.edits.startsLine(close)) return 'the block shares a line with other code';
  return undefined;
}

function lazyPlan(ctx: RecipeContext, variable: ModuleVariable, awaitNode: AstNode, statement: AstPath, guard: AstNode | undefined): Plan {
  if (ctx.isTypeScript && !variable.declarator.id.typeAnnotation && !typeOfCall(ctx, awaitNode.argument)) {
    return { kind: 'mark', statement, guard, why: `give \`${variable.name}\` a type annotation, then run the transform again` };
  }
  return { kind: 'lazy', variable, awaitNode, statement, guard };
}

/**
 * A `cache.set(key, value)` on a module-level `Map` under a guard that checks the cache, with an
 * `await` between the check and the write: `cache.set(key, await load(key))`, or a local
 * `const value = await load(key)` stored later.
 */
function planMap(ctx: RecipeContext, setCall: AstPath, fn: AstPath): Plan | undefined {
  const holder = unwrapExpression(setCall.node.callee.object);
  if (holder.type !== 'Identifier') return undefined;
  const variable = moduleVariable(ctx, setCall, holder.name) ?? importedBinding(ctx, setCall, holder.name);
  if (!variable || (variable.declarator && isFunctionNode(unwrapExpression(variable.declarator.init)))) return undefined;
  const guard = enclosingGuard(setCall, fn, (test) => mentionsName(ctx, test, holder.name, fn));
  if (!guard) return undefined;
  const value = unwrapExpression(setCall.node.arguments[1]);
  if (joinsSharedPromise(ctx, value, setCall)) return undefined;
  const awaits = ctx.j(guard.node.consequent).find(ctx.j.AwaitExpression).nodes();
  if (!awaits.some((a: AstNode) => a.start < setCall.node.end)) return undefined;
  const setStatement = getEnclosingStatement(setCall);
  if (!setStatement) return undefined;
  const mark = (why: string): Plan => ({ kind: 'mark', statement: setStatement, guard: guard.node, why });
  let awaitNode: AstNode | undefined;
  let statement: AstPath | undefined;
  if (value.type === 'AwaitExpression') {
    // `if (!cache.has(k)) cache.set(k, await load(k));`: the statement is the if's consequent.
    const own = setCall.parent;
    if (own?.node.type !== 'ExpressionStatement') return mark('the cache write is part of a larger expression');
    awaitNode = value;
    statement = own;
  } else if (value.type === 'Identifier') {
    const declaration = localAwaitDeclaration(ctx, guard, value.name, setCall.node.start);
    if (declaration) {
      awaitNode = unwrapExpression(declaration.node.declarations[0].init);
      statement = declaration;
    }
  }
  if (!awaitNode || !statement) return mark('the cached value is built from several awaited steps; store the promise of one async function that builds it');
  if (awaitNode !== value && joinsSharedPromise(ctx, awaitNode, setCall)) return undefined;
  const key = setCall.node.arguments[0];
  if (!isPureKey(ctx, key, fn)) return mark('the key is not a plain name or literal');
  if (mentionsLocalDeclaredIn(ctx, awaitNode.argument, statement)) return mark('the load reads a name declared in the same statement');
  return { kind: 'map', variable, awaitNode, key, statement, guard: guard.node };
}

/** `const name = await e;` inside the guard, before `before`, as the only declarator. */
function localAwaitDeclaration(ctx: RecipeContext, guard: AstPath, name: string, before: number): AstPath | undefined {
  let found: AstPath | undefined;
  ctx
    .j(guard.get('consequent'))
    .find(ctx.j.VariableDeclaration)
    .forEach((d: AstPath) => {
      const decl = d.node;
      if (found || decl.start > before || decl.kind !== 'const' || decl.declarations.length !== 1) return;
      const only = decl.declarations[0];
      if (only.id.type === 'Identifier' && only.id.name === name && unwrapExpression(only.init)?.type === 'AwaitExpression') found = d;
    });
  return found;
}

/**
 * Is `value` awaited from a promise every invocation shares (`await pending`, `await (pending ??=
 * load())`, `await inflight.get(key)` on module-level names)? Then the write is already single-flight.
 */
function joinsSharedPromise(ctx: RecipeContext, value: AstNode, at: AstPath): boolean {
  if (value?.type !== 'AwaitExpression') return false;
  const awaited = unwrapExpression(value.argument);
  const isModule = (n: AstNode) => unwrapExpression(n)?.type === 'Identifier' && !!moduleVariable(ctx, at, unwrapExpression(n).name);
  if (awaited.type === 'Identifier') return isModule(awaited);
  if (awaited.type === 'AssignmentExpression') return isModule(awaited.left);
  if (awaited.type === 'CallExpression') {
    const callee = unwrapExpression(awaited.callee);
    return callee.type === 'MemberExpression' && !callee.computed && callee.property.name === 'get' && isModule(callee.object);
  }
  return false;
}

/** Does `path` run as part of `container` itself, not in a function nested in it? */
function runsIn(path: AstPath, container: AstNode): boolean {
  for (let q = path.parent; q && q.node !== container; q = q.parent) if (isFunctionNode(q.node)) return false;
  return true;
}

/** An `await` in `node` itself, not in a function nested in it. */
function containsAwait(ctx: RecipeContext, node: AstNode): boolean {
  if (unwrapExpression(node)?.type === 'AwaitExpression') return true;
  return ctx
    .j(node)
    .find(ctx.j.AwaitExpression)
    .some((p: AstPath) => runsIn(p, node));
}

/** An `await name.method()` after the write: the stored object is not ready when others see it. */
function isPrepared(awaits: AstNode[], write: AstNode, name: string): boolean {
  return awaits.some((a: AstNode) => {
    if (a.start <= write.end) return false;
    const arg = unwrapExpression(a.argument);
    if (arg?.type !== 'CallExpression') return false;
    let object = unwrapExpression(arg.callee);
    while (object && (object.type === 'MemberExpression' || object.type === 'OptionalMemberExpression')) object = unwrapExpression(object.object);
    return object?.type === 'Identifier' && object.name === name;
  });
}

function sameName(a: AstNode, b: AstNode): boolean {
  const x = unwrapExpression(a);
  const y = unwrapExpression(b);
  return x?.type === 'Identifier' && y?.type === 'Identifier' && x.name === y.name;
}

function isSetCall(call: AstNode): boolean {
  const callee = unwrapExpression(call.callee);
  return (
    (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') &&
    !callee.computed &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'set' &&
    call.arguments.length === 2
  );
}

/** The module-level `let`/`var`/`const` `name` refers to at `at`, if it is one (not shadowed). */
function moduleVariable(ctx: RecipeContext, at: AstPath, name: string): ModuleVariable | undefined {
  if (at.scope?.lookup(name) !== ctx.programScope) return undefined;
  const body: AstNode[] = ctx.root.find(ctx.j.Program).paths()[0]!.node.body;
  for (const s of body) {
    const decl = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (decl?.type !== 'VariableDeclaration') continue;
    for (const d of decl.declarations) {
      if (d.id.type === 'Identifier' && d.id.name === name) return { name, statement: s, declarator: d, kind: decl.kind };
    }
  }
  return undefined;
}

/**
 * A name imported by an `import` declaration (`import { priceCache } from './cache'`): the cache
 * lives in that module, the map of pending loads in this one (still one per worker).
 */
function importedBinding(ctx: RecipeContext, at: AstPath, name: string): ModuleVariable | undefined {
  if (at.scope?.lookup(name) !== ctx.programScope) return undefined;
  const body: AstNode[] = ctx.root.find(ctx.j.Program).paths()[0]!.node.body;
  const imports = body.filter((st) => st.type === 'ImportDeclaration' && st.importKind !== 'type');
  const declaring = imports.some((st) =>
    st.specifiers?.some((sp: AstNode) => sp.local?.name === name && sp.type !== 'ImportNamespaceSpecifier' && sp.importKind !== 'type'),
  );
  // The companion goes after the last import, with the module's other declarations.
  return declaring ? { name, statement: imports[imports.length - 1], declarator: undefined, kind: 'import' } : undefined;
}

/** The nearest `if` around `path`, within `fn`, whose test passes `accept` and whose consequent holds `path`. */
function enclosingGuard(path: AstPath, fn: AstPath, accept: (test: AstNode) => boolean): AstPath | undefined {
  for (let p = path; p && p.node !== fn.node; p = p.parent) {
    const parent = p.parent;
    if (parent?.node.type === 'IfStatement' && p.name === 'consequent' && accept(parent.node.test)) return parent;
    if (isFunctionNode(p.node) && p !== path) return undefined;
  }
  return undefined;
}

function mentionsModuleVariable(ctx: RecipeContext, node: AstNode, at: AstPath): boolean {
  let found = false;
  ctx
    .j(node)
    .find(ctx.j.Identifier)
    .forEach((p: AstPath) => {
      if (!found && moduleVariable(ctx, at, p.node.name)) found = true;
    });
  if (node.type === 'Identifier' && moduleVariable(ctx, at, node.name)) found = true;
  return found;
}

/** Does `test` mention `name`, directly or through a local initialised from it (`const hit = cache.get(k); if (!hit)`)? */
function mentionsName(ctx: RecipeContext, test: AstNode, name: string, fn: AstPath): boolean {
  const names = new Set([name]);
  ctx
    .j(fn)
    .find(ctx.j.VariableDeclarator)
    .forEach((d: AstPath) => {
      if (d.node.id.type !== 'Identifier' || !d.node.init) return;
      if (ctx.j(d.get('init')).find(ctx.j.Identifier, { name }).size() > 0 || (d.node.init.type === 'Identifier' && d.node.init.name === name))
        names.add(d.node.id.name);
    });
  const hit = (n: AstNode) => n.type === 'Identifier' && names.has(n.name);
  return (
    hit(test) ||
    ctx
      .j(test)
      .find(ctx.j.Identifier)
      .some((p: AstPath) => hit(p.node))
  );
}

/**
 * Why the guarded block cannot become one shared load: another `await` comes before this one
 * (the initialisation spans several steps), or the stored object is prepared after it is stored.
 */
function guardedBlockProblem(awaits: AstNode[], awaitNode: AstNode, write: AstNode, name: string): string | undefined {
  if (awaits.some((a: AstNode) => a.start < awaitNode.start && !isInside(awaitNode, a))) {
    return 'the initialisation awaits more than once; move it into one async function and store its promise';
  }
  if (isPrepared(awaits, write, name)) return `\`${name}\` is prepared after it is stored; create and prepare it in one async function and store its promise`;
  return undefined;
}

function isInside(inner: AstNode, outer: AstNode): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** A key that reads the same at the inserted check as at the write: names not reassigned in `fn`, members of them, literals. */
function isPureKey(ctx: RecipeContext, key: AstNode, fn: AstPath): boolean {
  const k = unwrapExpression(key);
  switch (k.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'Literal':
      return true;
    case 'TemplateLiteral':
      return k.expressions.every((e: AstNode) => isPureKey(ctx, e, fn));
    case 'Identifier':
      return (
        !ctx
          .j(fn)
          .find(ctx.j.AssignmentExpression)
          .some((a: AstPath) => sameName(a.node.left, k)) &&
        !ctx
          .j(fn)
          .find(ctx.j.UpdateExpression)
          .some((u: AstPath) => sameName(u.node.argument, k))
      );
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return (!k.computed || isPureKey(ctx, k.property, fn)) && isPureKey(ctx, k.object, fn);
    default:
      return false;
  }
}

/** Does `expr` read a local declared by `statement` itself (it could not move before it)? */
function mentionsLocalDeclaredIn(ctx: RecipeContext, expr: AstNode, statement: AstPath): boolean {
  if (statement.node.type !== 'VariableDeclaration') return false;
  const names = new Set(statement.node.declarations.map((d: AstNode) => d.id.name));
  return ctx
    .j(expr)
    .find(ctx.j.Identifier)
    .some((p: AstPath) => names.has(p.node.name));
}

/** `f(...)` where `f` is a module-level `async` function: a promise, no `Promise.resolve` needed. */
function isAsyncCall(ctx: RecipeContext, expr: AstNode): boolean {
  const e = unwrapExpression(expr);
  if (e?.type !== 'CallExpression' || e.callee.type !== 'Identifier') return false;
  const target = findModuleFunction(ctx, e.callee.name);
  return !!target && isAsync(target.node);
}

/** For an untyped TypeScript variable: the type of the promise `expr` gives, when it is a call of a named function. */
function typeOfCall(ctx: RecipeContext, expr: AstNode): string | undefined {
  const e = unwrapExpression(expr);
  if (e?.type !== 'CallExpression' || e.callee.type !== 'Identifier') return undefined;
  if (!findModuleFunction(ctx, e.callee.name)) return undefined;
  return isAsyncCall(ctx, e) ? `ReturnType<typeof ${e.callee.name}>` : `Promise<Awaited<ReturnType<typeof ${e.callee.name}>>>`;
}

function freeName(ctx: RecipeContext, base: string): string {
  const taken = (n: string) => ctx.programScope.declares(n) || ctx.root.find(ctx.j.Identifier, { name: n }).size() > 0;
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
}

/** The pending slot (or map of pending loads) on the line after the variable's declaration. */
function declareCompanion(ctx: RecipeContext, plan: Extract<Plan, { kind: 'lazy' | 'map' | 'block' }>, pending: string): void {
  const v = plan.variable;
  const at = ctx.edits.lineEnd(v.statement.end);
  const newline = at === ctx.source.length && !ctx.source.endsWith('\n') ? '\n' : '';
  let text: string;
  if (plan.kind === 'block') {
    const type = plan.last ? `Promise<NonNullable<typeof ${v.name}>>` : 'Promise<void>';
    text = `// The one pending initialisation of \`${v.name}\` that concurrent cold invocations wait for.\nlet ${pending}${ctx.isTypeScript ? `: ${type} | undefined` : ''};\n`;
  } else if (plan.kind === 'lazy') {
    let type = '';
    if (ctx.isTypeScript)
      type = v.declarator.id.typeAnnotation
        ? `: Promise<NonNullable<typeof ${v.name}>> | undefined`
        : `: ${typeOfCall(ctx, plan.awaitNode.argument)} | undefined`;
    text = `// The one pending initialisation of \`${v.name}\` that concurrent cold invocations wait for.\nlet ${pending}${type};\n`;
  } else {
    text = `// One pending load per key: concurrent misses of \`${v.name}\` wait for it instead of loading again.\nconst ${pending} = new Map${mapTypeArguments(ctx, v)}();\n`;
  }
  ctx.edits.insert(at, newline + text);
}

/** `<K, Promise<V>>` from the cache's `new Map<K, V>()` or `Map<K, V>` annotation (TypeScript only). */
function mapTypeArguments(ctx: RecipeContext, v: ModuleVariable): string {
  if (!ctx.isTypeScript) return '';
  const init = v.declarator && unwrapExpression(v.declarator.init);
  const params = init?.typeParameters?.params ?? init?.typeArguments?.params ?? v.declarator?.id.typeAnnotation?.typeAnnotation?.typeParameters?.params;
  if (!params || params.length !== 2) {
    // An imported or untyped cache: the types its `set` takes.
    const set = `Parameters<typeof ${v.name}.set>`;
    return `<${set}[0], Promise<${set}[1]>>`;
  }
  const text = (n: AstNode) => ctx.source.slice(n.start, n.end);
  return `<${text(params[0])}, Promise<${text(params[1])}>>`;
}

/**
 * The promise of `expr`: itself for a call of a local async function or of `Promise.*`, or
 * `new Promise(...)`; else `Promise.resolve(expr)` (what is awaited need not be a promise).
 */
function promiseOf(ctx: RecipeContext, expr: AstNode): string {
  const text = ctx.source.slice(expr.start, expr.end);
  const e = unwrapExpression(expr);
  const isPromise =
    isAsyncCall(ctx, e) ||
    (e.type === 'NewExpression' && e.callee.type === 'Identifier' && e.callee.name === 'Promise') ||
    (e.type === 'CallExpression' && e.callee.type === 'MemberExpression' && e.callee.object.type === 'Identifier' && e.callee.object.name === 'Promise');
  return isPromise ? text : `Promise.resolve(${text})`;
}

function rewriteLazy(ctx: RecipeContext, plan: Extract<Plan, { kind: 'lazy' }>, pending: string): void {
  const arg = plan.awaitNode.argument;
  const unit = ctx.indentUnit;
  const indent = ctx.edits.indentAt(plan.statement.node.start);
  const replacement = `(${pending} ??= ${promiseOf(ctx, arg)}.finally(() => {\n${indent}${unit}${pending} = undefined;\n${indent}}))`;
  ctx.edits.replace(arg.start, arg.end, replacement, { indent: false });
}

function rewriteMap(ctx: RecipeContext, plan: Extract<Plan, { kind: 'map' }>, pending: string): void {
  const arg = plan.awaitNode.argument;
  const key = ctx.source.slice(plan.key.start, plan.key.end);
  const statement = plan.statement.node;
  const start = `if (!${pending}.has(${key})) ${pending}.set(${key}, ${promiseOf(ctx, arg)}.finally(() => ${pending}.delete(${key})));`;
  ctx.edits.replace(arg.start, arg.end, `${pending}.get(${key})${ctx.isTypeScript ? '!' : ''}`);
  if (plan.statement.parent?.node.type === 'IfStatement') {
    // `if (!cache.has(key)) cache.set(key, await load(key));`: the new statement joins it in a block.
    const indent = ctx.edits.indentAt(plan.statement.parent.node.start);
    ctx.edits.insert(statement.start, `{\n${indent}${ctx.indentUnit}${start}\n${indent}${ctx.indentUnit}`, { indent: false });
    ctx.edits.insert(statement.end, `\n${indent}}`, { indent: false });
    return;
  }
  const indent = ctx.edits.indentAt(statement.start);
  // Indented with its line, so it stays in step inside a block another plan moves one level deeper.
  ctx.edits.insert(ctx.edits.lineStart(statement.start), `${indent}${start}\n`);
}

/** The guarded block runs as one async function whose promise every cold invocation waits for. */
function rewriteBlock(ctx: RecipeContext, plan: Extract<Plan, { kind: 'block' }>, pending: string): void {
  const unit = ctx.indentUnit;
  const inner = ctx.edits.indentAt(plan.guard!.start) + unit;
  const bodyStart = ctx.edits.lineEnd(plan.block.start);
  const closeLine = ctx.edits.lineStart(plan.block.end - 1);
  const assign = plan.last ? `${plan.variable.name} = ` : '';
  // TypeScript: the returned value keeps the contextual type the assignment gave it.
  // (Spelled from the declaration: inside the guard, `typeof x` is narrowed to its empty case.)
  const annotation = plan.variable.declarator.id.typeAnnotation?.typeAnnotation;
  const returns = plan.last && annotation ? `: Promise<NonNullable<${ctx.source.slice(annotation.start, annotation.end)}>>` : '';
  ctx.edits.insert(bodyStart, `${inner}${assign}await (${pending} ??= (async ()${returns} => {\n`, { indent: false });
  // `x = value;` at the end of the block: the function returns the value and the caller stores it.
  if (plan.last) ctx.edits.replace(plan.last.start, unwrapExpression(plan.last.expression).right.start, 'return ');
  for (let line = bodyStart; line < closeLine; line = ctx.edits.lineEnd(line)) ctx.edits.indentLine(line, unit);
  ctx.edits.insert(closeLine, `${inner}})().finally(() => {\n${inner}${unit}${pending} = undefined;\n${inner}}));\n`, { indent: false });
}
