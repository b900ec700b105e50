/**
 * @fileoverview Handler inference: which exports of a source file that no infrastructure code and
 * no configuration names look like Lambda handlers. Real code names them `handler`,
 * `lambdaHandler` (the `sam init` templates), `main`, `create`, `putItemHandler`, `default`…,
 * so the name alone is not enough: the signature decides (AWS calls a handler with the event,
 * the context and, in the legacy style, a callback), or the wrapper a handler is made with
 * (middy, Powertools, serverless-http).
 *
 * Evidence, strongest first:
 * - `handler` and `lambdaHandler`: the names Lambda's documentation and `sam init` use (kept as
 *   the old convention: any export called `handler` is a handler).
 * - a type from `aws-lambda` on the export (`const main: Handler = …`, `APIGatewayProxyHandler`);
 * - an export made by a handler wrapper package (`middy(fn)`, `serverless(app)`; Powertools works
 *   through middy middlewares and decorators on an `(event, context)` method);
 * - a context parameter: `(event, context)`, `(e, ctx, callback)`;
 * - a lone event parameter (`(event)`, `(evt: SQSEvent)`; `main(anything)`): helpers that take
 *   the event look the same, so this one only counts in a file no other project file imports.
 *
 * Never: a function with no parameter (other than `handler`/`lambdaHandler`), Express-style
 * `(req, res)` / `(req, res, next)` route callbacks, DOM/service-worker event listeners
 * (`FetchEvent`, `MouseEvent`), rest parameters, and JSX files (components and their callbacks).
 */
import type { ProjectGraph } from '../core/graph.js';
import type { FileSummary, FunctionSummary, ParamSummary } from '../core/summary.js';

export type HandlerEvidence = 'name' | 'type' | 'wrapper' | 'context' | 'event';

export interface InferredHandler {
  exportName: string;
  evidence: HandlerEvidence;
}

/** Export names Lambda handlers get by convention: any such export is a handler. */
const HANDLER_NAMES = new Set(['handler', 'lambdaHandler']);
const EVENT_NAMES = new Set(['event', 'evt', 'ev', 'e', 'req', 'request', 'input', 'payload', '_event', 'lambdaEvent']);
const CONTEXT_NAMES = new Set(['context', 'ctx', '_context', '_ctx', 'lambdaContext', 'awsContext']);
const CALLBACK_NAMES = new Set(['callback', 'cb', 'done', '_callback', '_cb']);
/** Second parameters of web framework route callbacks. */
const RESPONSE_NAMES = new Set(['res', 'response', 'reply', 'h']);
/** DOM and service-worker events: listeners, not handlers. */
const DOM_EVENT = /^(?:Fetch|Extendable|Message|Mouse|Keyboard|Pointer|Touch|Focus|Input|Change|Drag|Wheel|Clipboard|Composition|UI|Animation|Transition|Custom|Error|Progress|Submit|Form|Synthetic|Push|Sync|Notification|Install|Activate)?Event$/;
/** Packages whose call makes a Lambda handler out of a function or an app. */
const WRAPPER_PACKAGES = [
  /^@?middy(?:\/core)?$/,
  /^serverless-http$/,
  /^@vendia\/serverless-express$/,
  /^@codegenie\/serverless-express$/,
  /^aws-serverless-express$/,
  /^@h4ad\/serverless-adapter$/,
  /^@fastify\/aws-lambda$/,
  /^aws-lambda-fastify$/,
  /^hono\/aws-lambda$/,
];
/** Handler types of `@types/aws-lambda`: `Handler`, `APIGatewayProxyHandler`, `SQSHandler`, … */
const HANDLER_TYPE = /Handler(?:V2)?$/;
const JSX_FILE = /\.[jt]sx$/i;

/** Names a file exports (own exports and re-exports), sorted. */
export function exportNamesOf(summary: FileSummary): string[] {
  const names = new Set(Object.keys(summary.exports));
  for (const re of summary.reexports) names.add(re.exported);
  return [...names].sort();
}

/**
 * The exports of file `file` that look like handlers. `isImported` tells whether another
 * project source file (tests aside) imports this one; it is only asked when the weakest evidence
 * is all there is.
 */
export function inferHandlers(file: number, graph: ProjectGraph, isImported: () => boolean): InferredHandler[] {
  const summary = graph.files[file]!;
  const found: InferredHandler[] = [];
  const jsx = JSX_FILE.test(summary.file);
  for (const name of exportNamesOf(summary)) {
    if (HANDLER_NAMES.has(name)) {
      found.push({ exportName: name, evidence: 'name' });
      continue;
    }
    if (jsx) continue;
    const evidence = exportEvidence(summary, file, name, graph);
    if (evidence === undefined) continue;
    if (evidence === 'event' && isImported()) continue;
    found.push({ exportName: name, evidence });
  }
  return found;
}

function exportEvidence(summary: FileSummary, file: number, name: string, graph: ProjectGraph): HandlerEvidence | undefined {
  const local = Object.hasOwn(summary.exports, name) ? summary.exports[name]! : undefined;
  const binding = local !== undefined && Object.hasOwn(summary.bindings, local) ? summary.bindings[local]! : undefined;
  // `middy(fn)`, `middy(fn).use(…)`, `serverless(app)`: the walk records the outermost callee's root first.
  const callee = binding?.init === 'call' ? binding.value.refs[0] : undefined;
  if (callee !== undefined && callee.path.length === 0 && isWrapperImport(summary, callee.name)) return 'wrapper';
  let best: HandlerEvidence | undefined;
  for (const [f, fn] of graph.resolveEntry(file, name).fns) {
    const evidence = signatureEvidence(graph.files[f]!.functions[fn]!, name);
    if (evidence === 'type' || evidence === 'context') return evidence;
    best ??= evidence;
  }
  return best;
}

function isWrapperImport(summary: FileSummary, local: string): boolean {
  const imp = Object.hasOwn(summary.imports, local) ? summary.imports[local] : undefined;
  return imp !== undefined && WRAPPER_PACKAGES.some((p) => p.test(imp.specifier));
}

/** What a function's signature says; undefined when it is not a handler's. */
export function signatureEvidence(fn: FunctionSummary, exportName: string): HandlerEvidence | undefined {
  if (fn.declaredType?.lambda && HANDLER_TYPE.test(fn.declaredType.name)) return 'type';
  const params = fn.params;
  if (!params || params.length === 0 || params.length > 3 || params.some((p) => p.rest)) return undefined;
  const [event, context, callback] = params as [ParamSummary, ParamSummary | undefined, ParamSummary | undefined];
  if (event.type && !event.type.lambda && DOM_EVENT.test(event.type.name)) return undefined;
  if (context && !isContext(context)) return undefined;
  if (callback && !(callback.name !== undefined && CALLBACK_NAMES.has(callback.name))) return undefined;
  if (context) return 'context';
  if (event.type?.lambda) return 'event';
  if (event.name !== undefined && (EVENT_NAMES.has(event.name) || exportName === 'main')) return 'event';
  return undefined;
}

function isContext(param: ParamSummary): boolean {
  if (param.type) return param.type.lambda === true && param.type.name === 'Context';
  return param.name !== undefined && CONTEXT_NAMES.has(param.name) && !RESPONSE_NAMES.has(param.name);
}
