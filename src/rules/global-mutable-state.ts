/**
 * @fileoverview global-mutable-state: module-level state written during an invocation.
 */
import { ts } from '../ts.js';
import type { Fact, Ref } from '../core/summary.js';
import { isFunctionLike, unwrap } from '../lang/js/ast.js';
import type { TaintSources, WalkContext } from '../lang/js/context.js';
import { CHECK_THEN_ACT_RULE, checkThenActWrites, memoCacheWrites } from '../kit/check-then-act.js';
import { isBeforeInitFlag, isScratchFieldWrite, writtenField } from '../kit/class-fields.js';
import { findLazyGuard } from '../kit/lazy-guard.js';
import { classesInstantiatedAtModuleLevel } from '../kit/module-instances.js';
import { functionsRunOnlyOnNewInstances } from '../kit/construction-only.js';
import { LAZY_INIT_RULE, lazyInits, writeKey } from '../kit/lazy-init.js';
import { describeValueSource, getValueSource } from '../kit/value-source.js';
import { defineRule, type CheckContext, type HandlerInfo } from './define.js';

const S = ts.SyntaxKind;
const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);
/** `process.env.NAME` / `process.env['NAME']`: one variable, whatever the invocation. */
const STATIC_ENV_KEY = /^process\.env(\.[\w$]+|\[(['"`])[\w$]+\2\])$/;
const OBJECT_MUTATORS = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf']);

type MessageId =
  'reassigned' | 'reassignedWithRequestData' | 'reassignedWithValue' | 'mutated' | 'elementsMixed' | 'thisMutated' | 'envWrite' | 'implicitGlobal';

/**
 * Names a sloppy script may assign without declaring them that are not accidental globals:
 * the CommonJS wrapper's own parameters and the global object's aliases.
 */
const NOT_IMPLICIT = new Set(['module', 'exports', 'require', '__dirname', '__filename', 'global', 'globalThis', 'window', 'self', 'undefined']);

interface WriteFact {
  /**
   * `decl`: a module-level `let`/`var` and its constant initial value (for constant writes).
   * `implicit`: an assignment to a name declared nowhere, in sloppy-mode code (a new global).
   */
  k: 'reassign' | 'mutate' | 'env' | 'decl' | 'implicit';
  ref?: Ref;
  text: string;
  tainted: boolean;
  /** Where the per-invocation data of the written value comes from. */
  taint?: TaintSources;
  /** The written value when it is a literal constant, as JSON. */
  constant?: string;
  /** Start of an `if` that tests the target for absence (lazy initialisation). */
  guard?: number;
  /**
   * An unconditional `x = v` after which this function reads `x` only with no `await` in between
   * (and never before it): within this function the variable is a local in all but name.
   */
  scratch?: boolean;
  /** `x ??= v` / `x ||= v`. */
  logical?: boolean;
  /** `x++`, `--x`, `x += 1`: a step of a counter, read and written with no `await` in between. */
  step?: boolean;
  /**
   * A field of `this` no other invocation can observe (src/kit/class-fields.ts): a scratch field
   * reset by a synchronous method, or written only while the constructor has not finished.
   */
  unobserved?: 'scratch' | 'construction';
  /** `x = undefined` / `x = null`: the variable is emptied, no value is stored. */
  cleared?: boolean;
  /**
   * `list.push(v)`, `list.splice(i, 1)`: adds or removes elements of a module-level array, with
   * `readBack` when its function (or one that passed it as a callback) reads the array again
   * after an `await` that follows (see readAfterAwait).
   */
  element?: { readBack: boolean };
  /** `list.length = 0`, `list.splice(0)`: every element is dropped, the array starts over. */
  empties?: boolean;
  end: number;
}

function record(ctx: WalkContext<WriteFact>, node: ts.Node, fact: WriteFact): void {
  ctx.record(node, fact);
}

/** A write to `target` (an assignment target, update operand or mutator receiver). */
/**
 * Does the function holding `step` read `name` after an `await` (or `yield`) that comes after the
 * step? `count += 1; await work(); return { count }` returns a count other invocations have moved
 * on meanwhile; `const id = ++seq` and `items.map(() => ({ id: n++ }))` take theirs at once.
 */
function readAfterAwait(step: ts.Node, name: string): boolean {
  // From the step out through the inline callbacks it sits in (`records.forEach((r) => list.push(r))`):
  // the function that passed the callback goes on after the call.
  let from: ts.Node = step;
  for (let depth = 0; depth < 8; depth++) {
    let fn: ts.Node | undefined = from.parent;
    while (fn && !isFunctionLike(fn)) fn = fn.parent;
    const body = fn && (fn as ts.FunctionLikeDeclaration).body;
    if (!fn || !body) return false;
    // One walk per step; bundles' giant functions count as read (reported, as before).
    if (body.end - body.pos > 50_000) return true;
    // In a loop with an `await`, the next turn reads after it: the loop counts from its start.
    let after = from.end;
    for (let p = from.parent; p && p !== fn; p = p.parent) if (isLoop(p)) after = Math.min(after, p.pos);
    if (readsAfter(body, after, name)) return true;
    const call = fn.parent;
    if (!call || !ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return false;
    from = call;
  }
  return false;
}

/** Does `body` read `name` after an `await` (of its own, not of a nested function) at or after `after`? */
function readsAfter(body: ts.Node, after: number, name: string): boolean {
  let awaited = -1;
  let found = false;
  const visit = (n: ts.Node, parent: ts.Node, nested: boolean): void => {
    if (found) return;
    if (!nested && awaited < 0 && n.pos >= after && (n.kind === S.AwaitExpression || n.kind === S.YieldExpression)) awaited = n.end;
    if (awaited >= 0 && n.kind === S.Identifier && n.pos >= awaited && (n as ts.Identifier).text === name) {
      // `seq = 0` stores without reading; `o.seq` and `{ seq: 1 }` name a property.
      const stored = isAssignment(parent) && parent.left === n;
      if (!stored && !isPropertyName(parent, n as ts.Identifier)) {
        found = true;
        return;
      }
    }
    const inner = nested || isFunctionLike(n);
    ts.forEachChild(n, (c) => visit(c, n, inner));
  };
  ts.forEachChild(body, (c) => visit(c, body, false));
  return found;
}

function isLoop(node: ts.Node): boolean {
  switch (node.kind) {
    case S.ForStatement:
    case S.ForOfStatement:
    case S.ForInStatement:
    case S.WhileStatement:
    case S.DoStatement:
      return true;
  }
  return false;
}

/** Methods that add or remove elements without overwriting the ones other invocations stored. */
const ELEMENT_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice']);

/** The {@link WriteFact.element} / {@link WriteFact.empties} part of an array mutator call. */
function elementWrite(call: ts.CallExpression, method: string): Partial<WriteFact> {
  const first = call.arguments[0] && unwrap(call.arguments[0]);
  if (method === 'splice' && call.arguments.length === 1 && first && ts.isNumericLiteral(first) && first.text === '0') return { empties: true };
  if (!ELEMENT_MUTATORS.has(method)) return {};
  const root = rootOf((call.expression as ts.PropertyAccessExpression).expression);
  // `this.items.push(x)` is a field write, reported as one; other roots are not module arrays.
  return ts.isIdentifier(root) ? { element: { readBack: readAfterAwait(call, root.text) } } : {};
}

/** The object a chain of property and element accesses starts from: `state` of `state.a[k].b`. */
function rootOf(expr: ts.Expression): ts.Expression {
  let root = unwrap(expr);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
  return root;
}

/**
 * `if (seq > 1_000_000) seq = 0`: a counter wrapping around, tested and reset with nothing
 * awaited in between, so it is as atomic as a step.
 */
function isWrapAround(node: ts.Node, value: ts.Node | undefined, name: string): boolean {
  if (!value || !ts.isNumericLiteral(unwrap(value as ts.Expression))) return false;
  if (!isAssignment(node)) return false;
  let child: ts.Node = node;
  for (let p = node.parent; p && !isFunctionLike(p); child = p, p = p.parent) {
    if (ts.isExpressionStatement(p)) continue;
    if (ts.isBlock(p)) {
      // `if (seq > N) { await flush(); seq = 0 }`: another invocation steps it during the flush.
      if (p.statements.slice(0, p.statements.indexOf(child as ts.Statement)).some(containsAwait)) return false;
      continue;
    }
    return ts.isIfStatement(p) && p.thenStatement === child && mentions(p.expression, name) && !containsAwait(p.expression);
  }
  return false;
}

function containsAwait(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node) || ts.isYieldExpression(node)) return true;
  if (isFunctionLike(node)) return false;
  return ts.forEachChild(node, (c) => (containsAwait(c) ? true : undefined)) === true;
}

function isAssignment(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === S.EqualsToken;
}

/** `x += n` / `x -= n`. */
function isStepOperator(node: ts.Node): boolean {
  if (node.kind !== S.BinaryExpression) return false;
  const op = (node as ts.BinaryExpression).operatorToken.kind;
  return op === S.PlusEqualsToken || op === S.MinusEqualsToken;
}

function onWrite(ctx: WalkContext<WriteFact>, node: ts.Node, target: ts.Expression, value: ts.Node | undefined, logical = false): void {
  if (ctx.fn < 0) return;
  const t = unwrap(target);
  if (ts.isIdentifier(t)) {
    const b = ctx.lookup(t.text);
    if (!b && !NOT_IMPLICIT.has(t.text) && isSloppy(node, ctx.sourceFile)) {
      const taint = value ? ctx.taintOf(value) : undefined;
      const scratch = isAssignment(node) && isScratchWrite(node, t.text, ctx.sourceFile);
      record(ctx, node, {
        k: 'implicit',
        text: t.text,
        tainted: taint !== undefined,
        ...(taint ? { taint } : {}),
        ...(scratch ? { scratch: true } : {}),
        end: node.getEnd(),
      });
      return;
    }
    if (!b || !b.module || (b.kind !== 'let' && b.kind !== 'var')) return;
    const taint = value ? ctx.taintOf(value) : undefined;
    const constant = value && isAssignment(node) ? constantOf(value) : undefined;
    const step =
      (value === undefined || (isStepOperator(node) && ts.isNumericLiteral(unwrap(value as ts.Expression))) || isWrapAround(node, value, t.text)) &&
      !readAfterAwait(node, t.text);
    record(ctx, node, {
      k: 'reassign',
      ref: { name: t.text, path: [] },
      text: t.text,
      tainted: taint !== undefined,
      ...(taint ? { taint } : {}),
      ...(constant !== undefined ? { constant } : {}),
      ...(value && isEmptyValue(ctx, value) ? { cleared: true } : {}),
      guard: findLazyGuard(node, t.text, ctx.sourceFile),
      ...(isAssignment(node) && isScratchWrite(node, t.text, ctx.sourceFile) ? { scratch: true } : {}),
      logical,
      ...(step ? { step: true } : {}),
      end: node.getEnd(),
    });
    return;
  }
  if (ts.isArrayLiteralExpression(t) || ts.isObjectLiteralExpression(t)) {
    // Destructuring assignment: `[a, b] = await Promise.all(...)`.
    const elements = ts.isArrayLiteralExpression(t)
      ? t.elements
      : t.properties.map((p) => (ts.isShorthandPropertyAssignment(p) ? p.name : ts.isPropertyAssignment(p) ? p.initializer : undefined));
    for (const el of elements) if (el && ts.isExpression(el)) onWrite(ctx, node, el, value);
    return;
  }
  if (!ts.isPropertyAccessExpression(t) && !ts.isElementAccessExpression(t)) return;
  onObjectWrite(
    ctx,
    node,
    t.expression,
    () => t.getText(ctx.sourceFile),
    () => joinTaint(value ? ctx.taintOf(value) : undefined, ts.isElementAccessExpression(t) ? ctx.taintOf(t.argumentExpression) : undefined),
    logical,
    t,
    () => (value && (!ts.isElementAccessExpression(t) || ts.isStringLiteralLike(t.argumentExpression)) && isAssignment(node) ? constantOf(value) : undefined),
    () => (ts.isPropertyAccessExpression(t) && t.name.text === 'length' && value && constantOf(value) === '0' ? { empties: true } : {}),
  );
}

const sloppyFiles = new WeakMap<ts.SourceFile, boolean>();

/**
 * Does `node` run in sloppy mode, where assigning an undeclared name creates a property of the
 * global object instead of throwing? Only plain scripts and CommonJS files can be: ES modules
 * (`.mjs`, or any `import`/`export`), TypeScript (the compiler rejects the undeclared name),
 * class bodies and code under a `'use strict'` prologue are strict.
 */
function isSloppy(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  let sloppy = sloppyFiles.get(sourceFile);
  if (sloppy === undefined) {
    sloppy =
      /\.(c?js|jsx)$/.test(sourceFile.fileName) &&
      !hasUseStrict(sourceFile.statements) &&
      !sourceFile.statements.some(
        (st) =>
          ts.isImportDeclaration(st) ||
          ts.isExportDeclaration(st) ||
          ts.isExportAssignment(st) ||
          (ts.canHaveModifiers(st) && !!ts.getModifiers(st)?.some((m) => m.kind === S.ExportKeyword)),
      );
    sloppyFiles.set(sourceFile, sloppy);
  }
  if (!sloppy) return false;
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isClassLike(p)) return false;
    if (isFunctionLike(p)) {
      const body = (p as ts.FunctionLikeDeclaration).body;
      if (body && ts.isBlock(body) && hasUseStrict(body.statements)) return false;
    }
  }
  return true;
}

function hasUseStrict(statements: readonly ts.Statement[]): boolean {
  for (const st of statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === 'use strict') return true;
  }
  return false;
}

/**
 * Is `write` (an assignment to module-level `name`) a scratch write: it runs whenever its function
 * runs (only blocks and `try` blocks between it and the function body), nothing in the function
 * reads `name` before it, and no `await` (or `yield`) lies between it and any later read? Then no
 * other invocation can run between this invocation's write and its reads (`let response;` of
 * the SAM starter: `response = { statusCode: 200, ... }; return response;`).
 */
function isScratchWrite(write: ts.Node, name: string, sourceFile: ts.SourceFile): boolean {
  let fn: ts.Node | undefined = write.parent;
  let child: ts.Node = write;
  for (; fn && !isFunctionLike(fn); child = fn, fn = fn.parent) {
    if (ts.isExpressionStatement(fn) || ts.isBlock(fn)) continue;
    if (ts.isTryStatement(fn) && child === fn.tryBlock) continue;
    return false;
  }
  const fnBody = fn && (fn as ts.FunctionLikeDeclaration).body;
  // One walk of the function per write: bundles' giant functions are left as they were (reported).
  if (!fnBody || fnBody.end - fnBody.pos > 50_000) return false;
  const start = write.getStart(sourceFile);
  const end = write.getEnd();
  const leftEnd = (write as ts.BinaryExpression).left.getEnd();
  let ok = true;
  let awaited = false;
  let read = false;
  // Parent pointers are not set below the node the walk is at: each visit is given its parent.
  const visit = (n: ts.Node, parent: ts.Node | undefined): void => {
    if (!ok) return;
    if (n !== fn && isFunctionLike(n)) {
      // A callback that reads it may run after an `await`.
      if (mentions(n, name)) ok = false;
      return;
    }
    const pos = n.getStart(sourceFile);
    if ((ts.isAwaitExpression(n) || ts.isYieldExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) && pos > end) awaited = true;
    if (ts.isIdentifier(n) && n.text === name && !(parent && isPropertyName(parent, n))) {
      // `x = await refresh(x)`: the new value depends on the one another invocation left.
      if (pos < start || (pos > leftEnd && pos < end) || (pos > end && awaited)) ok = false;
      else if (pos > end) read = true;
      // A local of the same name: the analysis would not know which is meant.
      if (parent && (ts.isVariableDeclaration(parent) || ts.isParameter(parent)) && parent.name === n) ok = false;
    }
    ts.forEachChild(n, (c) => visit(c, n));
  };
  const body = (fn as ts.FunctionLikeDeclaration).body!;
  for (const p of (fn as ts.FunctionLikeDeclaration).parameters) visit(p, fn);
  visit(body, fn);
  // A variable the function never reads back is not used as a local: the write stays reported.
  return ok && read;
}

/** `o.name` and `{ name: v }`: the identifier names a property, not a variable. */
function isPropertyName(parent: ts.Node, id: ts.Identifier): boolean {
  return (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === id;
}

function mentions(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node) && node.text === name) return true;
  return ts.forEachChild(node, (c) => (mentions(c, name) ? true : undefined)) === true;
}

/** `undefined` (the global), `void 0` or `null`. */
function isEmptyValue(ctx: WalkContext<WriteFact>, value: ts.Node): boolean {
  const v = unwrap(value as ts.Expression);
  if (v.kind === S.NullKeyword) return true;
  if (ts.isIdentifier(v)) return v.text === 'undefined' && ctx.isGlobal('undefined');
  return ts.isVoidExpression(v) && ts.isNumericLiteral(unwrap(v.expression));
}

/** JSON of a literal constant (`'UTC'`, `5`, `true`, `null`, `` `x` ``), undefined for anything else. */
function constantOf(value: ts.Node): string | undefined {
  const v = unwrap(value as ts.Expression);
  if (ts.isStringLiteralLike(v)) return JSON.stringify(v.text);
  if (ts.isNumericLiteral(v)) return JSON.stringify(Number(v.text));
  if (ts.isPrefixUnaryExpression(v) && v.operator === S.MinusToken && ts.isNumericLiteral(v.operand)) return JSON.stringify(-Number(v.operand.text));
  if (v.kind === S.TrueKeyword) return 'true';
  if (v.kind === S.FalseKeyword) return 'false';
  if (v.kind === S.NullKeyword) return 'null';
  return undefined;
}

/** Awaited values only, each from a package call whose inputs carry nothing of the invocation. */
function isRefresh(taint: TaintSources | undefined): boolean {
  return !!taint && taint.awaited && !taint.varying && !taint.caught && taint.params.length === 0;
}

function joinTaint(a: TaintSources | undefined, b: TaintSources | undefined): TaintSources | undefined {
  if (!a || !b) return a ?? b;
  return {
    params: [...a.params, ...b.params],
    awaited: a.awaited || b.awaited,
    caught: a.caught || b.caught,
    ...(a.varying || b.varying ? { varying: true } : {}),
  };
}

/**
 * A mutation of the object `object` evaluates to. The text and taint are asked for only once the
 * object turns out to be module state: most mutations are of locals (`items.push(x)`).
 */
function onObjectWrite(
  ctx: WalkContext<WriteFact>,
  node: ts.Node,
  object: ts.Expression,
  text: () => string,
  taintOf: () => TaintSources | undefined,
  logical = false,
  assigned: ts.Expression | undefined = undefined,
  constant: () => string | undefined = () => undefined,
  extra: () => Partial<WriteFact> = () => ({}),
): void {
  if (ctx.fn < 0) return;
  const root = rootOf(object);
  if (ts.isIdentifier(root) && root.text === 'process' && ctx.isGlobal('process')) {
    const o = unwrap(object);
    if (ts.isPropertyAccessExpression(o) && o.name.text === 'env') {
      const taint = taintOf();
      const c = constant();
      record(ctx, node, {
        k: 'env',
        text: text(),
        tainted: taint !== undefined,
        ...(taint ? { taint } : {}),
        ...(c !== undefined ? { constant: c } : {}),
        end: node.getEnd(),
      });
    }
    return;
  }
  const target = ctx.stateTarget(object);
  if (!target) return;
  const written = text();
  const taint = taintOf();
  const unobserved = unobservedField(node, object, assigned);
  record(ctx, node, {
    ...extra(),
    ...(unobserved ? { unobserved } : {}),
    k: 'mutate',
    ref: target.ref,
    text: written,
    tainted: taint !== undefined,
    ...(taint ? { taint } : {}),
    guard: findLazyGuard(node, written, ctx.sourceFile),
    logical,
    end: node.getEnd(),
  });
}

/**
 * A memo cache's value (one entry per key, filled right after the lookup) is request data only
 * when the handler itself stores it (`lastByTenant[event.tenant] = event.user`): a helper that
 * caches `compile(expression)` under `expression` keeps a pure function of its key, whatever
 * request the key came from.
 */
function storesHandlerData(ctx: CheckContext<MessageId, WriteFact>, file: number, taint: TaintSources | undefined): boolean {
  return !!taint?.params.some(([fn, index]) => ctx.isHandlerParam(file, fn, index));
}

/** See {@link WriteFact.unobserved}: asked only of writes to `this` fields, which are rare. */
function unobservedField(node: ts.Node, object: ts.Expression, assigned: ts.Expression | undefined): WriteFact['unobserved'] {
  const field = writtenField(object, assigned);
  if (field === undefined) return undefined;
  if (isAssignment(node) && assigned && isScratchFieldWrite(node, field)) return 'scratch';
  return isBeforeInitFlag(node) ? 'construction' : undefined;
}

export default defineRule<MessageId, WriteFact>({
  id: 'global-mutable-state',
  checklist: 'global-mutable-state',
  severity: 'error',
  // An implicit global needs a declaration the transform does not write: reported, not fixed.
  fix: {
    transform: 'hoisted-state',
    safety: 'safe',
    messages: ['reassigned', 'reassignedWithRequestData', 'reassignedWithValue', 'mutated', 'elementsMixed', 'thisMutated', 'envWrite'],
  },
  docs: {
    summary: 'Module-level variables and objects written during an invocation are shared by every concurrent invocation on the worker.',
    why:
      'On Lambda Managed Instances the Node.js runtime runs many invocations at once on each worker thread; they share the ' +
      'handler module and all module-level state, and interleave at every `await`. A module-level variable set from one ' +
      "request can be overwritten by another before the first reads it back, so a response can carry another user's data. " +
      '`process.env` is shared the same way, and so is a name assigned without a declaration in sloppy-mode ' +
      'CommonJS (`bucket = event.bucket` with no `let`): that creates a global variable. (Python runs one process per concurrent invocation, so Python globals are safe.) ' +
      'Messages say where the written value comes from: "request data" only when it derives from the handler\'s event or ' +
      "context; a helper's parameter or an awaited result (an SDK call, `fetch`, SSM) is named as such, since it differs " +
      'between invocations without being request data.',
    bad: [
      'let currentUser = null;',
      'export const handler = async (event) => {',
      '  currentUser = event.userId;        // reported',
      '  await processData(event.data);     // another invocation runs here',
      "  return { user: currentUser };      // may be the other request's user",
      '};',
      '',
      '// Sloppy-mode CommonJS (no "use strict"): an undeclared name becomes a global.',
      'exports.handler = async (event) => {',
      '  bucket = event.bucket;             // reported: shared by every invocation',
      '  return read(bucket);',
      '};',
    ].join('\n'),
    good: [
      'export const handler = async (event) => {',
      '  const currentUser = event.userId;  // a local: private to this invocation',
      '  await processData(event.data);',
      '  return { user: currentUser };',
      '};',
      '',
      '// Not reported: writes in init code (including functions module-level code starts, such as',
      '// `const ready = init()`), locals that shadow module names, lazy clients created with no',
      '// `await` between the check and the assignment, initialisations guarded by a flag with nothing',
      '// awaited in between, and the same constant written by every invocation:',
      'let s3;',
      'const client = () => (s3 ??= new S3Client({}));',
      "process.env.TZ = 'UTC'; // inside the handler: every invocation writes the same value",
      '',
      '// A variable one function writes and reads back with no `await` in between (the SAM',
      "// starter's `let response;`): no other invocation can run between the write and the reads.",
      'let response;',
      'export const hello = async () => {',
      "  response = { statusCode: 200, body: 'hello' };",
      '  return response;',
      '};',
      '',
      '// A refresh: every invocation awaits the same package call with the same inputs (credentials',
      '// from the environment, a parameter with a fixed name), so what one stores is what the other',
      '// would have stored. A call with request data in it, or of project code, is still reported.',
      'let credentials;',
      'export const signed = async () => {',
      "  credentials = await fromEnv('AWS')();",
      '  return sign(credentials);',
      '};',
      '',
      '// An in-memory store whose elements invocations add and remove synchronously, and that none',
      '// empties or reads back after an `await`: each invocation keeps its own element, and the list',
      '// spanned invocations before LMI as it does now. (Emptied per invocation, it is reported.)',
      'const users = [];',
      'export const create = async (event) => {',
      '  const user = JSON.parse(event.body);',
      '  users.push(user);',
      '  return { statusCode: 201, body: JSON.stringify(user) };',
      '};',
      '',
      '// A lazy initialisation with an `await` before the value is ready is a check-then-act race:',
      '// unsafe-shared-collection reports it, once per initialisation.',
    ].join('\n'),
    howToFix:
      'Keep per-request values in locals of the handler and pass them to helpers as parameters (or use `AsyncLocalStorage` ' +
      'for request context). For values that ' +
      'deliberately span invocations (cold-start flags, caches), make sure concurrent updates are acceptable and suppress the finding; ' +
      "a counter's step (`count++`, `id = ++seq`, `n += 1`) is not reported, since nothing can run between its read and its write, " +
      'unless its function reads the counter again after an `await`. ' +
      '`lmi-audit fix --transform hoisted-state` moves a variable that every invocation writes before reading into the handler and marks the rest for review.',
    whenNotToUse: 'Functions that will never run on Lambda Managed Instances, or are configured with a maximum concurrency of 1 per environment.',
  },
  messages: {
    reassigned:
      '`{{name}}` is a module-level variable reassigned during an invocation. On LMI, concurrent invocations on a worker share it ' +
      'and interleave at every `await`. Keep per-request values in locals; if it deliberately spans invocations (a counter, a ' +
      'cold-start flag), confirm that is safe under concurrency.',
    reassignedWithRequestData:
      "`{{name}}` is a module-level variable set from request data (the invocation's event or context) during an invocation: " +
      "concurrent invocations on the same worker overwrite it, so a response can carry another request's data. Make it a local " +
      'of the handler and pass it to helpers as a parameter.',
    reassignedWithValue:
      '`{{name}}` is a module-level variable set during an invocation from {{source}}: concurrent invocations on the same ' +
      'worker overwrite it, and one can read the value another stored. Keep it in a local and pass it on as a parameter; if ' +
      'it deliberately spans invocations (a cache), store it once, at init or as a pending promise.',
    mutated:
      'Module-level `{{name}}` is mutated during an invocation with {{source}} (`{{text}}`): every concurrent invocation on the ' +
      'worker reads and overwrites the same object. Build a per-request object inside the handler instead.',
    elementsMixed:
      'Module-level `{{name}}` is changed with {{source}} (`{{text}}`), and {{how}}: the list is used as one ' +
      "invocation's own, but concurrent invocations on the worker add to and drop from the same one, so it holds (or " +
      "loses) other requests' elements. Build the list inside the handler instead.",
    thisMutated:
      '`{{text}}` stores {{source}} on `{{name}}`, which lives at module level and is shared by concurrent invocations: ' +
      "they overwrite each other's fields. Keep per-request values in locals or pass them as arguments.",
    implicitGlobal:
      '`{{name}}` is assigned without being declared, in sloppy-mode code: the assignment creates a global variable, ' +
      'shared by every concurrent invocation on the worker (and every module), set here from {{source}}. One invocation ' +
      "can read the value another stored. Declare it with `const`/`let` inside the function (and add `'use strict'` so " +
      'the next undeclared assignment throws instead).',
    envWrite:
      '`{{text}}` writes `process.env` during an invocation: it is shared by every concurrent invocation on the worker, and ' +
      'the value leaks into other requests. Pass the value explicitly instead.',
  },
  visitors: {
    VariableDeclaration(node, ctx) {
      if (ctx.fn >= 0) return;
      const n = node as ts.VariableDeclaration;
      if (!ts.isIdentifier(n.name) || !n.initializer) return;
      const init = unwrap(n.initializer);
      if (ts.isIdentifier(init) && init.text === 'undefined') return;
      const b = ctx.lookup(n.name.text);
      if (!b || !b.module || (b.kind !== 'let' && b.kind !== 'var')) return;
      const constant = constantOf(init);
      record(ctx, n, { k: 'decl', text: n.name.text, tainted: false, ...(constant !== undefined ? { constant } : {}), end: n.getEnd() });
    },
    BinaryExpression(node, ctx) {
      const n = node as ts.BinaryExpression;
      const op = n.operatorToken.kind;
      if (op < S.FirstAssignment || op > S.LastAssignment) return;
      const logical = op === S.QuestionQuestionEqualsToken || op === S.BarBarEqualsToken;
      onWrite(ctx, n, n.left, n.right, logical);
    },
    PrefixUnaryExpression(node, ctx) {
      const n = node as ts.PrefixUnaryExpression;
      if (n.operator === S.PlusPlusToken || n.operator === S.MinusMinusToken) onWrite(ctx, n, n.operand, undefined);
    },
    PostfixUnaryExpression(node, ctx) {
      const n = node as ts.PostfixUnaryExpression;
      onWrite(ctx, n, n.operand, undefined);
    },
    DeleteExpression(node, ctx) {
      const n = node as ts.DeleteExpression;
      const e = unwrap(n.expression);
      if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
        onObjectWrite(
          ctx,
          n,
          e.expression,
          () => n.getText(ctx.sourceFile),
          () => (ts.isElementAccessExpression(e) ? ctx.taintOf(e.argumentExpression) : undefined),
        );
      }
    },
    CallExpression(node, ctx) {
      if (ctx.fn < 0) return;
      const n = node as ts.CallExpression;
      const callee = unwrap(n.expression);
      if (!ts.isPropertyAccessExpression(callee)) return;
      const method = callee.name.text;
      if (ARRAY_MUTATORS.has(method)) {
        onObjectWrite(
          ctx,
          n,
          callee.expression,
          () => n.getText(ctx.sourceFile),
          () => n.arguments.reduce<TaintSources | undefined>((acc, a) => joinTaint(acc, ctx.taintOf(a)), undefined),
          false,
          undefined,
          undefined,
          () => elementWrite(n, method),
        );
        return;
      }
      const obj = unwrap(callee.expression);
      if (
        ts.isIdentifier(obj) &&
        (obj.text === 'Object' || obj.text === 'Reflect') &&
        ctx.isGlobal(obj.text) &&
        (OBJECT_MUTATORS.has(method) || (obj.text === 'Reflect' && method === 'set')) &&
        n.arguments.length > 1
      ) {
        const target = n.arguments[0]!;
        const tainted = n.arguments.slice(1).reduce<TaintSources | undefined>((acc, a) => joinTaint(acc, ctx.taintOf(a)), undefined);
        const t = unwrap(target);
        if (ts.isPropertyAccessExpression(t) || ts.isIdentifier(t) || ts.isElementAccessExpression(t)) {
          // `Object.assign(state, event)` mutates `state` itself.
          onObjectWriteWhole(ctx, n, t, tainted);
        }
      }
    },
  },
  check(ctx) {
    const owned = checkThenActWrites(ctx.factsOf(CHECK_THEN_ACT_RULE), ctx);
    // A memo cache filled right after its lookup keeps one entry per key: like `map.set(k, v)`, not reported.
    const memo = memoCacheWrites(ctx.factsOf(CHECK_THEN_ACT_RULE), ctx);
    // Writes of lazy initialisations: unsafe-shared-collection reports the racy ones, once per
    // initialisation; the others are safe unless they cache request data (reported below).
    const lazy = new Set<string>();
    // `server = await bootstrap()` where `bootstrap` is that racy initialisation: the same finding.
    const racyNames = new Set<string>();
    for (const init of lazyInits(ctx.factsOf(LAZY_INIT_RULE), ctx)) {
      if (init.requestData) continue;
      for (const w of init.writes) {
        lazy.add(writeKey(init.file, w));
        if (init.racy) racyNames.add(`${init.file}#${w.name}`);
      }
    }
    const constants = constantWrites(ctx);
    const scratch = scratchVariables(ctx);
    const slots = pendingSlots(ctx);
    let instantiated: Set<string> | undefined;
    let restarted: ReturnType<typeof restartedArrays> | undefined;
    const reportedVars = new Set<string>();
    const cleared: Array<{ file: number; fact: Fact & WriteFact; handlers: HandlerInfo[] }> = [];
    for (const { file, fact } of ctx.facts()) {
      if (fact.fn < 0 || fact.k === 'decl') continue;
      const handlers = ctx.handlersReaching(file, fact.fn);
      if (handlers.length === 0) continue;
      const f = fact;
      const source = getValueSource(ctx, file, f.taint);
      if (f.k === 'implicit') {
        // Written and read back within one synchronous stretch of one function (a client made and
        // used at once): no other invocation runs in between.
        if (scratch.has(`${file}#${f.text}`)) continue;
        ctx.report({
          file,
          loc: fact.loc,
          messageId: 'implicitGlobal',
          data: { name: f.text, source: source ? describeValueSource(source) : 'a value computed in the invocation' },
          handlers,
        });
        continue;
      }
      if (f.k === 'env') {
        // The same constant written by every invocation (`process.env.TZ = 'UTC'`) carries nothing between them.
        if (f.constant !== undefined && STATIC_ENV_KEY.test(f.text) && constants.get(`${file}|env|${f.text}`) === f.constant) continue;
        ctx.report({ file, loc: fact.loc, messageId: 'envWrite', data: { text: f.text }, handlers });
        continue;
      }
      if (f.k === 'reassign') {
        // A counter's step (`invocations++`, `id = ++nextId`) reads and writes with no `await` in
        // between: one thread runs it at a time, so concurrent invocations never lose a step, and
        // the count spanned invocations before LMI too. A reset (`n = 0`) is a write like any other.
        if (f.step) continue;
        if (lazy.has(writeKey(file, fact))) continue;
        const lazySafe = (f.guard !== undefined && !ctx.awaitBetween(file, fact.fn, f.guard, f.end)) || f.logical;
        if (lazySafe && source?.source !== 'request') continue;
        if (f.constant !== undefined && constants.get(`${file}|var|${f.text}`) === f.constant) continue;
        if (source?.source === 'awaited' && racyNames.has(`${file}#${f.text}`)) continue;
        // A refresh: every invocation awaits the same package call with the same inputs
        // (`credentials = await fromEnv('AWS')()`), so what one stores is what the other would have.
        if (source?.source === 'awaited' && isRefresh(f.taint)) continue;
        if (scratch.has(`${file}#${f.text}`)) continue;
        if (f.cleared && slots.has(`${file}#${f.text}`)) continue;
        if (f.cleared) {
          // Emptying a variable stores nothing another invocation could read: it is reported only
          // beside a write of a value that is (`user = event.user` ... `user = null`).
          cleared.push({ file, fact, handlers });
          continue;
        }
        reportedVars.add(`${file}#${f.text}`);
        if (source?.source === 'request') {
          ctx.report({ file, loc: fact.loc, messageId: 'reassignedWithRequestData', data: { name: f.text }, handlers });
        } else if (source) {
          ctx.report({ file, loc: fact.loc, messageId: 'reassignedWithValue', data: { name: f.text, source: describeValueSource(source) }, handlers });
        } else {
          ctx.report({ file, loc: fact.loc, messageId: 'reassigned', data: { name: f.text }, handlers });
        }
        continue;
      }
      // mutate
      if (!source) continue;
      if (owned.has(writeKey(file, fact)) || lazy.has(writeKey(file, fact)) || (memo.has(writeKey(file, fact)) && !storesHandlerData(ctx, file, f.taint)))
        continue;
      // `if (!Object.hasOwn(providers, 'x')) providers.x = new Provider(options)`: filled once, with no `await` between check and write.
      if (f.guard !== undefined && !ctx.awaitBetween(file, fact.fn, f.guard, f.end) && source.source !== 'request') continue;
      const ref = f.ref!;
      if (ref.name === 'this') {
        if (f.unobserved) continue;
        const owner = ctx.files[file]!.functions[fact.fn]!.owner;
        if (!owner) continue;
        instantiated ??= classesInstantiatedAtModuleLevel(ctx);
        const ownerBinding = ctx.graph.binding({ file, name: owner, path: [] });
        const shared = !!ownerBinding && (ownerBinding.init !== 'class' || instantiated.has(`${file}#${owner}`));
        if (!shared) continue;
        // A constructor (or a method only it calls) writes the object being made, not the shared one.
        if (ownerBinding?.init === 'class' && functionsRunOnlyOnNewInstances(ctx).has(`${file}:${fact.fn}`)) continue;
        ctx.report({ file, loc: fact.loc, messageId: 'thisMutated', data: { text: f.text, name: owner, source: describeValueSource(source) }, handlers });
        continue;
      }
      const targets = ctx.graph.resolveRef(file, { name: ref.name, path: [] });
      // Adding or removing an element, synchronously, of a list that is never started over: an
      // in-memory store (`users.push(user)` in an Express demo). Every invocation keeps its own
      // element and no other can run between the call's read and write, and the list spanned
      // invocations before LMI as it does now. It becomes per-request scratch, and racy, when an
      // invocation empties it or reads it back after an `await`.
      if (f.element && !f.element.readBack) {
        restarted ??= restartedArrays(ctx);
        // Emptied and filled by one function that awaits nothing: one synchronous stretch, no mixing.
        const alone = (r: { file: number; fn: number }) => r.file === file && r.fn === fact.fn && !ctx.awaitBetween(file, fact.fn, 0, Number.MAX_SAFE_INTEGER);
        if (!targets.some((t) => restarted!.get(`${t.file}#${t.name ?? ''}`)?.some((r) => !alone(r)))) continue;
      }
      const shared = targets.some((t) => {
        if (t.name === undefined) return true; // a module object (`require('./state').x = ...`)
        const b = ctx.graph.binding(t);
        return !!b && b.init !== 'function' && b.init !== 'class';
      });
      if (!shared) continue;
      ctx.report({
        file,
        loc: fact.loc,
        messageId: f.element ? 'elementsMixed' : 'mutated',
        data: {
          name: ref.name.replace(/^require#\d+:/, ''),
          text: truncate(f.text),
          source: describeValueSource(source),
          how: f.element?.readBack ? 'read again after an `await` that follows' : 'invocations also empty it',
        },
        handlers,
      });
    }
    for (const { file, fact, handlers } of cleared) {
      if (reportedVars.has(`${file}#${fact.text}`)) ctx.report({ file, loc: fact.loc, messageId: 'reassigned', data: { name: fact.text }, handlers });
    }
  },
});

/**
 * Module-level arrays an invocation starts over (`list = []`, `list.length = 0`,
 * `list.splice(0)`) in code a handler reaches, with the functions that do it: each invocation
 * means the list to hold its own elements, which concurrent ones then mix. Keyed `file#name` of
 * the declaring module.
 */
function restartedArrays(ctx: CheckContext<MessageId, WriteFact>): Map<string, Array<{ file: number; fn: number }>> {
  const out = new Map<string, Array<{ file: number; fn: number }>>();
  for (const { file, fact } of ctx.facts()) {
    if (fact.fn < 0 || !fact.ref || (fact.k !== 'reassign' && !fact.empties)) continue;
    if (ctx.handlersReaching(file, fact.fn).length === 0) continue;
    for (const t of ctx.graph.resolveRef(file, { name: fact.ref.name, path: [] })) {
      const key = `${t.file}#${t.name ?? ''}`;
      out.set(key, [...(out.get(key) ?? []), { file, fn: fact.fn }]);
    }
  }
  return out;
}

/**
 * Module-level variables used as a slot for one pending promise (a single-flight initialisation):
 * during invocations every write either fills the slot with no `await` in between
 * (`pending ??= load()`, or `pending = load()` under `if (!pending)`) or empties it
 * (`pending = undefined` once the promise settles). Emptying the slot carries nothing from one
 * invocation to another: the next caller starts a new load. Keyed `file#name`.
 */
function pendingSlots(ctx: CheckContext<MessageId, WriteFact>): Set<string> {
  const fills = new Map<string, boolean>();
  for (const { file, fact } of ctx.facts()) {
    if (fact.k !== 'reassign' || fact.fn < 0 || fact.cleared) continue;
    const key = `${file}#${fact.text}`;
    const synchronous = fact.logical || (fact.guard !== undefined && !ctx.awaitBetween(file, fact.fn, fact.guard, fact.end));
    fills.set(key, (fills.get(key) ?? true) && !!synchronous && !fact.tainted);
  }
  return new Set([...fills].filter(([, ok]) => ok).map(([key]) => key));
}

/**
 * Module-level variables (and sloppy-mode implicit globals) used as scratch space by one
 * function: not exported, referred to by that function alone, which writes them
 * (`isScratchWrite`) before reading them within one synchronous stretch. Each invocation reads only what it wrote itself. Keyed `file#name`.
 */
function scratchVariables(ctx: CheckContext<MessageId, WriteFact>): Set<string> {
  const writers = new Map<string, number>();
  const candidates = new Set<string>();
  for (const { file, fact } of ctx.facts()) {
    if ((fact.k !== 'reassign' && fact.k !== 'implicit') || fact.fn < 0) continue;
    const key = `${file}#${fact.text}`;
    const prev = writers.get(key);
    writers.set(key, prev === undefined || prev === fact.fn ? fact.fn : -2);
    if (fact.scratch) candidates.add(key);
  }
  const out = new Set<string>();
  for (const key of candidates) {
    const fn = writers.get(key)!;
    if (fn < 0) continue;
    const [fileText, name] = [key.slice(0, key.indexOf('#')), key.slice(key.indexOf('#') + 1)];
    const summary = ctx.files[Number(fileText)]!;
    if (Object.values(summary.exports).includes(name)) continue;
    const others = summary.functions.some((f, i) => i !== fn && (f.refs.some((r) => r.name === name) || !!f.calls?.some((r) => r.name === name)));
    if (others) continue;
    out.add(key);
  }
  return out;
}

/**
 * Targets that hold one constant whatever the interleaving: every write during an invocation
 * (in code a handler reaches) stores the same literal, and a variable's own initial value, if it
 * has one, is that literal too. A one-way flag (`let cold = true; ... cold = false`) is not one:
 * concurrent invocations race on its transition. Keyed `file|var|name` and `file|env|process.env.X`.
 */
function constantWrites(ctx: CheckContext<MessageId, WriteFact>): Map<string, string> {
  const values = new Map<string, string | null>();
  const note = (key: string, value: string | undefined) => {
    const prev = values.get(key);
    if (prev === null) return;
    values.set(key, value === undefined || (prev !== undefined && prev !== value) ? null : value);
  };
  for (const { file, fact } of ctx.facts()) {
    if (fact.k === 'decl') {
      note(`${file}|var|${fact.text}`, fact.constant);
      continue;
    }
    if (fact.fn < 0 || ctx.handlersReaching(file, fact.fn).length === 0) continue;
    if (fact.k === 'reassign') note(`${file}|var|${fact.text}`, fact.constant);
    else if (fact.k === 'env') note(`${file}|env|${fact.text}`, fact.constant);
  }
  const out = new Map<string, string>();
  for (const [key, value] of values) if (value !== null && value !== undefined) out.set(key, value);
  return out;
}

function onObjectWriteWhole(ctx: WalkContext<WriteFact>, node: ts.Node, target: ts.Expression, taint: TaintSources | undefined): void {
  const tainted = taint !== undefined;
  const sources = taint ? { taint } : {};
  if (ts.isIdentifier(target)) {
    if (target.text === 'process') return;
    const st = ctx.stateTarget(target);
    if (!st) return;
    record(ctx, node, { k: 'mutate', ref: st.ref, text: node.getText(ctx.sourceFile), tainted, ...sources, end: node.getEnd() });
    return;
  }
  const e = target as ts.PropertyAccessExpression | ts.ElementAccessExpression;
  const root = unwrap(e.expression);
  if (ts.isIdentifier(root) && root.text === 'process' && ctx.isGlobal('process') && ts.isPropertyAccessExpression(e) && e.name.text === 'env') {
    record(ctx, node, { k: 'env', text: node.getText(ctx.sourceFile), tainted, ...sources, end: node.getEnd() });
    return;
  }
  onObjectWrite(
    ctx,
    node,
    e,
    () => node.getText(ctx.sourceFile),
    () => taint,
  );
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
