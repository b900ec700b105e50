/**
 * @fileoverview unstructured-logging: `console.*` in invocation code of a function with no
 * logger bound to the request context.
 */
import { sharedFilter } from '../kit/shared-filter.js';
import { ts } from '../ts.js';
import type { Ref } from '../core/summary.js';
import { unwrap } from '../lang/js/ast.js';
import type { WalkContext } from '../lang/js/context.js';
import { defineRule, type HandlerInfo } from './define.js';

/**
 * A `console.*` (or Python `print`) call during an invocation; a write to `process.stdout`; a
 * logger of a library that writes to a stream of its own (pino, winston, bunyan), where it is
 * made (`logger`) and where an invocation logs through it (`loggerCall`).
 */
interface LogFact {
  method: string;
  /** Python `print`: its lines never carry the request id, whatever logger the function also uses. */
  print?: boolean;
  k?: 'stdout' | 'logger' | 'loggerCall';
  /** The logging library (`logger`, and `loggerCall` on a logger made in the same file). */
  library?: string;
  /** `logger`: the module-level binding that holds it. */
  binding?: string;
  /** `loggerCall` on an imported or module-level logger: resolved against `logger` facts once the graph is known. */
  ref?: Ref;
}

type MessageId = 'console' | 'print' | 'stdoutWrite' | 'streamLogger';

const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'log', 'verbose', 'silly', 'http']);
/** Factories of loggers that write to process.stdout (or a stream or file) themselves, not through `console`. */
const STREAM_LOGGERS: Array<{ module: string; names: string[]; label: string }> = [
  { module: 'pino', names: ['default', '*', 'pino'], label: 'pino' },
  { module: 'winston', names: ['createLogger'], label: 'winston' },
  { module: 'bunyan', names: ['createLogger'], label: 'bunyan' },
];

/** The library of a logger an expression makes: `pino()`, `winston.createLogger({...})`, `pino().child({ module })`, or a local holding one. */
function streamLoggerOf(ctx: WalkContext<LogFact>, expr: ts.Expression, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const b = ctx.lookup(e.text);
    return b && b.kind === 'const' && b.init && !b.destructured ? streamLoggerOf(ctx, b.init, depth + 1) : undefined;
  }
  if (!ts.isCallExpression(e)) return undefined;
  const callee = unwrap(e.expression);
  // A child bound to the request id is the structured logger this rule asks for (KEY_BINDERS marks it).
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'child') {
    return e.arguments.some((a) => REQUEST_ID.test(a.getText(ctx.sourceFile))) ? undefined : streamLoggerOf(ctx, callee.expression, depth + 1);
  }
  const imp = ctx.importOf(callee);
  if (!imp) return undefined;
  const name = imp.path.length ? imp.path[imp.path.length - 1]! : imp.imported;
  const lib = STREAM_LOGGERS.find((l) => l.module === imp.specifier && l.names.includes(name));
  // winston 3.13's `forceConsole: true` logs through console.log, which carries the request id.
  if (lib?.module === 'winston' && /\bforceConsole\s*:\s*true/.test(e.getText(ctx.sourceFile))) return undefined;
  return lib?.label;
}

/** The module-level binding a value is declared into (`const logger = pino()` at module scope). */
function moduleDeclarationName(node: ts.Node): string | undefined {
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && p.initializer === node && ts.isIdentifier(p.name) && ts.isVariableStatement(p.parent.parent)) {
    return ts.isSourceFile(p.parent.parent.parent) ? p.name.text : undefined;
  }
  return undefined;
}

/** `12`, `12 and 14`, `12, 14 and 20`. */
function listLines(lines: number[]): string {
  return lines.length === 1 ? String(lines[0]) : `${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
}

const CONSOLE_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace']);
/** Calls that bind a logger to the Lambda context (Powertools, pino-lambda). */
const CONTEXT_BINDERS = new Set(['addContext', 'injectLambdaContext', 'withRequest']);
/** Calls that bind keys to a logger: they count when the keys name the request id. */
const KEY_BINDERS = new Set(['child', 'appendKeys', 'appendPersistentKeys', 'defaultMeta']);
const REQUEST_ID = /\b(awsRequestId|aws_request_id|requestId)\b/;

export default defineRule<MessageId, LogFact>({
  id: 'unstructured-logging',
  checklist: 'unstructured-logging',
  severity: 'warning',
  fix: null,
  docs: {
    summary:
      'Logging during an invocation that cannot be attributed or queried on LMI: `process.stdout.write` and pino/winston/bunyan ' +
      'loggers with no request id bound (warnings), `console.*` in a function with no structured logger (info).',
    why:
      'On LMI, the log lines of concurrent invocations interleave in one stream, and logs are always JSON: Lambda Managed ' +
      'Instances only support the JSON log format (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html). ' +
      "The Node.js runtime's `console` methods write those JSON records with the invocation's `requestId` " +
      "(https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html); AWS's page on the Node.js runtime for LMI says the same " +
      "of concurrent invocations: logs are JSON and the runtime's console adds the requestId " +
      '(https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html). ' +
      'So a `console.log` line has the request id; what it lacks is structure: the message is one string. That is an `info` ' +
      'note. Output that does not go through `console` is another matter: `process.stdout.write`, and loggers that write ' +
      "to a stream themselves (pino through its own destination, bunyan to `process.stdout`, winston's Console transport " +
      'to `console._stdout`), carry no request id unless the code binds one. On LMI those lines cannot be told apart: a warning.',
    bad: [
      "import pino from 'pino';",
      'const logger = pino();',
      'export const handler = async (event, context) => {',
      "  logger.info({ userId: event.userId }, 'processing');   // warning: no request id on the line",
      "  process.stdout.write('done\\n');                       // warning: bypasses the runtime's console",
      '  console.log(`Processing event for user ${event.userId}`); // info: request id, but no fields',
      '};',
    ].join('\n'),
    good: [
      "import { Logger } from '@aws-lambda-powertools/logger';",
      'const logger = new Logger();',
      'export const handler = async (event, context) => {',
      '  logger.addContext(context);',
      "  logger.info('Processing event', { userId: event.userId });",
      '  return process(event);',
      '};',
      '',
      '// Also fine: middy(handler).use(injectLambdaContext(logger)), the @logger.injectLambdaContext() decorator,',
      '// a pino/winston child bound to the request id (`logger.child({ requestId: context.awsRequestId })`),',
      "// pino-lambda's withRequest, winston with `forceConsole: true`, and any logging at module scope (init).",
    ].join('\n'),
    howToFix:
      'Use Powertools Logger with the Lambda context injected (`logger.addContext(context)`, the `injectLambdaContext` ' +
      'middleware or decorator), or a pino/winston child logger bound to `context.awsRequestId` per invocation, and log ' +
      'through it. Replace `process.stdout.write` with a logger call.',
    whenNotToUse: 'When your log pipeline correlates lines some other way and you accept plain-text messages from `console`.',
    python: {
      summary:
        '`print` during an invocation is reported: its lines carry no request id, even in a function that also uses a ' +
        "logger. The stdlib `logging` module gets the request id from the runtime on LMI's JSON logs, and Powertools " +
        '`Logger` with `@logger.inject_lambda_context` is the recommendation.',
      bad: ['def handler(event, context):', '    print(f"Processing event for user {event[\'user_id\']}")  # reported'].join('\n'),
      good: [
        'from aws_lambda_powertools import Logger',
        'logger = Logger()',
        '',
        '@logger.inject_lambda_context',
        'def handler(event, context):',
        '    logger.info("Processing event", user_id=event["user_id"])',
        '',
        '# Also fine: logging.getLogger().info(...), and print at module scope (init).',
      ].join('\n'),
    },
  },
  messages: {
    console:
      '`console.{{method}}` during an invocation: on LMI logs are always JSON and the runtime adds the request id to ' +
      'what `console` writes, so the line can be attributed, but its message is one string with no fields to filter or ' +
      'query on. For structured fields, log through Powertools Logger with the Lambda context injected (or a JSON ' +
      'logger bound to `context.awsRequestId`).',
    stdoutWrite:
      "`{{method}}` during an invocation writes past the runtime's `console`: the runtime adds the request id only to " +
      'what `console` writes, so this output carries none, and on LMI it interleaves with the output of concurrent ' +
      'invocations in one stream. Log through `console` or Powertools Logger with the Lambda context injected.',
    streamLogger:
      "`{{method}}` logs through a {{library}} logger, which writes to its own stream, not through the runtime's " +
      '`console`: the runtime cannot add the request id, and nothing in this function binds it, so on LMI these lines ' +
      'cannot be told from those of concurrent invocations. Bind the request id per invocation (a child logger with ' +
      '`context.awsRequestId`, or pino-lambda), or use Powertools Logger with the Lambda context injected.{{others}}',
    print:
      '`print` runs during invocations: on LMI the output of concurrent invocations interleaves in one log stream, and a ' +
      '`print` line carries no request id (the runtime adds it to `logging` records, not to stdout). Log through the ' +
      '`logging` module, or Powertools `Logger` with `@logger.inject_lambda_context`.',
  },
  python: {
    call(node, ctx) {
      if (ctx.fn < 0) return;
      const callee = node.childForFieldName('function');
      if (callee?.type === 'identifier' && callee.text === 'print' && ctx.isBuiltin('print')) {
        ctx.record(node, { method: 'print', print: true });
      }
    },
  },
  visitors: {
    CallExpression(node, ctx) {
      const call = node as ts.CallExpression;
      const callee = unwrap(call.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
      if (name === undefined) return;
      if (CONTEXT_BINDERS.has(name)) {
        ctx.markLogContext();
        return;
      }
      if (KEY_BINDERS.has(name) && call.arguments.some((a) => REQUEST_ID.test(a.getText(ctx.sourceFile)))) {
        ctx.markLogContext();
        return;
      }
      if (ctx.fn < 0) {
        const library = streamLoggerOf(ctx, call);
        const binding = library && moduleDeclarationName(call);
        if (binding) ctx.record(call, { k: 'logger', method: '', library, binding });
        return;
      }
      if (!ts.isPropertyAccessExpression(callee)) return;
      const obj = unwrap(callee.expression);
      if (CONSOLE_METHODS.has(name) && ts.isIdentifier(obj) && obj.text === 'console' && ctx.isGlobal('console')) {
        ctx.record(call, { method: name });
        return;
      }
      if (name === 'write' && ts.isPropertyAccessExpression(obj) && (obj.name.text === 'stdout' || obj.name.text === 'stderr')) {
        const root = unwrap(obj.expression);
        if (ts.isIdentifier(root) && root.text === 'process' && ctx.isGlobal('process'))
          ctx.record(call, { k: 'stdout', method: `process.${obj.name.text}.write` });
        return;
      }
      if (!LOG_LEVELS.has(name) || !ts.isIdentifier(obj)) return;
      const b = ctx.lookup(obj.text);
      if (!b) return;
      if (b.module) {
        ctx.record(call, { k: 'loggerCall', method: `${obj.text}.${name}`, ref: { name: obj.text, path: [] } });
        return;
      }
      const library = streamLoggerOf(ctx, obj);
      if (library) ctx.record(call, { k: 'loggerCall', method: `${obj.text}.${name}`, library });
    },
  },
  appliesTo: () => true,
  check(ctx) {
    const facts = [...ctx.facts()];
    const withoutLogContext = sharedFilter((h) => !h.reach.logContext);
    const loggers = new Map<string, string>();
    for (const { file, fact } of facts) if (fact.k === 'logger') loggers.set(`${file}#${fact.binding}`, fact.library!);
    // Calls through a stream logger: one finding per logger and function, listing the other lines.
    const calls = new Map<string, Array<{ file: number; fact: (typeof facts)[number]['fact']; library: string }>>();
    for (const { file, fact } of facts) {
      if (fact.print) {
        const handlers = ctx.handlersReaching(file, fact.fn);
        if (handlers.length) ctx.report({ file, loc: fact.loc, messageId: 'print', handlers });
        continue;
      }
      if (fact.k === 'logger') continue;
      const handlers = withoutLogContext(ctx.handlersReaching(file, fact.fn));
      if (handlers.length === 0) continue;
      if (fact.k === 'stdout') {
        ctx.report({ file, loc: fact.loc, messageId: 'stdoutWrite', data: { method: fact.method }, handlers });
        continue;
      }
      if (fact.k === 'loggerCall') {
        let library = fact.library;
        let key = `${file}:${fact.fn}:${fact.method.split('.')[0]}`;
        if (fact.ref) {
          const target = ctx.graph.resolveRef(file, fact.ref).find((t) => t.name !== undefined && loggers.has(`${t.file}#${t.name}`));
          if (!target) continue;
          library = loggers.get(`${target.file}#${target.name}`);
          key = `${file}:${fact.fn}:${target.file}#${target.name}`;
        }
        if (!library) continue;
        let list = calls.get(key);
        if (!list) calls.set(key, (list = []));
        list.push({ file, fact, library });
        continue;
      }
      ctx.report({ file, loc: fact.loc, messageId: 'console', severity: 'info', data: { method: String(fact.method) }, handlers });
    }
    for (const list of calls.values()) {
      list.sort((a, b) => a.fact.loc.line - b.fact.loc.line || a.fact.loc.column - b.fact.loc.column);
      const { file, fact, library } = list[0]!;
      const handlers: HandlerInfo[] = withoutLogContext(ctx.handlersReaching(file, fact.fn));
      const lines = [...new Set(list.map((c) => c.fact.loc.line))].filter((l) => l !== fact.loc.line);
      const others = lines.length ? ` It logs through it at line${lines.length > 1 ? 's' : ''} ${listLines(lines)} too.` : '';
      ctx.report({ file, loc: fact.loc, messageId: 'streamLogger', data: { method: fact.method, library, others }, handlers });
    }
  },
});
