/**
 * @fileoverview The facts one walk over one file produces. Everything here is plain JSON data
 * (strings, finite numbers, booleans, null, arrays, records; no `undefined` that matters, no
 * NaN, Map or class instance), so files can be summarised on worker threads and sent back as
 * JSON, and the project graph built from summaries alone: no syntax tree outlives the walk of
 * its file. Records may arrive with `Object.prototype`: read them with own-property checks.
 */

/** A 1-based source range. */
export interface Loc {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * A reference from code to a module-level binding or import of the same file, with the chain
 * of property names read off it (`ns.helpers.run` -> name `ns`, path `['helpers', 'run']`).
 * `this` refs (name `this`) point at the enclosing class or object literal.
 */
export interface Ref {
  name: string;
  path: string[];
}

/** What a module-level value is made of: the functions written inside it and the bindings it names. */
export interface ValueSummary {
  fns: number[];
  refs: Ref[];
  /**
   * Bindings only ever called directly (`const ready = init()`): the body of what they name
   * runs right there, at init, while what it returns or stores may run later.
   */
  calls?: Ref[];
  /** The value wires a logger to the Lambda context (`injectLambdaContext(...)`). */
  logContext?: boolean;
  /**
   * What was registered on this web framework app or router at init (`app.get('/x', fn)`,
   * `router.use(auth)`): the framework calls it back for each request, so it is invocation code
   * of whatever serves the app, but no entry point Lambda calls with (event, context).
   */
  routes?: ValueSummary;
}

export type InitKind = 'map' | 'set' | 'weak' | 'array' | 'object' | 'new' | 'call' | 'function' | 'class' | 'literal' | 'none' | 'other';

export interface ModuleBinding {
  kind: 'const' | 'let' | 'var' | 'function' | 'class' | 'export';
  line: number;
  init: InitKind;
  value: ValueSummary;
  /** Object literal properties and class members, by name. */
  members?: Record<string, ValueSummary>;
  /** For `new X(...)`: the constructor. */
  ctor?: Ref;
  /**
   * A class a framework instantiates once and shares (a NestJS provider or controller of the
   * default scope): its instance fields are module-level state, as if `new X()` were at module
   * level (src/kit/module-instances.ts).
   */
  singleton?: boolean;
  /** Made by a web framework (`express()`, `express.Router()`, `new Koa()`): other files may register routes on it. */
  app?: boolean;
  /** For a constant that evaluates to a (possibly partial) path or string. */
  path?: PathValue;
}

interface ImportBinding {
  specifier: string;
  /** `'default'`, `'*'` (namespace / whole CommonJS module) or an export name. */
  imported: string;
}

export interface FunctionSummary {
  name: string;
  line: number;
  /** Last line of the function (fingerprints name the function around a finding). */
  endLine: number;
  /** Enclosing function index, -1 for module level. */
  parent: number;
  /** Positions of `await`, `yield` and `for await` directly in this function (not nested ones). */
  awaits: number[];
  refs: Ref[];
  /** Refs only ever called directly (see {@link ValueSummary.calls}). */
  calls?: Ref[];
  /**
   * Calls that pass on values made from parameters of this function or of the functions around
   * it (`download(record.s3.object.key)`): for each such argument, by position, those parameters
   * as `[function index, parameter index]`. The scan follows them from a handler's `event` and
   * `context` to the helpers' parameters that carry them.
   */
  passes?: Array<CallOf<PassedArg>>;
  /**
   * Calls that pass objects of known classes (`process_record(record, parser)` after
   * `parser = LogParser(log)`): the callee's parameter then holds one, and the methods the callee
   * calls on it ({@link parameterMembers}) are that class's.
   */
  instanceArgs?: Array<CallOf<InstanceArg>>;
  /**
   * Members used on a parameter (`parser.process(key)` where `parser` is a parameter), by the
   * parameter's position: they are methods of the classes callers pass there ({@link instanceArgs}).
   */
  parameterMembers?: Array<{ index: number; member: string }>;
  /** Module-level class or object literal this function is a member of (for `this`). */
  owner?: string;
  /**
   * A Python method whose first parameter is the instance or the class (`self`, `cls`): a call
   * through either fills it, so the call's first positional argument is the second parameter.
   * {@link PassedArg.index} counts the arguments as written; the scan shifts them for such methods.
   */
  boundParam?: boolean;
  /** Uses a logger bound to the request context (`logger.addContext(context)`, `child({ requestId })`, decorator). */
  logContext?: boolean;
  /** Module-level functions only (parent -1): the parameters, for handler discovery. */
  params?: ParamSummary[];
  /** Module-level functions only: the type annotation of the variable the function is assigned to. */
  declaredType?: TypeRefSummary;
  /**
   * Methods of module-level classes: what their decorators reference (`@log`) or call
   * (`@tracer.capture()`). The decorator ran when the class was defined; the wrapper it installs
   * (a function written inside it) runs on every call of the method.
   */
  decorators?: ValueSummary;
}

/**
 * A call, by its callee: `ref` as written; or, with `onParam` (`[function, parameter]`), member
 * `ref.name` of what that parameter holds (`parser.process(key)`, `parser` a parameter).
 */
export interface CallOf<Arg> {
  ref: Ref;
  onParam?: [number, number];
  args: Arg[];
}

/**
 * An argument that is an object of class `cls` ({@link FunctionSummary.instanceArgs}). A parameter
 * passed on as it is (`download(logParser, key)`) is not one: the graph reads it from
 * {@link FunctionSummary.passes}, which has it already (see {@link forwardedParameter}).
 */
export interface InstanceArg {
  index: number;
  cls: Ref;
}

/**
 * The parameter `[function, parameter]` an argument passes on as it is (`download(logParser)`,
 * not `download(logParser.config)`): what callers put in it is what the callee's parameter holds.
 */
export function forwardedParameter(arg: PassedArg): [number, number] | undefined {
  const p = arg.path;
  return p?.t === 'param' && /^[A-Za-z_$][\w$]*$/.test(p.text) ? [p.fn, p.index] : undefined;
}

/** An argument of a call that passes on parameters or a /tmp path ({@link FunctionSummary.passes}). */
export interface PassedArg {
  /** The argument's position as written (a keyword argument: the position of the parameter it names). */
  index: number;
  /** The parameters (of this function or the ones around it) the value is made of. */
  params: Array<[number, number]>;
  /** The value as a path, when it names /tmp or is made of a parameter: the callee's parameter then holds it. */
  path?: PathValue;
}

/** Record a call of `fn` that passes paths or event data ({@link FunctionSummary.passes}) or objects ({@link FunctionSummary.instanceArgs}). */
export function addCall(fn: FunctionSummary, ref: Ref, onParam: [number, number] | undefined, args: PassedArg[], objects: InstanceArg[]): void {
  const on = onParam ? { onParam } : {};
  if (args.length) (fn.passes ??= []).push({ ref, ...on, args });
  if (objects.length) (fn.instanceArgs ??= []).push({ ref, ...on, args: objects });
}

/** Record that `fn` uses `member` of its parameter `index` ({@link FunctionSummary.parameterMembers}), once. */
export function addParameterMember(fn: FunctionSummary, index: number, member: string): void {
  const list = (fn.parameterMembers ??= []);
  if (!list.some((m) => m.index === index && m.member === member)) list.push({ index, member });
}

/**
 * The fields of a file's classes that hold objects (`this.files = new S3Files()`,
 * `self.files = S3Files()`): each becomes a member of its class whose value refers to the classes
 * assigned to it, so `this.files.download(...)` runs `S3Files.download`. A method or class
 * attribute of the same name is left as it is.
 */
export class ObjectFields {
  private readonly made = new WeakSet<ValueSummary>();

  add(members: Record<string, ValueSummary>, field: string, cls: Ref): void {
    if (!Object.hasOwn(members, field)) {
      members[field] = { fns: [], refs: [cls] };
      this.made.add(members[field]!);
    } else if (this.made.has(members[field]!)) {
      members[field]!.refs.push(cls);
    }
  }
}

/** The parameter of `callee` that argument `index` (as written) fills: one further on for a Python method's `self` or `cls`. */
export function parameterOf(callee: FunctionSummary, index: number): number {
  return callee.boundParam ? index + 1 : index;
}

/**
 * The value of property chain `props` of `value`: a property of an object literal, the same chain
 * read off a parameter (the callers then say), each option of a choice. Anything else has no
 * known properties.
 */
export function selectProps(value: PathValue, props: readonly string[] | undefined): PathValue {
  if (!props || props.length === 0) return value;
  switch (value.t) {
    case 'object': {
      const [head, ...rest] = props;
      return Object.hasOwn(value.props, head!) ? selectProps(value.props[head!]!, rest) : { t: 'unknown', text: props.join('.') };
    }
    case 'param':
      return { ...value, text: `${value.text}.${props.join('.')}`, props: [...(value.props ?? []), ...props] };
    case 'choice':
      return { ...value, options: value.options.map((o) => selectProps(o, props)) };
    default:
      return { t: 'unknown', text: props.join('.') };
  }
}

/** Does the value name `/tmp` (a literal under it, `os.tmpdir()`), or carry a parameter on? */
export function isPassedPath(value: PathValue): boolean {
  switch (value.t) {
    case 'str':
      return value.v === '/tmp' || value.v.startsWith('/tmp/');
    case 'tmpdir':
    case 'param':
    case 'object': // made only when some property carries a path
      return true;
    case 'cat':
    case 'join':
      return value.parts.length > 0 && isPassedPath(value.parts[0]!);
    case 'choice':
      return value.options.some(isPassedPath);
    default:
      return false;
  }
}

/** A parameter as handler discovery sees it: its name (absent for a destructuring pattern) and type. */
export interface ParamSummary {
  name?: string;
  /** Destructured (`{ body }`): no name. */
  pattern?: boolean;
  rest?: boolean;
  type?: TypeRefSummary;
}

/** A type reference (`APIGatewayProxyEvent`, `lambda.Context`): the type's own name, and `lambda` when `aws-lambda` exports it. */
export interface TypeRefSummary {
  name: string;
  lambda?: boolean;
}

/**
 * A path or string value, kept symbolic so that constants imported from other files and
 * handler parameters can be resolved once the project graph is known.
 */
export type PathValue =
  | { t: 'str'; v: string }
  | { t: 'tmpdir' }
  | { t: 'cat'; parts: PathValue[] }
  | { t: 'join'; parts: PathValue[]; resolve: boolean }
  | { t: 'ref'; ref: Ref }
  | { t: 'unique'; why: string }
  /** A setting of the deployment (an environment variable): the same in every invocation; `text` is its source. */
  | { t: 'setting'; text: string }
  /**
   * Data derived from parameter `index` of function `fn` (the event, when that function is a
   * handler). `props`: the property names read straight off the parameter (`params.output_path`),
   * which pick the property of an object a caller passes.
   */
  | { t: 'param'; fn: number; index: number; text: string; props?: string[] }
  /** An object literal (`{ output_path: '/tmp/x' }`): its properties that carry a path, by name. */
  | { t: 'object'; props: Record<string, PathValue> }
  /** A directory made by `mkdtemp` at module scope: one directory for every invocation. */
  | { t: 'initTemp'; prefix: PathValue }
  /** One of several values (`flag ? 'a.csv' : 'b.csv'`): as shared as its most shared option; `text` is its source. */
  | { t: 'choice'; options: PathValue[]; text: string }
  /**
   * A value that repeats across concurrent requests (a small random range, the clock): `text` is its source.
   * `counter`: a loop index or local counter that starts again at the same literal in every invocation.
   */
  | { t: 'repeatable'; text: string; counter?: true }
  | { t: 'unknown'; text: string };

/** One fact a rule recorded during the walk; `fn` is the function it sits in (-1: module scope). */
export interface Fact {
  fn: number;
  loc: Loc;
  [key: string]: unknown;
}

export interface FileSummary {
  file: string;
  parseError?: { message: string; line: number; column: number };
  imports: Record<string, ImportBinding>;
  /** Exported name -> local binding name (a key of `bindings` or `imports`). */
  exports: Record<string, string>;
  reexports: Array<{ specifier: string; imported: string; exported: string }>;
  starExports: string[];
  /** CommonJS module (`module.exports`/`exports.x`): its default import is the whole module. */
  commonjs: boolean;
  bindings: Record<string, ModuleBinding>;
  functions: FunctionSummary[];
  facts: Record<string, Fact[]>;
  /**
   * Names the front-end recognises as Lambda handlers by convention, for files no infrastructure
   * code names; absent means the `handler` export (JavaScript). Python: module-level
   * `def lambda_handler(event, context)` / `def handler(event, context)` and functions wrapped by a
   * Powertools handler decorator (`@logger.inject_lambda_context`).
   */
  entryPoints?: string[];
  /** `lmi-audit-ignore*` comments; only set when the file has any (src/analysis/directives.ts). */
  directives?: Directive[];
  /**
   * Routes registered at init on an imported binding (`app.get('/x', fn)` with `app` from
   * another file), by local name: invocation code of whatever serves that app, when the binding
   * it resolves to is one ({@link ModuleBinding.app}).
   */
  importedRoutes?: Record<string, ValueSummary>;
  /**
   * The file runs as a program: a shebang line, or `require.main === module`. Its exports with
   * only a parameter's name for evidence (`main(argv)`) are the script's, not handlers.
   */
  script?: true;
}

/**
 * An `lmi-audit-ignore*` comment as written. Whether its rule ids exist and what it suppresses
 * is decided after the rules ran (src/suppressions.ts).
 */
export interface Directive {
  /** `next-line`, `line` (same line) or `file`; `unknown` for a misspelt `lmi-audit-ignore-*`. */
  kind: 'next-line' | 'line' | 'file' | 'unknown';
  /** The directive word as written (`lmi-audit-ignore-next-line`), for messages. */
  name: string;
  /** Rule ids as written, in order. */
  rules: string[];
  /** The text after ` -- `, whitespace collapsed; absent when there is none. */
  reason?: string;
  /** Where the comment is. */
  loc: Loc;
  /**
   * The lines whose findings it covers (inclusive ranges): the target line, and the rest of a
   * statement starting on it, but not the statements nested in that one. Empty for `file`.
   */
  lines: Array<[number, number]>;
}

/** A summary with nothing in it yet, as every front-end starts one. Null-prototype records: `constructor` or `toString` are legal binding and export names. */
export function emptyFileSummary(file: string): FileSummary {
  return {
    file,
    imports: Object.create(null),
    exports: Object.create(null),
    reexports: [],
    starExports: [],
    commonjs: false,
    bindings: Object.create(null),
    functions: [],
    facts: Object.create(null),
  };
}
