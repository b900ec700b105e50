/**
 * @fileoverview unstructured-logging: `console.*` in invocation code of a function with no
 * logger bound to the request context.
 */
import { ts } from '../ts.js';
import { unwrap } from '../lang/js/ast.js';
import { defineRule } from './define.js';

/** A `console.*` (or Python `print`) call during an invocation. */
interface LogFact {
  method: string;
  /** Python `print`: its lines never carry the request id, whatever logger the function also uses. */
  print?: boolean;
}

type MessageId = 'console' | 'print';

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
    summary: '`console.*` during an invocation of a function that has no logger carrying the request id.',
    why:
      'On LMI, log lines of concurrent invocations interleave in one stream. Without the request id on every line, the lines ' +
      "of one request cannot be told from another's. Structured JSON logs with the Lambda context injected (Powertools " +
      'Logger) make every line attributable.',
    bad: [
      'export const handler = async (event, context) => {',
      '  console.log(`Processing event for user ${event.userId}`); // reported',
      '  return process(event);',
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
      '// a pino/winston child bound to the request id, and console.* at module scope (init).',
    ].join('\n'),
    howToFix:
      'Use Powertools Logger with the Lambda context injected (`logger.addContext(context)`, the `injectLambdaContext` ' +
      'middleware or decorator), or a pino/winston child logger bound to `context.awsRequestId`, and log through it.',
    whenNotToUse: 'When your runtime or log pipeline already adds the request id to every line and you accept plain-text messages.',
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
      '`console.{{method}}` runs during invocations of a function that has no logger bound to the request context: on LMI, ' +
      'lines of concurrent invocations interleave and cannot be told apart. Log through Powertools Logger with the Lambda ' +
      'context injected (or a child logger bound to `context.awsRequestId`).',
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
      if (ctx.fn < 0 || !ts.isPropertyAccessExpression(callee) || !CONSOLE_METHODS.has(name)) return;
      const obj = unwrap(callee.expression);
      if (ts.isIdentifier(obj) && obj.text === 'console' && ctx.isGlobal('console')) {
        ctx.record(call, { method: name });
      }
    },
  },
  appliesTo: () => true,
  check(ctx) {
    for (const { file, fact } of ctx.facts()) {
      if (fact.print) {
        const handlers = ctx.handlersReaching(file, fact.fn);
        if (handlers.length) ctx.report({ file, loc: fact.loc, messageId: 'print', handlers });
        continue;
      }
      const handlers = ctx.handlersReaching(file, fact.fn).filter((h) => !h.reach.logContext);
      if (handlers.length === 0) continue;
      ctx.report({ file, loc: fact.loc, messageId: 'console', data: { method: String(fact.method) }, handlers });
    }
  },
});
