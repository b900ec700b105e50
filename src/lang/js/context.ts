/**
 * @fileoverview What the JavaScript/TypeScript front-end tells rule visitors about the node they
 * are looking at, and the shape of a rule's visitors.
 */
import type { ts } from '../../ts.js';
import type { Loc, PathValue, Ref } from '../../core/summary.js';

export interface LocalBinding {
  name: string;
  /** Declared at module level: shared by every invocation of every handler that reaches it. */
  module: boolean;
  kind: 'param' | 'let' | 'const' | 'var' | 'function' | 'class' | 'import' | 'catch';
  /** Holds per-request data (a parameter, or a value derived from one or from an `await`). */
  tainted: boolean;
  /** Where that data comes from (set whenever `tainted` is). */
  taint?: TaintSources;
  /** The initializer, for constant folding of paths. */
  init?: ts.Expression;
  /** The binding came out of a destructuring pattern (`init` is the whole destructured value). */
  destructured?: boolean;
  param?: { fn: number; index: number };
  /** A local that stands for a module-level binding or an import (`const s = state`, `const m = require('./m')`). */
  alias?: Ref;
  /**
   * A local instance of a module-level or imported class (`const s = new Service()`): its method
   * calls run that class's methods. Not an alias: its fields are the instance's own, not shared.
   */
  instanceOf?: Ref;
}

/**
 * Where a per-invocation value comes from. Only parameters that receive the invocation's event or
 * context carry request data; an awaited result (an SDK call, `fetch`, SSM) is per-invocation
 * but is not request data unless it was also derived from one of those parameters.
 */
export interface TaintSources {
  /** Parameters it derives from, as `[fn, index]`. */
  params: Array<[number, number]>;
  /** It holds or derives from an awaited (or yielded) value. */
  awaited: boolean;
  /** It derives from a caught error. */
  caught: boolean;
  /**
   * Some awaited (or yielded) value in it may depend on the invocation: it is not a call of package
   * code whose arguments carry nothing of the invocation (`await fromEnv('AWS')()`,
   * `await ssm.getParameter({ Name: '/app/key' })`). Unset when every awaited value is such a call.
   */
  varying?: boolean;
}

export interface ImportUse {
  specifier: string;
  imported: string;
  /** Property names read off the import (`fs.promises.writeFile` -> `['promises', 'writeFile']`). */
  path: string[];
}

export interface StateTarget {
  ref: Ref;
  /** Source text of the root expression, for messages. */
  text: string;
}

/** What rule visitors can ask about the node they are looking at. */
export interface WalkContext<F extends object = Record<string, unknown>> {
  readonly sourceFile: ts.SourceFile;
  /** The function the node sits in, -1 at module scope (init code). */
  readonly fn: number;
  lookup(name: string): LocalBinding | undefined;
  /** True when `name` is not declared anywhere in scope (so `console`, `process` are the globals). */
  isGlobal(name: string): boolean;
  /** The import an expression reads (`fs.writeFileSync`, an aliased named import, a `require`). */
  importOf(expr: ts.Expression): ImportUse | undefined;
  /** The module-level binding an expression's root names (through local aliases), if any. */
  stateTarget(expr: ts.Expression): StateTarget | undefined;
  /** Does the expression carry per-request data? */
  isTainted(node: ts.Node): boolean;
  /** Where the per-invocation data of an expression comes from; undefined when it carries none. */
  taintOf(node: ts.Node): TaintSources | undefined;
  /** The symbolic path or string value of an expression (constants folded, parameters kept symbolic). */
  pathValue(expr: ts.Expression): PathValue;
  loc(node: ts.Node): Loc;
  /** Record a fact of the rule whose visitor is running; it gets the function and location. */
  record(node: ts.Node, fact: F): void;
  /** Mark the current function (or module-level value) as wiring a logger to the request context. */
  markLogContext(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table holds every rule's visitors, whatever its fact type
export type Visitor<F extends object = any> = (node: ts.Node, ctx: WalkContext<F>) => void;
/** Visitors by syntax kind name (`CallExpression`, `BinaryExpression`, ...). */
export type VisitorMap<F extends object = Record<string, unknown>> = Partial<Record<keyof typeof ts.SyntaxKind, Visitor<F>>>;

/** What the walk needs of a rule: its id (the key of its facts) and its visitors. */
export interface RuleVisitors {
  readonly id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any rule's visitors
  readonly visitors: VisitorMap<any>;
}

/** A rule's visitor with the rule it records facts for. */
export interface CompiledVisitor {
  rule: string;
  visit: Visitor;
}
