/**
 * @fileoverview unsafe-shared-collection: a module-level cache or registry filled in a
 * check-then-act pattern across an `await`.
 */
import { ts } from '../ts.js';
import { unwrap } from '../lang/js/ast.js';
import type { WalkContext } from '../lang/js/context.js';
import { pairChecksAndWrites, refKey, type CollectionFact } from '../kit/check-then-act.js';
import { awaitsPreparation, findInitGuard } from '../kit/lazy-guard.js';
import { lazyInits, writeKey, type FlightFact, type GuardedCallFact, type LazyWriteFact, type UnguardedWriteFact } from '../kit/lazy-init.js';
import { functionsRunOnlyOnNewInstances } from '../kit/construction-only.js';
import { classesInstantiatedAtModuleLevel } from '../kit/module-instances.js';
import { defineRule, type CheckContext } from './define.js';

const S = ts.SyntaxKind;
const RULE_ID = 'unsafe-shared-collection';
const CHECK_METHODS = new Set(['has', 'get', 'includes', 'indexOf', 'find', 'some']);
const WRITE_METHODS = new Set(['set', 'add', 'push', 'unshift']);

type MessageId = 'checkThenAct' | 'lazyInitRace';
type UscFact = CollectionFact | LazyWriteFact | UnguardedWriteFact | GuardedCallFact | FlightFact;

/**
 * Record the module-level collections a condition reads (`cache.has(k)`, `cache[k]`, `k in cache`,
 * `cache.users`), once per collection and condition.
 */
function recordChecks(ctx: WalkContext<UscFact>, cond: ts.Expression): void {
  if (ctx.fn < 0) return;
  collectChecks(ctx, cond, cond, new Set());
}

function collectChecks(ctx: WalkContext<UscFact>, cond: ts.Expression, node: ts.Node, seen: Set<string>): void {
  switch (node.kind) {
    case S.CallExpression: {
      const callee = unwrap((node as ts.CallExpression).expression);
      if (callee.kind === S.PropertyAccessExpression && CHECK_METHODS.has((callee as ts.PropertyAccessExpression).name.text)) {
        considerCheck(ctx, cond, (callee as ts.PropertyAccessExpression).expression, seen, (node as ts.CallExpression).arguments[0]);
      }
      break;
    }
    case S.ElementAccessExpression:
      considerCheck(ctx, cond, (node as ts.ElementAccessExpression).expression, seen, (node as ts.ElementAccessExpression).argumentExpression);
      break;
    case S.BinaryExpression:
      if ((node as ts.BinaryExpression).operatorToken.kind === S.InKeyword) considerCheck(ctx, cond, (node as ts.BinaryExpression).right, seen);
      break;
    case S.PropertyAccessExpression:
      if ((node as ts.PropertyAccessExpression).expression.kind === S.Identifier) {
        considerCheck(ctx, cond, (node as ts.PropertyAccessExpression).expression, seen);
      }
      break;
    case S.Identifier:
    case S.StringLiteral:
    case S.NumericLiteral:
      return; // no children
    default:
      if (ts.isFunctionLike(node)) return;
  }
  ts.forEachChild(node, (child) => collectChecks(ctx, cond, child, seen));
}

/** Record that `cond` reads the collection `object`, if it is module state (once per collection). */
function considerCheck(ctx: WalkContext<UscFact>, cond: ts.Expression, object: ts.Expression, seen: Set<string>, lookupKey?: ts.Expression): void {
  const root = unwrap(object);
  // Only names rooted at an identifier can be module state; skip the lookup otherwise.
  if (root.kind !== S.Identifier && root.kind !== S.PropertyAccessExpression) return;
  const target = ctx.stateTarget(root);
  // `this.cache`: a field of the enclosing class or object (shared when it lives at module level, see `check`).
  if (!target || (target.ref.name === 'this' && target.ref.path.length === 0)) return;
  const key = refKey(target.ref);
  if (seen.has(key)) return;
  seen.add(key);
  const fact: CollectionFact = { k: 'check', ref: target.ref, text: target.text, pos: cond.getStart(ctx.sourceFile), end: cond.getEnd() };
  if (lookupKey) fact.key = lookupKey.getText(ctx.sourceFile);
  ctx.record(cond, fact);
}

function recordWrite(ctx: WalkContext<UscFact>, node: ts.Node, object: ts.Expression, value: ts.Expression | undefined, key?: ts.Expression): void {
  if (ctx.fn < 0) return;
  const target = ctx.stateTarget(object);
  if (!target || (target.ref.name === 'this' && target.ref.path.length === 0)) return;
  const fact: CollectionFact = { k: 'write', ref: target.ref, text: node.getText(ctx.sourceFile), pos: node.getStart(ctx.sourceFile), end: node.getEnd() };
  if (value && joinsSharedPromise(ctx, value)) fact.joined = true;
  if (key && !ts.isStringLiteralLike(unwrap(key)) && !ts.isNumericLiteral(unwrap(key))) {
    fact.keyed = true;
    fact.key = key.getText(ctx.sourceFile);
  }
  ctx.record(node, fact);
}

/**
 * Is `value` the result of awaiting a promise that every invocation shares: `await pending`,
 * `await (pending ??= load())` or `await inflight.get(key)`, where `pending` is a module-level
 * variable and `inflight` a module-level `Map` or object? Concurrent invocations then wait for one
 * load and store the same value (the single-flight form the transform of this rule writes); the
 * check-then-act race is gone although an `await` still sits between the check and the write.
 * A local `const v = await pending` read back later counts as well.
 */
function joinsSharedPromise(ctx: WalkContext<UscFact>, value: ts.Expression): boolean {
  let e = unwrap(value);
  if (ts.isIdentifier(e)) {
    const b = ctx.lookup(e.text);
    if (!b || b.module || b.kind !== 'const' || b.destructured || !b.init) return false;
    e = unwrap(b.init);
  }
  if (!ts.isAwaitExpression(e)) return false;
  const awaited = unwrap(e.expression);
  const isModuleVar = (n: ts.Expression) => ts.isIdentifier(n) && isModuleVariable(ctx, n.text);
  if (isModuleVar(awaited)) return true;
  if (ts.isBinaryExpression(awaited)) {
    const op = awaited.operatorToken.kind;
    return (op === S.QuestionQuestionEqualsToken || op === S.BarBarEqualsToken || op === S.EqualsToken) && isModuleVar(unwrap(awaited.left));
  }
  const holder = ts.isCallExpression(awaited)
    ? (() => {
        const callee = unwrap(awaited.expression);
        return ts.isPropertyAccessExpression(callee) && callee.name.text === 'get' ? callee.expression : undefined;
      })()
    : ts.isElementAccessExpression(awaited)
      ? awaited.expression
      : undefined;
  if (!holder) return false;
  const root = unwrap(holder);
  if (!ts.isIdentifier(root)) return false;
  const b = ctx.lookup(root.text);
  if (!b || !b.module || !b.init) return false;
  const init = unwrap(b.init);
  return (
    ts.isObjectLiteralExpression(init) ||
    (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && (init.expression.text === 'Map' || init.expression.text === 'WeakMap'))
  );
}

/** Is `name` a module-level `let`/`var` here (not shadowed by a local)? */
function isModuleVariable(ctx: WalkContext<UscFact>, name: string): boolean {
  const b = ctx.lookup(name);
  return !!b && b.module && (b.kind === 'let' || b.kind === 'var');
}

/**
 * A write of a module-level variable under a lazy-initialisation guard: `x ??= v`,
 * `x = x ?? v`, or an assignment under `if (!x)` / `if (!loaded)` / after `if (x) return x;`.
 */
function recordLazyWrite(ctx: WalkContext<UscFact>, node: ts.BinaryExpression): void {
  if (ctx.fn < 0) return;
  const left = unwrap(node.left);
  if (!ts.isIdentifier(left) || !isModuleVariable(ctx, left.text)) return;
  const name = left.text;
  const op = node.operatorToken.kind;
  const right = unwrap(node.right);
  const selfGuarded =
    op === S.QuestionQuestionEqualsToken ||
    op === S.BarBarEqualsToken ||
    (op === S.EqualsToken &&
      ts.isBinaryExpression(right) &&
      (right.operatorToken.kind === S.QuestionQuestionToken || right.operatorToken.kind === S.BarBarToken) &&
      ts.isIdentifier(unwrap(right.left)) &&
      (unwrap(right.left) as ts.Identifier).text === name);
  const pos = node.getStart(ctx.sourceFile);
  const taint = ctx.taintOf(node.right);
  // `x = await (xPending ??= init())`, `x = x ?? await pending`: the value comes from a shared promise.
  const stored = selfGuarded && op === S.EqualsToken ? (right as ts.BinaryExpression).right : node.right;
  const joined = joinsSharedPromise(ctx, stored) ? { joined: true } : {};
  if (selfGuarded) {
    ctx.record(node, {
      k: 'lazy',
      name,
      guard: pos,
      from: pos,
      guardNames: [name],
      pos,
      end: node.getEnd(),
      prepared: false,
      ...joined,
      ...(taint ? { taint } : {}),
    });
    return;
  }
  if (op !== S.EqualsToken) return;
  const guard = findInitGuard(node, ctx.sourceFile, (n) => isModuleVariable(ctx, n));
  if (!guard) {
    // Maybe guarded by the caller (`if (app) return app(event); return setup(event);`).
    ctx.record(node, { k: 'unguarded', name, pos, end: node.getEnd(), ...(taint ? { taint } : {}) });
    return;
  }
  ctx.record(node, {
    k: 'lazy',
    name,
    guard: guard.pos,
    from: guard.from,
    guardNames: guard.names,
    pos,
    end: node.getEnd(),
    prepared: awaitsPreparation(guard.region, name, node.getEnd()),
    ...joined,
    ...(taint ? { taint } : {}),
  });
}

/**
 * A write of a field under a lazy-initialisation guard: `if (!this.client) this.client = await
 * connect()`, `Db.pool ??= await createPool()`, `state.config = state.config ?? await load()`.
 * Recorded whatever the object: whether `this` or the static side of a class is shared is known
 * only once the project is (see `check`). Element writes (`cache[key] = ...`) are collections,
 * paired by check-then-act instead.
 */
function recordLazyFieldWrite(ctx: WalkContext<UscFact>, node: ts.BinaryExpression, left: ts.PropertyAccessExpression): void {
  if (ctx.fn < 0) return;
  const target = ctx.stateTarget(left.expression);
  if (!target) return;
  const name = fieldText(left);
  if (name === undefined) return;
  const op = node.operatorToken.kind;
  const right = unwrap(node.right);
  const selfGuarded =
    op === S.QuestionQuestionEqualsToken ||
    op === S.BarBarEqualsToken ||
    (op === S.EqualsToken &&
      ts.isBinaryExpression(right) &&
      (right.operatorToken.kind === S.QuestionQuestionToken || right.operatorToken.kind === S.BarBarToken) &&
      fieldText(unwrap(right.left)) === name);
  if (!selfGuarded && op !== S.EqualsToken) return;
  const pos = node.getStart(ctx.sourceFile);
  const stored = selfGuarded && op === S.EqualsToken ? (right as ts.BinaryExpression).right : node.right;
  const taint = ctx.taintOf(stored);
  const field = { ref: target.ref, ...(target.ref.name === 'this' && inStaticMember(node) ? { static: true } : {}) };
  const common = {
    k: 'lazy' as const,
    name,
    pos,
    end: node.getEnd(),
    field,
    ...(joinsSharedPromise(ctx, stored) ? { joined: true } : {}),
    ...(taint ? { taint } : {}),
  };
  if (selfGuarded) {
    ctx.record(node, { ...common, guard: pos, from: pos, guardNames: [name], prepared: false });
    return;
  }
  // The guard may test the field itself or a module-level flag (`if (!loaded)`), or another field
  // of the same object (`if (!this.ready)`).
  const root = name.slice(0, name.indexOf('.'));
  const guard = findInitGuard(node, ctx.sourceFile, (n) => (n.includes('.') ? n.startsWith(`${root}.`) : isModuleVariable(ctx, n)));
  if (!guard) return;
  ctx.record(node, { ...common, guard: guard.pos, from: guard.from, guardNames: guard.names, prepared: awaitsPreparation(guard.region, name, node.getEnd()) });
}

/** `this.client`, `Db.pool`, `state.config.db`: a `.` chain on `this` or a name, else undefined. */
function fieldText(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (e.kind === S.ThisKeyword) return 'this';
  if (ts.isIdentifier(e)) return e.text;
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  const base = fieldText(e.expression);
  return base === undefined ? undefined : `${base}.${e.name.text}`;
}

/** Does `node` run with `this` bound to the class itself: in a static method, accessor or static block? */
function inStaticMember(node: ts.Node): boolean {
  for (let p = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isArrowFunction(p)) continue;
    if (ts.isClassStaticBlockDeclaration(p)) return true;
    if (ts.isFunctionLike(p)) {
      const member = ts.isFunctionExpression(p) && ts.isPropertyDeclaration(p.parent) ? p.parent : p;
      return ts.canHaveModifiers(member) && !!ts.getModifiers(member)?.some((m) => m.kind === S.StaticKeyword);
    }
    if (ts.isPropertyDeclaration(p)) return !!ts.getModifiers(p)?.some((m) => m.kind === S.StaticKeyword);
  }
  return false;
}

/**
 * `pending ??= init()`, `pending ||= (async () => { ... })()`, `pending = pending ?? init()` or
 * `pending = init()` under `if (!pending)`, with `.then/.catch/.finally` after the call allowed:
 * the function's promise goes into a module-level slot with no `await` in between, so it runs once
 * for every caller that finds the slot filled.
 */
function recordFlight(ctx: WalkContext<UscFact>, node: ts.BinaryExpression): void {
  if (ctx.fn < 0) return;
  const left = unwrap(node.left);
  if (!ts.isIdentifier(left) || !isModuleVariable(ctx, left.text)) return;
  const op = node.operatorToken.kind;
  let value = unwrap(node.right);
  if (op === S.EqualsToken) {
    if (ts.isBinaryExpression(value) && (value.operatorToken.kind === S.QuestionQuestionToken || value.operatorToken.kind === S.BarBarToken)) {
      const l = unwrap(value.left);
      if (!ts.isIdentifier(l) || l.text !== left.text) return;
      value = unwrap(value.right);
    } else {
      const guard = findInitGuard(node, ctx.sourceFile, (n) => isModuleVariable(ctx, n));
      if (!guard || !guard.names.includes(left.text)) return;
    }
  } else if (op !== S.QuestionQuestionEqualsToken && op !== S.BarBarEqualsToken) return;
  while (ts.isCallExpression(value)) {
    const callee = unwrap(value.expression);
    if (ts.isPropertyAccessExpression(callee) && ['then', 'catch', 'finally'].includes(callee.name.text)) value = unwrap(callee.expression);
    else break;
  }
  if (!ts.isCallExpression(value)) return;
  const callee = unwrap(value.expression);
  if (ts.isIdentifier(callee)) {
    const b = ctx.lookup(callee.text);
    if (b?.module) ctx.record(node, { k: 'flight', callee: callee.text });
  } else if (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) {
    ctx.record(node, { k: 'flight', line: ctx.loc(callee).line });
  }
}

/** A call of a module-level function under a lazy-initialisation guard (`if (!app) return setup();`). */
function recordGuardedCall(ctx: WalkContext<UscFact>, node: ts.Node, callee: string): void {
  const b = ctx.lookup(callee);
  if (!b || !b.module) return;
  const init = b.init && unwrap(b.init);
  const isFunction = b.kind === 'function' || (b.kind === 'const' && !!init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)));
  if (!isFunction) return;
  const guard = findInitGuard(node, ctx.sourceFile, (n) => isModuleVariable(ctx, n));
  if (guard) {
    ctx.record(node, { k: 'guardedCall', callee, guard: guard.pos, guardNames: guard.names });
    return;
  }
  const state = findStateGuard(ctx, node);
  if (state) ctx.record(node, { k: 'guardedCall', callee, guard: state.pos, guardNames: [state.name], state: true });
}

/**
 * `if (!client.isConnected()) await connect();`, `if (!db.ready) ...`: an enclosing `if` of the
 * same function that runs while a module-level client reports itself not ready.
 */
function findStateGuard(ctx: WalkContext<UscFact>, node: ts.Node): { pos: number; name: string } | undefined {
  let child: ts.Node = node;
  for (let p = node.parent; p && !ts.isFunctionLike(p) && !ts.isSourceFile(p); child = p, p = p.parent) {
    if (!ts.isIfStatement(p) || child !== p.thenStatement) continue;
    const cond = unwrap(p.expression);
    if (!ts.isPrefixUnaryExpression(cond) || cond.operator !== S.ExclamationToken) continue;
    let subject = unwrap(cond.operand);
    if (ts.isCallExpression(subject)) subject = unwrap(subject.expression);
    if (!ts.isPropertyAccessExpression(subject)) continue;
    const root = unwrap(subject.expression);
    if (!ts.isIdentifier(root)) continue;
    const b = ctx.lookup(root.text);
    if (b?.module && b.kind !== 'function' && b.kind !== 'class') return { pos: p.expression.getStart(ctx.sourceFile), name: root.text };
  }
  return undefined;
}

export default defineRule<MessageId, UscFact>({
  id: RULE_ID,
  checklist: 'unsafe-shared-collection',
  severity: 'warning',
  fix: { transform: 'single-flight', safety: 'safe' },
  docs: {
    summary:
      'A module-level cache, or a lazily initialised module-level variable, filled with check-then-act across an `await`: ' +
      'concurrent invocations race between the check and the write.',
    why:
      'Invocations on one LMI worker share module-level collections and interleave at every `await`. With ' +
      '`if (!cache.has(k)) cache.set(k, await load(k))`, every invocation that arrives while the first load is pending also ' +
      'misses the cache and loads again, and the last writer wins: duplicated work against a downstream that now sees a ' +
      'burst, and values that can flip under a reader. The same holds for lazy initialisation of a module-level variable ' +
      '(`if (!server) server = await bootstrap()`, `server ??= await bootstrap()`, `if (!loaded) { config = await ssm...; ' +
      'loaded = true }`, `client = new Client(); await client.connect()` under `if (!client)`, or an initialiser the ' +
      'guarded branch calls that awaits before it stores the value): concurrent cold ' +
      'invocations each run the initialiser, so connections and clients are duplicated, pools leak, and a request can ' +
      'read a half-set configuration. It is reported once per initialisation, at its first write (global-mutable-state ' +
      'does not report it too).',
    bad: [
      'const cache = new Map();',
      'export const handler = async (event) => {',
      '  if (!cache.has(event.key)) {',
      '    cache.set(event.key, await expensiveLookup(event.key)); // reported',
      '  }',
      '  return cache.get(event.key);',
      '};',
      '',
      'let server;',
      'async function getServer() {',
      '  if (!server) server = await bootstrap();                 // reported',
      '  return server;',
      '}',
    ].join('\n'),
    good: [
      'const cache = new Map();',
      'export const handler = async (event) => {',
      '  // Store the pending promise synchronously: concurrent lookups of a key share one load.',
      '  if (!cache.has(event.key)) cache.set(event.key, expensiveLookup(event.key));',
      '  return cache.get(event.key);',
      '};',
      '',
      '// The same for a lazily initialised variable (a single-flight cache):',
      'let server;',
      'async function getServer() {',
      '  server ??= bootstrap();   // or: if (!server) server = bootstrap();',
      '  return await server;',
      '}',
      '',
      '// Also not reported: collections filled at init and only read during invocations.',
    ].join('\n'),
    howToFix:
      'Store the promise, not the value, synchronously after the check (and delete it on rejection so a failure is not ' +
      'cached), or fill the collection during init. For a lazily initialised client or configuration, move everything ' +
      'that is awaited into one async function and store its promise (`server ??= bootstrap()`, then `await server`), ' +
      'or start it at module scope (`const ready = bootstrap()`). `lmi-audit fix --transform single-flight` does this for ' +
      'the common shapes: a lazily initialised variable awaits one pending promise kept next to it ' +
      '(`server = await (serverPending ??= bootstrap().finally(...))`), and a `Map` cache gets a map of pending loads per ' +
      'key; the cached values, their types and every reader stay as they are, and a failed load is tried again by the next ' +
      'invocation. It leaves a marker where the awaited work spans several steps. Eviction (how long a value stays ' +
      'cached) is still yours to choose.',
    whenNotToUse: 'When duplicate loads are harmless and idempotent and the extra downstream calls are acceptable.',
  },
  messages: {
    lazyInitRace:
      '{{names}}: lazy initialisation with an `await` before the shared value is ready. Concurrent cold invocations on a ' +
      'worker all pass the check while it is not ready and each run the initialiser: duplicate connections or clients, pools that are created and ' +
      'leaked, and requests that read a half-set configuration. Store the pending promise synchronously, with no `await` ' +
      'between the check and the store (`{{name}} ??= init()`, where the async `init` creates and prepares the value), then ' +
      '`await {{name}}`; clear it if the initialisation fails.',
    checkThenAct:
      '`{{name}}` is a module-level collection (or a field of a module-level instance) checked and then written with an `await` in between: concurrent invocations ' +
      'all miss, all load, and overwrite each other. Store the pending promise synchronously (`cache.set(key, load(key))`) ' +
      'so concurrent lookups share one load.',
  },
  visitors: {
    VariableDeclaration(node, ctx) {
      // `let session = sessions.get(id); if (!session) { ... }`: the lookup is the check. Only the
      // direct shape is looked at: walking every initializer would double the cost of the walk.
      const init = (node as ts.VariableDeclaration).initializer;
      if (!init || ctx.fn < 0) return;
      const e = unwrap(init);
      if (ts.isElementAccessExpression(e) || (ts.isCallExpression(e) && ts.isPropertyAccessExpression(unwrap(e.expression)))) {
        recordChecks(ctx, e);
      }
    },
    IfStatement(node, ctx) {
      recordChecks(ctx, (node as ts.IfStatement).expression);
    },
    ConditionalExpression(node, ctx) {
      recordChecks(ctx, (node as ts.ConditionalExpression).condition);
    },
    CallExpression(node, ctx) {
      const callee = unwrap((node as ts.CallExpression).expression);
      if (ts.isPropertyAccessExpression(callee) && WRITE_METHODS.has(callee.name.text)) {
        const args = (node as ts.CallExpression).arguments;
        recordWrite(ctx, node, callee.expression, callee.name.text === 'set' ? args[1] : args[0]);
      } else if (ts.isIdentifier(callee) && ctx.fn >= 0) recordGuardedCall(ctx, node, callee.text);
    },
    BinaryExpression(node, ctx) {
      const n = node as ts.BinaryExpression;
      if (n.operatorToken.kind < S.FirstAssignment || n.operatorToken.kind > S.LastAssignment) return;
      const left = unwrap(n.left);
      if (ts.isElementAccessExpression(left) || ts.isPropertyAccessExpression(left)) {
        recordWrite(
          ctx,
          n,
          left.expression,
          n.right,
          n.operatorToken.kind === S.EqualsToken && ts.isElementAccessExpression(left) ? left.argumentExpression : undefined,
        );
        if (ts.isPropertyAccessExpression(left)) recordLazyFieldWrite(ctx, n, left);
      } else if (ts.isIdentifier(left)) {
        recordLazyWrite(ctx, n);
        recordFlight(ctx, n);
      }
    },
  },
  check(ctx) {
    // A variable initialised in two places (`if (!server) server = await bootstrap()` in the
    // handler, and again inside `bootstrap`) is one race: reported once, at the first place.
    const reported = new Set<string>();
    const inits = [...lazyInits(ctx.facts(), ctx)].sort((a, b) => a.file - b.file || a.writes[0]!.pos - b.writes[0]!.pos);
    // Field writes that belong to a lazy initialisation: reported (or not) as one, not as check-then-act.
    const lazyFieldWrites = new Set(inits.flatMap((init) => init.writes.filter((w) => w.field).map((w) => writeKey(init.file, w))));
    for (const init of inits) {
      // Request data cached for every later invocation is global-mutable-state's finding.
      if (!init.racy || init.requestData) continue;
      // Fields of a per-invocation instance (or of an object being built) are not shared.
      if (init.writes.every((w) => w.field && !isSharedField(ctx, init.file, init.fn, w.field))) continue;
      const handlers = ctx.handlersReaching(init.file, init.fn);
      if (handlers.length === 0) continue;
      const first = init.writes[0]!;
      const names = [...new Set(init.writes.map((w) => w.name))];
      const owner = ctx.files[init.file]!.functions[init.fn]!.owner ?? '';
      // `this.client` in a static method is `Db.client`; in an instance method, a field of `owner`'s instances.
      const keys = init.writes.map((w) =>
        !w.name.startsWith('this.')
          ? `${init.file}#${w.name}`
          : w.field?.static
            ? `${init.file}#${owner}${w.name.slice(4)}`
            : `${init.file}#${owner}:${w.name}`,
      );
      if (keys.every((k) => reported.has(k))) continue;
      for (const k of keys) reported.add(k);
      ctx.report({
        file: init.file,
        loc: first.loc,
        messageId: 'lazyInitRace',
        data: { names: names.map((n) => `\`${n}\``).join(', '), name: first.name },
        handlers,
        // The single-flight transform rewrites module-level variables, not fields.
        ...(init.writes.some((w) => w.field) ? { fixable: false } : {}),
      });
    }
    let instantiated: Set<string> | undefined;
    for (const { file, fact } of pairChecksAndWrites(ctx.facts(), ctx)) {
      if (lazyFieldWrites.has(writeKey(file, fact))) continue;
      const handlers = ctx.handlersReaching(file, fact.fn);
      if (handlers.length === 0) continue;
      if (fact.ref.name === 'this') {
        // A field of a module-level object, or of a class with a module-level instance (a singleton service).
        const owner = ctx.files[file]!.functions[fact.fn]!.owner;
        if (owner === undefined) continue;
        const binding = ctx.graph.binding({ file, name: owner, path: [] });
        instantiated ??= classesInstantiatedAtModuleLevel(ctx);
        if (!binding || (binding.init === 'class' && !instantiated.has(`${file}#${owner}`))) continue;
        ctx.report({ file, loc: fact.loc, messageId: 'checkThenAct', data: { name: ['this', ...fact.ref.path].join('.') }, handlers });
        continue;
      }
      const shared = ctx.graph.resolveRef(file, { name: fact.ref.name, path: [] }).some((t) => {
        const b = ctx.graph.binding(t);
        return t.name === undefined || (!!b && b.init !== 'function' && b.init !== 'class');
      });
      if (!shared) continue;
      const name = [fact.ref.name.replace(/^require#\d+:/, ''), ...fact.ref.path].join('.');
      ctx.report({ file, loc: fact.loc, messageId: 'checkThenAct', data: { name }, handlers });
    }
  },
});

/**
 * Is the object of a lazily initialised field shared by concurrent invocations? `this` of a
 * module-level object literal, of a static member (the class itself), or of a class with an
 * instance made at module level (unless the write runs only while an object is being built);
 * a module-level binding's own field (`Db.pool`, `state.config`).
 */
function isSharedField(ctx: CheckContext<MessageId, UscFact>, file: number, fn: number, field: NonNullable<LazyWriteFact['field']>): boolean {
  if (field.ref.name !== 'this')
    return ctx.graph.resolveRef(file, { name: field.ref.name, path: [] }).some((t) => t.name === undefined || !!ctx.graph.binding(t));
  const owner = ctx.files[file]!.functions[fn]!.owner;
  if (owner === undefined) return false;
  const binding = ctx.graph.binding({ file, name: owner, path: [] });
  if (!binding) return false;
  if (binding.init !== 'class' || field.static) return true;
  if (functionsRunOnlyOnNewInstances(ctx).has(`${file}:${fn}`)) return false;
  return classesInstantiatedAtModuleLevel(ctx).has(`${file}#${owner}`);
}
