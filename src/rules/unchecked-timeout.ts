/**
 * @fileoverview unchecked-timeout: on LMI a timed-out invocation is not stopped. A loop that awaits
 * downstream calls in the invocation code of an LMI function whose timeout is above the default,
 * when nothing the handler reaches reads the time left (`context.getRemainingTimeInMillis()`) or an
 * abort signal.
 */
import { ts } from '../ts.js';
import type { Fact } from '../core/summary.js';
import { effectiveTimeout } from '../iac/settings.js';
import { defineRule, type HandlerInfo } from './define.js';

type MessageId = 'awaitLoop';

type TimeoutFact =
  /** A loop whose body awaits (or a `for await`), recorded at the loop. */
  | { kind: 'awaitLoop'; loop: string }
  /** Code that reads the time left or an abort signal. */
  | { kind: 'deadlineCheck' };

/** Reads of the time left, or of an abort signal the invocation can be stopped by. */
const DEADLINE_NAMES = new Set(['getRemainingTimeInMillis', 'throwIfAborted', 'aborted', 'abortSignal']);

const LOOP_NAMES: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.ForStatement]: 'for',
  [ts.SyntaxKind.ForOfStatement]: 'for...of',
  [ts.SyntaxKind.ForInStatement]: 'for...in',
  [ts.SyntaxKind.WhileStatement]: 'while',
  [ts.SyntaxKind.DoStatement]: 'do...while',
};

/** The innermost loop whose body holds `node`, in the same function; undefined when a function boundary comes first. */
function enclosingLoop(node: ts.Node): ts.IterationStatement | undefined {
  let child: ts.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isFunctionLike(parent) || ts.isClassStaticBlockDeclaration(parent)) return undefined;
    // The body, not the header: `for (const x of await list())` awaits once.
    if (ts.isIterationStatement(parent, false) && parent.statement === child) return parent;
    if (ts.isSourceFile(parent)) return undefined;
  }
  return undefined;
}

function listNames(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export default defineRule<MessageId, TimeoutFact>({
  id: 'unchecked-timeout',
  checklist: 'lifecycle',
  severity: 'warning',
  fix: null,
  docs: {
    summary:
      'Loops that await downstream calls in LMI functions with a timeout above the default, when nothing checks the time left (`context.getRemainingTimeInMillis()`) or an abort signal.',
    why:
      'On on-demand Lambda a timed-out invocation is stopped with its execution environment. On LMI it is not: "Lambda Managed ' +
      'Instances does not enforce timeouts; your code continues to run. As the function developer, you are responsible for ' +
      'detecting and handling timeouts. The context object shows the remaining time for the invocation; a zero or negative ' +
      'value indicates a timeout" (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-execution-environment.html). ' +
      'A loop of downstream calls that outlives its timeout keeps writing after the caller got a timeout error, holds one of ' +
      "the environment's concurrency slots (new invocations are rejected when all are busy), and runs at the same time as the " +
      'retry of the same event (SQS makes the message visible again, asynchronous invocations retry), so the work is done twice.',
    bad: [
      '# template.yaml: Timeout: 60, CapacityProviderConfig: ...',
      'export const handler = async (event) => {',
      '  for (const record of event.Records) {     // reported: goes on after the 60 s timeout',
      '    await ddb.send(new PutItemCommand(toItem(record)));',
      '  }',
      '};',
    ].join('\n'),
    good: [
      'export const handler = async (event, context) => {',
      '  for (const record of event.Records) {',
      '    if (context.getRemainingTimeInMillis() < 5_000) throw new Error("out of time"); // stop before the timeout',
      '    await ddb.send(new PutItemCommand(toItem(record)), { abortSignal });',
      '  }',
      '};',
      '',
      '// Not reported: functions not on LMI; a timeout at the default (3 s, 6 s for the Serverless Framework) or not known;',
      '// awaits in a loop header (`for (const x of await list())`); `Promise.all(items.map(...))` (no loop).',
    ].join('\n'),
    howToFix:
      'Check `context.getRemainingTimeInMillis()` in long loops and stop (throw, or return the work left, e.g. SQS ' +
      '`batchItemFailures`) before it reaches 0, or pass an `AbortSignal` that fires before the deadline to the SDK calls ' +
      '(`client.send(command, { abortSignal })`) and check `signal.aborted`. Make the work idempotent: a retry may run while ' +
      'the timed-out invocation is still going.',
    whenNotToUse: 'Functions whose loops are short and bounded (a handful of fast calls), where running past the timeout cannot happen.',
  },
  messages: {
    awaitLoop:
      '{{functions}} has a timeout of {{timeout}} s, but LMI does not stop an invocation at its timeout: this `{{loop}}` loop goes ' +
      'on awaiting downstream calls after the caller got a timeout error, holding a concurrency slot, while a retry of the same ' +
      'event may run the work again. Check `context.getRemainingTimeInMillis()` in the loop and stop before it reaches 0, or ' +
      'pass an abort signal to the calls.',
  },
  visitors: {
    AwaitExpression(node, ctx) {
      const loop = enclosingLoop(node);
      if (loop) ctx.record(loop, { kind: 'awaitLoop', loop: LOOP_NAMES[loop.kind] ?? 'for' });
    },
    ForOfStatement(node, ctx) {
      if ((node as ts.ForOfStatement).awaitModifier) ctx.record(node, { kind: 'awaitLoop', loop: 'for await...of' });
    },
    PropertyAccessExpression(node, ctx) {
      if (DEADLINE_NAMES.has((node as ts.PropertyAccessExpression).name.text)) ctx.record(node, { kind: 'deadlineCheck' });
    },
    // `{ abortSignal }` passed to an SDK v3 `send`.
    ShorthandPropertyAssignment(node, ctx) {
      if ((node as ts.ShorthandPropertyAssignment).name.text === 'abortSignal') ctx.record(node, { kind: 'deadlineCheck' });
    },
    PropertyAssignment(node, ctx) {
      const name = (node as ts.PropertyAssignment).name;
      if (ts.isIdentifier(name) && name.text === 'abortSignal') ctx.record(node, { kind: 'deadlineCheck' });
    },
  },
  appliesTo: (fn) => fn.iac !== undefined && fn.language === 'javascript',
  check(ctx) {
    // Handlers this applies to: those of LMI functions with a known timeout above the tool's default. One
    // handler may serve several functions (an LMI one and an on-demand one).
    const lmiFunctions = new Map<string, Array<{ name: string; timeout: number }>>();
    for (const fn of ctx.infra) {
      const timeout = effectiveTimeout(fn);
      if (!fn.lmi || timeout === undefined || timeout <= (fn.kind === 'serverless' ? 6 : 3)) continue;
      for (const id of ctx.functionIdsOf(fn)) {
        let list = lmiFunctions.get(id);
        if (!list) lmiFunctions.set(id, (list = []));
        list.push({ name: fn.logicalId, timeout });
      }
    }
    const timeouts = new Map<HandlerInfo, Array<{ name: string; timeout: number }>>();
    for (const handler of ctx.handlers) {
      const list = lmiFunctions.get(handler.id);
      if (list) timeouts.set(handler, list);
    }
    if (timeouts.size === 0) return;
    const checked = new Set<HandlerInfo>();
    const loops: Array<{ file: number; fact: Fact & TimeoutFact; handlers: HandlerInfo[] }> = [];
    const seen = new Set<string>();
    for (const { file, fact } of ctx.facts()) {
      const handlers = ctx.handlersReaching(file, fact.fn).filter((h) => timeouts.has(h));
      if (handlers.length === 0) continue;
      if (fact.kind === 'deadlineCheck') {
        for (const h of handlers) checked.add(h);
        continue;
      }
      // An await loop is recorded once per await in it.
      const key = `${file}:${fact.loc.line}:${fact.loc.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      loops.push({ file, fact, handlers });
    }
    // The first loop (in file and line order) of each handler that checks nothing: one finding per function.
    loops.sort((a, b) => a.file - b.file || a.fact.loc.line - b.fact.loc.line);
    const reported = new Set<HandlerInfo>();
    for (const { file, fact, handlers } of loops) {
      if (fact.kind !== 'awaitLoop') continue;
      const open = handlers.filter((h) => !checked.has(h) && !reported.has(h));
      if (open.length === 0) continue;
      for (const h of open) reported.add(h);
      const functions = open.flatMap((h) => timeouts.get(h)!);
      const names = [...new Set(functions.map((f) => `\`${f.name}\``))];
      const seconds = [...new Set(functions.map((f) => f.timeout))].sort((a, b) => a - b);
      ctx.report({
        file,
        loc: fact.loc,
        messageId: 'awaitLoop',
        data: { functions: listNames(names), timeout: listNames(seconds.map(String)), loop: fact.loop },
        handlers: open,
      });
    }
  },
});
