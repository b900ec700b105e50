/**
 * @fileoverview global-mutable-state: module-level state written during an invocation.
 */
import { ts } from '../ts.js';
import type { Ref } from '../core/summary.js';
import { unwrap } from '../lang/js/ast.js';
import type { WalkContext } from '../lang/js/context.js';
import { CHECK_THEN_ACT_RULE, checkThenActWrites, type CollectionFact } from '../kit/check-then-act.js';
import { findLazyGuard } from '../kit/lazy-guard.js';
import { defineRule, type CheckContext } from './define.js';

const S = ts.SyntaxKind;
const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);
const OBJECT_MUTATORS = new Set(['assign', 'defineProperty', 'defineProperties', 'setPrototypeOf']);

type MessageId = 'reassigned' | 'reassignedWithRequestData' | 'lazyInitRace' | 'mutated' | 'thisMutated' | 'envWrite';

interface WriteFact {
  k: 'reassign' | 'mutate' | 'env';
  ref?: Ref;
  text: string;
  tainted: boolean;
  /** Start of an `if` that tests the target for absence (lazy initialisation). */
  guard?: number;
  /** `x ??= v` / `x ||= v`. */
  logical?: boolean;
  end: number;
}

function record(ctx: WalkContext<WriteFact>, node: ts.Node, fact: WriteFact): void {
  ctx.record(node, fact);
}

/** A write to `target` (an assignment target, update operand or mutator receiver). */
function onWrite(ctx: WalkContext<WriteFact>, node: ts.Node, target: ts.Expression, value: ts.Node | undefined, logical = false): void {
  if (ctx.fn < 0) return;
  const t = unwrap(target);
  if (ts.isIdentifier(t)) {
    const b = ctx.lookup(t.text);
    if (!b || !b.module || (b.kind !== 'let' && b.kind !== 'var')) return;
    record(ctx, node, {
      k: 'reassign',
      ref: { name: t.text, path: [] },
      text: t.text,
      tainted: value ? ctx.isTainted(value) : false,
      guard: findLazyGuard(node, t.text, ctx.sourceFile),
      logical,
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
    () => (value ? ctx.isTainted(value) : false) || (ts.isElementAccessExpression(t) && ctx.isTainted(t.argumentExpression)),
    logical,
  );
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
  tainted: () => boolean,
  logical = false,
): void {
  if (ctx.fn < 0) return;
  let root: ts.Expression = unwrap(object);
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
  if (ts.isIdentifier(root) && root.text === 'process' && ctx.isGlobal('process')) {
    const o = unwrap(object);
    if (ts.isPropertyAccessExpression(o) && o.name.text === 'env') {
      record(ctx, node, { k: 'env', text: text(), tainted: tainted(), end: node.getEnd() });
    }
    return;
  }
  const target = ctx.stateTarget(object);
  if (!target) return;
  const written = text();
  record(ctx, node, {
    k: 'mutate',
    ref: target.ref,
    text: written,
    tainted: tainted(),
    guard: findLazyGuard(node, written, ctx.sourceFile),
    logical,
    end: node.getEnd(),
  });
}

export default defineRule<MessageId, WriteFact>({
  id: 'global-mutable-state',
  checklist: 'global-mutable-state',
  severity: 'error',
  fix: { transform: 'hoisted-state', safety: 'safe' },
  docs: {
    summary: 'Module-level variables and objects written during an invocation are shared by every concurrent invocation on the worker.',
    why:
      'On Lambda Managed Instances the Node.js runtime runs many invocations at once on each worker thread; they share the ' +
      'handler module and all module-level state, and interleave at every `await`. A module-level variable set from one ' +
      "request can be overwritten by another before the first reads it back, so a response can carry another user's data. " +
      '`process.env` is shared the same way. (Python runs one process per concurrent invocation, so Python globals are safe.)',
    bad: [
      'let currentUser = null;',
      'export const handler = async (event) => {',
      '  currentUser = event.userId;        // reported',
      '  await processData(event.data);     // another invocation runs here',
      '  return { user: currentUser };      // may be the other request\'s user',
      '};',
    ].join('\n'),
    good: [
      'export const handler = async (event) => {',
      '  const currentUser = event.userId;  // a local: private to this invocation',
      '  await processData(event.data);',
      '  return { user: currentUser };',
      '};',
      '',
      '// Not reported: writes in init code, locals that shadow module names, and lazy clients',
      '// created with no `await` between the check and the assignment:',
      'let s3;',
      'const client = () => (s3 ??= new S3Client({}));',
    ].join('\n'),
    howToFix:
      'Keep per-request values in locals of the handler and pass them to helpers as parameters (or use `AsyncLocalStorage` ' +
      'for request context). For values that ' +
      'deliberately span invocations (counters, cold-start flags), make sure concurrent updates are acceptable and suppress the finding. ' +
      '`lmi-audit fix --transform hoisted-state` moves a variable that every invocation writes before reading into the handler and marks the rest for review.',
    whenNotToUse: 'Functions that will never run on Lambda Managed Instances, or are configured with a maximum concurrency of 1 per environment.',
  },
  messages: {
    reassigned:
      '`{{name}}` is a module-level variable reassigned during an invocation. On LMI, concurrent invocations on a worker share it ' +
      'and interleave at every `await`. Keep per-request values in locals; if it deliberately spans invocations (a counter, a ' +
      'cold-start flag), confirm that is safe under concurrency.',
    reassignedWithRequestData:
      '`{{name}}` is a module-level variable set from request data during an invocation: concurrent invocations on the same ' +
      "worker overwrite it, so a response can carry another request's data. Make it a local of the handler and pass it to " +
      'helpers as a parameter.',
    lazyInitRace:
      '`{{name}}` is initialised lazily with an `await` between the check and the assignment: concurrent first invocations all ' +
      'see it empty and each initialise it. Store the pending promise synchronously (`x ??= load()`) or initialise it at module scope.',
    mutated:
      'Module-level `{{name}}` is mutated with request data during an invocation (`{{text}}`): every concurrent invocation on the ' +
      'worker reads and overwrites the same object. Build a per-request object inside the handler instead.',
    thisMutated:
      '`{{text}}` stores request data on `{{name}}`, which lives at module level and is shared by concurrent invocations: ' +
      "they overwrite each other's fields. Keep per-request values in locals or pass them as arguments.",
    envWrite:
      '`{{text}}` writes `process.env` during an invocation: it is shared by every concurrent invocation on the worker, and ' +
      'the value leaks into other requests. Pass the value explicitly instead.',
  },
  visitors: {
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
          () => ts.isElementAccessExpression(e) && ctx.isTainted(e.argumentExpression),
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
          () => n.arguments.some((a) => ctx.isTainted(a)),
        );
        return;
      }
      const obj = unwrap(callee.expression);
      if (
        ((ts.isIdentifier(obj) && (obj.text === 'Object' || obj.text === 'Reflect') && ctx.isGlobal(obj.text)) &&
          (OBJECT_MUTATORS.has(method) || (obj.text === 'Reflect' && method === 'set'))) &&
        n.arguments.length > 1
      ) {
        const target = n.arguments[0]!;
        const tainted = n.arguments.slice(1).some((a) => ctx.isTainted(a));
        const t = unwrap(target);
        if (ts.isPropertyAccessExpression(t) || ts.isIdentifier(t) || ts.isElementAccessExpression(t)) {
          // `Object.assign(state, event)` mutates `state` itself.
          onObjectWriteWhole(ctx, n, t, tainted);
        }
      }
    },
  },
  check(ctx) {
    const owned = checkThenActWrites(ctx.factsOf<CollectionFact>(CHECK_THEN_ACT_RULE), ctx);
    let instantiated: Set<string> | undefined;
    for (const { file, fact } of ctx.facts()) {
      if (fact.fn < 0) continue;
      const handlers = ctx.handlersReaching(file, fact.fn);
      if (handlers.length === 0) continue;
      const f = fact;
      const lazySafe = (f.guard !== undefined && !ctx.awaitBetween(file, fact.fn, f.guard, f.end)) || f.logical;
      if (f.k === 'env') {
        ctx.report({ file, loc: fact.loc, messageId: 'envWrite', data: { text: f.text }, handlers });
        continue;
      }
      if (f.k === 'reassign') {
        if (lazySafe && !f.tainted) continue;
        const messageId = f.guard !== undefined && !f.tainted ? 'lazyInitRace' : f.tainted ? 'reassignedWithRequestData' : 'reassigned';
        ctx.report({ file, loc: fact.loc, messageId, data: { name: f.text }, handlers });
        continue;
      }
      // mutate
      if (!f.tainted) continue;
      if (owned.has(`${file}:${fact.fn}:${fact.loc.line}:${fact.loc.column}`)) continue;
      const ref = f.ref!;
      if (ref.name === 'this') {
        const owner = ctx.files[file]!.functions[fact.fn]!.owner;
        if (!owner) continue;
        instantiated ??= classesInstantiatedAtModuleLevel(ctx);
        const ownerBinding = ctx.graph.binding({ file, name: owner, path: [] });
        const shared = !!ownerBinding && (ownerBinding.init !== 'class' || instantiated.has(`${file}#${owner}`));
        if (!shared) continue;
        ctx.report({ file, loc: fact.loc, messageId: 'thisMutated', data: { text: f.text, name: owner }, handlers });
        continue;
      }
      const targets = ctx.graph.resolveRef(file, { name: ref.name, path: [] });
      const shared = targets.some((t) => {
        if (t.name === undefined) return true; // a module object (`require('./state').x = ...`)
        const b = ctx.graph.binding(t);
        return !!b && b.init !== 'function' && b.init !== 'class';
      });
      if (!shared) continue;
      ctx.report({ file, loc: fact.loc, messageId: 'mutated', data: { name: ref.name.replace(/^require#\d+:/, ''), text: truncate(f.text) }, handlers });
    }
  },
});

function onObjectWriteWhole(ctx: WalkContext<WriteFact>, node: ts.Node, target: ts.Expression, tainted: boolean): void {
  if (ts.isIdentifier(target)) {
    if (target.text === 'process') return;
    const st = ctx.stateTarget(target);
    if (!st) return;
    record(ctx, node, { k: 'mutate', ref: st.ref, text: node.getText(ctx.sourceFile), tainted, end: node.getEnd() });
    return;
  }
  const e = target as ts.PropertyAccessExpression | ts.ElementAccessExpression;
  const root = unwrap(e.expression);
  if (ts.isIdentifier(root) && root.text === 'process' && ctx.isGlobal('process') && ts.isPropertyAccessExpression(e) && e.name.text === 'env') {
    record(ctx, node, { k: 'env', text: node.getText(ctx.sourceFile), tainted, end: node.getEnd() });
    return;
  }
  onObjectWrite(ctx, node, e, () => node.getText(ctx.sourceFile), () => tainted);
}

/** `file#Class` for every class with an instance created at module level somewhere in the project. */
function classesInstantiatedAtModuleLevel(ctx: Pick<CheckContext, 'files' | 'graph'>): Set<string> {
  const out = new Set<string>();
  ctx.files.forEach((summary, f) => {
    for (const b of Object.values(summary.bindings)) {
      if (!b.ctor) continue;
      for (const t of ctx.graph.resolveRef(f, b.ctor)) if (t.name !== undefined) out.add(`${t.file}#${t.name}`);
    }
  });
  return out;
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
