/**
 * @fileoverview thread-shared-state: Python module globals are private to an invocation on LMI
 * (one process per concurrent invocation) only while one thread uses them. A function the
 * handler runs on threads (`threading.Thread(target=…)`, `threading.Timer`, a
 * `ThreadPoolExecutor`'s `submit`/`map`) that rebinds a module global or updates a module-level
 * collection in place (read-modify-write) races with the invocation's other threads, and a thread
 * still running when the invocation returns writes into the process's next invocation.
 */
import type { Fact } from '../core/summary.js';
import type { PyNode, PyWalkContext } from '../lang/python/context.js';
import { callArguments } from '../lang/python/path-value.js';
import { defineRule, type HandlerInfo } from './define.js';

type MessageId = 'threadGlobal' | 'threadUpdate';

type ThreadFact =
  /** A thread started on a named function of this file. */
  | { kind: 'thread'; target: string; api: string; line: number }
  /** A write in a function: `global x; x = …`, `x += 1`, `d[k] += 1`, `d[k] = d.get(k, 0) + 1`. */
  | { kind: 'write'; name: string; text: string; update: boolean };

/** Calls whose function argument runs on a new thread: the API and where the function is. */
const THREAD_CONSTRUCTORS: Record<string, { keyword: string; position: number }> = {
  'threading.Thread': { keyword: 'target', position: 1 },
  'threading.Timer': { keyword: 'function', position: 1 },
};
const THREAD_POOLS = new Set([
  'concurrent.futures.ThreadPoolExecutor',
  'concurrent.futures.thread.ThreadPoolExecutor',
  'multiprocessing.pool.ThreadPool',
  'multiprocessing.dummy.Pool',
]);
const POOL_METHODS = new Set(['submit', 'map', 'apply_async', 'imap', 'imap_unordered', 'starmap']);

/** The function a thread runs: a name, or the first argument of `functools.partial(name, …)`. */
function targetName(node: PyNode, ctx: PyWalkContext<ThreadFact>): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type !== 'call') return undefined;
  const callee = node.childForFieldName('function');
  if (!callee || ctx.importOf(callee)?.qualified !== 'functools.partial') return undefined;
  const first = callArguments(node).positional[0];
  return first?.type === 'identifier' ? first.text : undefined;
}

/** The innermost function definition (or the module) around a node. */
function enclosingScope(node: PyNode): PyNode {
  let scope = node;
  for (let p = node.parent; p; p = p.parent) {
    scope = p;
    if (p.type === 'function_definition') return p;
  }
  return scope;
}

/** Is `name`, in the scope of `call`, bound to a thread pool: `with ThreadPoolExecutor() as name` or `name = ThreadPoolExecutor()`? */
function isThreadPool(name: string, call: PyNode, ctx: PyWalkContext<ThreadFact>): boolean {
  const isPoolCall = (value: PyNode | null | undefined): boolean => {
    const callee = value?.type === 'call' ? value.childForFieldName('function') : undefined;
    const qualified = callee ? ctx.importOf(callee)?.qualified : undefined;
    return qualified !== undefined && THREAD_POOLS.has(qualified);
  };
  const scope = enclosingScope(call);
  for (const item of scope.descendantsOfType('with_item')) {
    const value = item?.childForFieldName('value');
    if (value?.type !== 'as_pattern') continue;
    const alias = value.childForFieldName('alias')?.namedChildren[0] ?? value.childForFieldName('alias');
    if (alias?.text === name && isPoolCall(value.namedChildren[0])) return true;
  }
  for (const assignment of scope.descendantsOfType('assignment')) {
    if (assignment?.childForFieldName('left')?.text === name && isPoolCall(assignment.childForFieldName('right'))) return true;
  }
  return false;
}

/** Inside `with <something named lock>:` in the same function: the write is serialised. */
function underLock(node: PyNode): boolean {
  for (let p = node.parent; p && p.type !== 'function_definition'; p = p.parent) {
    if (p.type !== 'with_statement') continue;
    for (const item of p.descendantsOfType('with_item')) {
      const value = item?.childForFieldName('value');
      const subject = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
      if (subject && /lock|mutex|semaphore/i.test(subject.text)) return true;
    }
  }
  return false;
}

/** The module-level name a target rebinds or updates: `x`, `d[k]`, `obj.attr` (the root name). */
function moduleRoot(target: PyNode, ctx: PyWalkContext<ThreadFact>): { name: string; element: boolean } | undefined {
  let root = target;
  while (root.type === 'subscript' || root.type === 'attribute') {
    const inner = root.childForFieldName(root.type === 'subscript' ? 'value' : 'object');
    if (!inner) return undefined;
    root = inner;
  }
  if (root.type !== 'identifier') return undefined;
  const binding = ctx.lookup(root.text);
  if (!binding?.module || binding.kind !== 'module') return undefined;
  return { name: root.text, element: root !== target };
}

/** `d[k] = d.get(k, 0) + 1`, `x = x + 1`: the new value is computed from the old one. */
function readsItself(left: PyNode, right: PyNode, name: string): boolean {
  return right.descendantsOfType('identifier').some((id) => id?.text === name) && right.text.includes(left.text.split('[')[0]!);
}

function onAssignment(node: PyNode, ctx: PyWalkContext<ThreadFact>): void {
  if (ctx.fn < 0) return;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return;
  const root = moduleRoot(left, ctx);
  if (!root || underLock(node)) return;
  const augmented = node.type === 'augmented_assignment';
  // `d[k] = v` and `obj.x = v` on a module-level object are single stores (atomic under the GIL):
  // only read-modify-write updates of an element lose writes between threads.
  if (root.element && !augmented && !readsItself(left, right, root.name)) return;
  ctx.record(node, { kind: 'write', name: root.name, text: node.text.split('\n')[0]!.slice(0, 80), update: root.element || augmented });
}

export default defineRule<MessageId, ThreadFact>({
  id: 'thread-shared-state',
  checklist: 'global-mutable-state',
  severity: 'warning',
  fix: null,
  docs: {
    summary: 'Python: a function the handler runs on threads rebinds a module global or updates a module-level collection in place, without a lock.',
    why:
      'Python on LMI runs one process per concurrent invocation, so module globals are private to the invocation, and ' +
      'global-mutable-state does not report them. Threads break that: the threads an invocation starts share the ' +
      "process's globals. A global rebound by several threads keeps whichever wrote last; a read-modify-write update " +
      '(`total += n`, `counts[k] = counts.get(k, 0) + 1`) loses the updates of threads that ran between the read and the ' +
      'write. A thread still running when the handler returns (a `Thread` not joined, an executor not shut down) keeps ' +
      "writing while the process serves its next invocation, so one request's values show up in another's.",
    bad: [
      'import threading',
      '',
      'processed = 0',
      '',
      'def work(item):',
      '    global processed',
      '    processed += 1  # reported: rebinds a module global on a thread',
      '',
      'def handler(event, context):',
      '    threads = [threading.Thread(target=work, args=(i,)) for i in event["items"]]',
      '    for t in threads: t.start()',
      '    for t in threads: t.join()',
      '    return processed',
    ].join('\n'),
    good: [
      'from concurrent.futures import ThreadPoolExecutor',
      '',
      'def work(item):',
      '    return transform(item)  # not reported: returns its result',
      '',
      'def handler(event, context):',
      '    with ThreadPoolExecutor(max_workers=8) as pool:',
      '        return list(pool.map(work, event["items"]))',
      '',
      '# Not reported: plain module globals written by the handler itself (one process per invocation), single stores',
      '# (`cache[key] = value`, `results.append(x)`: atomic under the GIL), writes under `with lock:`, ProcessPoolExecutor.',
    ].join('\n'),
    howToFix:
      "Return each thread's result (`executor.map`, `future.result()`) and combine them in the handler; or guard the " +
      "update with a `threading.Lock` (`with lock: total += n`). Join every thread (or leave the executor's `with` block) " +
      'before the handler returns.',
    whenNotToUse: 'Threads that only ever run one at a time, or state that is meant to be process-wide and tolerates lost updates (a best-effort counter).',
  },
  messages: {
    threadGlobal:
      '`{{name}}` is a module global rebound by `{{target}}`, which the handler runs on threads (`{{api}}`, line {{line}}): ' +
      "the invocation's threads share the process's globals, so each overwrites the others' value, and a thread still " +
      "running after the handler returns writes into the process's next invocation. Return the value from the thread " +
      '(`executor.map`, `future.result()`) or guard the write with a `threading.Lock`.',
    threadUpdate:
      '`{{text}}` updates module-level `{{name}}` from `{{target}}`, which the handler runs on threads (`{{api}}`, line ' +
      "{{line}}): the read and the write are separate steps, so threads running between them lose each other's updates, " +
      "and a thread still running after the handler returns changes the process's next invocation's state. Combine the " +
      "threads' results in the handler, or guard the update with a `threading.Lock`.",
  },
  python: {
    call(node, ctx) {
      if (ctx.fn < 0) return;
      const callee = node.childForFieldName('function');
      if (!callee) return;
      const qualified = ctx.importOf(callee)?.qualified;
      const { positional, keywords } = callArguments(node);
      const line = ctx.loc(node).line;
      const ctor = qualified !== undefined && Object.hasOwn(THREAD_CONSTRUCTORS, qualified) ? THREAD_CONSTRUCTORS[qualified]! : undefined;
      if (ctor) {
        const target = keywords.get(ctor.keyword) ?? positional[ctor.position];
        const name = target && targetName(target, ctx);
        if (name) ctx.record(node, { kind: 'thread', target: name, api: qualified!, line });
        return;
      }
      if (callee.type !== 'attribute' || qualified !== undefined) return;
      const method = callee.childForFieldName('attribute')?.text;
      const receiver = callee.childForFieldName('object');
      if (!method || !POOL_METHODS.has(method) || receiver?.type !== 'identifier' || !positional[0]) return;
      const name = targetName(positional[0], ctx);
      if (name && isThreadPool(receiver.text, node, ctx)) ctx.record(node, { kind: 'thread', target: name, api: `${receiver.text}.${method}`, line });
    },
    assignment: onAssignment,
    augmented_assignment: onAssignment,
  },
  visitors: {},
  appliesTo: (fn) => fn.language === 'python',
  check(ctx) {
    const threads: Array<{ file: number; fact: Fact & Extract<ThreadFact, { kind: 'thread' }> }> = [];
    const writesByFn = new Map<string, Array<Fact & Extract<ThreadFact, { kind: 'write' }>>>();
    for (const { file, fact } of ctx.facts()) {
      if (fact.kind === 'thread') threads.push({ file, fact });
      else {
        const key = `${file}:${fact.fn}`;
        let list = writesByFn.get(key);
        if (!list) writesByFn.set(key, (list = []));
        list.push(fact);
      }
    }
    const reported = new Set<string>();
    for (const { file, fact } of threads) {
      const handlers: HandlerInfo[] = ctx.handlersReaching(file, fact.fn);
      if (handlers.length === 0) continue;
      // The target: a function of that name nested in the starting function, else a module-level one.
      const functions = ctx.files[file]!.functions;
      let target = functions.findIndex((f) => f.name === fact.target && f.parent === fact.fn);
      if (target < 0) target = functions.findIndex((f) => f.name === fact.target && f.parent === -1);
      if (target < 0) continue;
      for (const write of writesByFn.get(`${file}:${target}`) ?? []) {
        const key = `${file}:${write.loc.line}:${write.loc.column}`;
        if (reported.has(key)) continue;
        reported.add(key);
        ctx.report({
          file,
          loc: write.loc,
          messageId: write.update ? 'threadUpdate' : 'threadGlobal',
          data: { name: write.name, text: write.text, target: fact.target, api: fact.api, line: String(fact.line) },
          handlers,
          fixable: false,
        });
      }
    }
  },
});
