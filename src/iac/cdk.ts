/**
 * @fileoverview CDK apps, read statically from the syntax tree (never synthesized or loaded):
 * `new lambda.Function(...)`, `new lambda.SingletonFunction(...)`, `new NodejsFunction(...)`,
 * `new PythonFunction(...)`, AWS Solutions Constructs patterns with `lambdaFunctionProps` and their
 * `buildLambdaFunction(...)`, each call of a wrapper of these (a construct class, function or method
 * building one from its parameters), and `capacityProvider.addFunction(fn, {...})`; then what invokes
 * each function (`SqsEventSource` & co. in `events` or `fn.addEventSource(...)`, with the
 * `new sqs.Queue` they poll when this file creates it; `EventSourceMapping`; EventBridge,
 * Scheduler, S3, SNS and API Gateway targets), its asynchronous invocation settings
 * (`onFailure`, `retryAttempts`, `deadLetterQueue`, `configureAsyncInvoke`, `EventInvokeConfig`)
 * and CloudWatch alarms on init duration or cold starts.
 *
 * Values are evaluated only when they are static: literals, module `const`s, `path.join` /
 * `path.resolve` / `path.dirname` over `__dirname`, `import.meta.dirname`, `import.meta.url`,
 * `fileURLToPath(...)`, `process.cwd()` (the directory of cdk.json, where `cdk synth` runs the app),
 * `Duration.*` and `Size.*` of literals. Anything else is unknown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ts } from '../ts.js';
import { assignNumbers, lmiConfig } from './cloudformation.js';
import { applyImageHandler, type ImageSource } from './container-image.js';
import { NODE_EXTENSIONS, resolveHandler } from './handler-path.js';
import { isTestFile } from '../project/test-files.js';
import { markLmiAddedToExisting } from './previous-build.js';
import { addEvent, assignDefined, polledServiceOfArn } from './template-wiring.js';
import type {
  IacAsyncConfig,
  IacEventKind,
  IacEventSource,
  IacFunction,
  IacLocation,
  IacPolledService,
  IacQueue,
  InfrastructureReader,
  ReaderContext,
} from './types.js';

/** The cheap test a source file must pass before it is parsed as a CDK app. */
function mentionsCdk(text: string): boolean {
  return text.includes('aws-cdk-lib') || text.includes('@aws-cdk/');
}

const CDK_SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

/** CDK apps, read from their syntax tree (never synthesised or run). */
export const cdkReader: InfrastructureReader = {
  name: 'CDK',
  reads: 'source',
  accepts: (file, text) => CDK_SOURCE.test(file) && !/\.d\.[cm]?ts$/i.test(file) && mentionsCdk(text()),
  read: (file, ctx, text) => readCdk(file, ctx, text()),
  // A construct built from a wrapper's parameters stands for nothing once its calls are read;
  // what the wrapper's own file wires to it (`fn.addEventSource(...)` there) is each call's.
  finish: (functions, ctx) => {
    const project = projects.get(ctx);
    if (!project) return functions;
    const templateAt = new Map<ts.Node, IacFunction>();
    for (const [fn, node] of project.templates) templateAt.set(node, fn);
    for (const [instance, node] of project.instances) {
      const template = templateAt.get(node);
      if (template) inheritWiring(instance, template);
    }
    return functions.filter((fn) => {
      const template = project.templates.get(fn);
      return !template || !project.instantiated.has(template);
    });
  },
};

/** Module specifier -> the canonical module key used in qualified names. */
const MODULES: Record<string, string> = {
  'aws-cdk-lib': 'cdk',
  'aws-cdk-lib/core': 'cdk',
  '@aws-cdk/core': 'cdk',
  'aws-cdk-lib/aws-lambda': 'lambda',
  '@aws-cdk/aws-lambda': 'lambda',
  'aws-cdk-lib/aws-lambda-nodejs': 'nodejs',
  '@aws-cdk/aws-lambda-nodejs': 'nodejs',
  '@aws-cdk/aws-lambda-python-alpha': 'python',
  '@aws-cdk/aws-lambda-python': 'python',
  'aws-cdk-lib/aws-sqs': 'sqs',
  '@aws-cdk/aws-sqs': 'sqs',
  'aws-cdk-lib/aws-lambda-event-sources': 'sources',
  '@aws-cdk/aws-lambda-event-sources': 'sources',
  'aws-cdk-lib/aws-lambda-destinations': 'destinations',
  '@aws-cdk/aws-lambda-destinations': 'destinations',
  'aws-cdk-lib/aws-events': 'events',
  '@aws-cdk/aws-events': 'events',
  'aws-cdk-lib/aws-events-targets': 'targets',
  '@aws-cdk/aws-events-targets': 'targets',
  'aws-cdk-lib/aws-scheduler-targets': 'schedulerTargets',
  'aws-cdk-lib/aws-cloudwatch': 'cloudwatch',
  '@aws-cdk/aws-cloudwatch': 'cloudwatch',
  'aws-cdk-lib/aws-s3-notifications': 's3n',
  '@aws-cdk/aws-s3-notifications': 's3n',
  'aws-cdk-lib/aws-sns-subscriptions': 'subs',
  '@aws-cdk/aws-sns-subscriptions': 'subs',
  'aws-cdk-lib/aws-apigateway': 'apigw',
  '@aws-cdk/aws-apigateway': 'apigw',
  'aws-cdk-lib/aws-apigatewayv2-integrations': 'apigw2',
  '@aws-cdk/aws-apigatewayv2-integrations-alpha': 'apigw2',
  path: 'path',
  'node:path': 'path',
  url: 'url',
  'node:url': 'url',
};

/** Namespaces of `aws-cdk-lib` itself (`import { aws_lambda as lambda } from 'aws-cdk-lib'`). */
const CDK_NAMESPACES: Record<string, string> = {
  aws_lambda: 'lambda',
  aws_lambda_nodejs: 'nodejs',
  aws_sqs: 'sqs',
  aws_lambda_event_sources: 'sources',
  aws_lambda_destinations: 'destinations',
  aws_events: 'events',
  aws_events_targets: 'targets',
  aws_scheduler_targets: 'schedulerTargets',
  aws_cloudwatch: 'cloudwatch',
  aws_s3_notifications: 's3n',
  aws_sns_subscriptions: 'subs',
  aws_apigateway: 'apigw',
  aws_apigatewayv2_integrations: 'apigw2',
};

/** Event source classes (`aws-lambda-event-sources`) -> kind. */
const EVENT_SOURCES: Record<string, IacEventKind> = {
  'sources.SqsEventSource': 'sqs',
  'sources.SnsEventSource': 'sns',
  'sources.S3EventSource': 's3',
  'sources.S3EventSourceV2': 's3',
  'sources.KinesisEventSource': 'stream',
  'sources.DynamoEventSource': 'stream',
  'sources.ManagedKafkaEventSource': 'other',
  'sources.SelfManagedKafkaEventSource': 'other',
};

/** Event source classes -> the service their event source mapping polls. */
const POLLED: Record<string, IacPolledService> = {
  'sources.SqsEventSource': 'sqs',
  'sources.KinesisEventSource': 'kinesis',
  'sources.DynamoEventSource': 'dynamodb',
  'sources.ManagedKafkaEventSource': 'msk',
  'sources.SelfManagedKafkaEventSource': 'kafka',
};

/** Constructs that make another service invoke a function given as an argument: class -> kind, and which argument is the function. */
const INVOKERS: Record<string, { kind: IacEventKind; argument: number }> = {
  'targets.LambdaFunction': { kind: 'eventbridge', argument: 0 },
  'schedulerTargets.LambdaInvoke': { kind: 'schedule', argument: 0 },
  's3n.LambdaDestination': { kind: 's3', argument: 0 },
  'subs.LambdaSubscription': { kind: 'sns', argument: 0 },
  'apigw.LambdaIntegration': { kind: 'api', argument: 0 },
  'apigw2.HttpLambdaIntegration': { kind: 'api', argument: 1 },
  'apigw2.WebSocketLambdaIntegration': { kind: 'api', argument: 1 },
};

/** Metric names and expressions that watch init duration or cold starts. */
const INIT_METRIC = /init[ _-]?duration|cold[ _-]?start/i;

type FunctionConstruct = 'function' | 'nodejs' | 'python' | 'image';

/** Where a function is built: the construct (or call) and the arguments that give its id and its props. */
interface ConstructSite {
  node: ts.NewExpression | ts.CallExpression;
  construct: FunctionConstruct;
  idArg: ts.Expression | undefined;
  props: ts.Expression | undefined;
}

/** AWS Solutions Constructs (`@aws-solutions-constructs/*`): every pattern's function is a `lambda.Function` built from its `lambdaFunctionProps`. */
const SOLUTIONS_CONSTRUCTS = '@aws-solutions-constructs/';

const FUNCTION_CONSTRUCTS: Record<string, FunctionConstruct> = {
  'lambda.Function': 'function',
  'lambda.SingletonFunction': 'function',
  'lambda.DockerImageFunction': 'image',
  'nodejs.NodejsFunction': 'nodejs',
  'python.PythonFunction': 'python',
};

const MAX_DEPTH = 40;

type Value = string | number | undefined;

function readCdk(file: string, ctx: ReaderContext, text = ctx.readFile(file)): IacFunction[] {
  if (!mentionsCdk(text)) return [];
  return projectOf(ctx).reader(file, text)!.read();
}

/** The wrappers of one scan, shared by its files (a wrapper and its calls are often in two files). */
const projects = new WeakMap<ReaderContext, CdkProject>();

function projectOf(ctx: ReaderContext): CdkProject {
  let project = projects.get(ctx);
  if (!project) projects.set(ctx, (project = new CdkProject(ctx)));
  return project;
}

/**
 * One parsed reader per file of a scan, and what construct wrappers replaced. A wrapper is a
 * function, method or construct class that builds a Lambda construct from its parameters
 * (`class ApiFunction extends Construct { constructor(scope, id, props) { new NodejsFunction(this,
 * id, { runtime, ...props }) } }`): the construct inside it is known only at each call, so every
 * call whose arguments name the code becomes a function of its own, declared at the call, and
 * the construct inside the wrapper no longer counts.
 */
class CdkProject {
  private readonly readers = new Map<string, CdkFileReader | null>();
  /** The construct inside a wrapper each function was read from, when its own file was read. */
  readonly templates = new Map<IacFunction, ts.Node>();
  /** Constructs inside wrappers that calls replaced. */
  readonly instantiated = new Set<ts.Node>();
  /** Each function a call declared (that the scan keeps) -> the construct inside the wrapper it was read from. */
  readonly instances = new Map<IacFunction, ts.Node>();
  /** Every function a call was read into -> its construct; only those a file's read keeps enter {@link instances}. */
  readonly origins = new WeakMap<IacFunction, ts.Node>();

  constructor(readonly ctx: ReaderContext) {}

  /** The reader of a file (parsed once); undefined for a file that is not there, does not read or does not mention the CDK. */
  reader(file: string, text?: string): CdkFileReader | undefined {
    let reader = this.readers.get(file);
    if (reader === undefined) {
      reader = null;
      try {
        const content = text ?? (this.ctx.fileExists(file) ? this.ctx.readFile(file) : undefined);
        if (content !== undefined && mentionsCdk(content)) reader = new CdkFileReader(file, content, this.ctx, this);
      } catch {
        // A file that cannot be read wraps nothing.
      }
      this.readers.set(file, reader);
    }
    return reader ?? undefined;
  }
}

/** A parameter of a wrapper bound to what a call passes: the argument (or the default) and, for a destructured parameter, the property path into it. */
interface Bound {
  expression: ts.Expression;
  path: string[];
}

/** The parameters of one wrapper at one call. */
interface Bindings {
  wrapper: ts.FunctionLikeDeclaration;
  values: Map<string, Bound>;
  /** The reader the call was read with: the arguments are its nodes (it may be bound itself, one wrapper out). */
  caller: CdkFileReader;
}

/** How many wrappers deep a call is followed (a construct class whose constructor hands its props to a private method that builds the function is two). */
const MAX_WRAPPER_DEPTH = 3;

type Wrapper = { reader: CdkFileReader; declaration: ts.FunctionLikeDeclaration };

class CdkFileReader {
  private readonly source: ts.SourceFile;
  private readonly dir: string;
  /** Local name -> `ns:<module>` (a namespace) or `<module>.<Export>` (a named import). */
  private readonly imports = new Map<string, string>();
  /** `const` name -> initializer; `null` when the name is declared more than once (ambiguous). */
  private readonly consts = new Map<string, ts.Expression | null>();
  /** Variable or `this.x` name -> the function created by the `new` expression bound to it. */
  private functionBindings = new Map<string, IacFunction>();
  /** Local name -> the relative module and the export it imports (`default` for a default import, `*` for a namespace). */
  private readonly localImports = new Map<string, { specifier: string; name: string }>();
  /** Functions and classes declared in this file, by name (`null` when the name is declared twice). */
  private readonly declarations = new Map<string, ts.FunctionLikeDeclaration | ts.ClassLikeDeclaration | null>();
  /** Set on a reader bound to one call of a wrapper of this file (see {@link bind}). */
  private bindings: Bindings | undefined;
  private readonly templateCache = new Map<ts.FunctionLikeDeclaration, ConstructSite[]>();
  private readonly nestedCache = new Map<ts.FunctionLikeDeclaration, Array<ts.NewExpression | ts.CallExpression>>();
  private methodWrappersCache: Map<string, Wrapper[]> | undefined;
  private appRootCache: string | undefined;

  constructor(
    private readonly file: string,
    text: string,
    private readonly ctx: ReaderContext,
    private readonly project: CdkProject,
  ) {
    this.source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    this.dir = path.dirname(file);
    this.collectDeclarations(this.source);
  }

  read(): IacFunction[] {
    // A test's stack (`test/app.test.ts`, `Template.fromStack(...)`) is never deployed: its functions are not the app's.
    if (isTestFile(path.relative(this.appRoot(), this.file).split(path.sep).join('/'))) return [];
    const functions: IacFunction[] = [];
    const addFunctionCalls: ts.CallExpression[] = [];
    const wiring: Array<ts.NewExpression | ts.CallExpression> = [];
    const created = new Map<IacFunction, ConstructSite>();
    const visit = (node: ts.Node): void => {
      const site = ts.isNewExpression(node) || ts.isCallExpression(node) ? this.constructSite(node) : undefined;
      if (site) {
        const fn = this.functionFrom(site);
        functions.push(fn);
        created.set(fn, site);
        const binding = bindingName(site.node);
        if (binding) this.functionBindings.set(binding, fn);
        if (fn.codeFile === undefined && this.wrapperOf(site)) this.project.templates.set(fn, site.node);
      } else if (ts.isNewExpression(node)) {
        wiring.push(node);
        this.addInstances(node, functions);
      } else if (ts.isCallExpression(node)) {
        if (ts.isPropertyAccessExpression(node.expression)) {
          if (node.expression.name.text === 'addFunction' && node.arguments.length > 0) addFunctionCalls.push(node);
          else wiring.push(node);
        }
        this.addInstances(node, functions);
      }
      ts.forEachChild(node, visit);
    };
    visit(this.source);
    for (const call of addFunctionCalls) this.applyCapacityProvider(call);
    // Wiring needs every function binding of the file, so it is read after the walk.
    for (const [fn, site] of created) this.readFunctionProps(fn, site);
    for (const node of wiring) {
      if (ts.isNewExpression(node)) this.readWiringNew(node, functions);
      else this.readWiringCall(node, functions);
    }
    markLmiAddedToExisting(this.file, functions, { cdkAppRoot: this.appRoot() });
    return functions;
  }

  // --- wiring: event sources, async invocation, alarms ---------------------------------------

  private location(node: ts.Node): IacLocation {
    const owner = this.on(node);
    if (owner !== this) return owner.location(node);
    const start = this.source.getLineAndCharacterOfPosition(node.getStart(this.source));
    const end = this.source.getLineAndCharacterOfPosition(node.getEnd());
    const starts = this.source.getLineStarts();
    const lineText = this.source.text.slice(starts[start.line], starts[start.line + 1] ?? this.source.text.length);
    const endColumn = end.line === start.line ? end.character + 1 : lineText.trimEnd().length + 1;
    return { file: this.file, line: start.line + 1, column: start.character + 1, endColumn };
  }

  /** The function a construct argument names (`fn`, `this.fn`), when this file creates it. */
  private functionOf(expression: ts.Expression | undefined): IacFunction | undefined {
    if (!expression) return undefined;
    const key = expressionKey(unwrap(expression));
    return key ? this.functionBindings.get(key) : undefined;
  }

  /** A `new` expression an identifier is bound to (`const q = new Queue(...)`, `this.q = ...`), or the expression itself. */
  private constructOf(expression: ts.Expression): ts.Expression {
    const node = unwrap(expression);
    const key = expressionKey(node);
    const bound = key ? this.boundInitializer(key) : undefined;
    return bound ? unwrap(bound) : this.deref(node);
  }

  /** Function props read after every function of the file is known: `events`, async invocation settings, environment. */
  private readFunctionProps(fn: IacFunction, site: ConstructSite): void {
    const node = site.node;
    if (!site.props) return;
    const props = this.properties(site.props);
    const events = props.get('events');
    const list = events ? this.deref(events) : undefined;
    if (list && ts.isArrayLiteralExpression(list)) {
      for (const element of list.elements) {
        const event = this.eventSource(element);
        if (event) addEvent(fn, event);
      }
    }
    const asyncConfig = this.asyncConfig(props, node);
    if (asyncConfig) fn.asyncConfig = asyncConfig;
    const dlq = props.get('deadLetterQueue') ?? props.get('deadLetterTopic');
    if (dlq) fn.deadLetterQueue = this.constructName(dlq);
    else if (props.get('deadLetterQueueEnabled') && this.deref(props.get('deadLetterQueueEnabled')!).kind === ts.SyntaxKind.TrueKeyword) {
      fn.deadLetterQueue = 'deadLetterQueueEnabled';
    }
    const environment = props.get('environment');
    if (environment) {
      const workers = this.properties(environment).get('AWS_LAMBDA_NODEJS_WORKER_COUNT');
      const value = workers ? this.evaluate(workers) : undefined;
      const count = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
      if (count !== undefined) fn.nodeWorkerCount = count;
    }
  }

  /** `onFailure` / `onSuccess` / `retryAttempts` / `maxEventAge` of function props, `configureAsyncInvoke` or `EventInvokeConfig`. */
  private asyncConfig(props: Map<string, ts.Expression>, fallback: ts.Node): IacAsyncConfig | undefined {
    const keys = ['onFailure', 'onSuccess', 'retryAttempts', 'maxEventAge'].filter((key) => props.has(key));
    if (keys.length === 0) return undefined;
    const first = props.get(keys[0]!)!;
    const config: IacAsyncConfig = { source: this.location(first.parent ?? fallback) };
    const retries = props.get('retryAttempts');
    const age = props.get('maxEventAge');
    assignDefined(config, {
      maximumRetryAttempts: numberOrUndefined(retries && this.evaluate(retries)),
      maximumEventAgeInSeconds: numberOrUndefined(age && this.evaluate(age)),
    });
    const onFailure = props.get('onFailure');
    if (onFailure) config.onFailure = this.destinationName(onFailure);
    const onSuccess = props.get('onSuccess');
    if (onSuccess) config.onSuccess = this.destinationName(onSuccess);
    return config;
  }

  /** `new destinations.SqsDestination(dlq)` -> `SqsDestination(<dlq construct id>)`. */
  private destinationName(expression: ts.Expression): string {
    const node = this.constructOf(expression);
    if (ts.isNewExpression(node)) {
      const qualified = this.qualify(node.expression);
      const inner = node.arguments?.[0];
      if (qualified && inner) return `${qualified.split('.').pop()}(${this.constructName(inner)})`;
    }
    return this.text(expression);
  }

  /** The construct id of the construct an expression names (`new Queue(this, 'Dlq')` -> `Dlq`), else its source text. */
  private constructName(expression: ts.Expression): string {
    const node = this.constructOf(expression);
    if (ts.isNewExpression(node) && node.arguments?.[1]) {
      const id = this.evaluate(node.arguments[1]);
      if (typeof id === 'string') return id;
    }
    return this.text(expression);
  }

  /** An event source construct (`new SqsEventSource(queue, {...})`), directly or through a binding. */
  private eventSource(expression: ts.Expression): IacEventSource | undefined {
    const node = this.constructOf(expression);
    if (!ts.isNewExpression(node)) return undefined;
    const qualified = this.qualify(node.expression);
    const kind = qualified ? EVENT_SOURCES[qualified] : undefined;
    if (!qualified || !kind) return undefined;
    const args = node.arguments ?? [];
    const options = args[1] ? this.properties(args[1]) : new Map<string, ts.Expression>();
    const event: IacEventSource = { kind, type: qualified.split('.').pop()!, source: this.location(node) };
    if (POLLED[qualified] !== undefined) event.service = POLLED[qualified];
    if (args[0]) event.target = this.constructName(args[0]);
    const number = (key: string): number | undefined => {
      const value = options.get(key);
      return numberOrUndefined(value && this.evaluate(value));
    };
    assignDefined(event, { batchSize: number('batchSize'), maximumBatchingWindow: number('maxBatchingWindow') });
    if (kind === 'sqs' && args[0]) {
      const queue = this.queue(args[0]);
      if (queue) event.queue = queue;
    } else if (kind === 'sns') {
      const dlq = options.get('deadLetterQueue');
      if (dlq) event.deadLetterQueue = this.constructName(dlq);
    } else if (kind === 'stream') {
      this.applyStreamOptions(event, options);
    }
    return event;
  }

  private applyStreamOptions(event: IacEventSource, options: Map<string, ts.Expression>): void {
    const bisect = options.get('bisectBatchOnError');
    const retries = options.get('retryAttempts');
    const age = options.get('maxRecordAge');
    const bisectNode = bisect ? this.deref(bisect) : undefined;
    assignDefined(event, {
      bisectBatchOnFunctionError: bisectNode?.kind === ts.SyntaxKind.TrueKeyword ? true : bisectNode?.kind === ts.SyntaxKind.FalseKeyword ? false : undefined,
      maximumRetryAttempts: numberOrUndefined(retries && this.evaluate(retries)),
      maximumRecordAgeInSeconds: numberOrUndefined(age && this.evaluate(age)),
    });
    const onFailure = options.get('onFailure');
    if (onFailure) event.onFailure = this.destinationName(onFailure);
  }

  /** The queue model of `new sqs.Queue(scope, 'Id', props)` bound to the expression, when this file creates it. */
  private queue(expression: ts.Expression): IacQueue | undefined {
    const node = this.constructOf(expression);
    if (!ts.isNewExpression(node) || this.qualify(node.expression) !== 'sqs.Queue') return undefined;
    const args = node.arguments ?? [];
    const id = args[1] ? this.evaluate(args[1]) : undefined;
    const queue: IacQueue = { id: typeof id === 'string' ? id : this.text(expression), source: this.location(node) };
    const props = args[2] ? this.properties(args[2]) : new Map<string, ts.Expression>();
    const timeout = props.get('visibilityTimeout');
    if (timeout) {
      const seconds = numberOrUndefined(this.evaluate(timeout));
      if (seconds === undefined) queue.visibilityTimeoutUnknown = true;
      else queue.visibilityTimeout = seconds;
    }
    const dlq = props.get('deadLetterQueue');
    if (dlq) {
      const dlqProps = this.properties(dlq);
      const target = dlqProps.get('queue');
      const maxReceiveCount = numberOrUndefined(dlqProps.get('maxReceiveCount') && this.evaluate(dlqProps.get('maxReceiveCount')!));
      queue.redrive = {
        ...(target ? { deadLetterTarget: this.constructName(target) } : {}),
        ...(maxReceiveCount !== undefined ? { maxReceiveCount } : {}),
      };
    }
    return queue;
  }

  /** `new X(...)` that wires a function: invokers (EventBridge/S3/SNS/API targets), `EventSourceMapping`, `EventInvokeConfig`, `LambdaRestApi`, alarms. */
  private readWiringNew(node: ts.NewExpression, functions: IacFunction[]): void {
    const qualified = this.qualify(node.expression);
    if (!qualified) return;
    const args = node.arguments ?? [];
    const invoker = INVOKERS[qualified];
    if (invoker) {
      const fn = this.functionOf(args[invoker.argument]);
      if (!fn) return;
      const event: IacEventSource = { kind: invoker.kind, type: qualified.split('.').pop()!, source: this.location(node) };
      if (invoker.kind === 'eventbridge' && this.isScheduleTarget(node)) event.kind = 'schedule';
      if (invoker.kind === 'eventbridge' || invoker.kind === 'schedule') {
        const options = args[invoker.argument + 1] ? this.properties(args[invoker.argument + 1]!) : new Map<string, ts.Expression>();
        const dlq = options.get('deadLetterQueue');
        if (dlq) event.deadLetterQueue = this.constructName(dlq);
        const retries = options.get('retryAttempts');
        const age = options.get('maxEventAge');
        if (retries || age) {
          event.retryPolicy = {};
          assignDefined(event.retryPolicy, {
            maximumRetryAttempts: numberOrUndefined(retries && this.evaluate(retries)),
            maximumEventAgeInSeconds: numberOrUndefined(age && this.evaluate(age)),
          });
        }
      } else if (invoker.kind === 'sns') {
        const options = args[1] ? this.properties(args[1]) : new Map<string, ts.Expression>();
        const dlq = options.get('deadLetterQueue');
        if (dlq) event.deadLetterQueue = this.constructName(dlq);
      }
      addEvent(fn, event);
      return;
    }
    const props = args[2] ? this.properties(args[2]) : new Map<string, ts.Expression>();
    switch (qualified) {
      case 'apigw.LambdaRestApi': {
        const fn = this.functionOf(props.get('handler'));
        if (fn) addEvent(fn, { kind: 'api', type: 'LambdaRestApi', source: this.location(node) });
        return;
      }
      case 'lambda.EventSourceMapping': {
        const fn = this.functionOf(props.get('target'));
        if (fn) addEvent(fn, this.eventSourceMapping(node, props));
        return;
      }
      case 'lambda.EventInvokeConfig': {
        const fn = this.functionOf(props.get('function'));
        const config = this.asyncConfig(props, node);
        if (fn && config) fn.asyncConfig = config;
        return;
      }
      case 'cloudwatch.Alarm':
        this.readAlarm(node, args[1], node, functions);
        return;
    }
  }

  /** `fn.addEventSource(...)`, `fn.addEventSourceMapping(...)`, `fn.configureAsyncInvoke(...)`, `fn.addFunctionUrl(...)`, `metric.createAlarm(...)`. */
  private readWiringCall(node: ts.CallExpression, functions: IacFunction[]): void {
    const callee = node.expression as ts.PropertyAccessExpression;
    const method = callee.name.text;
    if (method === 'createAlarm') {
      this.readAlarm(node, node.arguments[1], callee.expression, functions);
      return;
    }
    const fn = this.functionOf(callee.expression);
    if (!fn) return;
    switch (method) {
      case 'addEventSource': {
        const event = node.arguments[0] ? this.eventSource(node.arguments[0]) : undefined;
        if (event) addEvent(fn, event);
        return;
      }
      case 'addEventSourceMapping': {
        const props = node.arguments[1] ? this.properties(node.arguments[1]) : new Map<string, ts.Expression>();
        addEvent(fn, this.eventSourceMapping(node, props));
        return;
      }
      case 'configureAsyncInvoke': {
        const config = node.arguments[0] ? this.asyncConfig(this.properties(node.arguments[0]), node) : undefined;
        if (config) fn.asyncConfig = config;
        return;
      }
      case 'addFunctionUrl':
        addEvent(fn, { kind: 'api', type: 'addFunctionUrl', source: this.location(node) });
        return;
    }
  }

  private eventSourceMapping(node: ts.Node, props: Map<string, ts.Expression>): IacEventSource {
    const arnExpression = props.get('eventSourceArn');
    const arn = arnExpression ? unwrap(arnExpression) : undefined;
    let kind: IacEventKind = 'other';
    let queue: IacQueue | undefined;
    let service: IacPolledService | undefined;
    if (arn && ts.isPropertyAccessExpression(arn)) {
      if (arn.name.text === 'queueArn') {
        kind = 'sqs';
        service = 'sqs';
        queue = this.queue(arn.expression);
      } else if (/^(streamArn|tableStreamArn)$/.test(arn.name.text)) {
        kind = 'stream';
        service = arn.name.text === 'tableStreamArn' ? 'dynamodb' : 'kinesis';
      }
    } else if (arn) {
      const text = this.evaluate(arn);
      if (typeof text === 'string' && /^arn:[^:]+:sqs:/.test(text)) kind = 'sqs';
      else if (typeof text === 'string' && /^arn:[^:]+:(kinesis|dynamodb):/.test(text)) kind = 'stream';
      service = polledServiceOfArn(typeof text === 'string' ? text : undefined);
    }
    const event: IacEventSource = { kind, type: 'EventSourceMapping', source: this.location(node) };
    if (service !== undefined) event.service = service;
    if (arnExpression) event.target = this.text(arnExpression);
    const batch = props.get('batchSize');
    const window = props.get('maxBatchingWindow');
    assignDefined(event, {
      batchSize: numberOrUndefined(batch && this.evaluate(batch)),
      maximumBatchingWindow: numberOrUndefined(window && this.evaluate(window)),
    });
    if (queue) event.queue = queue;
    if (kind === 'stream') this.applyStreamOptions(event, props);
    return event;
  }

  /** Is this EventBridge target on a rule with a `schedule` (in the rule's props, or the rule `addTarget` is called on)? */
  private isScheduleTarget(node: ts.NewExpression): boolean {
    for (let parent: ts.Node | undefined = node.parent; parent && !ts.isSourceFile(parent); parent = parent.parent) {
      if (ts.isNewExpression(parent) && this.qualify(parent.expression) === 'events.Rule') {
        return parent.arguments?.[2] ? this.properties(parent.arguments[2]).has('schedule') : false;
      }
      if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'addTarget') {
        const rule = this.constructOf(parent.expression.expression);
        return ts.isNewExpression(rule) && rule.arguments?.[2] ? this.properties(rule.arguments[2]).has('schedule') : false;
      }
    }
    return false;
  }

  /**
   * An alarm (`new cloudwatch.Alarm(scope, id, props)` or `metric.createAlarm(scope, id, props)`)
   * whose metric watches init duration or cold starts. It watches the functions its text names
   * (`fn.metric('InitDuration')`, `FunctionName: fn.functionName`), else every function of the file.
   */
  private readAlarm(node: ts.Node, idArg: ts.Expression | undefined, metricSource: ts.Node, functions: IacFunction[]): void {
    const texts = [this.text(node)];
    const collect = (child: ts.Node): void => {
      if (ts.isIdentifier(child)) {
        const constant = this.consts.get(child.text);
        if (constant) texts.push(this.text(constant));
      }
      ts.forEachChild(child, collect);
    };
    collect(node);
    if (metricSource !== node) collect(metricSource);
    const text = texts.join('\n');
    const metric = INIT_METRIC.exec(text)?.[0];
    if (metric === undefined) return;
    const id = idArg ? this.evaluate(idArg) : undefined;
    const alarm = { id: typeof id === 'string' ? id : idArg ? this.text(idArg) : '<alarm>', source: this.location(node), metric };
    const named = [...this.functionBindings].filter(([key]) => new RegExp(`(^|[^\\w$.])${key.replace(/[.$]/g, '\\$&')}\\b`).test(text));
    const watched = named.length > 0 ? [...new Set(named.map(([, fn]) => fn))] : functions;
    for (const fn of watched) (fn.alarms ??= []).push(alarm);
  }

  // --- construct wrappers -------------------------------------------------------------------

  /** The text of a node, from its own file. */
  private text(node: ts.Node): string {
    return node.getText(this.bindings ? node.getSourceFile() : this.source);
  }

  /**
   * The reader of the file a node is in. Only a reader bound to a wrapper's call sees nodes of
   * other files (the call's arguments); the others read their own file alone.
   */
  private on(node: ts.Node): CdkFileReader {
    if (!this.bindings) return this;
    const source = node.getSourceFile();
    if (this.holds(node, source)) return this;
    // The innermost reader of the call chain whose wrapper holds the node (a caller in the same file is one further out).
    for (let reader: CdkFileReader | undefined = this.bindings.caller; reader; reader = reader.bindings?.caller) if (reader.holds(node, source)) return reader;
    return this.project.reader(source.fileName) ?? this;
  }

  /** Is the node this reader's to read: in its file, and inside the wrapper it is bound to (if it is)? */
  private holds(node: ts.Node, source: ts.SourceFile): boolean {
    if (this.source !== source) return false;
    const scope = this.bindings?.wrapper;
    return !scope || (node.pos >= scope.pos && node.end <= scope.end);
  }

  /**
   * What a wrapper's parameter is at the call this reader is bound to: the expression passed (or
   * the property of it a destructured parameter names); the identifier itself when the call
   * does not say; undefined when the identifier is no parameter of the wrapper.
   */
  private boundValue(node: ts.Identifier): ts.Expression | undefined {
    const bindings = this.bindings;
    if (!bindings || node.pos < bindings.wrapper.pos || node.end > bindings.wrapper.end) return undefined;
    const bound = bindings.values.get(node.text);
    if (!bound) return parameterNames(bindings.wrapper).has(node.text) ? node : undefined;
    let value: ts.Expression = bound.expression;
    for (const key of bound.path) {
      const object = this.deref(value);
      const property = ts.isObjectLiteralExpression(object) ? this.on(object).properties(object).get(key) : undefined;
      if (!property) return node;
      value = property;
    }
    return value;
  }

  /** This reader, bound to one call of one of its file's wrappers (it shares everything else with this one). */
  private bind(wrapper: ts.FunctionLikeDeclaration, call: ts.NewExpression | ts.CallExpression, caller: CdkFileReader): CdkFileReader {
    const values = new Map<string, Bound>();
    const args = call.arguments ?? [];
    wrapper.parameters.forEach((parameter, i) => {
      const arg = args.slice(0, i + 1).some(ts.isSpreadElement) ? undefined : args[i];
      const expression = arg ?? parameter.initializer;
      if (!expression) return;
      if (ts.isIdentifier(parameter.name)) {
        values.set(parameter.name.text, { expression, path: [] });
      } else if (ts.isObjectBindingPattern(parameter.name)) {
        for (const element of parameter.name.elements) {
          if (element.dotDotDotToken || !ts.isIdentifier(element.name)) continue;
          const key = element.propertyName ? propertyName(element.propertyName) : element.name.text;
          if (key !== undefined) values.set(element.name.text, { expression, path: [key] });
        }
      }
    });
    const bound = Object.create(this) as CdkFileReader;
    bound.bindings = { wrapper, values, caller };
    bound.functionBindings = new Map();
    return bound;
  }

  /**
   * The function, method or class constructor whose parameters decide what a Lambda construct
   * runs (its code, entry, handler, index or runtime, or props passed whole or spread): the
   * construct is then a template, read again at each call. A construct that takes only its id,
   * environment or role from parameters runs the same code whoever calls it, and stays where it is.
   */
  private wrapperOf(site: ConstructSite): ts.FunctionLikeDeclaration | undefined {
    const { node, props } = site;
    if (!props) return undefined;
    const literal = unwrap(props);
    const deciding: ts.Node[] = !ts.isObjectLiteralExpression(literal)
      ? [literal]
      : literal.properties.filter(
          (property) =>
            ts.isSpreadAssignment(property) ||
            ((ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) && CODE_PROPS.has(propertyName(property.name) ?? '')),
        );
    if (deciding.length === 0) return undefined;
    for (let parent: ts.Node | undefined = node.parent; parent; parent = parent.parent) {
      if (!ts.isFunctionLike(parent) || !('body' in parent) || !parent.body) continue;
      const names = parameterNames(parent);
      if (names.size > 0 && deciding.some((part) => mentions(part, names))) return parent;
    }
    return undefined;
  }

  /** The Lambda constructs a wrapper builds from its parameters. */
  private templatesOf(wrapper: ts.FunctionLikeDeclaration): ConstructSite[] {
    let templates = this.templateCache.get(wrapper);
    if (templates) return templates;
    templates = [];
    const visit = (node: ts.Node): void => {
      const site = ts.isNewExpression(node) || ts.isCallExpression(node) ? this.constructSite(node) : undefined;
      // A construct whose code its own file names runs that code whoever calls the wrapper.
      if (site && this.wrapperOf(site) === wrapper && this.functionFrom(site).codeFile === undefined) templates!.push(site);
      ts.forEachChild(node, visit);
    };
    visit(wrapper);
    this.templateCache.set(wrapper, templates);
    return templates;
  }

  /**
   * The functions one call of a wrapper declares: its constructs, read with the wrapper's
   * parameters bound to the call's arguments, each declared at the call. Only a function whose
   * code the call names is kept; when a method call could reach several wrappers (a factory
   * interface with two implementations), those that name no code are dropped too.
   */
  private instantiate(call: ts.NewExpression | ts.CallExpression, depth = 0): IacFunction[] {
    const wrappers = this.wrappersCalledBy(call);
    if (wrappers.length === 0) return [];
    const functions: IacFunction[] = [];
    const location = this.location(call);
    for (const { reader, declaration } of wrappers) {
      const templates = reader.templatesOf(declaration);
      const nested = depth < MAX_WRAPPER_DEPTH ? reader.nestedCallsOf(declaration) : [];
      if (templates.length === 0 && nested.length === 0) continue;
      const bound = reader.bind(declaration, call, this);
      // A wrapper calling a wrapper with its own parameters: the inner call's functions are this call's.
      for (const inner of nested) {
        for (const fn of bound.instantiate(inner, depth + 1)) {
          fn.source = { file: this.file, line: location.line };
          functions.push(fn);
        }
      }
      for (const template of templates) {
        const fn = bound.functionFrom(template);
        if (fn.codeFile === undefined) continue;
        bound.readFunctionProps(fn, template);
        fn.source = { file: this.file, line: location.line };
        delete fn.settingLines;
        functions.push(fn);
        this.project.origins.set(fn, template.node);
      }
    }
    return functions;
  }

  /** Calls inside a wrapper that hand on its parameters (`this.buildHandler(props)`, `new ApiFunction(this, id, props)`): maybe wrappers themselves. */
  private nestedCallsOf(wrapper: ts.FunctionLikeDeclaration): Array<ts.NewExpression | ts.CallExpression> {
    let calls = this.nestedCache.get(wrapper);
    if (calls) return calls;
    calls = [];
    // Set first: a wrapper that calls itself finds itself here empty.
    this.nestedCache.set(wrapper, calls);
    const names = parameterNames(wrapper);
    const visit = (node: ts.Node): void => {
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && !this.constructSite(node) && (node.arguments ?? []).some((arg) => mentions(arg, names))) {
        // A call that declares its functions where it is (its arguments name the code) is not read again for each outer
        // call. Reading it here records nothing: only what a file's read keeps replaces a wrapper's construct.
        if (this.wrappersCalledBy(node).length > 0 && this.instantiate(node).length === 0) calls!.push(node);
      }
      ts.forEachChild(node, visit);
    };
    if (names.size > 0 && wrapper.body) visit(wrapper.body);
    return calls;
  }

  /** The functions a call of a wrapper declares; the one it returns is bound like a construct (`const fn = new ApiFunction(...).function`). */
  private addInstances(call: ts.NewExpression | ts.CallExpression, functions: IacFunction[]): void {
    const instances = this.instantiate(call);
    if (instances.length === 0) return;
    functions.push(...instances);
    for (const fn of instances) {
      const template = this.project.origins.get(fn)!;
      this.project.instantiated.add(template);
      this.project.instances.set(fn, template);
    }
    const parent = call.parent;
    const binding = bindingName(ts.isPropertyAccessExpression(parent) && parent.expression === call ? parent : call);
    if (binding && instances.length === 1) this.functionBindings.set(binding, instances[0]!);
  }

  /** The wrappers a call may run: a function or class of this file or of a module it imports, or a method of a class there. */
  private wrappersCalledBy(call: ts.NewExpression | ts.CallExpression): Wrapper[] {
    const callee = unwrap(call.expression);
    const isNew = ts.isNewExpression(call);
    if (ts.isIdentifier(callee)) {
      const found = this.declarationOf(callee.text);
      const signature = found ? signatureOf(found.declaration, isNew) : undefined;
      return found && signature ? [{ reader: found.reader, declaration: signature }] : [];
    }
    if (isNew || !ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return [];
    const name = callee.name.text;
    if (callee.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const owner = enclosingClass(call);
      const method = owner?.members.find((member) => ts.isMethodDeclaration(member) && member.body && propertyName(member.name) === name);
      return method ? [{ reader: this, declaration: method as ts.MethodDeclaration }] : [];
    }
    const receiver = unwrap(callee.expression);
    const namespace = ts.isIdentifier(receiver) ? this.localImports.get(receiver.text) : undefined;
    if (namespace?.name === '*') {
      const module = this.importedReader(namespace.specifier);
      const found = module?.exported(name);
      const signature = found ? signatureOf(found.declaration, false) : undefined;
      return found && signature ? [{ reader: found.reader, declaration: signature }] : [];
    }
    return this.methodWrappers().get(name) ?? [];
  }

  /** The function or class a name of this file stands for: declared here, or imported from a module of the project. */
  private declarationOf(name: string, depth = 0): { reader: CdkFileReader; declaration: ts.FunctionLikeDeclaration | ts.ClassLikeDeclaration } | undefined {
    const local = this.declarations.get(name);
    if (local) return { reader: this, declaration: local };
    const imported = this.localImports.get(name);
    if (!imported || imported.name === '*' || depth > 8) return undefined;
    return this.importedReader(imported.specifier)?.exported(imported.name, depth + 1);
  }

  /** What a module exports under a name (`default` for its default export). */
  private exported(name: string, depth = 0): { reader: CdkFileReader; declaration: ts.FunctionLikeDeclaration | ts.ClassLikeDeclaration } | undefined {
    if (name === 'default') {
      for (const statement of this.source.statements) {
        if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) {
          return { reader: this, declaration: statement };
        }
        if (ts.isExportAssignment(statement) && !statement.isExportEquals && ts.isIdentifier(statement.expression)) {
          return this.declarationOf(statement.expression.text, depth + 1);
        }
      }
      return undefined;
    }
    return this.declarationOf(name, depth + 1);
  }

  /** The reader of a module a relative import names (`./x`, `./x.js` for `x.ts`, `./dir` for `dir/index.ts`). */
  private importedReader(specifier: string): CdkFileReader | undefined {
    const base = path.resolve(this.dir, specifier);
    const stem = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
    const candidates = [base, ...[stem, path.join(base, 'index')].flatMap((start) => MODULE_EXTENSIONS.map((extension) => start + extension))];
    const file = candidates.find((candidate) => CDK_SOURCE.test(candidate) && this.ctx.fileExists(candidate));
    return file ? this.project.reader(file) : undefined;
  }

  /** Methods that are wrappers, by name, in the classes of this file and of the project modules it imports. */
  private methodWrappers(): Map<string, Wrapper[]> {
    if (this.methodWrappersCache) return this.methodWrappersCache;
    const byName = new Map<string, Wrapper[]>();
    const readers = new Set<CdkFileReader>([this]);
    for (const { specifier } of this.localImports.values()) {
      const reader = this.importedReader(specifier);
      if (reader) readers.add(reader);
    }
    for (const reader of readers) {
      const visit = (node: ts.Node): void => {
        if (ts.isMethodDeclaration(node) && node.body && reader.templatesOf(node).length > 0) {
          const name = propertyName(node.name);
          if (name !== undefined) {
            let list = byName.get(name);
            if (!list) byName.set(name, (list = []));
            list.push({ reader, declaration: node });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(reader.source);
    }
    this.methodWrappersCache = byName;
    return byName;
  }

  // --- declarations -------------------------------------------------------------------------

  private collectDeclarations(root: ts.Node): void {
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        this.recordImport(node);
        this.recordLocalImport(node);
      } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
        this.recordDeclaration(node.name.text, node);
      } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
        const module = moduleKey(node.moduleReference.expression);
        if (module) this.imports.set(node.name.text, `ns:${module}`);
      } else if (ts.isVariableDeclaration(node)) {
        this.recordVariable(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
  }

  private recordDeclaration(name: string, node: ts.FunctionLikeDeclaration | ts.ClassLikeDeclaration): void {
    this.declarations.set(name, this.declarations.has(name) ? null : node);
  }

  /** Imports of the project's own modules (`./constructs/api-function`), for the wrappers they may export. */
  private recordLocalImport(node: ts.ImportDeclaration): void {
    const specifier = (node.moduleSpecifier as ts.StringLiteral).text;
    const clause = node.importClause;
    if (!specifier.startsWith('.') || !clause || clause.isTypeOnly) return;
    if (clause.name) this.localImports.set(clause.name.text, { specifier, name: 'default' });
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) this.localImports.set(bindings.name.text, { specifier, name: '*' });
    else if (bindings) {
      for (const element of bindings.elements) {
        if (!element.isTypeOnly) this.localImports.set(element.name.text, { specifier, name: (element.propertyName ?? element.name).text });
      }
    }
  }

  private recordImport(node: ts.ImportDeclaration): void {
    const module = moduleKey(node.moduleSpecifier);
    const clause = node.importClause;
    if (!module || !clause) return;
    if (clause.name) this.imports.set(clause.name.text, `ns:${module}`); // default import (`import path from 'path'`)
    const bindings = clause.namedBindings;
    if (!bindings) return;
    if (ts.isNamespaceImport(bindings)) {
      this.imports.set(bindings.name.text, `ns:${module}`);
    } else {
      for (const element of bindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        this.imports.set(element.name.text, this.member(`ns:${module}`, imported));
      }
    }
  }

  private recordVariable(node: ts.VariableDeclaration): void {
    const initializer = node.initializer;
    // `const lambda = require('aws-cdk-lib/aws-lambda')` and `const { Function } = require(...)`.
    const required = initializer ? requiredModule(initializer) : undefined;
    if (required) {
      if (ts.isIdentifier(node.name)) {
        this.imports.set(node.name.text, `ns:${required}`);
      } else if (ts.isObjectBindingPattern(node.name)) {
        for (const element of node.name.elements) {
          if (!ts.isIdentifier(element.name)) continue;
          const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
          this.imports.set(element.name.text, this.member(`ns:${required}`, imported));
        }
      }
      return;
    }
    const list = node.parent;
    if (!ts.isIdentifier(node.name) || !initializer || !ts.isVariableDeclarationList(list)) return;
    if (!(list.flags & ts.NodeFlags.Const)) return;
    const name = node.name.text;
    this.consts.set(name, this.consts.has(name) ? null : initializer);
    const value = unwrap(initializer);
    if (ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isClassExpression(value)) this.recordDeclaration(name, value);
  }

  /** `ns:cdk` + `aws_lambda` -> `ns:lambda`; `ns:lambda` + `Function` -> `lambda.Function`; `lambda.Runtime` + `X` -> `lambda.Runtime.X`. */
  private member(qualified: string, name: string): string {
    if (qualified.startsWith('ns:')) {
      const module = qualified.slice(3);
      if (module === 'cdk' && CDK_NAMESPACES[name]) return `ns:${CDK_NAMESPACES[name]}`;
      return `${module}.${name}`;
    }
    return `${qualified}.${name}`;
  }

  /** The qualified name of an import-rooted expression (`lambda.Runtime.NODEJS_22_X` -> `lambda.Runtime.NODEJS_22_X`). */
  private qualify(expression: ts.Expression, depth = 0): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrap(expression);
    const owner = this.on(node);
    if (owner !== this) return owner.qualify(node, depth + 1);
    if (ts.isIdentifier(node)) {
      const bound = this.boundValue(node);
      if (bound) return bound === node ? undefined : this.qualify(bound, depth + 1);
      const imported = this.imports.get(node.text);
      if (imported) return imported;
      const constant = this.consts.get(node.text);
      return constant ? this.qualify(constant, depth + 1) : undefined;
    }
    if (ts.isPropertyAccessExpression(node)) {
      const left = this.qualify(node.expression, depth + 1);
      return left === undefined ? undefined : this.member(left, node.name.text);
    }
    return undefined;
  }

  /**
   * Follows identifiers bound to unique `const`s to their initializer, a wrapper's parameters to
   * what the call passes, and `obj.key` on an object literal to the property's value.
   */
  private deref(expression: ts.Expression, depth = 0): ts.Expression {
    let node = unwrap(expression);
    const owner = this.on(node);
    if (owner !== this) return owner.deref(node, depth + 1);
    for (; depth < MAX_DEPTH; depth++) {
      if (ts.isIdentifier(node)) {
        const bound = this.boundValue(node);
        if (bound) return bound === node ? node : this.deref(bound, depth + 1);
        const constant = this.consts.get(node.text);
        if (!constant) break;
        node = unwrap(constant);
      } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
        const object = this.deref(node.expression, depth + 1);
        if (!ts.isObjectLiteralExpression(object)) break;
        const value = this.on(object)
          .properties(object, depth + 1)
          .get(node.name.text);
        return value ? this.deref(value, depth + 1) : node;
      } else {
        break;
      }
    }
    return node;
  }

  // --- functions ----------------------------------------------------------------------------

  /**
   * A `new` or call that builds a Lambda function: a function construct (`new lambda.Function(scope,
   * id, props)`), an AWS Solutions Constructs pattern given `lambdaFunctionProps` (`new
   * ApiGatewayToLambda(scope, id, { lambdaFunctionProps })`, not `existingLambdaObj`) or its
   * `buildLambdaFunction(scope, { lambdaFunctionProps })`.
   */
  private constructSite(node: ts.NewExpression | ts.CallExpression): ConstructSite | undefined {
    const qualified = this.qualify(node.expression);
    if (!qualified) return undefined;
    const args = node.arguments ?? [];
    const construct = ts.isNewExpression(node) ? FUNCTION_CONSTRUCTS[qualified] : undefined;
    if (construct) return { node, construct, idArg: args[1], props: args[2] };
    if (!qualified.startsWith('solutions.')) return undefined;
    const isBuild = qualified === 'solutions.buildLambdaFunction';
    if (!isBuild && !ts.isNewExpression(node)) return undefined;
    const options = args[isBuild ? 1 : 2];
    const props = options ? this.properties(options).get('lambdaFunctionProps') : undefined;
    return props ? { node, construct: 'function', idArg: isBuild ? undefined : args[1], props } : undefined;
  }

  private functionFrom(site: ConstructSite): IacFunction {
    const { node, construct, idArg } = site;
    const idValue = idArg ? this.evaluate(idArg) : undefined;
    const logicalId = typeof idValue === 'string' ? idValue : idArg ? this.text(idArg) : (bindingName(node)?.replace(/^this\./, '') ?? 'LambdaFunction');
    const line = this.source.getLineAndCharacterOfPosition(node.getStart(this.source)).line + 1;
    const fn: IacFunction = { logicalId, kind: 'cdk', source: { file: this.file, line } };
    const props = site.props ? this.properties(site.props) : new Map<string, ts.Expression>();

    const runtimeExpr = props.get('runtime');
    const runtime = runtimeExpr ? this.runtime(runtimeExpr) : undefined;
    if (runtime !== undefined) fn.runtime = runtime;
    const memory = props.get('memorySize');
    const timeout = props.get('timeout');
    assignNumbers(fn, numberOrUndefined(memory && this.evaluate(memory)), numberOrUndefined(timeout && this.evaluate(timeout)));
    const layers = props.get('layers');
    if (layers) {
      const list = this.deref(layers);
      if (ts.isArrayLiteralExpression(list)) fn.layers = list.elements.map((element) => this.layerText(element));
    }
    const unknown: NonNullable<IacFunction['unknownSettings']> = [];
    // `Runtime.FROM_IMAGE`: the image brings its runtime, nothing is unknown.
    if (runtimeExpr && runtime === undefined && this.qualify(runtimeExpr) !== 'lambda.Runtime.FROM_IMAGE') unknown.push('runtime');
    if (memory && fn.memorySize === undefined) unknown.push('memorySize');
    if (timeout && fn.timeout === undefined) unknown.push('timeout');
    if (unknown.length > 0) fn.unknownSettings = unknown;
    const lines: NonNullable<IacFunction['settingLines']> = {};
    for (const [name, expression] of [
      ['runtime', runtimeExpr],
      ['memorySize', memory],
      ['layers', layers],
    ] as const) {
      if (expression) lines[name] = this.location(expression.parent ?? expression).line;
    }
    if (Object.keys(lines).length > 0) fn.settingLines = lines;

    const handlerExpr = props.get('handler');
    const handlerValue = handlerExpr ? this.evaluate(handlerExpr) : undefined;
    const handler = typeof handlerValue === 'string' ? handlerValue : undefined;
    if (handler !== undefined) fn.handler = handler;

    const codeExpr = props.get('code');
    const image = codeExpr ? this.imageAsset(codeExpr) : undefined;
    if (image) {
      applyImageHandler(fn, image, this.ctx);
    } else if (construct === 'function') {
      const inline = codeExpr ? this.inlineCodeCall(codeExpr) : undefined;
      const codeRoot = codeExpr ? this.assetPath(codeExpr) : undefined;
      const resolved = resolveHandler({ handler, codeRoot, runtime, fileExists: this.ctx.fileExists });
      if (resolved.codeFile !== undefined) fn.codeFile = resolved.codeFile;
      if (resolved.exportName !== undefined) fn.exportName = resolved.exportName;
      if (inline) this.readInlineCode(fn, inline.arguments?.[0]);
    } else if (construct === 'nodejs') {
      // NodejsFunction: `handler` is the export (default `handler`); `entry` defaults to `<stack file>.<id>.ts|js|...`.
      if (handlerExpr === undefined || handler !== undefined) fn.exportName = lastSegment(handler ?? 'handler');
      const entryExpr = props.get('entry');
      if (entryExpr) {
        const entry = this.evaluatePath(entryExpr);
        if (entry !== undefined && this.ctx.fileExists(entry)) fn.codeFile = entry;
      } else if (typeof idValue === 'string') {
        const base = path.join(this.dir, `${path.basename(this.file).replace(/\.[^.]+$/, '')}.${idValue}`);
        const codeFile = NODE_EXTENSIONS.map((extension) => base + extension).find((candidate) => this.ctx.fileExists(candidate));
        if (codeFile) fn.codeFile = codeFile;
      }
    } else {
      // PythonFunction: `entry` is a directory, `index` defaults to `index.py`, `handler` to `handler`.
      if (handlerExpr === undefined || handler !== undefined) fn.exportName = handler ?? 'handler';
      const entryExpr = props.get('entry');
      const entry = entryExpr ? this.evaluatePath(entryExpr) : undefined;
      const indexExpr = props.get('index');
      const index = indexExpr ? this.evaluate(indexExpr) : 'index.py';
      if (entry !== undefined && typeof index === 'string') {
        const codeFile = path.resolve(entry, index);
        if (this.ctx.fileExists(codeFile)) fn.codeFile = codeFile;
      }
    }
    return fn;
  }

  /** The properties of an object literal (following `const` references and `...spread`s of them). */
  private properties(expression: ts.Expression, depth = 0): Map<string, ts.Expression> {
    const result = new Map<string, ts.Expression>();
    const node = this.deref(expression, depth);
    if (depth > MAX_DEPTH || !ts.isObjectLiteralExpression(node)) return result;
    const owner = this.on(node);
    if (owner !== this) return owner.properties(node, depth + 1);
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property)) {
        const name = propertyName(property.name);
        if (name !== undefined) result.set(name, property.initializer);
      } else if (ts.isShorthandPropertyAssignment(property)) {
        result.set(property.name.text, property.name);
      } else if (ts.isSpreadAssignment(property)) {
        for (const [name, value] of this.properties(property.expression, depth + 1)) result.set(name, value);
      }
    }
    return result;
  }

  private runtime(expression: ts.Expression): string | undefined {
    const node = this.deref(expression);
    if (ts.isNewExpression(node) && this.qualify(node.expression) === 'lambda.Runtime' && node.arguments?.[0]) {
      const name = this.evaluate(node.arguments[0]);
      return typeof name === 'string' ? name : undefined;
    }
    const qualified = this.qualify(node);
    const match = qualified ? /^lambda\.Runtime\.([A-Z0-9_]+)$/.exec(qualified) : null;
    return match ? runtimeName(match[1]!) : undefined;
  }

  /**
   * The build of `DockerImageCode.fromImageAsset(dir, { cmd, file })` (`DockerImageFunction`) or
   * `Code.fromAssetImage(dir, { cmd, file })` (`Function` with `Handler.FROM_IMAGE`); `file` is
   * relative to `dir`.
   */
  private imageAsset(expression: ts.Expression): ImageSource | undefined {
    const node = this.deref(expression);
    if (!ts.isCallExpression(node)) return undefined;
    const qualified = this.qualify(node.expression);
    if (
      qualified !== 'lambda.DockerImageCode.fromImageAsset' &&
      qualified !== 'lambda.Code.fromAssetImage' &&
      qualified !== 'lambda.AssetImageCode.fromAssetImage'
    ) {
      return undefined;
    }
    const source: ImageSource = {};
    const dir = node.arguments[0] ? this.evaluatePath(node.arguments[0]) : undefined;
    if (dir === undefined) return source;
    source.context = dir;
    const options = node.arguments[1] ? this.properties(node.arguments[1]) : new Map<string, ts.Expression>();
    const file = options.get('file');
    const fileValue = file ? this.evaluate(file) : undefined;
    if (typeof fileValue === 'string') source.dockerfile = path.resolve(dir, fileValue);
    const cmd = options.get('cmd');
    const list = cmd ? this.deref(cmd) : undefined;
    const first = list && ts.isArrayLiteralExpression(list) && list.elements[0] ? this.evaluate(list.elements[0]) : undefined;
    if (typeof first === 'string') source.command = first;
    return source;
  }

  /** The directory of `Code.fromAsset(<path>)` / `new AssetCode(<path>)`. */
  /** `Code.fromInline('…')`, `new InlineCode('…')`: the code is a string of the app. */
  private inlineCodeCall(expression: ts.Expression): ts.CallExpression | ts.NewExpression | undefined {
    const node = this.deref(expression);
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return undefined;
    const qualified = this.qualify(node.expression);
    const inline =
      qualified === 'lambda.Code.fromInline' ||
      qualified === 'lambda.InlineCode.fromInline' ||
      qualified === 'lambda.Code.inline' ||
      (ts.isNewExpression(node) && qualified === 'lambda.InlineCode');
    return inline ? node : undefined;
  }

  /**
   * The text of inline code, for the scan to analyse as a virtual source: a string or a template
   * literal without substitutions, mapped line by line to this file. `fs.readFileSync(<path>)` of a
   * file of the project makes that file the handler's code file. Anything else is not read.
   */
  private readInlineCode(fn: IacFunction, argument: ts.Expression | undefined): void {
    fn.inlineCode = 'Code.fromInline';
    const node = argument ? this.deref(unwrap(argument)) : undefined;
    if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
      const start = this.source.getLineAndCharacterOfPosition(node.getStart(this.source));
      const raw = this.text(node).slice(1, -1);
      const count = node.text.split('\n').length;
      // Escapes (`\n` in a quoted string) make the text's lines differ from the file's: then only the start is known.
      const exact = raw === node.text;
      const lines = Array.from({ length: count }, (_, i) =>
        exact
          ? { line: start.line + 1 + i, column: i === 0 ? start.character + 2 : 1 }
          : { line: start.line + 1, column: start.character + 1, exact: false as const },
      );
      fn.inlineSource = { text: node.text, lines };
      return;
    }
    if (node && ts.isCallExpression(node) && /(^|\.)readFileSync$/.test(this.text(node.expression)) && node.arguments[0]) {
      const file = this.evaluatePath(node.arguments[0]);
      if (file !== undefined && this.ctx.fileExists(file) && isWithinDir(this.appRoot(), file)) {
        fn.codeFile = file;
        return;
      }
      fn.inlineProblem = 'a file read at synth time that is not a source file of the project';
      return;
    }
    fn.inlineProblem = 'an expression whose text is known only at synth time (a string or a template literal without `${…}` can be read)';
  }

  private assetPath(expression: ts.Expression): string | undefined {
    const node = this.deref(expression);
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return undefined;
    const qualified = this.qualify(node.expression);
    const isAsset =
      qualified === 'lambda.Code.fromAsset' ||
      qualified === 'lambda.AssetCode.fromAsset' ||
      qualified === 'lambda.Code.asset' ||
      (ts.isNewExpression(node) && qualified === 'lambda.AssetCode');
    const arg = node.arguments?.[0];
    if (!arg) return undefined;
    if (isAsset) return this.evaluatePath(arg);
    // A helper of the project around `Code.fromAsset` (`shared.bundleWithLambdaAsset(path.join(__dirname, 'fn'))`):
    // its path argument is the code's directory only if the handler's file is there (resolveHandler checks).
    return qualified?.startsWith('lambda.') ? undefined : this.evaluatePath(arg);
  }

  private layerText(element: ts.Expression): string {
    const node = this.deref(element);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      if (/^fromLayerVersion(Arn|Attributes)$/.test(method)) {
        const arn = node.arguments[2] ? this.evaluate(node.arguments[2]) : undefined;
        if (typeof arn === 'string') return arn;
      }
    }
    const value = this.evaluate(element);
    return typeof value === 'string' ? value : this.text(element);
  }

  // --- capacity providers -------------------------------------------------------------------

  private applyCapacityProvider(call: ts.CallExpression): void {
    const target = call.arguments[0];
    if (!target) return;
    const key = expressionKey(unwrap(target));
    const fn = key ? this.functionBindings.get(key) : undefined;
    if (!fn) return;
    const receiver = (call.expression as ts.PropertyAccessExpression).expression;
    const options = call.arguments[1] ? this.properties(call.arguments[1]) : new Map<string, ts.Expression>();
    const concurrency = options.get('perExecutionEnvironmentMaxConcurrency');
    const memory = options.get('executionEnvironmentMemoryGiBPerVCpu');
    fn.lmi = lmiConfig(
      this.capacityProviderName(receiver),
      numberOrUndefined(concurrency && this.evaluate(concurrency)),
      numberOrUndefined(memory && this.evaluate(memory)),
    );
    fn.settingLines = { ...fn.settingLines, capacityProvider: this.location(call).line };
  }

  /** The construct id of `new CapacityProvider(scope, 'Id')`, the ARN/name of `CapacityProvider.from*(...)`, else the source text. */
  private capacityProviderName(receiver: ts.Expression): string {
    const key = expressionKey(unwrap(receiver));
    const bound = key ? this.boundInitializer(key) : undefined;
    const node = bound ? unwrap(bound) : this.deref(receiver);
    if (ts.isNewExpression(node) && this.qualify(node.expression) === 'lambda.CapacityProvider') {
      const id = node.arguments?.[1] ? this.evaluate(node.arguments[1]) : undefined;
      if (typeof id === 'string') return id;
    }
    if (ts.isCallExpression(node) && this.qualify(node.expression)?.startsWith('lambda.CapacityProvider.from')) {
      const ref = node.arguments[2] ? this.evaluate(node.arguments[2]) : undefined;
      if (typeof ref === 'string') return ref;
    }
    return this.text(receiver);
  }

  /** The initializer of the variable or `this.x` assignment named `key` (the last one in the file). */
  private boundInitializer(key: string): ts.Expression | undefined {
    let found: ts.Expression | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === key && node.initializer) {
        found = node.initializer;
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && expressionKey(node.left) === key) {
        found = node.right;
      } else if (ts.isPropertyDeclaration(node) && node.initializer && `this.${propertyName(node.name)}` === key) {
        found = node.initializer;
      }
      ts.forEachChild(node, visit);
    };
    visit(this.source);
    return found;
  }

  // --- static evaluation --------------------------------------------------------------------

  private evaluatePath(expression: ts.Expression): string | undefined {
    const owner = this.on(expression);
    if (owner !== this) return owner.evaluatePath(expression);
    const value = this.evaluate(expression);
    return typeof value === 'string' && value.length > 0 ? path.resolve(this.appRoot(), value) : undefined;
  }

  evaluate(expression: ts.Expression, depth = 0): Value {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrap(expression);
    const owner = this.on(node);
    if (owner !== this) return owner.evaluate(node, depth + 1);
    const next = (child: ts.Expression): Value => this.evaluate(child, depth + 1);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (ts.isTemplateExpression(node)) {
      let text = node.head.text;
      for (const span of node.templateSpans) {
        const value = next(span.expression);
        if (value === undefined) return undefined;
        text += String(value) + span.literal.text;
      }
      return text;
    }
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
      const value = next(node.operand);
      return typeof value === 'number' ? -value : undefined;
    }
    if (ts.isBinaryExpression(node)) return this.binary(node, next);
    if (ts.isIdentifier(node)) {
      const bound = this.boundValue(node);
      if (bound) return bound === node ? undefined : next(bound);
      const constant = this.consts.get(node.text);
      if (constant) return next(constant);
      if (constant === undefined && node.text === '__dirname') return this.dir;
      if (constant === undefined && node.text === '__filename') return this.file;
      return undefined;
    }
    if (ts.isPropertyAccessExpression(node)) {
      if (ts.isMetaProperty(node.expression) && node.expression.keywordToken === ts.SyntaxKind.ImportKeyword) {
        if (node.name.text === 'dirname') return this.dir;
        if (node.name.text === 'filename') return this.file;
        if (node.name.text === 'url') return pathToFileURL(this.file).href;
      }
      const value = this.deref(node);
      return value === node ? undefined : next(value);
    }
    if (ts.isNewExpression(node)) {
      // `new URL('../src', import.meta.url)`
      if (ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments?.length === 2) {
        const [relative, base] = node.arguments.map(next);
        if (typeof relative !== 'string' || typeof base !== 'string') return undefined;
        try {
          return new URL(relative, base).href;
        } catch {
          return undefined;
        }
      }
      return undefined;
    }
    if (ts.isCallExpression(node)) return this.call(node, next);
    return undefined;
  }

  private binary(node: ts.BinaryExpression, next: (child: ts.Expression) => Value): Value {
    const left = next(node.left);
    const right = next(node.right);
    if (left === undefined || right === undefined) return undefined;
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken:
        return typeof left === 'number' && typeof right === 'number' ? left + right : String(left) + String(right);
      case ts.SyntaxKind.AsteriskToken:
        return typeof left === 'number' && typeof right === 'number' ? left * right : undefined;
      case ts.SyntaxKind.MinusToken:
        return typeof left === 'number' && typeof right === 'number' ? left - right : undefined;
      case ts.SyntaxKind.SlashToken:
        return typeof left === 'number' && typeof right === 'number' && right !== 0 ? left / right : undefined;
      default:
        return undefined;
    }
  }

  private call(node: ts.CallExpression, next: (child: ts.Expression) => Value): Value {
    // `process.cwd() + '/../src'`: `cdk synth` runs the app in the directory of its cdk.json.
    if (isProcessCwd(node) && !this.consts.has('process')) return this.appRoot();
    const qualified = this.qualify(node.expression);
    if (!qualified) return undefined;
    const args = node.arguments.map((arg) => (ts.isSpreadElement(arg) ? undefined : next(arg)));
    const strings = args.every((arg): arg is string => typeof arg === 'string') ? (args as string[]) : undefined;
    const number = typeof args[0] === 'number' ? args[0] : undefined;
    switch (qualified) {
      case 'path.join':
      case 'path.posix.join':
        return strings && strings.length > 0 ? path.join(...strings) : undefined;
      case 'path.resolve':
      case 'path.posix.resolve':
        return strings ? path.resolve(this.appRoot(), ...strings) : undefined;
      case 'path.dirname':
        return strings && strings.length === 1 ? path.dirname(strings[0]!) : undefined;
      case 'path.normalize':
        return strings && strings.length === 1 ? path.normalize(strings[0]!) : undefined;
      case 'url.fileURLToPath':
        if (strings && strings.length === 1) {
          try {
            return fileURLToPath(strings[0]!);
          } catch {
            return undefined;
          }
        }
        return undefined;
    }
    if (number === undefined) return undefined;
    const scale: Record<string, number> = {
      'cdk.Duration.millis': 1 / 1000,
      'cdk.Duration.seconds': 1,
      'cdk.Duration.minutes': 60,
      'cdk.Duration.hours': 3600,
      'cdk.Duration.days': 86400,
      'cdk.Size.kibibytes': 1 / 1024,
      'cdk.Size.mebibytes': 1,
      'cdk.Size.gibibytes': 1024,
    };
    return scale[qualified] !== undefined ? number * scale[qualified] : undefined;
  }

  /** The directory `cdk synth` runs in (relative asset paths are relative to it): the nearest `cdk.json`, else `package.json`, else the file's directory. */
  private appRoot(): string {
    if (this.appRootCache !== undefined) return this.appRootCache;
    this.appRootCache = findUp(this.dir, 'cdk.json') ?? findUp(this.dir, 'package.json') ?? this.dir;
    return this.appRootCache;
  }
}

function isProcessCwd(node: ts.CallExpression): boolean {
  const callee = node.expression;
  return (
    node.arguments.length === 0 &&
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 'cwd' &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'process'
  );
}

function findUp(start: string, name: string): string | undefined {
  let dir = start;
  for (let i = 0; i < 30; i++) {
    if (fs.existsSync(path.join(dir, name))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function moduleKey(specifier: ts.Expression): string | undefined {
  if (!ts.isStringLiteral(specifier)) return undefined;
  return MODULES[specifier.text] ?? (specifier.text.startsWith(SOLUTIONS_CONSTRUCTS) ? 'solutions' : undefined);
}

function requiredModule(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1) {
    return moduleKey(node.arguments[0]!);
  }
  return undefined;
}

/** Strips parentheses, `as`, `satisfies`, `!` and `<T>` casts. */
function unwrap(expression: ts.Expression): ts.Expression {
  let node = expression;
  for (;;) {
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isNonNullExpression(node) ||
      ts.isTypeAssertionExpression(node) ||
      ts.isSatisfiesExpression(node)
    ) {
      node = node.expression;
    } else {
      return node;
    }
  }
}

/** `fn` or `this.fn` for an identifier or `this.<name>` access; otherwise undefined. */
function expressionKey(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${node.name.text}`;
  return undefined;
}

/** The name a `new` expression is bound to: `const fn = new ...`, `this.fn = new ...`, `fn = new ...`, or a class field. */
function bindingName(node: ts.Expression): string | undefined {
  let child: ts.Node = node;
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === child && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === child) {
    return expressionKey(parent.left);
  }
  if (ts.isPropertyDeclaration(parent) && parent.initializer === child) {
    const name = propertyName(parent.name);
    return name === undefined ? undefined : `this.${name}`;
  }
  return undefined;
}

/** What a wrapper's file wires to the construct inside it (event sources, failure handling, alarms, capacity provider) holds for each call's function too. */
function inheritWiring(instance: IacFunction, template: IacFunction): void {
  // An event source in the wrapper's props was read again, bound, for the call: the same place is the same source.
  const at = (event: IacEventSource) => `${event.source.file}:${event.source.line}:${event.source.column}`;
  const read = new Set((instance.events ?? []).map(at));
  for (const event of template.events ?? []) if (!read.has(at(event))) addEvent(instance, event);
  if (template.asyncConfig && !instance.asyncConfig) instance.asyncConfig = template.asyncConfig;
  if (template.deadLetterQueue !== undefined && instance.deadLetterQueue === undefined) instance.deadLetterQueue = template.deadLetterQueue;
  if (template.alarms) instance.alarms = [...(instance.alarms ?? []), ...template.alarms];
  if (template.lmi && !instance.lmi) instance.lmi = template.lmi;
}

/** The props of a Lambda construct that decide what it runs. */
const CODE_PROPS = new Set(['code', 'entry', 'handler', 'index', 'runtime']);

/** The extensions a relative import may leave out. */
const MODULE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The names a function's parameters bind (destructured ones included). */
function parameterNames(fn: ts.FunctionLikeDeclaration): Set<string> {
  const names = new Set<string>();
  const add = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) add(element.name);
  };
  for (const parameter of fn.parameters) add(parameter.name);
  return names;
}

/** Does an expression use one of these names as a value (not as a property name)? */
function mentions(root: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isKey = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!isKey && names.has(node.text)) found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** What runs when a declaration is called (`f()`) or constructed (`new C()`): a function, or a class's constructor. */
function signatureOf(declaration: ts.FunctionLikeDeclaration | ts.ClassLikeDeclaration, isNew: boolean): ts.FunctionLikeDeclaration | undefined {
  if (ts.isClassLike(declaration)) {
    if (!isNew) return undefined;
    return declaration.members.find((member): member is ts.ConstructorDeclaration => ts.isConstructorDeclaration(member) && member.body !== undefined);
  }
  return isNew || !declaration.body ? undefined : declaration;
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) if (ts.isClassLike(parent)) return parent;
  return undefined;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

export function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return undefined;
  if (ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

function numberOrUndefined(value: Value | '' | ts.Expression): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function isWithinDir(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function lastSegment(handler: string): string {
  const dot = handler.lastIndexOf('.');
  return dot < 0 ? handler : handler.slice(dot + 1);
}

/** `NODEJS_22_X` -> `nodejs22.x`, `PYTHON_3_13` -> `python3.13`, `JAVA_21` -> `java21`, `PROVIDED_AL2023` -> `provided.al2023`. */
function runtimeName(constant: string): string | undefined {
  let match = /^NODEJS_(\d+)_X$/.exec(constant);
  if (match) return `nodejs${match[1]}.x`;
  match = /^PYTHON_(\d+)_(\d+)$/.exec(constant);
  if (match) return `python${match[1]}.${match[2]}`;
  match = /^(JAVA|DOTNET)_(\d+)$/.exec(constant);
  if (match) return `${match[1]!.toLowerCase()}${match[2]}`;
  match = /^RUBY_(\d+)_(\d+)$/.exec(constant);
  if (match) return `ruby${match[1]}.${match[2]}`;
  match = /^PROVIDED(?:_(AL2|AL2023))?$/.exec(constant);
  if (match) return match[1] ? `provided.${match[1].toLowerCase()}` : 'provided';
  return undefined;
}

function scriptKind(file: string): ts.ScriptKind {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.tsx') return ts.ScriptKind.TSX;
  if (extension === '.jsx') return ts.ScriptKind.JSX;
  if (extension === '.js' || extension === '.mjs' || extension === '.cjs') return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
