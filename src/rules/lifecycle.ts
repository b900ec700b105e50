/**
 * @fileoverview lifecycle: what changes about a function's lifecycle on LMI. From infrastructure
 * code: layers (extensions) and alarms on init duration or cold starts of LMI functions. From the
 * code: callback-style handlers, `context.succeed/fail/done` and `callbackWaitsForEmptyEventLoop`,
 * which the LMI Node.js runtime client dropped; signal listeners (`process.on('SIGTERM')`), which
 * worker threads never get; `process.env._X_AMZN_TRACE_ID` read by invocation code. From package.json and its lockfile (package-lock.json,
 * yarn.lock, pnpm-lock.yaml) for Node.js functions, and from requirements.txt or pyproject.toml and
 * its lockfile (poetry.lock, uv.lock) for Python ones: dependency versions below the LMI-aware floors.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as semverModule from 'semver';
import { ts } from '../ts.js';
import type { Loc } from '../core/summary.js';
import { unwrap } from '../lang/js/ast.js';
import type { Visitor, WalkContext } from '../lang/js/context.js';
import type { IacAlarm } from '../iac/index.js';
import { nearestPackageJson, readManifest, type Dependency, type PackageManifest } from '../iac/packages.js';
import { nearestPythonManifests, normalizePythonName, readPythonManifest } from '../iac/python-packages.js';
import { settingLoc, toLoc } from '../iac/settings.js';
import { handlersLoading } from '../kit/handlers-loading.js';
import { defineRule, type HandlerInfo, type RuleReport } from './define.js';

type MessageId =
  | 'layers'
  | 'initAlarm'
  | 'callbackHandler'
  | 'contextMethod'
  | 'callbackWaits'
  | 'signalHandler'
  | 'traceIdEnv'
  | 'dependencyFloor'
  | 'dependencyRangeBelowFloor'
  | 'dependencyUnresolved'
  | 'awsSdkV2';

/**
 * LMI-aware versions (AWS's LMI runtime pages: docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html
 * and the floors issue 15 lists from AWS's LMI guidance). A package matches by prefix
 * (`@aws-sdk/`) or by exact name.
 */
interface Floor {
  prefix?: string;
  name?: string;
  floor: string;
  note: string;
}

const FLOORS: Floor[] = [
  {
    prefix: '@aws-lambda-powertools/',
    floor: '2.29.0',
    note: ' (Powertools switches to multi-invocation mode when LMI sets `AWS_LAMBDA_MAX_CONCURRENCY`)',
  },
  { prefix: '@aws-sdk/', floor: '3.933.0', note: '' },
  { name: 'aws-xray-sdk', floor: '3.12.0', note: '' },
  { name: 'aws-xray-sdk-core', floor: '3.12.0', note: '' },
  { name: '@aws/aws-distro-opentelemetry-node-autoinstrumentation', floor: '0.8.0', note: ' (ADOT JavaScript)' },
];

/** Python packages by their normalised PyPI name (PEP 503); 3.23.0 is the Powertools for AWS Lambda (Python) release AWS lists for LMI. */
const PYTHON_FLOORS: Floor[] = [{ name: 'aws-lambda-powertools', floor: '3.23.0', note: '' }];

/**
 * Layers AWS publishes as libraries only: Powertools for AWS Lambda (TypeScript, account 094274105915;
 * Python, 017000801446), by ARN or by the SSM parameters that name them (/aws/service/powertools/...).
 */
const LIBRARY_LAYER_ARN = /^arn:aws[\w-]*:lambda:[^:]*:(094274105915|017000801446):layer:AWSLambdaPowertools|\/aws\/service\/powertools\//;

const CONTEXT_METHODS = new Set(['succeed', 'fail', 'done']);
/** `process` methods that register a listener (a signal, when the event name is one). */
const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
/** POSIX signal names (`SIGTERM`, `SIGINT`, ...): Node.js events named so are signals. */
const SIGNAL = /^SIG[A-Z0-9]+$/;
const TRACE_ENV = '_X_AMZN_TRACE_ID';

type LifecycleFact =
  | { kind: 'callbackParam'; name: string; parent: number; fnLine: number }
  | { kind: 'contextMethod'; method: string; paramFn?: number }
  | { kind: 'callbackWaits' }
  | { kind: 'signalHandler'; signal: string }
  | { kind: 'traceIdEnv' };

/** `process.env` (or `process.env?.`) with `process` the global. */
function isProcessEnv(expr: ts.Expression, ctx: WalkContext<LifecycleFact>): boolean {
  const target = unwrap(expr);
  if (!ts.isPropertyAccessExpression(target) || target.name.text !== 'env') return false;
  const root = unwrap(target.expression);
  return ts.isIdentifier(root) && root.text === 'process' && ctx.isGlobal('process');
}

/**
 * A response-streaming handler, `awslambda.streamifyResponse(async (event, responseStream, context) => …)`
 * (or the `streamifyResponse` of the lambda-stream package): its third parameter is the context.
 */
function isStreamingHandler(fn: ts.Node, ctx: WalkContext<LifecycleFact>): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== fn) return false;
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text === 'streamifyResponse';
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'streamifyResponse') return false;
  const owner = unwrap(callee.expression);
  return ts.isIdentifier(owner) && owner.text === 'awslambda' && ctx.isGlobal('awslambda');
}

/** A function declaring a third, plain parameter: `(event, context, callback)`. */
const onFunction: Visitor<LifecycleFact> = (node, ctx) => {
  const fn = node as ts.FunctionLikeDeclaration;
  const third = fn.parameters[2];
  if (!third || !ts.isIdentifier(third.name) || third.dotDotDotToken) return;
  if (isStreamingHandler(fn, ctx)) return;
  const fnLine = ctx.loc(fn).line;
  ctx.record(third, { kind: 'callbackParam', name: third.name.text, parent: ctx.fn, fnLine });
};

export default defineRule<MessageId, LifecycleFact>({
  id: 'lifecycle',
  checklist: 'lifecycle',
  severity: 'warning',
  fix: { transform: 'callback-to-async', safety: 'unsafe', messages: ['callbackHandler', 'contextMethod', 'callbackWaits'] },
  docs: {
    summary:
      'LMI lifecycle changes: layers (extensions) and init/cold-start alarms of LMI functions, callback-style handlers, signal listeners, the trace id read from `process.env`, and dependencies below the LMI-aware versions.',
    why:
      'On LMI an execution environment runs many invocations at once and lives long (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances.html). A crashed extension ' +
      'terminates the whole environment and every in-flight invocation, with no reset or repair, so every layer that brings an ' +
      'extension has to be reviewed. Init may take up to 15 minutes and spawns the workers before the environment takes ' +
      'traffic; there are no per-request cold starts, so alarms tuned for on-demand init duration or cold-start counts fire ' +
      'wrongly or never. The Node.js runtime client used by LMI drops callback handlers, `context.succeed/fail/done` and ' +
      '`callbackWaitsForEmptyEventLoop` (aws-lambda-nodejs-runtime-interface-client PR 161). That runtime runs handlers in ' +
      'worker threads (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html), and Node.js ' +
      'delivers no signals to a worker thread ("Signals are not delivered through process.on(\'...\')", ' +
      'nodejs.org/api/worker_threads.html), so a `SIGTERM` listener never runs; shutdown is per execution environment, ' +
      'not per invocation. With many invocations in one environment, the process-wide `_X_AMZN_TRACE_ID` variable cannot ' +
      "carry each invocation's trace id: read it from the invocation context or let the tracing SDK propagate it. Powertools for AWS Lambda " +
      '(TypeScript) before 2.29.0, the AWS SDK v3 before 3.933.0, the X-Ray SDK before 3.12.0 and ADOT JavaScript before 0.8.0 are ' +
      'not LMI-aware (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html); the AWS SDK v2 is ' +
      'end-of-life. A dependency is judged by the version its lockfile installs (package-lock.json v1-v3, yarn.lock v1 and ' +
      'Berry, pnpm-lock.yaml; beside the package.json or at its workspace root); without a lockfile, only a range whose every ' +
      'version is below the floor is reported (`^3.200.0` installs a current 3.x and is not), and a range lmi-audit cannot ' +
      'read (a tag, a URL, a workspace link) is `info`. The code and dependency checks apply to every function (they block a move to LMI); the layer and ' +
      'alarm checks apply to functions on LMI. Python dependencies are read from requirements.txt and pyproject.toml (see Python).',
    bad: [
      '# SAM, on LMI',
      '      Layers:                        # reported: list and review the extensions',
      '        - arn:aws:lambda:us-east-1:123456789012:layer:vendor-agent:12',
      '  InitAlarm:                         # reported',
      '    Type: AWS::CloudWatch::Alarm',
      '    Properties: { MetricName: InitDuration, Threshold: 3000, ... }',
      '',
      '// code',
      'export const handler = (event, context, callback) => { // reported',
      '  callback(null, { ok: true });',
      '};',
      "process.on('SIGTERM', () => pool.end());                 // reported: never fires in a worker thread",
      'const traceId = process.env._X_AMZN_TRACE_ID;            // reported inside invocation code',
      '',
      '// package.json',
      '"@aws-sdk/client-s3": "~3.600.0",        // reported without a lockfile: every 3.600.x is below 3.933.0',
      '"@aws-lambda-powertools/logger": "^2.20.0", // reported when the lockfile installs 2.28.1',
      '"aws-sdk": "^2.1500.0"                   // reported: AWS SDK v2',
    ].join('\n'),
    good: [
      'export const handler = async (event, context) => {',
      '  return { ok: true };',
      '};',
      '',
      '"@aws-lambda-powertools/logger": "^2.29.0",',
      '"@aws-sdk/client-s3": "^3.933.0"',
      '"@aws-sdk/client-sqs": "^3.200.0"          // without a lockfile: a fresh install resolves to a current 3.x',
      '',
      "process.on('unhandledRejection', log);   // not a signal: still delivered",
      'const traceId = context.xRayTraceId;     // per invocation',
      '',
      '// Not reported: layers that bring libraries only (Powertools layers by ARN; a SAM layer built with BuildMethod nodejs22.x or',
      '// python3.13, or whose content folder has nodejs/ or python/ and no extensions/);',
      '// layers and alarms of functions that are not on LMI; `done` or `fail` methods of objects that are not the',
      '// Lambda context; devDependencies (not deployed).',
    ].join('\n'),
    howToFix:
      'Review each layer of an LMI function and drop extensions that are not built for multi-concurrency. Retune or remove ' +
      'init-duration and cold-start alarms. Make handlers `async` and return results (throw errors) instead of calling ' +
      '`callback` or `context.succeed/fail/done`. Drop signal listeners: flush per invocation, or move environment ' +
      'shutdown work to an extension (it gets the SHUTDOWN event). Read the trace id from the context. For callbacks, `lmi-audit fix --transform callback-to-async` does it (unsafe: a handler that ' +
      'never calls its callback now times out instead of ending with its event loop). Upgrade `@aws-lambda-powertools/*` to 2.29.0 or later and `@aws-sdk/*` to ' +
      '3.933.0 or later, and migrate from `aws-sdk` (v2) to the v3 clients (aws-sdk-js-codemod does most of it). For ' +
      'Python, require `aws-lambda-powertools>=3.23.0` and update the lockfile.',
    whenNotToUse: 'Functions that will stay on on-demand Lambda with a runtime that still supports callbacks.',
    python: {
      summary:
        'Layers and init/cold-start alarms are checked for Python functions as for Node.js ones, and Powertools for AWS Lambda ' +
        '(Python) below 3.23.0 is reported, from the requirements.txt or pyproject.toml nearest the handler: `[project] ' +
        'dependencies` (PEP 621) and `[tool.poetry.dependencies]`, judged by the version poetry.lock or uv.lock installs (beside ' +
        'the pyproject.toml, or at the root of its uv workspace), else by every version the constraint allows (PEP 440, and ' +
        "Poetry's `^`/`~`). Extras, dependency groups and dev dependencies are not deployed and not read.",
      bad: [
        '# requirements.txt',
        'aws-lambda-powertools==3.5.0              # reported: pins a version below 3.23.0',
        '# pyproject.toml',
        '[project]',
        'dependencies = ["aws-lambda-powertools[tracer]>=3.0"]  # reported when uv.lock installs 3.19.0',
      ].join('\n'),
      good: [
        'aws-lambda-powertools>=3.23.0',
        'aws-lambda-powertools~=3.20                # not reported without a lockfile: 3.23 and later 3.x are allowed',
        '[dependency-groups]',
        'dev = ["aws-lambda-powertools==3.1.0"]     # not deployed',
      ].join('\n'),
    },
  },
  messages: {
    layers:
      '`{{function}}` runs on LMI with {{count}}: {{layers}}. An extension crash terminates the whole execution environment ' +
      'and every invocation in flight on it (LMI has no reset or repair). Check that each extension supports LMI, and drop ' +
      'the ones that do not.',
    initAlarm:
      'Alarm `{{alarm}}` watches `{{metric}}` of {{functions}}, on LMI: init there takes longer (up to 15 minutes, ' +
      'the workers start before the environment takes traffic) and happens when environments scale, not per request. ' +
      'Retune or remove thresholds set for on-demand cold starts.',
    callbackHandler:
      'This handler takes a callback (`{{name}}`): the Node.js runtime client used by LMI no longer supports callback-style ' +
      'handlers. Make the handler `async`, return its result and throw its errors.',
    contextMethod:
      '`context.{{method}}()` was removed from the Node.js runtime client used by LMI: the invocation would never complete. ' +
      'Return the result from an `async` handler (throw for a failure) instead.',
    callbackWaits:
      '`callbackWaitsForEmptyEventLoop` was removed from the Node.js runtime client used by LMI (an environment runs many ' +
      'invocations and is never frozen between them). Remove it, and close or `await` what the invocation starts.',
    signalHandler:
      "`process.on('{{signal}}')` never fires on LMI: the Node.js runtime runs handlers in worker threads, and Node.js " +
      'delivers no signals to a worker thread. Shutdown is per execution environment, not per invocation: move the cleanup ' +
      'to an extension (it gets the SHUTDOWN event), or make it unnecessary (flush per invocation, let connections drop).',
    traceIdEnv:
      '`process.env._X_AMZN_TRACE_ID` belongs to no single invocation on LMI: one environment runs many invocations at once ' +
      'and the LMI runtime client does not set it per invocation, so the trace id read here is missing or another ' +
      "request's. Read the invocation's trace id from the context (`context.xRayTraceId`) or let the X-Ray / Powertools " +
      'Tracer SDK propagate it.',
    dependencyFloor:
      '`{{name}}` {{version}} is older than {{floor}}, the first version AWS lists as ready for LMI{{note}}. Upgrade it to ' + '{{floor}} or later.',
    dependencyRangeBelowFloor:
      '`{{name}}` `{{range}}` allows no version at or above {{floor}}, the first version AWS lists as ready for LMI{{note}}, ' +
      'and no lockfile says what is installed. Widen the range to `{{wider}}`.',
    dependencyUnresolved:
      '`{{name}}` `{{range}}` names no version range lmi-audit can compare, and no lockfile says what is installed: check ' +
      'that the version deployed is {{floor}} or later, the first version AWS lists as ready for LMI{{note}}.',
    awsSdkV2:
      '`aws-sdk` is the AWS SDK for JavaScript v2, which is end-of-life and not part of the LMI-aware versions. Migrate to the ' +
      'v3 clients (`@aws-sdk/client-*` 3.933.0 or later; aws-sdk-js-codemod automates most of it).',
  },
  visitors: {
    FunctionDeclaration: onFunction,
    FunctionExpression: onFunction,
    ArrowFunction: onFunction,
    CallExpression(node, ctx) {
      const call = node as ts.CallExpression;
      const callee = unwrap(call.expression);
      if (!ts.isPropertyAccessExpression(callee)) return;
      const receiver = unwrap(callee.expression);
      if (!ts.isIdentifier(receiver)) return;
      if (LISTEN_METHODS.has(callee.name.text)) {
        const event = call.arguments[0];
        if (receiver.text === 'process' && event && ts.isStringLiteralLike(event) && SIGNAL.test(event.text) && ctx.isGlobal('process')) {
          ctx.record(node, { kind: 'signalHandler', signal: event.text });
        }
        return;
      }
      if (!CONTEXT_METHODS.has(callee.name.text)) return;
      const binding = ctx.lookup(receiver.text);
      if (binding?.param?.index === 1) {
        ctx.record(node, { kind: 'contextMethod', method: callee.name.text, paramFn: binding.param.fn });
      } else if (receiver.text === 'context' && (binding === undefined || binding.kind === 'param')) {
        ctx.record(node, { kind: 'contextMethod', method: callee.name.text });
      }
    },
    // The name is compared first: this runs on every property access of every file.
    PropertyAccessExpression(node, ctx) {
      const access = node as ts.PropertyAccessExpression;
      if (access.name.text === TRACE_ENV && isProcessEnv(access.expression, ctx)) ctx.record(node, { kind: 'traceIdEnv' });
    },
    ElementAccessExpression(node, ctx) {
      const access = node as ts.ElementAccessExpression;
      const key = access.argumentExpression;
      if (ts.isStringLiteralLike(key) && key.text === TRACE_ENV && isProcessEnv(access.expression, ctx)) ctx.record(node, { kind: 'traceIdEnv' });
    },
    // Only assignments (`context.callbackWaitsForEmptyEventLoop = false`): reading it is harmless, and a visitor on
    // every property access would cost the walk of every file.
    BinaryExpression(node, ctx) {
      const binary = node as ts.BinaryExpression;
      if (binary.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
      const left = unwrap(binary.left);
      if (ts.isPropertyAccessExpression(left) && left.name.text === 'callbackWaitsForEmptyEventLoop') {
        ctx.record(binary, { kind: 'callbackWaits' });
      }
    },
  },
  // Python functions too: layers, alarms and the Powertools-for-Python floor are judged for them (the code checks are
  // about the Node.js runtime client, and find nothing in Python code).
  appliesTo: (fn) => fn.iac !== undefined,
  check(ctx) {
    // Code facts.
    for (const { file, fact } of ctx.facts()) {
      const f = fact;
      if (f.kind === 'callbackParam') {
        // The function itself: a sibling of the recorded position, on the line the visitor saw.
        const functions = ctx.files[file]!.functions;
        const handlers: HandlerInfo[] = [];
        functions.forEach((candidate, index) => {
          if (candidate.parent === f.parent && candidate.line === f.fnLine && ctx.isHandlerParam(file, index, 0)) {
            handlers.push(...ctx.handlersReaching(file, index));
          }
        });
        if (handlers.length > 0) ctx.report({ file, loc: f.loc, messageId: 'callbackHandler', data: { name: f.name }, handlers: unique(handlers) });
      } else if (f.kind === 'contextMethod') {
        if (f.paramFn !== undefined && !ctx.isHandlerParam(file, f.paramFn, 1)) continue;
        const handlers = ctx.handlersReaching(file, f.fn);
        if (handlers.length > 0) ctx.report({ file, loc: f.loc, messageId: 'contextMethod', data: { method: f.method }, handlers });
      } else if (f.kind === 'callbackWaits') {
        const handlers = ctx.handlersReaching(file, f.fn);
        if (handlers.length > 0) ctx.report({ file, loc: f.loc, messageId: 'callbackWaits', handlers });
      } else if (f.kind === 'signalHandler') {
        // Registered at init or during an invocation: either way it never fires in a worker thread.
        const handlers = handlersLoading(ctx, file);
        if (handlers.length > 0) ctx.report({ file, loc: f.loc, messageId: 'signalHandler', data: { signal: f.signal }, handlers });
      } else if (f.kind === 'traceIdEnv') {
        // At init there is no invocation to trace: only reads that invocations run are reported.
        const handlers = ctx.handlersReaching(file, f.fn);
        if (handlers.length > 0) ctx.report({ file, loc: f.loc, messageId: 'traceIdEnv', handlers });
      }
    }

    // Infrastructure: layers and alarms of LMI functions.
    const alarms = new Map<IacAlarm, { names: string[]; ids: string[] }>();
    for (const fn of ctx.infra) {
      if (!fn.lmi) continue;
      const functionIds = ctx.functionIdsOf(fn);
      const layers = (fn.layers ?? []).filter((layer) => !fn.libraryLayers?.includes(layer) && !LIBRARY_LAYER_ARN.test(layer));
      if (layers.length > 0) {
        ctx.report({
          file: fn.source.file,
          loc: settingLoc(fn, 'layers'),
          messageId: 'layers',
          data: {
            function: fn.logicalId,
            count: layers.length === 1 ? '1 layer' : `${layers.length} layers`,
            layers: layers.map((layer) => `\`${layer}\``).join(', '),
          },
          handlers: [],
          functionIds,
        });
      }
      for (const alarm of fn.alarms ?? []) {
        let entry = alarms.get(alarm);
        if (!entry) alarms.set(alarm, (entry = { names: [], ids: [] }));
        entry.names.push(`\`${fn.logicalId}\``);
        entry.ids.push(...functionIds);
      }
    }
    for (const [alarm, { names, ids }] of alarms) {
      ctx.report({
        file: alarm.source.file,
        loc: toLoc(alarm.source),
        messageId: 'initAlarm',
        data: { alarm: alarm.id, metric: alarm.metric, functions: names.join(', ') },
        handlers: [],
        functionIds: ids,
      });
    }

    // Dependencies: the package.json nearest each Node.js handler, the requirements.txt / pyproject.toml nearest each Python one.
    const byManifest = new Map<string, HandlerInfo[]>();
    for (const handler of ctx.handlers) {
      const file = ctx.files[handler.file]!.file;
      const manifests = file.endsWith('.py') ? nearestPythonManifests(file, ctx.pythonManifests) : [nearestPackageJson(file, ctx.packageJsons)];
      for (const manifest of manifests) {
        if (manifest === undefined) continue;
        let list = byManifest.get(manifest);
        if (!list) byManifest.set(manifest, (list = []));
        list.push(handler);
      }
    }
    for (const [file, handlers] of byManifest) {
      const python = !file.endsWith('package.json');
      const manifest = python ? readPythonManifest(file) : readManifest(file);
      if (manifest) checkDependencies(manifest, handlers, (r) => ctx.report(r), python);
    }
  },
});

/** semver loads on the first dependency checked: the worker threads import this rule for its visitors only. */
let semverLib: typeof semverModule | undefined;

/**
 * One check for both ecosystems: a Python manifest's dependencies carry their constraint as an npm
 * semver range (`compareRange`) and are matched by normalised name (`AWS_Lambda_Powertools` is `aws-lambda-powertools`).
 */
function checkDependencies(manifest: PackageManifest, handlers: HandlerInfo[], report: (r: RuleReport<MessageId>) => void, python: boolean): void {
  const semver = (semverLib ??= createRequire(import.meta.url)('semver') as typeof semverModule);
  for (const dependency of manifest.dependencies) {
    const loc = depLoc(dependency);
    if (!python && dependency.name === 'aws-sdk') {
      report({ file: manifest.file, loc, messageId: 'awsSdkV2', handlers });
      continue;
    }
    const name = python ? normalizePythonName(dependency.name) : dependency.name;
    const rule = (python ? PYTHON_FLOORS : FLOORS).find((floor) => (floor.prefix !== undefined ? name.startsWith(floor.prefix) : name === floor.name));
    if (!rule) continue;
    // A range that allows the floor, in the manifest's own syntax (PEP 440 `>=` is Poetry's too).
    const wider = python ? `>=${rule.floor}` : `^${rule.floor}`;
    const data = { name: dependency.name, range: dependency.range, floor: rule.floor, note: rule.note, wider };
    const locked = dependency.locked !== undefined ? semver.valid(semver.coerce(dependency.locked, { includePrerelease: true })) : null;
    if (locked !== null && dependency.lockfile !== undefined) {
      if (semver.lt(locked, rule.floor)) {
        report({
          file: manifest.file,
          loc,
          messageId: 'dependencyFloor',
          data: { ...data, version: `${dependency.locked} (${path.basename(dependency.lockfile)})` },
          handlers,
        });
      }
      continue;
    }
    // No lockfile (or one that does not list it): a fresh install resolves to the newest version the range allows.
    const range = dependency.compareRange === undefined ? dependency.range : dependency.compareRange;
    if (range === null || semver.validRange(range) === null) {
      report({ file: manifest.file, loc, messageId: 'dependencyUnresolved', severity: 'info', data, handlers });
    } else if (semver.gtr(rule.floor, range)) {
      report({ file: manifest.file, loc, messageId: 'dependencyRangeBelowFloor', data, handlers });
    }
  }
}

function depLoc(dependency: Dependency): Loc {
  return { line: dependency.line, column: dependency.column, endLine: dependency.line, endColumn: Math.max(dependency.endColumn, dependency.column + 1) };
}

function unique(handlers: HandlerInfo[]): HandlerInfo[] {
  return [...new Set(handlers)].sort((a, b) => a.index - b.index);
}
