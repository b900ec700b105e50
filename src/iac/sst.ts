/**
 * @fileoverview SST apps (https://sst.dev), read from their syntax tree (never run):
 * - v3 (`sst.config.ts` and the files it loads use the global `sst`): `new sst.aws.Function(name, args)`,
 *   `new sst.aws.Cron(name, { function | job })`, `api.route(key, handler)` of an
 *   `sst.aws.ApiGateway*`/`Router`, `.subscribe(…, handler)` of a queue, topic, bus or table, and
 *   `bucket.notify({ notifications: [{ function }] })`.
 * - v2 (constructs imported from `sst/constructs`): `new Function(stack, id, props)`, and the
 *   functions of `Api` routes, `Cron` jobs, `Queue` consumers, `Topic` subscribers, `Bucket`
 *   notifications, `EventBus` rule targets and `Table` consumers.
 *
 * A handler is a string (`packages/functions/src/list.main`) or an object with `handler`; its path is
 * relative to the app's root (the directory of `sst.config.ts`). Each route, job or subscriber is a
 * function of its own, as SST deploys it. Values are literals, or `const`s of this file naming them.
 */
import * as path from 'node:path';
import { ts } from '../ts.js';
import { unwrap as unwrapCasts } from '../lang/js/ast.js';
import { propertyName } from './cdk.js';
import { findAncestor, resolveHandler } from './handler-path.js';
import type { IacEventKind, IacFunction, InfrastructureReader, ReaderContext } from './types.js';

const SST_CONFIG = ['sst.config.ts', 'sst.config.mts', 'sst.config.js', 'sst.config.mjs'];
const V2_MODULE = 'sst/constructs';
const MENTIONS_SST = /\bsst\.aws\.|['"]sst\/constructs['"]/;

/** v2 constructs: where in their props a function definition sits, and what invokes it. */
const V2_CONSTRUCTS: Record<string, { paths: string[][]; kind?: IacEventKind }> = {
  Function: { paths: [[]] },
  Api: { paths: [['routes', '*']], kind: 'api' },
  ApiGatewayV1Api: { paths: [['routes', '*']], kind: 'api' },
  WebSocketApi: { paths: [['routes', '*']], kind: 'api' },
  Cron: { paths: [['job']], kind: 'schedule' },
  Queue: { paths: [['consumer']], kind: 'sqs' },
  Topic: { paths: [['subscribers', '*']], kind: 'sns' },
  Bucket: { paths: [['notifications', '*']], kind: 's3' },
  EventBus: { paths: [['rules', '*', 'targets', '*']], kind: 'eventbridge' },
  Table: { paths: [['consumers', '*']], kind: 'stream' },
};

/** v3 components whose method takes a function definition: the argument it sits in. */
const V3_METHODS: Record<string, { method: string; kind?: IacEventKind }> = {
  ApiGatewayV2: { method: 'route', kind: 'api' },
  ApiGatewayV1: { method: 'route', kind: 'api' },
  ApiGatewayWebSocket: { method: 'route', kind: 'api' },
  Queue: { method: 'subscribe', kind: 'sqs' },
  SnsTopic: { method: 'subscribe', kind: 'sns' },
  Bus: { method: 'subscribe', kind: 'eventbridge' },
  Dynamo: { method: 'subscribe', kind: 'stream' },
  KinesisStream: { method: 'subscribe', kind: 'stream' },
};

/**
 * Settings that handle failures (a dead-letter queue, an on-failure destination, retries) or that
 * rewrite what SST creates (`transform`): where one is written, the event's failure handling is not
 * known, so no event is recorded rather than one the backpressure checks would misjudge.
 */
const FAILURE_SETTINGS = /\b(dlq|deadLetter\w*|onFailure|retryAttempts|retries|maxRetries|transform|cdk)\b/;

export const sstReader: InfrastructureReader = {
  name: 'SST',
  reads: 'source',
  accepts: (_file, text) => MENTIONS_SST.test(text()),
  read: (file, ctx, text) => {
    const root = appRoot(path.dirname(file), ctx);
    return root === undefined ? [] : new SstFile(file, text(), root, ctx).read();
  },
};

/** The directory of the nearest `sst.config.*`: the root SST resolves handler paths against. */
function appRoot(start: string, ctx: ReaderContext): string | undefined {
  return findAncestor(start, (dir) => SST_CONFIG.some((name) => ctx.fileExists(path.join(dir, name))));
}

interface SstEvent {
  kind: IacEventKind;
  type: string;
  name?: string;
}

interface Definition {
  /** The handler string as written. */
  handler: string;
  /** The object literal that carries `handler` and the settings, when there is one. */
  props?: ts.ObjectLiteralExpression;
  node: ts.Node;
}

class SstFile {
  private readonly source: ts.SourceFile;
  /** Initializers by name; `null` for a name declared twice in the file (which one a use means is not known). */
  private readonly consts = new Map<string, ts.Expression | null>();
  /** Local names of the v2 constructs imported from `sst/constructs`. */
  private readonly v2 = new Map<string, string>();
  /** Consts holding a v3 component (`const api = new sst.aws.ApiGatewayV2(…)`), by name. */
  private readonly components = new Map<string, string>();
  private readonly functions: IacFunction[] = [];

  constructor(
    private readonly file: string,
    text: string,
    private readonly root: string,
    private readonly ctx: ReaderContext,
  ) {
    this.source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, /\.m?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  }

  read(): IacFunction[] {
    for (const statement of this.source.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === V2_MODULE) {
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) this.v2.set(element.name.text, (element.propertyName ?? element.name).text);
        }
      }
    }
    const collect = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        this.consts.set(node.name.text, this.consts.has(node.name.text) ? null : node.initializer);
        const component = this.v3Component(node.initializer);
        if (this.consts.get(node.name.text) === null) this.components.delete(node.name.text);
        else if (component) this.components.set(node.name.text, component);
      }
      ts.forEachChild(node, collect);
    };
    collect(this.source);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node)) this.onNew(node);
      else if (ts.isCallExpression(node)) this.onCall(node);
      ts.forEachChild(node, visit);
    };
    visit(this.source);
    return this.functions;
  }

  /** `new sst.aws.X(…)` (or `new sst.aws.X(…)` wrapped in `await`/parentheses): X. */
  private v3Component(expression: ts.Expression): string | undefined {
    const node = unwrap(expression);
    if (!ts.isNewExpression(node)) return undefined;
    const callee = node.expression;
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const owner = callee.expression;
    const isSstAws = ts.isPropertyAccessExpression(owner) && owner.name.text === 'aws' && ts.isIdentifier(owner.expression) && owner.expression.text === 'sst';
    return isSstAws ? callee.name.text : undefined;
  }

  private onNew(node: ts.NewExpression): void {
    const args = node.arguments ?? [];
    const v3 = this.v3Component(node);
    if (v3 === 'Function') {
      this.declare(this.definition(args[1]), this.name(args[0]));
    } else if (v3 === 'Cron') {
      const props = this.object(args[1]);
      const name = this.name(args[0]);
      this.declare(this.definition(props && (property(props, 'function') ?? property(props, 'job'))), name, this.event('schedule', name, 'sst.aws.Cron', node));
    } else if (ts.isIdentifier(node.expression) && this.v2.has(node.expression.text)) {
      const construct = V2_CONSTRUCTS[this.v2.get(node.expression.text)!];
      if (!construct) return;
      const id = this.name(args[1]);
      for (const at of construct.paths) {
        for (const { expression, key } of this.at(args[2], at)) {
          const definition = this.definition(expression);
          const name = key ?? id;
          this.declare(definition, name, construct.kind && this.event(construct.kind, name, this.v2.get(node.expression.text)!, node));
        }
      }
    }
  }

  /** `api.route("GET /notes", "src/list.main")`, `queue.subscribe("src/worker.handler")`, `bucket.notify({ notifications })`. */
  private onCall(node: ts.CallExpression): void {
    const callee = node.expression;
    if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return;
    const component = this.components.get(callee.expression.text);
    if (!component) return;
    const method = callee.name.text;
    if (component === 'Bucket' && method === 'notify') {
      for (const { expression } of this.at(node.arguments[0], ['notifications', '*'])) {
        const notification = this.object(expression);
        const name = this.name(notification && property(notification, 'name'));
        this.declare(this.definition(notification && property(notification, 'function')), name, this.event('s3', name, 'sst.aws.Bucket', node));
      }
      return;
    }
    const spec = V3_METHODS[component];
    if (!spec || spec.method !== method) return;
    // `route(key, handler)`; `subscribe(name, handler)`, or `subscribe(handler, args)` (Queue, and older components).
    const [first, second] = node.arguments;
    const definition = spec.method === 'route' ? this.definition(second) : (this.definition(second) ?? this.definition(first));
    const key = this.name(first);
    this.declare(definition, key, spec.kind && this.event(spec.kind, key, `sst.aws.${component}`, node));
  }

  /**
   * What invokes the function: the component's kind, named after the route, job or subscriber. None
   * when the call or its component's props write failure handling the reader does not model.
   */
  private event(kind: IacEventKind, name: string | undefined, type: string, node: ts.Node): SstEvent | undefined {
    if (kind !== 'api' && FAILURE_SETTINGS.test(node.getText(this.source))) return undefined;
    return { kind, type, ...(name !== undefined ? { name } : {}) };
  }

  /** The expressions at a property path of an object literal (`*`: every property, with its key). */
  private at(expression: ts.Expression | undefined, keys: string[]): { expression: ts.Expression; key?: string }[] {
    let current: { expression: ts.Expression; key?: string }[] = expression ? [{ expression }] : [];
    for (const key of keys) {
      const next: typeof current = [];
      for (const entry of current) {
        const value = this.deref(entry.expression);
        if (key === '*' && ts.isArrayLiteralExpression(value)) {
          for (const element of value.elements) next.push({ expression: element, ...(entry.key !== undefined ? { key: entry.key } : {}) });
          continue;
        }
        const object = this.object(value);
        if (!object) continue;
        for (const element of object.properties) {
          if (!ts.isPropertyAssignment(element)) continue;
          const name = propertyName(element.name);
          if (name === undefined || (key !== '*' && name !== key)) continue;
          next.push({ expression: element.initializer, ...(key === '*' ? { key: name } : entry.key !== undefined ? { key: entry.key } : {}) });
        }
      }
      current = next;
    }
    return current;
  }

  /** A function definition: a handler string, `{ handler, … }`, or `{ function: <definition> }`. */
  private definition(expression: ts.Expression | undefined, depth = 0): Definition | undefined {
    if (!expression || depth > 4) return undefined;
    const value = this.deref(expression);
    const text = this.string(value);
    if (text !== undefined) return isHandlerPath(text) ? { handler: text, node: value } : undefined;
    const object = this.object(value);
    if (!object) return undefined;
    const handler = this.string(property(object, 'handler'));
    if (handler !== undefined && isHandlerPath(handler)) return { handler, props: object, node: property(object, 'handler')! };
    return this.definition(property(object, 'function'), depth + 1);
  }

  private declare(definition: Definition | undefined, name: string | undefined, event?: SstEvent): void {
    if (!definition) return;
    const settings = definition.props;
    const runtime = this.string(settings && property(settings, 'runtime'));
    const line = this.source.getLineAndCharacterOfPosition(definition.node.getStart(this.source)).line + 1;
    const fn: IacFunction = { logicalId: name ?? definition.handler, kind: 'sst', source: { file: this.file, line }, handler: definition.handler };
    if (runtime !== undefined) fn.runtime = runtime;
    const memory = settings && (property(settings, 'memory') ?? property(settings, 'memorySize'));
    const timeout = settings && property(settings, 'timeout');
    const memorySize = memory && megabytes(this.literal(memory));
    const seconds = timeout && duration(this.literal(timeout));
    if (memorySize !== undefined) fn.memorySize = memorySize;
    if (seconds !== undefined) fn.timeout = seconds;
    const unknown: NonNullable<IacFunction['unknownSettings']> = [];
    if (memory && memorySize === undefined) unknown.push('memorySize');
    if (timeout && seconds === undefined) unknown.push('timeout');
    if (settings && property(settings, 'runtime') && runtime === undefined) unknown.push('runtime');
    if (unknown.length > 0) fn.unknownSettings = unknown;
    const resolved = resolveHandler({ handler: definition.handler, codeRoot: this.root, ...(runtime ? { runtime } : {}), fileExists: this.ctx.fileExists });
    if (resolved.codeFile !== undefined) fn.codeFile = resolved.codeFile;
    if (resolved.exportName !== undefined) fn.exportName = resolved.exportName;
    if (event) fn.events = [{ ...event, source: { file: this.file, line } }];
    this.functions.push(fn);
  }

  private deref(expression: ts.Expression, depth = 0): ts.Expression {
    const node = unwrap(expression);
    if (ts.isIdentifier(node) && depth < 8) {
      const value = this.consts.get(node.text);
      if (value) return this.deref(value, depth + 1);
    }
    return node;
  }

  private object(expression: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
    const node = expression && this.deref(expression);
    return node && ts.isObjectLiteralExpression(node) ? node : undefined;
  }

  private string(expression: ts.Expression | undefined): string | undefined {
    const value = expression && this.literal(expression);
    return typeof value === 'string' ? value : undefined;
  }

  private literal(expression: ts.Expression): string | number | undefined {
    const node = this.deref(expression);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    return undefined;
  }

  private name(expression: ts.Expression | undefined): string | undefined {
    return this.string(expression);
  }
}

/** `src/list.main`: a module path and an export (a subscriber's name or an ARN is none). */
function isHandlerPath(text: string): boolean {
  return /^[^:\s]*\.[A-Za-z_$][\w$]*$/.test(text);
}

/** `unwrap` (parentheses, casts, `!`), and `await`. */
function unwrap(expression: ts.Expression): ts.Expression {
  let node = unwrapCasts(expression);
  while (ts.isAwaitExpression(node)) node = unwrapCasts(node.expression);
  return node;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const element of object.properties) {
    if (ts.isPropertyAssignment(element) && propertyName(element.name) === name) return element.initializer;
    if (ts.isShorthandPropertyAssignment(element) && element.name.text === name) return element.name;
  }
  return undefined;
}

/** `1024`, `"1024 MB"`, `"2 GB"` (SST's sizes) in MB. */
function megabytes(value: string | number | undefined): number | undefined {
  if (typeof value === 'number') return value;
  const match = value !== undefined ? /^\s*(\d+(?:\.\d+)?)\s*(MB|GB)\s*$/i.exec(value) : null;
  if (!match) return undefined;
  return Number(match[1]) * (match[2]!.toUpperCase() === 'GB' ? 1024 : 1);
}

/** `10`, `"10 seconds"`, `"1 minute"` (SST's durations) in seconds. */
function duration(value: string | number | undefined): number | undefined {
  if (typeof value === 'number') return value;
  const match = value !== undefined ? /^\s*(\d+(?:\.\d+)?)\s*(second|minute|hour)s?\s*$/i.exec(value) : null;
  if (!match) return undefined;
  const scale = { second: 1, minute: 60, hour: 3600 }[match[2]!.toLowerCase() as 'second' | 'minute' | 'hour'];
  return Number(match[1]) * scale;
}
