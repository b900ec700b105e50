/**
 * @fileoverview shared-tmp-path: a file-system call during an invocation on a path under /tmp
 * that is the same for concurrent invocations.
 */
import { ts } from '../ts.js';
import { evaluatePath, isUnderTmp, type EvaluatedPath } from '../core/path-eval.js';
import type { Fact, PathValue } from '../core/summary.js';
import { unwrap } from '../lang/js/ast.js';
import { FS_FUNCTIONS, FS_MODULES, type FsOp } from '../kit/fs-functions.js';
import { defineRule, type HandlerInfo } from './define.js';

type MessageId = 'staticPath' | 'eventPath' | 'initTempPath' | 'sharedRead';

interface TmpFact {
  method: string;
  op: FsOp;
  path: PathValue;
}

export default defineRule<MessageId, TmpFact>({
  id: 'shared-tmp-path',
  checklist: 'shared-tmp-path',
  severity: 'error',
  fix: { transform: 'tmp-paths', safety: 'safe' },
  docs: {
    summary: 'A /tmp path used during an invocation that is the same for concurrent invocations.',
    why:
      'All concurrent invocations in an LMI execution environment share one /tmp, whatever the runtime (Python too). ' +
      'A fixed name such as `/tmp/result.json` is written by one request and overwritten, read or deleted by another ' +
      "before the first is done: a response can carry another request's file. Names built from event data collide " +
      'whenever two requests carry the same value.',
    bad: [
      "import { writeFileSync, readFileSync } from 'fs';",
      'export const handler = async (event) => {',
      "  writeFileSync('/tmp/data.json', JSON.stringify(event.payload)); // reported",
      "  return JSON.parse(readFileSync('/tmp/data.json', 'utf8'));       // reported",
      '};',
    ].join('\n'),
    good: [
      "import { writeFileSync, readFileSync, unlinkSync } from 'fs';",
      'export const handler = async (event, context) => {',
      '  const file = `/tmp/data-${context.awsRequestId}.json`;',
      '  try {',
      '    writeFileSync(file, JSON.stringify(event.payload));',
      "    return JSON.parse(readFileSync(file, 'utf8'));",
      '  } finally {',
      '    try { unlinkSync(file); } catch {}',
      '  }',
      '};',
      '',
      '// Also not reported: paths from randomUUID(), crypto random bytes or mkdtemp (called during the',
      '// invocation), files bundled with the code, and /tmp files written at init and only read later.',
    ].join('\n'),
    howToFix:
      'Make the name unique to the request (`context.awsRequestId`, `randomUUID()`), or create a per-request directory with ' +
      '`mkdtemp`, and remove what the invocation created in a `finally`. `lmi-audit fix --transform tmp-paths` does this: the request id goes into the name, a work directory comes from `mkdtemp`, and a `finally` removes them.',
    whenNotToUse: 'A file that is deliberately shared and written atomically (write to a unique name, then rename), where every reader accepts any version.',
  },
  messages: {
    staticPath:
      '`{{path}}` is the same path for every concurrent invocation: on LMI all invocations in an execution environment share ' +
      "/tmp, so one request can overwrite, read or delete another's file. Make the name unique per request " +
      '(`context.awsRequestId`, `randomUUID()`) or use `mkdtemp`, and remove it in a `finally`.',
    eventPath:
      '`{{path}}` is built from event data, which is not unique per request: two concurrent invocations with the same value ' +
      'collide in the shared /tmp. Include `context.awsRequestId` or `randomUUID()` in the name.',
    initTempPath:
      '`{{path}}` is inside a directory created once by `mkdtemp` at module scope, so every invocation shares it. Call ' +
      '`mkdtemp` inside the handler (one directory per request) and remove it in a `finally`.',
    sharedRead:
      '`{{path}}` is read during an invocation and also written by invocations of the same function: a concurrent request ' +
      'can replace it between the write and this read. Make the name unique per request (`context.awsRequestId`).',
  },
  visitors: {
    CallExpression(node, ctx) {
      if (ctx.fn < 0) return;
      const call = node as ts.CallExpression;
      const imp = ctx.importOf(unwrap(call.expression));
      if (!imp || !FS_MODULES.has(imp.specifier)) return;
      const method = imp.path.length ? imp.path[imp.path.length - 1]! : imp.imported;
      const spec = Object.hasOwn(FS_FUNCTIONS, method) ? FS_FUNCTIONS[method]! : undefined;
      if (!spec) return;
      spec.args.forEach((argIndex, i) => {
        const arg = call.arguments[argIndex];
        if (!arg || ts.isSpreadElement(arg)) return;
        let op = spec.ops?.[i] ?? spec.op;
        // open(path, 'r') only reads.
        if (method.startsWith('open') && (!call.arguments[1] || (ts.isStringLiteralLike(call.arguments[1]) && call.arguments[1].text === 'r'))) op = 'read';
        const fact: TmpFact = { method, op, path: ctx.pathValue(arg) };
        ctx.record(call, fact);
      });
    },
  },
  check(ctx) {
    const env = { graph: ctx.graph, isEventParam: ctx.isEventParam };
    const evaluated: Array<{ file: number; fact: Fact & TmpFact; path: EvaluatedPath; handlers: HandlerInfo[] }> = [];
    // Paths each handler's invocations write, for deciding whether a read can race a write.
    const written = new Map<string, Set<number>>();
    for (const { file, fact } of ctx.facts()) {
      const f = fact;
      const handlers = ctx.handlersReaching(file, f.fn);
      if (handlers.length === 0) continue;
      const path = evaluatePath(env, file, f.path);
      if (path.kind === 'unique' || path.kind === 'unknown' || !isUnderTmp(path.text)) continue;
      evaluated.push({ file, fact: f, path, handlers });
      if (f.op === 'write') {
        let set = written.get(path.text);
        if (!set) written.set(path.text, (set = new Set()));
        for (const h of handlers) set.add(h.index);
      }
    }
    const reported = new Set<string>();
    for (const { file, fact, path, handlers } of evaluated) {
      const key = `${file}:${fact.loc.line}:${fact.loc.column}`;
      if (reported.has(key)) continue; // one finding per call, even when two of its arguments are shared
      let targets = handlers;
      let messageId: MessageId = path.kind === 'event' ? 'eventPath' : path.kind === 'initTemp' ? 'initTempPath' : 'staticPath';
      if (fact.op === 'read') {
        const writers = written.get(path.text);
        targets = handlers.filter((h) => writers?.has(h.index));
        if (targets.length === 0) continue;
        if (messageId === 'staticPath') messageId = 'sharedRead';
      }
      reported.add(key);
      ctx.report({ file, loc: fact.loc, messageId, data: { path: path.text }, handlers: targets });
    }
  },
});
