/**
 * @fileoverview One walk over one Python file's tree-sitter syntax tree that produces the same
 * {@link FileSummary} the JavaScript/TypeScript walk does: imports (`import x`, `from .db import
 * conn`), exports (every module-level name is importable), module-level bindings, functions with
 * the module-level names they refer to, and the facts each rule's Python visitors record.
 *
 * Python scoping is followed: a name assigned anywhere in a function is local to it unless the
 * function declares it `global`, so a local that shadows a module-level name is never mistaken
 * for module state. Module globals are per process on LMI (one process per concurrent
 * invocation), so the summary only feeds the rules that still apply to Python (/tmp, logging,
 * connection counts) and the graph that tells which code runs during an invocation.
 */
import {
  emptyFileSummary,
  type Fact,
  type FileSummary,
  type FunctionSummary,
  type InitKind,
  type Loc,
  type ModuleBinding,
  type PathValue,
  type Ref,
  type ValueSummary,
  type InstanceArg,
  type PassedArg,
  addCall,
  addParameterMember,
  isPassedPath,
  ObjectFields,
} from '../../core/summary.js';
import type { PyImportUse, PyLocalBinding, PyNode, PyVisitorTable, PyWalkContext } from './context.js';
import { collectPythonDirectives } from './directives.js';
import { getPythonParser } from './parser.js';
import { callArguments, pathValueOf, tupleElement, type PyPathEnv } from './path-value.js';
import { DIRECTIVE_MARKER } from '../js/directives.js';

/** Handler names of the Python convention (`def lambda_handler(event, context)`). */
const HANDLER_NAMES = new Set(['lambda_handler', 'handler']);
/** Powertools decorators that only wrap a Lambda handler (`@logger.inject_lambda_context`). */
const HANDLER_DECORATORS = new Set(['inject_lambda_context', 'capture_lambda_handler', 'log_metrics', 'event_source', 'event_parser']);

interface FnScope {
  index: number;
  parent: FnScope | undefined;
  locals: Map<string, PyLocalBinding>;
  globals: Set<string>;
  /** Locals assigned exactly once, with their value (for constant folding). */
  values: Map<string, PyNode>;
  /** Locals assigned exactly once by unpacking (`path, name = make()`): the value and the position. */
  elements: Map<string, { value: PyNode; index: number }>;
  /** Loop variables bound by one `for` only, with the iterable they walk. */
  loops: Map<string, PyNode>;
  /** Locals that only count from a literal (see {@link PyWalker.counter}), with the builtins that depends on. */
  counters: Map<string, string[]>;
  /** Imports written inside the function. */
  imports: Map<string, { specifier: string; imported: string }>;
  /** The working directory an earlier `os.chdir(...)` of the function moved to, when it names /tmp. */
  cwd?: PathValue;
  /** The first parameter of a method (`self`), which stands for the owner class. */
  self?: string;
}

/** Parse a Python file and summarise it. A syntax error is a `parseError`, never a throw. */
export function summarizePythonFile(file: string, text: string, visitors: PyVisitorTable): FileSummary {
  const parser = getPythonParser();
  if (!parser) throw new Error('the Python parser was not loaded before the walk');
  const summary = emptyFileSummary(file);
  const tree = parser.parse(text);
  if (!tree) {
    summary.parseError = { message: 'Parsing error: the Python parser gave up on this file', line: 1, column: 1 };
    return summary;
  }
  try {
    const root = tree.rootNode;
    if (root.hasError) {
      const bad = firstError(root) ?? root;
      summary.parseError = {
        message: bad.isMissing ? `Parsing error: missing \`${bad.type}\`` : 'Parsing error: invalid syntax',
        line: bad.startPosition.row + 1,
        column: bad.startPosition.column + 1,
      };
      return summary;
    }
    new PyWalker(root, text, summary, visitors).run();
    if (text.includes(DIRECTIVE_MARKER)) {
      const directives = collectPythonDirectives(root, text);
      if (directives.length) summary.directives = directives;
    }
    return summary;
  } finally {
    tree.delete();
  }
}

function firstError(node: PyNode): PyNode | undefined {
  if (node.isError || node.isMissing) return node;
  for (const child of node.children) {
    if (child && (child.hasError || child.isMissing)) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return undefined;
}

function loc(node: PyNode): Loc {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
}

function named(node: PyNode | null | undefined): PyNode[] {
  return node ? node.namedChildren.filter((c): c is PyNode => c !== null) : [];
}

/** Identifiers a target binds: `a`, `a, b`, `(a, [b, *c])`; attributes and subscripts bind nothing. */
function targetNames(target: PyNode, out: PyNode[] = []): PyNode[] {
  switch (target.type) {
    case 'identifier':
      out.push(target);
      break;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'expression_list':
    case 'tuple':
    case 'list':
    case 'list_splat_pattern':
    case 'parenthesized_expression':
      for (const c of named(target)) targetNames(c, out);
      break;
    default:
      break;
  }
  return out;
}

/** The dotted module name of an import's `module_name`, with leading dots kept (`..pkg.mod`). */
function moduleNameText(node: PyNode): string {
  return node.text.replace(/\s+/g, '');
}

/** What `import ...` / `from ... import ...` binds: local name -> import binding. */
function importsOf(stmt: PyNode): Array<{ local: string; specifier: string; imported: string } | { star: string }> {
  const out: Array<{ local: string; specifier: string; imported: string } | { star: string }> = [];
  if (stmt.type === 'import_statement') {
    for (const item of stmt.childrenForFieldName('name')) {
      if (!item) continue;
      if (item.type === 'aliased_import') {
        const name = item.childForFieldName('name');
        const alias = item.childForFieldName('alias');
        if (name && alias) out.push({ local: alias.text, specifier: moduleNameText(name), imported: '*' });
      } else {
        // `import os.path` binds `os`: `os.path.join` is read off it.
        const dotted = moduleNameText(item);
        const head = dotted.split('.')[0]!;
        out.push({ local: head, specifier: head, imported: '*' });
      }
    }
    return out;
  }
  const moduleNode = stmt.childForFieldName('module_name');
  if (!moduleNode) return out;
  const specifier = moduleNameText(moduleNode);
  if (named(stmt).some((c) => c.type === 'wildcard_import')) {
    out.push({ star: specifier });
    return out;
  }
  for (const item of stmt.childrenForFieldName('name')) {
    if (!item) continue;
    if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name');
      const alias = item.childForFieldName('alias');
      if (name && alias) out.push({ local: alias.text, specifier, imported: moduleNameText(name) });
    } else {
      out.push({ local: item.text, specifier, imported: moduleNameText(item) });
    }
  }
  return out;
}

/** `__name__ == "__main__"` (either way round, either quote). */
function isMainGuard(condition: PyNode | null): boolean {
  const text = condition?.text.replace(/\s+/g, '') ?? '';
  return /^__name__==(['"])__main__\1$/.test(text) || /^(['"])__main__\1==__name__$/.test(text);
}

/** How a binding of a local counts: `n = 0` (init), `n += 1` (step), or a loop over a counting builtin. */
type CounterBinding = 'init' | 'step' | { builtin: string };

/** `n = 0`, `n += 1`, `n -= 1`, `n = n + 1` (a binding of `name`), as a counter binding; undefined otherwise. */
function counterBinding(node: PyNode, name: string): CounterBinding | undefined {
  const right = node.childForFieldName('right');
  if (!right) return undefined;
  if (node.type === 'augmented_assignment') {
    const op = node.childForFieldName('operator')?.type;
    return (op === '+=' || op === '-=') && right.type === 'integer' ? 'step' : undefined;
  }
  if (right.type === 'integer') return 'init';
  if (right.type === 'binary_operator') {
    const op = right.childForFieldName('operator')?.type;
    const l = right.childForFieldName('left');
    const r = right.childForFieldName('right');
    if ((op === '+' || op === '-') && l?.type === 'identifier' && l.text === name && r?.type === 'integer') return 'step';
  }
  return undefined;
}

/** The counting variable of `for i, x in enumerate(...)` / `for i in range(...)`, and the builtin it depends on. */
function loopCounter(left: PyNode, right: PyNode): { id: PyNode; how: CounterBinding } | undefined {
  if (right.type !== 'call') return undefined;
  const callee = right.childForFieldName('function');
  if (callee?.type !== 'identifier') return undefined;
  if (callee.text === 'range' && left.type === 'identifier') return { id: left, how: { builtin: 'range' } };
  if (callee.text === 'enumerate' && (left.type === 'pattern_list' || left.type === 'tuple_pattern')) {
    const items = named(left);
    if (items.length === 2 && items[0]!.type === 'identifier') return { id: items[0]!, how: { builtin: 'enumerate' } };
  }
  return undefined;
}

/** The function index a helper's parameters get while its return value is evaluated (it is no function of the summary). */
const HELPER_FN = -2;

/**
 * The expressions a function returns: every `return` of its own body (not of functions or classes
 * inside it). Undefined when it has none, a bare `return`, or a `yield` (a generator).
 */
function returnExpressions(def: PyNode): PyNode[] | undefined {
  const out: PyNode[] = [];
  let plain = true;
  const visit = (node: PyNode): void => {
    switch (node.type) {
      case 'function_definition':
      case 'class_definition':
      case 'lambda':
        return;
      case 'yield':
        plain = false;
        return;
      case 'return_statement': {
        const value = named(node).find((c) => c.type !== 'comment');
        if (value) out.push(value);
        else plain = false;
        break;
      }
      default:
        break;
    }
    for (const child of named(node)) visit(child);
  };
  const body = def.childForFieldName('body');
  if (body) visit(body);
  return plain && out.length ? out : undefined;
}

/**
 * The names of a `def`'s parameters by position (`*`/`/` separators take no position; a name is
 * undefined where the parameter has none the walk can read).
 */
function parameterNames(params: PyNode | null): Array<string | undefined> {
  const names: Array<string | undefined> = [];
  for (const p of named(params)) {
    if (p.type === 'keyword_separator' || p.type === 'positional_separator' || p.type === 'comment') continue;
    let id: PyNode | undefined;
    if (p.type === 'identifier') id = p;
    else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') id = p.childForFieldName('name') ?? undefined;
    else if (p.type === 'typed_parameter' || p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern')
      id = named(p).find((c) => c.type === 'identifier');
    names.push(id?.type === 'identifier' ? id.text : undefined);
  }
  return names;
}

/**
 * A path that may be written relative to the working directory (`'out.zip'`, `f'{name}.zip'`, a
 * module constant): not absolute and not a URL. It is joined to the directory as `os.path.join`
 * does (an absolute constant stays itself).
 */
function isRelativePath(value: PathValue): boolean {
  switch (value.t) {
    case 'str':
      return value.v !== '' && !value.v.startsWith('/') && !/^[a-z][\w+.-]*:/i.test(value.v);
    // A module constant: relative or not once it is resolved, which the resolving join then decides.
    case 'ref':
      return true;
    case 'cat':
    case 'join':
      return value.parts.length > 0 && isRelativePath(value.parts[0]!);
    case 'choice':
      return value.options.every(isRelativePath);
    default:
      return false;
  }
}

function initKindOf(value: PyNode | undefined): InitKind {
  if (!value) return 'none';
  switch (value.type) {
    case 'dictionary':
    case 'dictionary_comprehension':
      return 'object';
    case 'list':
    case 'list_comprehension':
    case 'tuple':
      return 'array';
    case 'set':
    case 'set_comprehension':
      return 'set';
    case 'lambda':
      return 'function';
    case 'string':
    case 'concatenated_string':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
      return 'literal';
    case 'none':
      return 'none';
    case 'call':
    case 'await':
      return 'call';
    default:
      return 'other';
  }
}

const SKIP_AS_REF = new Set([
  'parameters',
  'lambda_parameters',
  'global_statement',
  'nonlocal_statement',
  'import_statement',
  'import_from_statement',
  'aliased_import',
  'dotted_name',
]);

class PyWalker implements PyWalkContext {
  fn = -1;
  private rule = '';
  private scope: FnScope | undefined;
  /** Module-level names: binding name -> number of module-level assignments. */
  private readonly moduleNames = new Map<string, number>();
  /** Names some function declares `global`: their module binding is rewritten at run time. */
  private readonly globalNames = new Set<string>();
  /** The last `importOf` question and answer, valid while one node is visited. */
  private importQuery: { id: number; scope: FnScope | undefined; answer: PyImportUse | undefined } | undefined;
  /** Undecorated `def`s at the top level of the module, by name (for the paths they return). */
  private readonly moduleFunctions = new Map<string, PyNode>();
  /** Class members made from `self.x = X(...)` (see {@link noteInstanceAttribute}). */
  private readonly objectFields = new ObjectFields();
  /** The scopes of helpers whose return value was evaluated, by their definition's node id. */
  private readonly helperScopes = new Map<number, FnScope>();
  /** Helpers whose return value is being evaluated (a recursive helper is not followed). */
  private readonly returning = new Set<string>();
  private collector: ValueSummary | undefined;
  private readonly collectorKeys = new WeakMap<ValueSummary, Set<string>>();
  private readonly refKeys: Array<Set<string>> = [];
  /** The module-level class whose body is being walked. */
  private currentClass: string | undefined;

  constructor(
    private readonly root: PyNode,
    private readonly text: string,
    private readonly summary: FileSummary,
    private readonly visitors: PyVisitorTable,
  ) {}

  run(): void {
    this.collectModuleNames(this.root);
    for (const stmt of named(this.root)) {
      const name = stmt.type === 'function_definition' ? stmt.childForFieldName('name')?.text : undefined;
      if (name !== undefined) this.moduleFunctions.set(name, stmt);
    }
    // A search of the whole tree (in WebAssembly, every node), so only where the word is written.
    if (/\bglobal\b/.test(this.text))
      for (const g of this.root.descendantsOfType('global_statement')) {
        if (g) for (const id of named(g)) if (id.type === 'identifier') this.globalNames.add(id.text);
      }
    this.walkChildren(this.root);
    for (const name of Object.keys(this.summary.bindings)) this.summary.exports[name] = name;
    for (const name of Object.keys(this.summary.imports)) this.summary.exports[name] ??= name;
  }

  // ---- Pass 1: the names module-level code binds (functions may use them before they appear).

  private collectModuleNames(node: PyNode): void {
    for (const stmt of named(node)) {
      switch (stmt.type) {
        case 'function_definition':
        case 'class_definition': {
          const name = stmt.childForFieldName('name');
          if (name) this.countModuleName(name.text);
          break;
        }
        case 'decorated_definition': {
          const def = stmt.childForFieldName('definition');
          const name = def?.childForFieldName('name');
          if (name) this.countModuleName(name.text);
          break;
        }
        case 'expression_statement':
          for (const expr of named(stmt)) this.collectAssigned(expr);
          break;
        case 'for_statement': {
          const left = stmt.childForFieldName('left');
          if (left) for (const id of targetNames(left)) this.countModuleName(id.text, 2);
          this.collectModuleNames(stmt.childForFieldName('body') ?? stmt);
          const alt = stmt.childForFieldName('alternative');
          if (alt) this.collectModuleNames(alt);
          break;
        }
        case 'with_statement':
          for (const target of stmt.descendantsOfType('as_pattern_target')) {
            if (target) for (const id of targetNames(named(target)[0] ?? target)) this.countModuleName(id.text, 2);
          }
          this.collectModuleNames(stmt.childForFieldName('body') ?? stmt);
          break;
        case 'if_statement':
        case 'try_statement':
        case 'while_statement':
        case 'elif_clause':
        case 'else_clause':
        case 'except_clause':
        case 'finally_clause':
        case 'block':
          this.collectModuleNames(stmt);
          break;
        default:
          break;
      }
    }
  }

  private collectAssigned(expr: PyNode): void {
    if (expr.type !== 'assignment' && expr.type !== 'augmented_assignment') return;
    const left = expr.childForFieldName('left');
    if (left) for (const id of targetNames(left)) this.countModuleName(id.text, expr.type === 'augmented_assignment' || left.type !== 'identifier' ? 2 : 1);
    const right = expr.childForFieldName('right');
    // `a = b = value`
    if (right?.type === 'assignment') this.collectAssigned(right);
  }

  private countModuleName(name: string, n = 1): void {
    this.moduleNames.set(name, (this.moduleNames.get(name) ?? 0) + n);
  }

  // ---- The walk.

  private walkChildren(node: PyNode): void {
    for (const child of node.namedChildren) if (child) this.walk(child);
  }

  private walk(node: PyNode): void {
    this.importQuery = undefined;
    const type = node.type; // computed in WebAssembly on every read
    const list = this.visitors.get(type);
    if (list) {
      for (const v of list) {
        this.rule = v.rule;
        v.visit(node, this);
      }
    }
    switch (type) {
      case 'function_definition':
        this.walkFunction(node, undefined);
        return;
      case 'decorated_definition': {
        const def = node.childForFieldName('definition');
        for (const child of named(node)) if (child.type === 'decorator') this.walk(child);
        if (def?.type === 'function_definition') {
          const list2 = this.visitors.get(def.type);
          for (const v of list2 ?? []) {
            this.rule = v.rule;
            v.visit(def, this);
          }
          this.walkFunction(def, node);
        } else if (def) this.walk(def);
        return;
      }
      case 'if_statement':
        // `if __name__ == "__main__":` at module scope runs when the file is a script, never when
        // Lambda imports it: neither init nor invocation code. Its `elif`/`else` branches do run.
        if (this.fn < 0 && this.currentClass === undefined && isMainGuard(node.childForFieldName('condition'))) {
          for (const child of named(node)) if (child.type === 'elif_clause' || child.type === 'else_clause') this.walk(child);
          return;
        }
        break;
      case 'lambda':
        this.walkLambda(node);
        return;
      case 'class_definition':
        this.walkClass(node);
        return;
      case 'assignment':
        if (this.fn >= 0) this.noteInstanceAttribute(node);
        break;
      case 'import_statement':
      case 'import_from_statement':
        this.onImport(node);
        return;
      case 'expression_statement':
        if (this.fn < 0 && this.currentClass === undefined) {
          for (const child of node.namedChildren) {
            if (child && child.type === 'assignment') this.onModuleAssignment(child);
            else if (child) this.walk(child);
          }
          return;
        }
        break;
      case 'identifier':
        this.onIdentifier(node);
        return;
      case 'attribute':
        this.onAttribute(node);
        return;
      case 'call':
        this.notePasses(node);
        this.noteChdir(node);
        break;
      default:
        break;
    }
    this.walkChildren(node);
  }

  /**
   * `os.chdir('/tmp')` in a function: the relative paths of the code after it (in the order of the
   * source) are under /tmp. A change to a directory that does not name /tmp ends that.
   */
  private noteChdir(call: PyNode): void {
    if (this.fn < 0 || !this.scope) return;
    const callee = call.childForFieldName('function');
    if (!callee || this.importOf(callee)?.qualified !== 'os.chdir') return;
    const [dir] = callArguments(call).positional;
    const value = dir ? this.fsPathValue(dir) : undefined;
    this.scope.cwd = value && isPassedPath(value) && value.t !== 'param' ? value : undefined;
  }

  /**
   * A call of a module-level function or a method of `self` that passes on event data
   * (`fetch_file(event)`, `download(record['s3']['object']['key'])`): see
   * {@link FunctionSummary.passes}. An argument carries a parameter when its value, as the path
   * evaluation follows it through locals and subscripts, is that parameter's.
   */
  private notePasses(call: PyNode): void {
    if (this.fn < 0) return;
    const callee = call.childForFieldName('function');
    if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute')) return;
    const ref = this.refOf(callee);
    // `parser.process(key)` where `parser` is a parameter: a method of whatever callers pass there.
    const onParam = ref ? undefined : this.parameterMemberOf(callee);
    if (!ref && !onParam) return;
    const args: PassedArg[] = [];
    const instances: InstanceArg[] = [];
    // Positions as written: `self.helper(x)` passes `x` to the method's second parameter, which
    // the scan knows from the method (`FunctionSummary.boundParam`), whatever the call went through.
    let index = 0;
    const add = (arg: PyNode, at: number) => {
      const v = this.fsPathValue(arg);
      if (isPassedPath(v)) args.push({ index: at, params: v.t === 'param' ? [[v.fn, v.index]] : [], path: v });
    };
    let keywordsFrom: PyNode[] = [];
    const list = named(call.childForFieldName('arguments')).filter((a) => a.type !== 'comment');
    for (const [i, arg] of list.entries()) {
      if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') break;
      if (arg.type === 'keyword_argument') {
        keywordsFrom = list.slice(i);
        break;
      }
      // `summarize(event, parser)`, or the object made in the call itself: `summarize(event, Parser())`.
      const cls = arg.type === 'identifier' ? this.classOf(arg.text) : arg.type === 'call' ? this.constructorOf(arg) : undefined;
      if (cls) instances.push({ index, cls });
      add(arg, index++);
    }
    // `upload(path=p)`: a keyword names a parameter of a helper of this module, whose position is known.
    const def =
      callee?.type === 'identifier' && this.lookup(callee.text)?.kind === 'module' && this.moduleNames.get(callee.text) === 1
        ? this.moduleFunctions.get(callee.text)
        : undefined;
    const names = def ? parameterNames(def.childForFieldName('parameters')) : [];
    for (const arg of keywordsFrom) {
      if (arg.type !== 'keyword_argument') break;
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      const at = name === undefined ? -1 : names.indexOf(name);
      if (at >= 0 && value) add(value, at);
    }
    const fn = this.summary.functions[this.fn]!;
    const callRef = ref ?? { name: onParam!.member, path: [] };
    addCall(fn, callRef, onParam && [onParam.fn, onParam.index], args, instances);
  }

  /**
   * The class of the object a name holds, when it is known: a local bound once to `Parser(...)`,
   * or a module-level instance (`archiver = Archiver()`). See {@link FunctionSummary.instanceArgs};
   * a parameter passed on is in `passes`.
   */
  private classOf(name: string): Ref | undefined {
    const b = this.lookup(name);
    if (b?.kind === 'local') {
      const value = this.assignedValue(name);
      return value ? this.constructorOf(value) : undefined;
    }
    if (b?.kind === 'module') return Object.hasOwn(this.summary.bindings, name) ? this.summary.bindings[name]!.ctor : undefined;
    return undefined;
  }

  /** `log_parser.update` where `log_parser` is a parameter (not `self`): that parameter, and the member. */
  private parameterMemberOf(node: PyNode): { fn: number; index: number; member: string } | undefined {
    if (node.type !== 'attribute') return undefined;
    let root = node;
    let member = '';
    while (root.type === 'attribute') {
      member = root.childForFieldName('attribute')?.text ?? '';
      root = root.childForFieldName('object')!;
      if (!root) return undefined;
    }
    if (root.type !== 'identifier' || root.text === this.scope?.self) return undefined;
    const b = this.lookup(root.text);
    return b?.kind === 'param' && b.param && member ? { fn: b.param.fn, index: b.param.index, member } : undefined;
  }

  private onImport(node: PyNode): void {
    for (const imp of importsOf(node)) {
      if ('star' in imp) {
        if (this.fn < 0) this.summary.starExports.push(imp.star);
        continue;
      }
      if (this.scope) this.scope.imports.set(imp.local, { specifier: imp.specifier, imported: imp.imported });
      else this.summary.imports[imp.local] = { specifier: imp.specifier, imported: imp.imported };
    }
  }

  /** `name = value` at module scope: a binding with what its value is made of. */
  private onModuleAssignment(node: PyNode): void {
    const left = node.childForFieldName('left');
    let right = node.childForFieldName('right');
    const names = left ? targetNames(left) : [];
    // `a = b = value`: every name gets the value.
    while (right?.type === 'assignment') {
      const inner = right.childForFieldName('left');
      if (inner) names.push(...targetNames(inner));
      right = right.childForFieldName('right');
    }
    const value: ValueSummary = { fns: [], refs: [] };
    if (left && left.type !== 'identifier') this.withCollector(undefined, () => this.walk(left));
    if (node.childForFieldName('type')) this.withCollector(undefined, () => this.walk(node.childForFieldName('type')!));
    if (right) this.withCollector(value, () => this.walk(right));
    for (const id of names) {
      const name = id.text;
      const existing = Object.hasOwn(this.summary.bindings, name) ? this.summary.bindings[name] : undefined;
      if (existing) {
        existing.kind = 'let';
        existing.value.fns.push(...value.fns);
        existing.value.refs.push(...value.refs);
        delete existing.path;
        continue;
      }
      const single = left?.type === 'identifier' && this.moduleNames.get(name) === 1 && !this.globalNames.has(name);
      const binding: ModuleBinding = {
        kind: single ? 'const' : 'let',
        line: id.startPosition.row + 1,
        init: right && left?.type === 'identifier' ? initKindOf(right) : right ? 'other' : 'none',
        value: { fns: [...value.fns], refs: [...value.refs] },
      };
      if (right && left?.type === 'identifier') {
        const ctor = this.constructorOf(right);
        if (ctor) binding.ctor = ctor;
        const pv = pathValueOf(this, right);
        if (pv.t !== 'unknown') binding.path = pv;
      }
      this.summary.bindings[name] = binding;
    }
  }

  /** `Service(...)` where `Service` is a module-level name or an import: the instance's class. */
  private constructorOf(value: PyNode): Ref | undefined {
    if (value.type !== 'call') return undefined;
    const callee = value.childForFieldName('function');
    if (!callee) return undefined;
    const ref = this.refOf(callee);
    if (!ref) return undefined;
    const last = ref.path.length ? ref.path[ref.path.length - 1]! : ref.name;
    return /^[A-Z]/.test(last) ? ref : undefined;
  }

  /** The module-level ref a name or attribute chain stands for (`cfg.db.host` -> `cfg`, `['db', 'host']`). */
  private refOf(node: PyNode): Ref | undefined {
    const path: string[] = [];
    let root = node;
    while (root.type === 'attribute') {
      path.unshift(root.childForFieldName('attribute')?.text ?? '');
      root = root.childForFieldName('object')!;
      if (!root) return undefined;
    }
    if (root.type !== 'identifier') return undefined;
    const b = this.lookup(root.text);
    if (this.scope?.self && root.text === this.scope.self && b?.kind === 'param') return { name: 'this', path };
    if (b?.kind === 'local' && path.length > 0) return this.instanceMemberRef(root.text, path[0]!);
    if (!b || !b.module) return undefined;
    return { name: root.text, path };
  }

  /**
   * `parser.process` on a local bound once, to `Parser(...)` of a module-level or imported class:
   * the method `Parser.process` (`parser = Parser(log)`, then `parser.process(key)`).
   */
  private instanceMemberRef(local: string, member: string): Ref | undefined {
    const cls = this.classOf(local);
    return cls ? { name: cls.name, path: [...cls.path, member] } : undefined;
  }

  private withCollector(value: ValueSummary | undefined, body: () => void): void {
    const saved = this.collector;
    this.collector = value;
    try {
      body();
    } finally {
      this.collector = saved;
    }
  }

  private onIdentifier(node: PyNode): void {
    const parent = node.parent;
    if (parent && SKIP_AS_REF.has(parent.type)) return;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.equals(node)) return;
    if (
      parent &&
      (parent.type === 'default_parameter' || parent.type === 'typed_default_parameter' || parent.type === 'typed_parameter') &&
      parent.childForFieldName('name')?.equals(node)
    )
      return;
    if (parent && (parent.type === 'list_splat_pattern' || parent.type === 'dictionary_splat_pattern') && parent.parent?.type === 'parameters') return;
    this.addRef(node);
  }

  private onAttribute(node: PyNode): void {
    // The chain's root is the reference; the attribute names are its path.
    let root: PyNode = node;
    while (root.type === 'attribute') {
      const obj = root.childForFieldName('object');
      if (!obj) break;
      root = obj;
    }
    if (root.type === 'identifier') {
      this.addRef(node);
      return;
    }
    // `f(x).attr`, `d[k].attr`: walk the object; the attribute name is not a reference.
    this.walk(root);
  }

  private addRef(node: PyNode): void {
    const ref = this.refOf(node);
    if (!ref) {
      const use = this.fn >= 0 ? this.parameterMemberOf(node) : undefined;
      if (use) addParameterMember(this.summary.functions[use.fn]!, use.index, use.member);
      return;
    }
    const key = `${ref.name}.${ref.path.join('.')}`;
    if (this.fn >= 0) {
      const keys = this.refKeys[this.fn]!;
      if (keys.has(key)) return;
      keys.add(key);
      this.summary.functions[this.fn]!.refs.push(ref);
    } else if (this.collector) {
      let keys = this.collectorKeys.get(this.collector);
      if (!keys) this.collectorKeys.set(this.collector, (keys = new Set()));
      if (keys.has(key)) return;
      keys.add(key);
      this.collector.refs.push(ref);
    }
  }

  /**
   * `self.s3 = S3(log)` in a method of a module-level class: the attribute holds an object of that
   * class, so `self.s3.download(...)` in any method of the class runs `S3.download`. The attribute
   * becomes a member of the class whose value refers to the class it holds (one per assignment).
   */
  private noteInstanceAttribute(node: PyNode): void {
    const self = this.scope?.self;
    const owner = this.summary.functions[this.fn]!.owner;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!self || owner === undefined || left?.type !== 'attribute' || !right) return;
    const object = left.childForFieldName('object');
    const attribute = left.childForFieldName('attribute');
    if (object?.type !== 'identifier' || object.text !== self || !attribute) return;
    const cls = this.constructorOf(right);
    const members = Object.hasOwn(this.summary.bindings, owner) ? this.summary.bindings[owner]!.members : undefined;
    if (!cls || !members) return;
    this.objectFields.add(members, attribute.text, cls);
  }

  private newFunction(name: string, node: PyNode, nameLine: number): number {
    const index = this.summary.functions.length;
    const fn: FunctionSummary = { name, line: nameLine, endLine: node.endPosition.row + 1, parent: this.fn, awaits: [], refs: [] };
    if (this.currentClass !== undefined && this.fn < 0) fn.owner = this.currentClass;
    this.summary.functions.push(fn);
    this.refKeys.push(new Set());
    return index;
  }

  private walkFunction(def: PyNode, decorated: PyNode | undefined): void {
    const nameNode = def.childForFieldName('name');
    const name = nameNode?.text ?? '(anonymous)';
    const params = def.childForFieldName('parameters');
    // Defaults, annotations and the return type are evaluated where the function is defined.
    for (const p of named(params)) {
      const value = p.childForFieldName('value');
      if (value) this.walk(value);
    }
    const index = this.newFunction(name, def, (nameNode ?? def).startPosition.row + 1);
    const isMethod = this.currentClass !== undefined && this.fn < 0;
    if (this.fn < 0 && this.currentClass === undefined) {
      this.summary.bindings[name] = {
        kind: 'function',
        line: (nameNode ?? def).startPosition.row + 1,
        init: 'function',
        value: { fns: [index], refs: [] },
      };
      if (this.isConventionalHandler(name, params, decorated)) (this.summary.entryPoints ??= []).push(name);
    } else if (isMethod) {
      const cls = this.summary.bindings[this.currentClass!]!;
      const members = (cls.members ??= Object.create(null) as Record<string, ValueSummary>);
      members[name] = { fns: [index], refs: [] };
      // `Parser(log)` runs `__init__`: the graph follows a class's construction as its member `constructor`.
      if (name === '__init__') members['constructor'] = members[name]!;
    } else if (this.collector) {
      this.collector.fns.push(index);
    }
    const scope = this.newScope(index, params);
    const isStatic = decorated !== undefined && named(decorated).some((d) => d.type === 'decorator' && /\bstaticmethod\b/.test(d.text));
    if (isMethod && !isStatic) {
      const first = named(params)[0];
      const selfName = first?.type === 'identifier' ? first.text : undefined;
      if (selfName) scope.self = selfName;
      // A call through an instance (or, for a classmethod, the class) fills it: arguments start at the second.
      if (first) this.summary.functions[index]!.boundParam = true;
    }
    // One node for both passes: web-tree-sitter keeps a node's children on the node, so the walk
    // reuses the ones collectLocals built instead of building every node of the body again.
    const body = def.childForFieldName('body');
    this.collectLocals(body, scope);
    this.inFunction(index, scope, () => {
      if (body) this.walk(body);
    });
  }

  private isConventionalHandler(name: string, params: PyNode | null, decorated: PyNode | undefined): boolean {
    const count = named(params).filter((p) => p.type !== 'comment').length;
    if (count < 2) return false;
    if (HANDLER_NAMES.has(name)) return true;
    return (
      decorated !== undefined &&
      named(decorated).some((d) => {
        if (d.type !== 'decorator') return false;
        const m = /([A-Za-z_][A-Za-z0-9_]*)\s*(\(|$)/.exec(d.text.replace(/^@\s*/, '').trim());
        return m !== null && HANDLER_DECORATORS.has(m[1]!);
      })
    );
  }

  private walkLambda(node: PyNode): void {
    const params = node.childForFieldName('parameters');
    for (const p of named(params)) {
      const value = p.childForFieldName('value');
      if (value) this.walk(value);
    }
    const index = this.newFunction('(lambda)', node, node.startPosition.row + 1);
    if (this.fn < 0 && this.collector) this.collector.fns.push(index);
    const scope = this.newScope(index, params);
    const body = node.childForFieldName('body');
    this.collectLocals(body, scope);
    this.inFunction(index, scope, () => {
      if (body) this.walk(body);
    });
  }

  private walkClass(node: PyNode): void {
    const nameNode = node.childForFieldName('name');
    const superclasses = node.childForFieldName('superclasses');
    const body = node.childForFieldName('body');
    if (this.fn >= 0 || this.currentClass !== undefined || !nameNode) {
      // A class inside a function (or a nested class): its methods are that function's children.
      if (superclasses) this.walk(superclasses);
      if (body) this.walk(body);
      return;
    }
    const name = nameNode.text;
    const value: ValueSummary = { fns: [], refs: [] };
    if (superclasses) this.withCollector(value, () => this.walk(superclasses));
    this.summary.bindings[name] = { kind: 'class', line: nameNode.startPosition.row + 1, init: 'class', value, members: Object.create(null) };
    const saved = this.currentClass;
    this.currentClass = name;
    try {
      for (const stmt of named(body)) {
        const assignment = stmt.type === 'expression_statement' ? named(stmt).find((c) => c.type === 'assignment') : undefined;
        const target = assignment?.childForFieldName('left');
        const right = assignment?.childForFieldName('right');
        if (assignment && target?.type === 'identifier' && right) {
          const member: ValueSummary = { fns: [], refs: [] };
          this.withCollector(member, () => this.walk(right));
          this.summary.bindings[name]!.members![target.text] = member;
          continue;
        }
        this.withCollector(undefined, () => this.walk(stmt));
      }
    } finally {
      this.currentClass = saved;
    }
  }

  private newScope(index: number, params: PyNode | null): FnScope {
    const scope: FnScope = {
      index,
      parent: this.scope,
      locals: new Map(),
      globals: new Set(),
      values: new Map(),
      elements: new Map(),
      loops: new Map(),
      counters: new Map(),
      imports: new Map(),
    };
    parameterNames(params).forEach((name, position) => {
      if (name !== undefined) scope.locals.set(name, { name, module: false, kind: 'param', param: { fn: index, index: position } });
    });
    return scope;
  }

  /** The names a function body binds (Python decides scope per function, before it runs). */
  private collectLocals(body: PyNode | null, scope: FnScope): void {
    if (!body) return;
    const counts = new Map<string, number>();
    const loopCounts = new Map<string, number>();
    const counting = new Map<string, { init: boolean; step: boolean; builtins: Set<string>; other: boolean }>();
    const bindName = (name: string, value: PyNode | undefined, once = true, how: CounterBinding | undefined = undefined) => {
      if (scope.globals.has(name)) return;
      if (!scope.locals.has(name)) scope.locals.set(name, { name, module: false, kind: 'local' });
      let c = counting.get(name);
      if (!c) counting.set(name, (c = { init: false, step: false, builtins: new Set(), other: false }));
      if (how === undefined) c.other = true;
      else if (how === 'init') c.init = true;
      else if (how === 'step') c.step = true;
      else c.builtins.add(how.builtin);
      // `path = None` before `if …: path = '/tmp/' + name`: the placeholder holds no value to follow.
      if (value?.type === 'none') return;
      counts.set(name, (counts.get(name) ?? 0) + (once ? 1 : 2));
      if (value) scope.values.set(name, value);
    };
    const bind = (id: PyNode, value: PyNode | undefined, once = true, how?: CounterBinding) => bindName(id.text, value, once, how);
    const visit = (node: PyNode): void => {
      switch (node.type) {
        case 'function_definition':
        case 'class_definition': {
          const name = node.childForFieldName('name');
          if (name) bind(name, undefined, false);
          return; // their bodies are their own scopes
        }
        case 'lambda':
          return;
        case 'global_statement':
          for (const id of named(node)) {
            if (id.type !== 'identifier') continue;
            scope.globals.add(id.text);
            scope.locals.delete(id.text);
          }
          return;
        case 'nonlocal_statement':
          return;
        case 'assignment':
        case 'augmented_assignment': {
          const left = node.childForFieldName('left');
          const right = node.childForFieldName('right');
          if (left) {
            const ids = targetNames(left);
            const single = node.type === 'assignment' && left.type === 'identifier';
            const step = left.type === 'identifier' ? counterBinding(node, left.text) : undefined;
            // `path, name = make()` or `a, b = x, y`: each name is one position of the value.
            const unpacked =
              node.type === 'assignment' &&
              (left.type === 'pattern_list' || left.type === 'tuple_pattern') &&
              named(left).every((c) => c.type === 'identifier') &&
              right !== null &&
              right.type !== 'assignment';
            for (const id of ids) bind(id, single && right?.type !== 'assignment' ? (right ?? undefined) : undefined, single || unpacked, step);
            if (unpacked) named(left).forEach((id, index) => scope.elements.set(id.text, { value: right, index }));
          }
          break;
        }
        case 'named_expression': {
          const name = node.childForFieldName('name');
          if (name) bind(name, node.childForFieldName('value') ?? undefined);
          break;
        }
        case 'for_statement':
        case 'for_in_clause': {
          const left = node.childForFieldName('left');
          const right = node.childForFieldName('right');
          // `for i, item in enumerate(...)`, `for i in range(...)`: the index counts from 0 in every invocation.
          const counterTarget = left && right ? loopCounter(left, right) : undefined;
          if (left) for (const id of targetNames(left)) bind(id, undefined, false, counterTarget?.id.equals(id) ? counterTarget.how : undefined);
          if (left?.type === 'identifier' && right) {
            loopCounts.set(left.text, (loopCounts.get(left.text) ?? 0) + 1);
            scope.loops.set(left.text, right);
          }
          break;
        }
        case 'with_item': {
          const value = node.childForFieldName('value');
          if (value?.type === 'as_pattern') {
            const target = named(value).find((c) => c.type === 'as_pattern_target');
            const source = named(value)[0];
            const ids = target ? targetNames(named(target)[0] ?? target) : [];
            for (const id of ids) bind(id, ids.length === 1 && (named(target!)[0] ?? target)!.type === 'identifier' ? source : undefined);
          }
          break;
        }
        case 'except_clause':
        case 'as_pattern': {
          const target = named(node).find((c) => c.type === 'as_pattern_target');
          if (target) for (const id of targetNames(named(target)[0] ?? target)) bind(id, undefined, false);
          break;
        }
        case 'import_statement':
        case 'import_from_statement':
          for (const imp of importsOf(node)) if (!('star' in imp)) bindName(imp.local, undefined, false);
          return;
        default:
          break;
      }
      for (const child of named(node)) visit(child);
    };
    visit(body);
    for (const [name, n] of counts) if (n !== 1) scope.values.delete(name);
    for (const [name, n] of counts) if (n !== 1 || scope.globals.has(name)) scope.elements.delete(name);
    for (const [name, c] of counting) if (!c.other && (c.builtins.size > 0 || (c.init && c.step))) scope.counters.set(name, [...c.builtins]);
    // A loop variable also assigned elsewhere, or bound by two loops, has no one source.
    for (const [name, n] of loopCounts) if (n !== 1 || (counts.get(name) ?? 0) > 2) scope.loops.delete(name);
  }

  private inFunction(index: number, scope: FnScope, body: () => void): void {
    const savedFn = this.fn;
    const savedScope = this.scope;
    const savedCollector = this.collector;
    const savedClass = this.currentClass;
    this.fn = index;
    this.scope = scope;
    this.collector = undefined;
    try {
      body();
    } finally {
      this.fn = savedFn;
      this.scope = savedScope;
      this.collector = savedCollector;
      this.currentClass = savedClass;
    }
  }

  // ---- PyWalkContext

  lookup(name: string): PyLocalBinding | undefined {
    return this.lookupIn(this.scope, name);
  }

  private lookupIn(scope: FnScope | undefined, name: string): PyLocalBinding | undefined {
    for (let s = scope; s; s = s.parent) {
      if (s.globals.has(name)) break;
      const imp = s.imports.get(name);
      if (imp) return { name, module: false, kind: 'import' };
      const local = s.locals.get(name);
      if (local) return local;
    }
    if (this.moduleNames.has(name) || Object.hasOwn(this.summary.bindings, name)) return { name, module: true, kind: 'module' };
    if (Object.hasOwn(this.summary.imports, name)) return { name, module: true, kind: 'import' };
    return undefined;
  }

  isBuiltin(name: string): boolean {
    return this.lookup(name) === undefined;
  }

  importOf(node: PyNode): PyImportUse | undefined {
    // The rules' visitors of one node ask about the same callee, each building its attribute
    // chain again through WebAssembly: the answer is kept until the walk moves to another node.
    const q = this.importQuery;
    if (q && q.id === node.id && q.scope === this.scope) return q.answer;
    const answer = this.importOfIn(this.scope, node);
    this.importQuery = { id: node.id, scope: this.scope, answer };
    return answer;
  }

  private importOfIn(scope: FnScope | undefined, node: PyNode): PyImportUse | undefined {
    const path: string[] = [];
    let root = node;
    while (root.type === 'attribute') {
      path.unshift(root.childForFieldName('attribute')?.text ?? '');
      const obj = root.childForFieldName('object');
      if (!obj) return undefined;
      root = obj;
    }
    if (root.type !== 'identifier') return undefined;
    const name = root.text;
    let imp: { specifier: string; imported: string } | undefined;
    for (let s = scope; s && !imp; s = s.parent) {
      if (s.globals.has(name)) break;
      imp = s.imports.get(name);
      if (!imp && s.locals.has(name)) return undefined;
    }
    if (!imp && Object.hasOwn(this.summary.imports, name) && !this.moduleNames.has(name)) imp = this.summary.imports[name];
    if (!imp) return undefined;
    const qualified = [imp.specifier, ...(imp.imported === '*' ? [] : [imp.imported]), ...path].join('.').replace(/^(\.+)\./, '$1');
    return { specifier: imp.specifier, imported: imp.imported, path, qualified };
  }

  assignedValue(name: string): PyNode | undefined {
    return this.inScopeOf(this.scope, name)?.values.get(name);
  }

  /** The scope (of `scope` and the ones around it) where `name` is a local, if any. */
  private inScopeOf(scope: FnScope | undefined, name: string): FnScope | undefined {
    for (let s = scope; s; s = s.parent) if (s.locals.has(name)) return s;
    return undefined;
  }

  /**
   * A local that only counts from a literal: every binding of it in the function is `n = <int>`,
   * `n += <int>` / `n -= <int>` / `n = n + <int>` (with at least one of each), the index of
   * `for n, x in enumerate(...)` or the variable of `for n in range(...)`. It takes the same
   * values, in the same order, in every invocation, so a name made with it repeats across requests.
   */
  counter(name: string): readonly string[] | undefined {
    return this.inScopeOf(this.scope, name)?.counters.get(name);
  }

  loopSource(name: string): PyNode | undefined {
    return this.inScopeOf(this.scope, name)?.loops.get(name);
  }

  assignedElement(name: string): { value: PyNode; index: number } | undefined {
    return this.inScopeOf(this.scope, name)?.elements.get(name);
  }

  returnedValue(name: string, depth: number, element?: number): PathValue | undefined {
    return this.returnedValueIn(this.scope, this.fn, name, depth, element);
  }

  /**
   * The path a call of `name` returns, when `name` (as seen from `scope`) is a module-level
   * function of this file, defined once, undecorated, not a generator and not being evaluated
   * already (no recursion), whose every `return` gives the same value, made of nothing that
   * depends on its parameters. The return expression is evaluated in the helper's own scope;
   * `fn` is the caller's, so `tempfile.mkdtemp()` in a helper called during an invocation is per
   * request and one called by module-level code is made once at init. With `element`, the
   * function returns tuples (`return path, name`) and the value is the one at that position.
   */
  private returnedValueIn(scope: FnScope | undefined, fn: number, name: string, depth: number, element?: number): PathValue | undefined {
    const b = this.lookupIn(scope, name);
    if (!b || b.kind !== 'module' || this.moduleNames.get(name) !== 1 || this.globalNames.has(name)) return undefined;
    const def = this.moduleFunctions.get(name);
    if (!def || this.returning.has(name)) return undefined;
    const returns = returnExpressions(def);
    if (!returns) return undefined;
    let helper = this.helperScopes.get(def.id);
    if (!helper) {
      helper = this.newScope(HELPER_FN, def.childForFieldName('parameters'));
      helper.parent = undefined;
      this.collectLocals(def.childForFieldName('body'), helper);
      this.helperScopes.set(def.id, helper);
    }
    const env = this.envIn(helper, fn);
    this.returning.add(name);
    try {
      let value: PathValue | undefined;
      let key: string | undefined;
      for (const whole of returns) {
        const expr = element === undefined ? whole : tupleElement(whole, element);
        if (!expr) return undefined;
        const v = pathValueOf(env, expr, depth + 1);
        const k = JSON.stringify(v);
        if (v.t === 'unknown' || k.includes('"t":"param"')) return undefined;
        if (key !== undefined && k !== key) return undefined;
        value = v;
        key = k;
      }
      return value;
    } finally {
      this.returning.delete(name);
    }
  }

  /** The path-evaluation view of a helper's scope. */
  private envIn(scope: FnScope, fn: number): PyPathEnv {
    return {
      fn,
      lookup: (name) => this.lookupIn(scope, name),
      importOf: (node) => this.importOfIn(scope, node),
      assignedValue: (name) => this.inScopeOf(scope, name)?.values.get(name),
      loopSource: (name) => this.inScopeOf(scope, name)?.loops.get(name),
      counter: (name) => this.inScopeOf(scope, name)?.counters.get(name),
      assignedElement: (name) => this.inScopeOf(scope, name)?.elements.get(name),
      returnedValue: (name, depth, element) => this.returnedValueIn(scope, fn, name, depth, element),
    };
  }

  pathValue(node: PyNode): PathValue {
    return pathValueOf(this, node);
  }

  fsPathValue(node: PyNode): PathValue {
    const value = this.pathValue(node);
    let cwd: PathValue | undefined;
    for (let s = this.scope; s && !cwd; s = s.parent) cwd = s.cwd;
    return cwd && isRelativePath(value) ? { t: 'join', parts: [cwd, value], resolve: true } : value;
  }

  assignedModuleName(node: PyNode): string | undefined {
    const name = this.assignedName(node);
    if (name === undefined) return undefined;
    if (this.fn < 0) return this.currentClass === undefined ? name : undefined;
    const b = this.lookup(name);
    return b?.module ? name : undefined;
  }

  assignedLocalName(node: PyNode): string | undefined {
    if (this.fn < 0) return undefined;
    const name = this.assignedName(node);
    return name !== undefined && !this.lookup(name)?.module ? name : undefined;
  }

  private assignedName(node: PyNode): string | undefined {
    let cur = node;
    let p = cur.parent;
    while (p && (p.type === 'await' || p.type === 'parenthesized_expression')) {
      cur = p;
      p = p.parent;
    }
    if (!p || p.type !== 'assignment' || !p.childForFieldName('right')?.equals(cur)) return undefined;
    const left = p.childForFieldName('left');
    return left?.type === 'identifier' ? left.text : undefined;
  }

  loc(node: PyNode): Loc {
    return loc(node);
  }

  record(node: PyNode, fact: object): void {
    const list = (this.summary.facts[this.rule] ??= []);
    list.push({ ...fact, fn: this.fn, loc: loc(node) } as Fact);
  }

  markLogContext(): void {
    if (this.fn >= 0) this.summary.functions[this.fn]!.logContext = true;
    else if (this.collector) this.collector.logContext = true;
  }
}
