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
 * - a lone event parameter (`(event)`, `(evt: SQSEvent)`; `main(anything)`), or no parameter at
 *   all under a `<verb>Handler` name (`helloFromLambdaHandler`; factories such as
 *   `createHandler` excluded).
 *
 * Beyond the two names, only exports no other project file imports (test files aside): an
 * imported export is a library's, and Lambda runs what its importer exports (a re-exported
 * handler's original). A local dev server that imports the Express `app` beside
 * `exports.api = serverless(app)` leaves `api` a handler. The two weakest kinds (a lone event,
 * a `…Handler` name) only count in a module nothing imports from: a helper module's unused
 * `describeEvent(event)` is still a helper.
 *
 * A lone event typed with a type of the project's own (`event: OrderEvent`) is a helper's
 * argument: handlers get aws-lambda's types, or none. Two exports of the same function (`export
 * default landingPage` beside `export const landingPage`) are one handler, by its name.
 *
 * Files run as programs (a shebang line, `require.main === module`) are CLI scripts: the two
 * weakest kinds never count there (`exports.main = main` of a `bin/` tool), the others do (a
 * handler file that runs itself for local testing keeps its handler).
 *
 * Never: a function with no parameter (other than those names), Express-style
 * `(req, res)` / `(req, res, next)` route callbacks, DOM/service-worker event listeners
 * (`FetchEvent`, `MouseEvent`), rest parameters, and JSX files (components and their callbacks).
 */
import type { ProjectGraph } from '../core/graph.js';
import type { FileSummary, FunctionSummary, ParamSummary } from '../core/summary.js';

type HandlerEvidence = 'name' | 'type' | 'wrapper' | 'context' | 'event';

export interface InferredHandler {
  exportName: string;
  evidence: HandlerEvidence;
}

/** Export names Lambda handlers get by convention: any such export is a handler. */
const HANDLER_NAMES = new Set(['handler', 'lambdaHandler']);
const EVENT_NAMES = new Set(['event', 'evt', 'ev', 'e', 'req', 'request', 'input', 'payload', '_event', 'lambdaEvent']);
const CONTEXT_NAMES = new Set(['context', 'ctx', '_context', '_ctx', 'lambdaContext', 'awsContext']);
/** Compared in lower case: `callBack` is as common as `callback`. */
const CALLBACK_NAMES = new Set(['callback', 'cb', 'done', '_callback', '_cb', 'next_']);
/** Second parameters of web framework route callbacks. */
const RESPONSE_NAMES = new Set(['res', 'response', 'reply', 'h']);
/** DOM and service-worker events: listeners, not handlers. */
const DOM_EVENT =
  /^(?:Fetch|Extendable|Message|Mouse|Keyboard|Pointer|Touch|Focus|Input|Change|Drag|Wheel|Clipboard|Composition|UI|Animation|Transition|Custom|Error|Progress|Submit|Form|Synthetic|Push|Sync|Notification|Install|Activate)?Event$/;
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
  /^@as-integrations\/aws-lambda$/,
];
/** Handler types of `@types/aws-lambda`: `Handler`, `APIGatewayProxyHandler`, `SQSHandler`, … */
const HANDLER_TYPE = /Handler(?:V2)?$/;
const JSX_FILE = /\.[jt]sx$/i;

/** Names a file exports (own exports and re-exports), sorted. */
function exportNamesOf(summary: FileSummary): string[] {
  const names = new Set(Object.keys(summary.exports));
  for (const re of summary.reexports) names.add(re.exported);
  return [...names].sort();
}

/**
 * The exports of file `file` that look like handlers, by name. `isImported(name)` tells whether
 * another project source file (tests aside) imports that export of this one (a namespace import
 * or a whole `require` imports them all), `isImported()` whether it imports anything from it.
 */
export function inferHandlers(file: number, graph: ProjectGraph, isImported: (exportName?: string) => boolean): InferredHandler[] {
  const summary = graph.files[file]!;
  const found: InferredHandler[] = [];
  const jsx = JSX_FILE.test(summary.file);
  // `export default landingPage` next to `export const landingPage`: one handler, by its name.
  const names = exportNamesOf(summary).sort((a, b) => Number(a === 'default') - Number(b === 'default'));
  const entries = new Set<string>();
  for (const name of names) {
    if (HANDLER_NAMES.has(name)) {
      found.push({ exportName: name, evidence: 'name' });
      entries.add(entryKey(graph, file, name));
      continue;
    }
    // An imported export is a library's: Lambda calls what its importer exports (tests aside).
    if (jsx || isImported(name)) continue;
    const evidence = exportEvidence(file, name, graph);
    if (evidence === undefined) continue;
    // The weakest evidence, only in a module nothing imports: helpers take the event too.
    if ((evidence === 'event' || evidence === 'name') && isImported()) continue;
    // A command-line script's `main(argv)`: the weakest evidence does not make a handler of it.
    if (summary.script && (evidence === 'event' || evidence === 'name')) continue;
    const key = entryKey(graph, file, name);
    if (key !== '' && entries.has(key)) continue;
    entries.add(key);
    found.push({ exportName: name, evidence });
  }
  return found.sort((a, b) => (a.exportName < b.exportName ? -1 : a.exportName > b.exportName ? 1 : 0));
}

function entryKey(graph: ProjectGraph, file: number, name: string): string {
  return graph
    .resolveEntry(file, name)
    .fns.map(([f, fn]) => `${f}:${fn}`)
    .sort()
    .join(',');
}

const NOT_CALLABLE = new Set(['array', 'object', 'map', 'set', 'weak', 'literal']);

/** `helloFromLambdaHandler`, `putItemHandler` (sam init's one-file-per-handler templates); not factories. */
const HANDLER_SUFFIX = /^(?!create|make|build|get[A-Z]|with|use)[a-z][A-Za-z0-9]*Handler$/;

function exportEvidence(file: number, name: string, graph: ProjectGraph): HandlerEvidence | undefined {
  // `middy(fn)`, `middy(fn).use(…)`, `serverless(app)`, also behind re-exports: the walk records
  // the outermost callee's root first (in `calls`, or in `refs` when the value also uses it otherwise).
  for (const target of graph.resolveExport(file, name, [])) {
    const binding = graph.binding(target);
    if (binding?.init !== 'call' || target.path.length !== 0) continue;
    const callee = binding.value.calls?.[0] ?? binding.value.refs[0];
    if (callee !== undefined && callee.path.length === 0 && isWrapperImport(graph.files[target.file]!, callee.name)) return 'wrapper';
  }
  const inits = graph.resolveExport(file, name, []).map((t) => (t.path.length === 0 ? (graph.binding(t)?.init ?? 'other') : 'other'));
  // Lambda calls a function: an array, object literal or collection export is none.
  if (inits.some((init) => NOT_CALLABLE.has(init))) return undefined;
  // The value of a call (`withSentry(async (event, context) => …)`, `list.filter((e) => …)`):
  // only a handler's full signature in the functions written inside it counts, not a lone event.
  const madeByCall = inits.some((init) => init === 'call' || init === 'new');
  let best: HandlerEvidence | undefined;
  for (const [f, fn] of graph.resolveEntry(file, name).fns) {
    const summary = graph.files[f]!.functions[fn]!;
    const evidence = signatureEvidence(summary, name);
    if (evidence === 'type' || evidence === 'context') return evidence;
    if (madeByCall) continue;
    best ??= evidence;
    // `export const helloFromLambdaHandler = async () => …`: the name says it, no parameter denies it.
    if (best === undefined && summary.params?.length === 0 && HANDLER_SUFFIX.test(name)) best = 'name';
  }
  return best;
}

function isWrapperImport(summary: FileSummary, local: string): boolean {
  const imp = Object.hasOwn(summary.imports, local) ? summary.imports[local] : undefined;
  return imp !== undefined && WRAPPER_PACKAGES.some((p) => p.test(imp.specifier));
}

/** What a function's signature says; undefined when it is not a handler's. */
function signatureEvidence(fn: FunctionSummary, exportName: string): HandlerEvidence | undefined {
  if (fn.declaredType?.lambda && HANDLER_TYPE.test(fn.declaredType.name)) return 'type';
  const params = fn.params;
  if (!params || params.length === 0 || params.length > 3 || params.some((p) => p.rest)) return undefined;
  const [event, context, callback] = params as [ParamSummary, ParamSummary | undefined, ParamSummary | undefined];
  if (event.type && !event.type.lambda && DOM_EVENT.test(event.type.name)) return undefined;
  if (context && !isContext(context)) return undefined;
  if (callback && !(callback.name !== undefined && CALLBACK_NAMES.has(callback.name.toLowerCase()))) return undefined;
  const eventLike = event.type?.lambda === true || event.pattern === true || (event.name !== undefined && EVENT_NAMES.has(event.name));
  const ownType = event.type !== undefined && event.type.lambda !== true;
  // `(node, ctx)` visitors and `(value, context)` reducers are not handlers: a second parameter
  // named like a context needs an event-like first one, the aws-lambda type, or a callback third.
  if (context) return eventLike || callback !== undefined || context.type?.lambda === true ? 'context' : undefined;
  if (ownType) return undefined;
  if (eventLike && event.pattern !== true) return 'event';
  if (exportName === 'main' && event.name !== undefined) return 'event';
  return undefined;
}

function isContext(param: ParamSummary): boolean {
  if (param.type) return param.type.lambda === true && param.type.name === 'Context';
  return param.name !== undefined && CONTEXT_NAMES.has(param.name) && !RESPONSE_NAMES.has(param.name);
}
