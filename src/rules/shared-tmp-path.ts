/**
 * @fileoverview shared-tmp-path: a file-system call during an invocation on a path under /tmp
 * that is the same for concurrent invocations.
 */
import { ts } from '../ts.js';
import { evaluatePath, isUnderTmp, type EvaluatedPath } from '../core/path-eval.js';
import type { Fact, PathValue } from '../core/summary.js';
import { unwrap } from '../lang/js/ast.js';
import { CHILD_PROCESS_FUNCTIONS, CHILD_PROCESS_MODULES, FS_FUNCTIONS, FS_MODULES, type FsOp } from '../kit/fs-functions.js';
import { PY_FS_FUNCTIONS, PY_FS_METHODS, PY_PATH_METHODS, PY_SHELL_FUNCTIONS, type PyFsFunction } from '../kit/py-fs-functions.js';
import { handlersLoading } from '../kit/handlers-loading.js';
import type { ImportUse, WalkContext } from '../lang/js/context.js';
import type { PyNode, PyWalkContext } from '../lang/python/context.js';
import { callArguments, stringLiteralText } from '../lang/python/path-value.js';
import { defineRule, type CheckContext, type HandlerInfo } from './define.js';

type MessageId =
  | 'staticPath'
  | 'eventPath'
  | 'initTempPath'
  | 'sharedRead'
  | 'pyStaticPath'
  | 'pyEventPath'
  | 'pyInitTempPath'
  | 'pySharedRead'
  | 'repeatablePath'
  | 'counterPath'
  | 'shellPath'
  | 'initWrite';

interface TmpFact {
  method: string;
  op: FsOp;
  path: PathValue;
  /** Python: recorded at module scope, which every process runs (one process per concurrent invocation). */
  init?: boolean;
  /** Recorded by the Python visitors (their messages name Python's request-unique sources). */
  py?: boolean;
  /** A path in a child process's command line, arguments or working directory (JavaScript): the program's own files land there. */
  shell?: boolean;
  /** Python: module-level code calls this module's function of that name (`download_model()`): its body is init code too. */
  initCall?: string;
}

/** `/tmp` or `/tmp/...` up to the next blank or quote, in a shell command. */
const SHELL_TMP = /(?:^|[\s=:'"])(\/tmp(?:\/[^\s'";|&]*)?)/g;

/** The `/tmp` paths a shell command names, as path values (f-string parts kept, so request ids count). */
function shellTmpPaths(value: PathValue): PathValue[] {
  if (value.t === 'str') {
    return [...value.v.matchAll(SHELL_TMP)].map((m) => ({ t: 'str', v: m[1]! }) as PathValue);
  }
  if (value.t !== 'cat') return [];
  const out: PathValue[] = [];
  const parts = value.parts;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.t !== 'str') continue;
    for (const m of part.v.matchAll(SHELL_TMP)) {
      const start = m.index + m[0].length - m[1]!.length;
      const rest = part.v.slice(start);
      if (/[\s'";|&]/.test(rest) || i === parts.length - 1) {
        out.push({ t: 'str', v: m[1]! });
        continue;
      }
      // The path goes on into the next (interpolated) parts, up to a blank.
      const pieces: PathValue[] = [{ t: 'str', v: rest }];
      for (let j = i + 1; j < parts.length; j++) {
        const next = parts[j]!;
        if (next.t === 'str') {
          const cut = next.v.search(/[\s'";|&]/);
          pieces.push({ t: 'str', v: cut < 0 ? next.v : next.v.slice(0, cut) });
          if (cut >= 0) break;
        } else pieces.push(next);
      }
      out.push({ t: 'cat', parts: pieces });
    }
  }
  return out;
}

/**
 * Python functions that module-level code runs (`download_model()` at the top level of the
 * module), with everything they call, as `file:fn` keys.
 */
function initRunFunctions(ctx: CheckContext<MessageId, TmpFact>, facts: ReadonlyArray<{ file: number; fact: Fact & TmpFact }>): Set<string> {
  const entries: Array<[number, number]> = [];
  for (const { file, fact } of facts) {
    if (!fact.initCall) continue;
    const fn = ctx.files[file]!.functions.findIndex((f) => f.parent === -1 && f.name === fact.initCall);
    if (fn >= 0) entries.push([file, fn]);
  }
  const out = new Set<string>();
  if (entries.length === 0) return out;
  for (const [file, fns] of ctx.graph.reach(entries).functions) for (const fn of fns) out.add(`${file}:${fn}`);
  return out;
}

function pyRecord(ctx: PyWalkContext<TmpFact>, node: PyNode, method: string, op: FsOp, path: PathValue): void {
  const fact: TmpFact = { method, op, path, py: true };
  if (ctx.fn < 0) fact.init = true;
  ctx.record(node, fact);
}

function pyPathArgs(ctx: PyWalkContext<TmpFact>, call: PyNode, method: string, spec: PyFsFunction, openMode?: PyNode): void {
  const { positional, keywords } = callArguments(call);
  for (const arg of spec.args) {
    const at = arg.last ? Math.min(positional.length, arg.index + 1) - 1 : arg.index;
    const node = (arg.keyword ? keywords.get(arg.keyword) : undefined) ?? positional[at];
    if (!node || node.type === 'list_splat' || node.type === 'dictionary_splat') continue;
    let op = arg.op;
    if (openMode !== undefined || method.endsWith('open') || method === 'zipfile.ZipFile') {
      // open(path) and open(path, 'r') only read.
      const mode = openMode ?? keywords.get('mode') ?? positional[1];
      const text = mode ? stringLiteralText(mode) : 'r';
      if (text !== undefined && !/[wax+]/.test(text)) op = 'read';
    }
    pyRecord(ctx, call, method, op, ctx.fsPathValue(node));
  }
}

/**
 * `/tmp` paths a child process is given: inside a shell command (`execSync('rm -rf /tmp/*')`), as
 * an argument (`spawn('ffmpeg', ['-i', input, '/tmp/out.mp4'])`) or as its working directory
 * (`{ cwd: '/tmp' }`, where it writes its relative files). Recorded as writes: a command line does
 * not say which of its files the program only reads.
 */
function recordChildProcess(ctx: WalkContext<TmpFact>, call: ts.CallExpression, method: string, specifier: string): void {
  const style = Object.hasOwn(CHILD_PROCESS_FUNCTIONS, method) ? CHILD_PROCESS_FUNCTIONS[method] : undefined;
  if (!style || (method === 'default' && specifier !== 'execa')) return;
  const name = method === 'default' ? 'execa' : method;
  const record = (path: PathValue) => ctx.record(call, { method: name, op: 'write', path, shell: true });
  const [first, second] = call.arguments;
  if (!first || ts.isSpreadElement(first)) return;
  if (style === 'shell') {
    for (const path of shellTmpPaths(ctx.pathValue(first))) record(path);
  }
  const list = style === 'file' && second ? unwrap(second) : undefined;
  if (list && ts.isArrayLiteralExpression(list)) {
    for (const el of list.elements) {
      if (ts.isSpreadElement(el)) continue;
      const value = ctx.pathValue(el);
      // An argument that is a path of its own (`/tmp/out.mp4`, `path.join(os.tmpdir(), name)`), or `sh -c '... /tmp/x'`.
      if (value.t === 'unknown' || value.t === 'param') continue;
      const head = value.t === 'str' ? value.v : value.t === 'cat' && value.parts[0]?.t === 'str' ? value.parts[0].v : undefined;
      // A path of its own (`'/tmp/out.mp4'`, `path.join(os.tmpdir(), name)`), or paths inside a script (`sh -c 'rm /tmp/x'`).
      if (head === undefined || head.startsWith('/tmp')) record(value);
      else for (const path of shellTmpPaths(value)) record(path);
    }
  }
  for (const arg of call.arguments.slice(1)) {
    const options = unwrap(arg);
    if (!ts.isObjectLiteralExpression(options)) continue;
    for (const prop of options.properties) {
      if (ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && prop.name.text === 'cwd') record(ctx.pathValue(prop.initializer));
    }
  }
}

/** The import a `promisify`d function wraps: `const run = promisify(exec)`, `util.promisify(cp.execFile)`. */
function promisifiedImport(ctx: WalkContext<TmpFact>, callee: ts.Expression): ImportUse | undefined {
  const id = unwrap(callee);
  if (!ts.isIdentifier(id)) return undefined;
  const init = ctx.lookup(id.text)?.init;
  const call = init && unwrap(init);
  if (!call || !ts.isCallExpression(call) || !call.arguments[0]) return undefined;
  const wrapper = ctx.importOf(unwrap(call.expression));
  if (!wrapper || (wrapper.specifier !== 'util' && wrapper.specifier !== 'node:util')) return undefined;
  if ((wrapper.path[wrapper.path.length - 1] ?? wrapper.imported) !== 'promisify') return undefined;
  return ctx.importOf(unwrap(call.arguments[0]));
}

/** `12`, `12 and 14`, `12, 14 and 20`. */
function listLines(lines: number[]): string {
  return lines.length === 1 ? String(lines[0]) : `${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
}

const PY_MESSAGES: Partial<Record<MessageId, MessageId>> = {
  staticPath: 'pyStaticPath',
  eventPath: 'pyEventPath',
  initTempPath: 'pyInitTempPath',
  sharedRead: 'pySharedRead',
};

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
      'whenever two requests carry the same value (a retried S3 notification, two uploads of `avatar.png`), and a child ' +
      "process writes and deletes in the same /tmp (`rm -rf /tmp/*` removes every concurrent request's files). Each " +
      'shared path is reported once per function, at its first use; the message lists the other lines that use it. ' +
      "Paths and event data handed to helpers are followed: a helper's file-system call on its parameter is judged by what " +
      "the callers in invocation code pass (`upload(bucket, key, '/tmp/report.csv')` is the fixed path; a name with the " +
      "request id in it is not shared), also inside an options object (`write({ outputPath: '/tmp/faq.json' })` and " +
      "the helper's `options.outputPath`) and through methods of objects the handler makes or hands on " +
      "(`processRecord(record, parser)`, then `parser.process(bucket, key)` with `'/tmp/' + key`). " +
      'A read of a fixed path is reported when invocation code also writes it (a file ' +
      'laid down at init and only read is fine); a read of a name made from event data or a repeatable value ' +
      '(`random.randint`) is reported alone, since such a name cannot have been prepared at init: a library the rule ' +
      "does not list wrote it during the invocation (Pillow's `image.save(path)` before `s3.upload_file(path, ...)`).",
    bad: [
      "import { writeFileSync, readFileSync } from 'fs';",
      'export const handler = async (event) => {',
      "  writeFileSync('/tmp/data.json', JSON.stringify(event.payload)); // reported",
      "  return JSON.parse(readFileSync('/tmp/data.json', 'utf8'));       // the same path: listed in the finding above",
      '};',
      '',
      '// Also reported: `process.env.TMPDIR || os.tmpdir()` (Lambda sets no TMPDIR), names made of event data',
      "// (`path.join('/tmp', path.basename(key))`: not unique per request), and /tmp paths given to a child",
      "// process: `execSync('rm -rf /tmp/*')`, `spawn('ffmpeg', [..., '/tmp/out.mp4'])`, `{ cwd: '/tmp' }`.",
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
    python: {
      summary:
        'The same check for Python: `open()`, `os`/`shutil` file functions, `pathlib.Path` methods (and its `/` operator), ' +
        "boto3's `download_file`/`upload_file`, and `/tmp` paths inside `os.system`/`subprocess` commands. Python on LMI runs " +
        'one process per concurrent invocation, but every process shares /tmp. A name from `random.randint(...)`, the clock, ' +
        'an `enumerate`/`range()` index or a local counter (`n = 0` ... `n += 1`: it starts again in every invocation) ' +
        'repeats across requests, and module-level code that writes /tmp (`pip install --target /tmp/...`), or a function it calls, ' +
        'runs in every process at once (an `if __name__ == "__main__":` block is not init code: Lambda never runs it). `lmi-audit fix --transform tmp-paths` fixes a static path in Python too: one `f"/tmp/...-{context.aws_request_id}..."` binding at the top of the function for every use, a `context` parameter added when missing, `os.remove` in a `finally` when the function owns the file; a path in a command string gets a `# lmi-audit:` marker.',
      bad: [
        'def handler(event, context):',
        '    with open("/tmp/result.json", "w") as f:      # reported',
        '        json.dump(event, f)',
        '    (Path("/tmp/work") / "out.csv").write_text(x)  # reported',
        '    os.system("rm -rf /tmp/*")                    # reported',
        '    open(f"/tmp/{random.randint(0, 1000)}", "w")  # reported: the name repeats',
      ].join('\n'),
      good: [
        'def handler(event, context):',
        '    path = f"/tmp/result-{context.aws_request_id}.json"',
        '    try:',
        '        with open(path, "w") as f:',
        '            json.dump(event, f)',
        '    finally:',
        '        os.remove(path)',
        '    with tempfile.TemporaryDirectory() as tmp:     # also uuid.uuid4(), mkstemp(), NamedTemporaryFile()',
        '        open(os.path.join(tmp, "a.txt"), "w")',
      ].join('\n'),
    },
  },
  messages: {
    staticPath:
      '`{{path}}` is the same path for every concurrent invocation: on LMI all invocations in an execution environment share ' +
      "/tmp, so one request can overwrite, read or delete another's file. Make the name unique per request " +
      '(`context.awsRequestId`, `randomUUID()`) or use `mkdtemp`, and remove it in a `finally`.{{others}}',
    eventPath:
      '`{{path}}` is built from event data, which is not unique per request: two concurrent invocations with the same value ' +
      'collide in the shared /tmp. Include `context.awsRequestId` or `randomUUID()` in the name.{{others}}',
    initTempPath:
      '`{{path}}` is inside a directory created once by `mkdtemp` at module scope, so every invocation shares it. Call ' +
      '`mkdtemp` inside the handler (one directory per request) and remove it in a `finally`.{{others}}',
    sharedRead:
      '`{{path}}` is read during an invocation and also written by invocations of the same function: a concurrent request ' +
      'can replace it between the write and this read. Make the name unique per request (`context.awsRequestId`).{{others}}',
    pyStaticPath:
      '`{{path}}` is the same path for every concurrent invocation: on LMI the processes of an execution environment ' +
      "(one per concurrent invocation) share /tmp, so one request can overwrite, read or delete another's file. Put " +
      '`context.aws_request_id` or `uuid.uuid4()` in the name, or use `tempfile.mkstemp()`/`TemporaryDirectory()`, and remove it in a `finally`.{{others}}',
    pyEventPath:
      '`{{path}}` is built from event data, which is not unique per request: two concurrent invocations with the same value ' +
      'collide in the shared /tmp. Include `context.aws_request_id` or `uuid.uuid4()` in the name.{{others}}',
    pyInitTempPath:
      '`{{path}}` is inside a directory created once by `tempfile.mkdtemp()` at module scope, so every invocation of that ' +
      'process uses it, and the name may repeat across processes. Call `mkdtemp()` inside the handler and remove it in a `finally`.{{others}}',
    pySharedRead:
      '`{{path}}` is read during an invocation and also written by invocations of the same function: a concurrent ' +
      'invocation (another process, same /tmp) can replace it between the write and this read. Put ' +
      '`context.aws_request_id` in the name.{{others}}',
    repeatablePath:
      '`{{path}}` is named with a value that repeats across requests (a small random range or the clock): two concurrent ' +
      'invocations can draw the same name in the shared /tmp. Use `context.aws_request_id` or `uuid.uuid4()`.{{others}}',
    counterPath:
      '`{{path}}` is named with `{{counter}}`, a loop index or counter that starts again at the same value in every invocation' +
      '{{alsoEvent}}, so the name is not unique per request: two concurrent invocations build the same names in the shared /tmp. ' +
      'Put `context.aws_request_id` or `uuid.uuid4()` in the name, or use a `tempfile.mkdtemp()` directory per invocation.{{others}}',
    shellPath:
      '`{{path}}` is named in a command that `{{method}}` runs during an invocation: on LMI all invocations in an execution ' +
      "environment share /tmp, so what the program writes or deletes there meets every concurrent request's files " +
      '(`rm -rf /tmp/*` removes them all). Give each invocation its own directory (`mkdtemp`), pass the program paths ' +
      'inside it, and remove it in a `finally`.{{others}}',
    initWrite:
      '`{{path}}` is written by init code (module-level code, or a function it calls): on Python LMI every process (one per concurrent invocation) runs the init ' +
      "code, at the same time, in the same /tmp, so the processes overwrite each other's file. Write to a per-process name " +
      '(`tempfile.mkdtemp()`), or build the file into the deployment package or a layer.{{others}}',
  },
  python: {
    call(node, ctx) {
      const callee = node.childForFieldName('function');
      if (!callee) return;
      if (ctx.fn < 0 && callee.type === 'identifier' && ctx.lookup(callee.text)?.kind === 'module') {
        ctx.record(node, { method: callee.text, op: 'read', path: { t: 'unknown', text: callee.text }, py: true, init: true, initCall: callee.text });
        return;
      }
      const imp = ctx.importOf(callee);
      const qualified = imp?.qualified ?? (callee.type === 'identifier' && ctx.isBuiltin(callee.text) ? `builtins.${callee.text}` : undefined);
      if (qualified !== undefined) {
        const spec = Object.hasOwn(PY_FS_FUNCTIONS, qualified) ? PY_FS_FUNCTIONS[qualified]! : undefined;
        if (spec) {
          pyPathArgs(ctx, node, qualified.replace(/^builtins\./, ''), spec);
          return;
        }
        if (PY_SHELL_FUNCTIONS.has(qualified)) {
          const { positional, keywords } = callArguments(node);
          const command = positional[0] ?? keywords.get('args') ?? keywords.get('cmd') ?? keywords.get('command');
          if (!command) return;
          const pieces = command.type === 'list' ? command.namedChildren.filter((c): c is PyNode => c !== null) : [command];
          for (const piece of pieces) {
            for (const path of shellTmpPaths(ctx.pathValue(piece))) pyRecord(ctx, node, qualified, 'write', path);
          }
          return;
        }
      }
      if (callee.type !== 'attribute') return;
      const method = callee.childForFieldName('attribute')?.text;
      const receiver = callee.childForFieldName('object');
      if (!method || !receiver || imp) return;
      if (Object.hasOwn(PY_FS_METHODS, method)) {
        pyPathArgs(ctx, node, method, PY_FS_METHODS[method]!);
        return;
      }
      if (Object.hasOwn(PY_PATH_METHODS, method)) {
        const path = ctx.fsPathValue(receiver);
        // Only receivers known to be paths: `f.open()` on some object is not a file-system call.
        if (path.t !== 'join' && path.t !== 'str' && path.t !== 'tmpdir' && path.t !== 'cat' && path.t !== 'ref') return;
        let op = PY_PATH_METHODS[method]!;
        if (method === 'open') {
          const { positional, keywords } = callArguments(node);
          const mode = keywords.get('mode') ?? positional[0];
          const text = mode ? stringLiteralText(mode) : 'r';
          if (text !== undefined && !/[wax+]/.test(text)) op = 'read';
        }
        pyRecord(ctx, node, `Path.${method}`, op, path);
      }
    },
  },
  visitors: {
    CallExpression(node, ctx) {
      if (ctx.fn < 0) return;
      const call = node as ts.CallExpression;
      const imp = ctx.importOf(unwrap(call.expression)) ?? promisifiedImport(ctx, call.expression);
      if (imp && CHILD_PROCESS_MODULES.has(imp.specifier)) {
        recordChildProcess(ctx, call, imp.path.length ? imp.path[imp.path.length - 1]! : imp.imported, imp.specifier);
        return;
      }
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
  appliesTo: () => true,
  check(ctx) {
    const env = { graph: ctx.graph, isEventParam: ctx.isEventParam, callerPaths: ctx.callerPaths };
    const evaluated: Array<{ file: number; fact: Fact & TmpFact; path: EvaluatedPath; handlers: HandlerInfo[] }> = [];
    // Paths each handler's invocations write, for deciding whether a read can race a write.
    const written = new Map<string, Set<number>>();
    const facts = [...ctx.facts()];
    const initRun = initRunFunctions(ctx, facts);
    // Init writes by path and function: one finding for each, at the first, naming the other lines.
    const initWrites = new Map<string, Array<{ file: number; fact: Fact & TmpFact; path: EvaluatedPath }>>();
    for (const { file, fact } of facts) {
      const f = fact;
      if (f.initCall) continue;
      // A write in a function module-level code calls (and no invocation runs) is init code as well.
      if (f.init || (f.py && f.op === 'write' && initRun.has(`${file}:${f.fn}`) && ctx.handlersReaching(file, f.fn).length === 0)) {
        if (f.op !== 'write') continue;
        const path = evaluatePath(env, file, f.path);
        if (path.kind === 'unique' || path.kind === 'unknown' || !isUnderTmp(path.text)) continue;
        const key = `${file}:${f.fn}:${path.text}`;
        if (!initWrites.has(key)) initWrites.set(key, []);
        initWrites.get(key)!.push({ file, fact: f, path });
        continue;
      }
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
    for (const [first, ...rest] of initWrites.values()) {
      const handlers = handlersLoading(ctx, first!.file);
      if (!handlers.length) continue;
      const otherLines = [...new Set(rest.map((e) => e.fact.loc.line))].filter((l) => l !== first!.fact.loc.line);
      const others = otherLines.length ? ` The same path is written at line${otherLines.length > 1 ? 's' : ''} ${listLines(otherLines)} too.` : '';
      ctx.report({ file: first!.file, loc: first!.fact.loc, messageId: 'initWrite', data: { path: first!.path.text, others }, handlers, fixable: false });
    }
    // One finding per shared path and function, at its first use, naming the other lines.
    const groups = new Map<string, typeof evaluated>();
    for (const entry of evaluated) {
      const key = `${entry.file}:${entry.fact.fn}:${entry.path.text}`;
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push(entry);
    }
    const reportedCalls = new Set<string>();
    for (const group of groups.values()) {
      group.sort((a, b) => a.fact.loc.line - b.fact.loc.line || a.fact.loc.column - b.fact.loc.column);
      const writes = group.filter((e) => e.fact.op === 'write');
      // A path this function only reads is shared when invocations (of any function reaching it)
      // write it. A name made from the event or a repeatable value (`random.randint`) cannot have
      // been prepared at init: something in the invocation wrote it (`image.save(path)` through a
      // library the rule does not list), so the read alone is reported.
      const writers = written.get(group[0]!.path.text);
      const perRequestName = group[0]!.path.kind === 'event' || group[0]!.path.kind === 'repeatable';
      const targets = writes.length
        ? [...new Map(writes.flatMap((e) => e.handlers).map((h) => [h.index, h])).values()].sort((a, b) => a.index - b.index)
        : group[0]!.handlers.filter((h) => perRequestName || writers?.has(h.index));
      if (targets.length === 0) continue;
      // One finding per call, even when two of its paths are shared: a path first named by an already reported call is reported at its next use.
      const lead = group.find((e) => !reportedCalls.has(`${e.file}:${e.fact.loc.line}:${e.fact.loc.column}`));
      if (!lead) continue;
      const { file, fact, path } = lead;
      reportedCalls.add(`${file}:${fact.loc.line}:${fact.loc.column}`);
      let messageId: MessageId = path.kind === 'event' ? 'eventPath' : path.kind === 'initTemp' ? 'initTempPath' : 'staticPath';
      if (path.kind === 'repeatable') messageId = 'repeatablePath';
      // A loop index or counter (Python): the message says why it is not unique.
      if (path.counter !== undefined && (path.kind === 'repeatable' || path.kind === 'event')) messageId = 'counterPath';
      if (messageId === 'staticPath' && !writes.length) messageId = 'sharedRead';
      const shell = group.find((e) => e.fact.shell);
      if (messageId === 'staticPath' && shell) messageId = 'shellPath';
      if (fact.py) messageId = PY_MESSAGES[messageId] ?? messageId;
      const otherLines = [...new Set(group.map((e) => e.fact.loc.line))].filter((l) => l !== fact.loc.line);
      const others = otherLines.length ? ` The same path is used at line${otherLines.length > 1 ? 's' : ''} ${listLines(otherLines)} of this function.` : '';
      ctx.report({
        file,
        loc: fact.loc,
        messageId,
        data: {
          path: path.text,
          others,
          method: shell?.fact.method ?? '',
          counter: path.counter ?? '',
          alsoEvent: path.kind === 'event' ? ' (the rest of the name is event data, which repeats across requests too)' : '',
        },
        handlers: targets,
        // Python: tmp-paths rewrites a static path and marks a command string; other kinds (event data, a read of a file written elsewhere) are for a person.
        ...(fact.py && messageId !== 'pyStaticPath' && messageId !== 'shellPath' ? { fixable: false } : {}),
      });
    }
  },
});
