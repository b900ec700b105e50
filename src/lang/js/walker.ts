/**
 * @fileoverview One walk over one file's raw TypeScript syntax tree (ts-morph's bundled compiler
 * API, no wrapper objects: they cost more than the parse itself) that produces a {@link FileSummary}:
 * imports, exports, module-level bindings, functions with the module-level names they refer to,
 * and the facts each rule's visitors record. Scopes are tracked so a local that shadows a
 * module-level name is never mistaken for shared state, and values derived from function
 * parameters (the event, the context, a helper's arguments) are tracked as per-request data.
 */
import { ts } from '../../ts.js';
import type {
  Ref,
  Fact,
  FileSummary,
  FunctionSummary,
  InitKind,
  Loc,
  ModuleBinding,
  ParamSummary,
  PathValue,
  TypeRefSummary,
  ValueSummary,
} from '../../core/summary.js';
import { addCall, addParameterMember, emptyFileSummary, isPassedPath, ObjectFields, type InstanceArg, type PassedArg } from '../../core/summary.js';
import { isFunctionLike, isTypeOnly, unwrap } from './ast.js';
import type { CompiledVisitor, ImportUse, LocalBinding, RuleVisitors, StateTarget, TaintSources, Visitor, WalkContext } from './context.js';
import { pathValueOf } from './path-value.js';
import { collectDirectives, DIRECTIVE_MARKER } from './directives.js';

const S = ts.SyntaxKind;

/** What a declaration knows about a binding beyond its name and kind. */
interface BindingExtra {
  tainted?: boolean;
  taint?: TaintSources;
  param?: { fn: number; index: number };
  destructured?: boolean;
}
const NO_EXTRA: BindingExtra = {};

class Scope {
  readonly names = new Map<string, LocalBinding>();
  constructor(
    readonly parent: Scope | undefined,
    /** Function that owns this scope (-1: module). */
    readonly fn: number,
    readonly functionScope: boolean,
  ) {}
  lookup(name: string): LocalBinding | undefined {
    // A loop, not recursion: the hottest lookup of the walk.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const b = s.names.get(name);
      if (b) return b;
    }
    return undefined;
  }
}

/** Compiles rule visitor maps into a kind-indexed table (one array lookup per node). */
export function compileVisitors(rules: readonly RuleVisitors[]): CompiledVisitor[][] {
  const table: CompiledVisitor[][] = [];
  for (const rule of rules) {
    for (const [kindName, visit] of Object.entries(rule.visitors)) {
      const kind = (ts.SyntaxKind as unknown as Record<string, number>)[kindName];
      if (kind === undefined) throw new Error(`unknown syntax kind in rule visitor: ${kindName}`);
      (table[kind] ??= []).push({ rule: rule.id, visit: visit as Visitor });
    }
  }
  return table;
}

function isRequireCall(expr: ts.Expression | undefined): expr is ts.CallExpression {
  if (!expr) return false;
  const e = unwrap(expr);
  return (
    (ts.isCallExpression(e) &&
      ts.isIdentifier(e.expression) &&
      e.expression.text === 'require' &&
      e.arguments.length === 1 &&
      ts.isStringLiteralLike(e.arguments[0]!)) ||
    // `await import('../../analysis/x')`
    (ts.isAwaitExpression(e) &&
      ts.isCallExpression(e.expression) &&
      e.expression.expression.kind === S.ImportKeyword &&
      e.expression.arguments.length >= 1 &&
      ts.isStringLiteralLike(e.expression.arguments[0]!))
  );
}

function requireSpecifier(expr: ts.Expression): string {
  const e = unwrap(expr);
  const call = (ts.isAwaitExpression(e) ? e.expression : e) as ts.CallExpression;
  return (call.arguments[0] as ts.StringLiteral).text;
}

function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function initKindOf(init: ts.Expression | undefined): InitKind {
  if (!init) return 'none';
  const e = unwrap(init);
  switch (e.kind) {
    case S.ObjectLiteralExpression:
      return 'object';
    case S.ArrayLiteralExpression:
      return 'array';
    case S.ArrowFunction:
    case S.FunctionExpression:
      return 'function';
    case S.ClassExpression:
      return 'class';
    case S.StringLiteral:
    case S.NoSubstitutionTemplateLiteral:
    case S.NumericLiteral:
    case S.TrueKeyword:
    case S.FalseKeyword:
    case S.NullKeyword:
    case S.TemplateExpression:
    case S.BigIntLiteral:
      return 'literal';
    case S.NewExpression: {
      const callee = (e as ts.NewExpression).expression;
      const name = ts.isIdentifier(callee) ? callee.text : undefined;
      if (name === 'Map') return 'map';
      if (name === 'Set') return 'set';
      if (name === 'WeakMap' || name === 'WeakSet' || name === 'WeakRef') return 'weak';
      if (name === 'Array') return 'array';
      return 'new';
    }
    case S.CallExpression:
    case S.AwaitExpression:
      return 'call';
    case S.Identifier:
      return (e as ts.Identifier).text === 'undefined' ? 'none' : 'other';
    default:
      return 'other';
  }
}

/** A shebang line, or the `require.main === module` / `import.meta.main` test of a file run as a program. */
const COMMAND_LINE_SCRIPT = /^#!|\brequire\.main\s*===?\s*module\b|\bmodule\s*===?\s*require\.main\b|\bimport\.meta\.main\b/;

/** Parse a file and summarise it. Never throws on bad input: a parse failure is a `parseError`. */
export function summarizeFile(file: string, text: string, visitors: CompiledVisitor[][]): FileSummary {
  const scriptKind = scriptKindOf(file);
  // JSDoc is never read by the rules: skipping it is cheaper than the TypeScript default.
  const sourceFile = ts.createSourceFile(
    file,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    // Parent pointers are set by the walk itself as it descends (one pass over the tree, not two).
    false,
    scriptKind,
  );
  const summary: FileSummary = emptyFileSummary(file);
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  if (diagnostics && diagnostics.length > 0) {
    const d = diagnostics[0]!;
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(d.start);
    summary.parseError = {
      message: `Parsing error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      line: line + 1,
      column: character + 1,
    };
    return summary;
  }
  new Walker(sourceFile, summary, visitors).run();
  if (text.includes(DIRECTIVE_MARKER)) summary.directives = collectDirectives(sourceFile);
  if (COMMAND_LINE_SCRIPT.test(text)) summary.script = true;
  return summary;
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?ts$/.test(file)) return ts.ScriptKind.TS;
  // JSX is legal in plain .js files of React projects; TSX-free JS parses the same either way.
  return ts.ScriptKind.JS;
}

type Adoptable = { parent: ts.Node | undefined };

class Walker implements WalkContext {
  fn = -1;
  /** The rule whose visitor is running: the owner of the facts it records. */
  private rule = '';
  /** The node being visited: the parent of whatever is visited next. */
  private current: ts.Node;
  private scope: Scope;
  /** Where refs and function expressions written in module-level values go. */
  private collector: ValueSummary | undefined;
  /** While the decorators of a method are visited: where what they reference goes (see `FunctionSummary.decorators`). */
  private decoratorTarget: ValueSummary | undefined;
  /** Per function / module value: each ref key, and whether it was only ever called. */
  private readonly refKeys: Array<Map<string, 'ref' | 'call'>> = [];
  private readonly collectorKeys = new WeakMap<ValueSummary, Map<string, 'ref' | 'call'>>();
  private thisOwner: string | undefined;
  private requireCount = 0;
  /** The synthetic import each `require()` call in an expression became (`new (require('./lib'))()` names its class by it). */
  private readonly requireKeys = new Map<ts.Node, string>();
  /** Class expressions that are a module pseudo binding's value (`module.exports = class Warmer {…}`), with that binding's name. */
  private readonly classBindings = new Map<ts.Node, string>();
  /** Class members made from `this.x = new X()` (see {@link noteInstanceField}). */
  private readonly objectFields = new ObjectFields();
  /** Answers of {@link isFixedCall}, by call. */
  private readonly fixedCalls = new WeakMap<ts.Node, boolean>();
  /** Local names of `aws-lambda` imports (types): `Context`, `APIGatewayProxyEvent`, `lambda` of `import * as lambda`. */
  private readonly lambdaTypes = new Set<string>();
  private lineStarts: readonly number[] | undefined;
  /** The file may declare a `var` (most TypeScript never does: nested blocks need no second walk). */
  private readonly hasVar: boolean;
  /** The last `importOf` question and answer, valid while one node is visited (scopes change between nodes). */
  private importQuery: ts.Expression | undefined;
  private importAnswer: ImportUse | undefined;

  constructor(
    readonly sourceFile: ts.SourceFile,
    private readonly summary: FileSummary,
    private readonly visitors: CompiledVisitor[][],
  ) {
    this.scope = new Scope(undefined, -1, true);
    this.current = sourceFile;
    this.hasVar = /\bvar\b/.test(sourceFile.text);
  }

  run(): void {
    this.hoist(this.sourceFile.statements, this.scope, true);
    for (const statement of this.sourceFile.statements) this.visit(statement);
    // Apps and routers other files may register routes on.
    for (const binding of Object.values(this.summary.bindings)) if (this.isFrameworkApp(binding)) binding.app = true;
  }

  // ---------------------------------------------------------------- WalkContext

  lookup(name: string): LocalBinding | undefined {
    return this.scope.lookup(name);
  }

  isGlobal(name: string): boolean {
    return this.scope.lookup(name) === undefined;
  }

  importOf(expr: ts.Expression): ImportUse | undefined {
    // Several rules ask about the callee of the same call: answer once per node visited.
    if (expr === this.importQuery) return this.importAnswer;
    const answer = this.importOfUncached(expr);
    this.importQuery = expr;
    this.importAnswer = answer;
    return answer;
  }

  private importOfUncached(expr: ts.Expression): ImportUse | undefined {
    // Find the root first: most calls are on locals, and those need no property path.
    let e = unwrap(expr);
    while (e.kind === S.PropertyAccessExpression) e = unwrap((e as ts.PropertyAccessExpression).expression);
    let specifier: string;
    let imported: string;
    if (e.kind === S.Identifier) {
      const b = this.scope.lookup((e as ts.Identifier).text);
      if (!b) return undefined;
      const key = b.kind === 'import' ? (e as ts.Identifier).text : b.alias && b.alias.path.length === 0 ? b.alias.name : undefined;
      if (key === undefined) return undefined;
      const imp = this.summary.imports[key];
      if (!imp) return undefined;
      ({ specifier, imported } = imp);
    } else if (isRequireCall(e) && this.isGlobal('require')) {
      // `require('fs').writeFileSync(...)`
      specifier = requireSpecifier(e);
      imported = '*';
    } else {
      return undefined;
    }
    return { specifier, imported, path: propertyPath(expr, e) };
  }

  stateTarget(expr: ts.Expression): StateTarget | undefined {
    // Find the root first: most targets are locals, and those need no property path.
    let e = unwrap(expr);
    while (e.kind === S.PropertyAccessExpression || e.kind === S.ElementAccessExpression) {
      e = unwrap((e as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression);
    }
    if (e.kind === S.ThisKeyword) {
      if (!this.thisOwner) return undefined;
      return { ref: { name: 'this', path: propertyPath(expr, e) }, text: 'this' };
    }
    if (e.kind !== S.Identifier) return undefined;
    const name = (e as ts.Identifier).text;
    const b = this.scope.lookup(name);
    if (!b) return undefined;
    if (b.module) return { ref: { name, path: propertyPath(expr, e) }, text: name };
    if (b.alias) return { ref: { name: b.alias.name, path: [...b.alias.path, ...propertyPath(expr, e)] }, text: name };
    return undefined;
  }

  isTainted(node: ts.Node): boolean {
    switch (node.kind) {
      case S.Identifier: {
        const b = this.scope.lookup((node as ts.Identifier).text);
        return !!b && !b.module && b.tainted;
      }
      case S.AwaitExpression:
      case S.YieldExpression:
        return true;
      case S.PropertyAccessExpression:
        return this.isTainted((node as ts.PropertyAccessExpression).expression);
      default:
        if (isFunctionLike(node) || isTypeOnly(node)) return false;
        return ts.forEachChild(node, (child) => (this.isTainted(child) ? true : undefined)) === true;
    }
  }

  taintOf(node: ts.Node): TaintSources | undefined {
    if (!this.isTainted(node)) return undefined;
    const acc: TaintSources = { params: [], awaited: false, caught: false };
    this.collectTaint(node, acc);
    return acc;
  }

  private collectTaint(node: ts.Node, acc: TaintSources): void {
    switch (node.kind) {
      case S.Identifier: {
        const b = this.scope.lookup((node as ts.Identifier).text);
        if (b && !b.module && b.taint) mergeTaint(acc, b.taint);
        return;
      }
      case S.AwaitExpression:
        acc.awaited = true;
        if (!this.isFixedCall(unwrap((node as ts.AwaitExpression).expression))) acc.varying = true;
        // What an SDK client, a driver or `fetch` resolves to is I/O, not the request, even when
        // the request went into the call (`await txn.execute(sql, fromEvent)`): it is awaited only.
        if (this.isForeignCall(unwrap((node as ts.AwaitExpression).expression))) return;
        break;
      case S.YieldExpression:
        acc.awaited = true;
        acc.varying = true;
        break;
      case S.PropertyAccessExpression:
        this.collectTaint((node as ts.PropertyAccessExpression).expression, acc);
        return;
      default:
        if (isFunctionLike(node) || isTypeOnly(node)) return;
    }
    ts.forEachChild(node, (child) => this.collectTaint(child, acc));
  }

  /**
   * A call that leaves the project: the global `fetch`, or a method of an object that no project
   * code defines (a package import, a client built from one, a parameter, an undeclared global).
   * A method of `this`, of a project import, of an alias of module state or of an object literal
   * may be project code that returns the request's own data, and is not foreign.
   */
  private isForeignCall(expr: ts.Expression): boolean {
    if (expr.kind !== S.CallExpression) return false;
    const callee = unwrap((expr as ts.CallExpression).expression);
    if (callee.kind === S.Identifier) return (callee as ts.Identifier).text === 'fetch' && this.isGlobal('fetch');
    if (callee.kind !== S.PropertyAccessExpression) return false;
    let root = unwrap((callee as ts.PropertyAccessExpression).expression);
    while (root.kind === S.PropertyAccessExpression) root = unwrap((root as ts.PropertyAccessExpression).expression);
    if (root.kind !== S.Identifier) return false;
    const name = (root as ts.Identifier).text;
    const b = this.scope.lookup(name);
    if (!b) return true;
    if (b.alias || b.instanceOf) return false;
    if (b.kind === 'import') return isPackageSpecifier(this.summary.imports[name]?.specifier);
    if (b.kind === 'param') return true;
    if (b.kind === 'let' || b.kind === 'const' || b.kind === 'var') {
      const init = b.init && !b.destructured ? unwrap(b.init) : undefined;
      if (!init) return b.kind !== 'const';
      if (init.kind !== S.NewExpression && init.kind !== S.CallExpression) return false;
      let made = unwrap((init as ts.NewExpression | ts.CallExpression).expression);
      while (made.kind === S.PropertyAccessExpression) made = unwrap((made as ts.PropertyAccessExpression).expression);
      if (isRequireCall(made)) return isPackageSpecifier(requireSpecifier(made));
      if (made.kind !== S.Identifier) return false;
      const maker = this.scope.lookup((made as ts.Identifier).text);
      return maker?.kind === 'import' && isPackageSpecifier(this.summary.imports[(made as ts.Identifier).text]?.specifier);
    }
    return false;
  }

  /**
   * A call of package code whose arguments carry nothing of the invocation: an SDK client's
   * method, `fetch`, a function imported from a package, or a call on what such a call returns
   * (`fromEnv('AWS')()`, `ssm.getParameter({ Name: '/app/key' }).promise()`). Every invocation
   * asks it for the same thing.
   */
  private isFixedCall(expr: ts.Expression): boolean {
    if (expr.kind !== S.CallExpression) return false;
    // taintOf asks again for every expression around the `await`: once per call is enough.
    let fixed = this.fixedCalls.get(expr);
    if (fixed === undefined) this.fixedCalls.set(expr, (fixed = this.computeFixedCall(expr as ts.CallExpression)));
    return fixed;
  }

  private computeFixedCall(call: ts.CallExpression): boolean {
    // The receiver counts as an input: `tenantClient.get('/config')` on a client made from a parameter is not fixed.
    if (this.isTainted(call.expression) || call.arguments.some((a) => this.isTainted(a))) return false;
    if (this.isForeignCall(call)) return true;
    let callee = unwrap(call.expression);
    while (callee.kind === S.PropertyAccessExpression) callee = unwrap((callee as ts.PropertyAccessExpression).expression);
    if (callee.kind === S.CallExpression) return this.isFixedCall(callee);
    if (callee.kind !== S.Identifier) return false;
    const name = (callee as ts.Identifier).text;
    return this.scope.lookup(name)?.kind === 'import' && isPackageSpecifier(this.summary.imports[name]?.specifier);
  }

  pathValue(expr: ts.Expression): PathValue {
    return pathValueOf(this, expr);
  }

  loc(node: ts.Node): Loc {
    const start = node.getStart(this.sourceFile);
    const end = node.end;
    const line = this.lineIndex(start);
    const endLine = this.lineIndex(end);
    const starts = this.lineStarts!;
    return { line: line + 1, column: start - starts[line]! + 1, endLine: endLine + 1, endColumn: end - starts[endLine]! + 1 };
  }

  /** 1-based line of the first token of `node`. */
  private lineOf(node: ts.Node): number {
    return this.lineIndex(node.getStart(this.sourceFile)) + 1;
  }

  /** 0-based line of a position (as `getLineAndCharacterOfPosition`, on line starts computed once). */
  private lineIndex(pos: number): number {
    const starts = (this.lineStarts ??= lineStartsOf(this.sourceFile));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  record(node: ts.Node, data: Record<string, unknown>): void {
    const fact: Fact = { ...data, fn: this.fn, loc: this.loc(node) };
    (this.summary.facts[this.rule] ??= []).push(fact);
  }

  markLogContext(): void {
    if (this.fn >= 0) this.summary.functions[this.fn]!.logContext = true;
    else if (this.collector) this.collector.logContext = true;
  }

  // ---------------------------------------------------------------- walk

  /** Visit `child` as a child of `parent` (for grandchildren the walk reaches directly). */
  private visitUnder(parent: ts.Node, child: ts.Node): void {
    const saved = this.current;
    this.current = parent;
    this.visit(child);
    this.current = saved;
  }

  private visit = (node: ts.Node): void => {
    if (node.parent === undefined) (node as unknown as Adoptable).parent = this.current;
    // Tokens (literals, keywords, punctuation) have no children: only identifiers, `this` and
    // tokens a rule visits need more than a parent pointer.
    if (node.kind < S.FirstNode && node.kind !== S.Identifier && node.kind !== S.ThisKeyword && !this.visitors[node.kind]) return;
    if (isTypeOnly(node)) return;
    const saved = this.current;
    this.current = node;
    this.visitNode(node);
    this.current = saved;
  };

  private visitNode(node: ts.Node): void {
    this.importQuery = undefined;
    const vs = this.visitors[node.kind];
    if (vs) {
      for (const v of vs) {
        this.rule = v.rule;
        v.visit(node, this);
      }
    }

    switch (node.kind) {
      case S.Identifier:
        this.onIdentifier(node as ts.Identifier);
        return;
      case S.ThisKeyword:
        this.onThis(node);
        return;
      case S.ImportDeclaration:
      case S.ImportEqualsDeclaration:
        // Declared while hoisting.
        return;
      case S.ExportDeclaration:
        this.onExportDeclaration(node as ts.ExportDeclaration);
        return;
      case S.ExportAssignment:
        this.onExportAssignment(node as ts.ExportAssignment);
        return;
      case S.VariableDeclaration:
        this.onVariableDeclaration(node as ts.VariableDeclaration);
        return;
      case S.Block:
        // A block that declares nothing would get an empty scope: skip it (lookups stay short).
        if (!isFunctionLike(node.parent) && declaresNames((node as ts.Block).statements)) {
          this.withScope(false, () => {
            this.hoist((node as ts.Block).statements, this.scope, false);
            ts.forEachChild(node, this.visit);
          });
          return;
        }
        break;
      case S.CaseBlock: {
        const clauses = (node as ts.CaseBlock).clauses;
        if (clauses.some((c) => declaresNames(c.statements))) {
          this.withScope(false, () => {
            this.hoist(
              clauses.flatMap((c) => [...c.statements]),
              this.scope,
              false,
            );
            ts.forEachChild(node, this.visit);
          });
          return;
        }
        break;
      }
      case S.ForStatement:
      case S.ForInStatement:
      case S.ForOfStatement: {
        if (node.kind === S.ForOfStatement && (node as ts.ForOfStatement).awaitModifier) this.onAwait(node);
        const init = (node as ts.ForStatement).initializer;
        if (init && ts.isVariableDeclarationList(init)) {
          this.withScope(false, () => {
            this.declareList(init, this.scope);
            if (node.kind !== S.ForStatement) this.bindLoopVariables(init, (node as ts.ForOfStatement).expression);
            ts.forEachChild(node, this.visit);
          });
          return;
        }
        break;
      }
      case S.CatchClause: {
        const clause = node as ts.CatchClause;
        this.withScope(false, () => {
          if (clause.variableDeclaration)
            this.declareName(clause.variableDeclaration.name, 'catch', this.scope, {
              tainted: true,
              taint: { params: [], awaited: false, caught: true },
            });
          this.visit(clause.block);
        });
        return;
      }
      case S.ClassDeclaration:
      case S.ClassExpression:
        this.onClass(node as ts.ClassLikeDeclaration);
        return;
      case S.AwaitExpression:
      case S.YieldExpression:
        this.onAwait(node);
        break;
      case S.BinaryExpression:
        if (this.onBinary(node as ts.BinaryExpression)) return;
        break;
      case S.PropertyAssignment:
        // Property names are not references; only the value is walked.
        this.visit((node as ts.PropertyAssignment).initializer);
        return;
      case S.CallExpression:
        if (this.onRequireCall(node as ts.CallExpression) || (this.fn === -1 && this.onRouteRegistration(node as ts.CallExpression))) return;
        break;
      case S.PropertyAccessExpression:
        // `.name` is not a reference.
        this.visit((node as ts.PropertyAccessExpression).expression);
        return;
      case S.Decorator: {
        if (/\binjectLambdaContext\b/.test(node.getText(this.sourceFile))) this.markLogContext();
        // A decorator runs once, when the class is defined: it is init code of the enclosing
        // scope, not part of the value of the class or method it decorates (else the graph
        // would take `logger.injectLambdaContext()` for a factory that made the handler).
        // A method's decorators of a module-level class are kept apart (`decoratorTarget`): the
        // wrapper a decorator installs runs on each call of the method.
        const savedCollector = this.collector;
        const savedTarget = this.decoratorTarget;
        this.collector = this.decoratorTarget;
        this.decoratorTarget = undefined;
        ts.forEachChild(node, (child) => this.visit(child));
        this.collector = savedCollector;
        this.decoratorTarget = savedTarget;
        return;
      }
      default:
        if (isFunctionLike(node)) {
          this.onFunction(node);
          return;
        }
    }
    ts.forEachChild(node, this.visit);
  }

  private withScope(functionScope: boolean, body: () => void, fn = this.fn): void {
    const saved = this.scope;
    this.scope = new Scope(saved, fn, functionScope);
    try {
      body();
    } finally {
      this.scope = saved;
    }
  }

  /** Declare the names a statement list introduces before walking it (hoisting, TDZ aside). */
  private hoist(statements: readonly ts.Statement[], scope: Scope, functionScope: boolean): void {
    for (const st of statements) {
      if (ts.isVariableStatement(st)) {
        this.declareList(st.declarationList, scope);
        if (functionScope) continue;
      } else if (ts.isFunctionDeclaration(st) && st.name) {
        this.declareName(st.name, 'function', scope);
      } else if (ts.isClassDeclaration(st) && st.name) {
        this.declareName(st.name, 'class', scope);
      } else if (ts.isEnumDeclaration(st)) {
        this.declareName(st.name, 'const', scope);
      } else if (ts.isImportDeclaration(st)) {
        this.declareImports(st, scope);
      } else if (ts.isImportEqualsDeclaration(st)) {
        if (ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteralLike(st.moduleReference.expression)) {
          this.summary.imports[st.name.text] = { specifier: st.moduleReference.expression.text, imported: '*' };
          scope.names.set(st.name.text, { name: st.name.text, module: scope.fn === -1, kind: 'import', tainted: false });
        }
      }
      // Only statements that can hold statements can hold a nested `var`.
      if (functionScope && this.hasVar && isStatementContainer(st)) this.hoistVars(st, scope);
    }
  }

  /** `var` declarations in nested blocks belong to the function scope. */
  private hoistVars(node: ts.Node, scope: Scope): void {
    ts.forEachChild(node, (child) => {
      if (isFunctionLike(child) || ts.isClassLike(child) || !isStatementContainer(child)) return;
      if (ts.isVariableStatement(child) && (child.declarationList.flags & ts.NodeFlags.BlockScoped) === 0) {
        this.declareList(child.declarationList, scope);
      } else if (ts.isVariableDeclarationList(child) && (child.flags & ts.NodeFlags.BlockScoped) === 0) {
        this.declareList(child, scope);
      }
      this.hoistVars(child, scope);
    });
  }

  private declareList(list: ts.VariableDeclarationList, scope: Scope): void {
    const kind = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
    let target = scope;
    if (kind === 'var') while (!target.functionScope && target.parent) target = target.parent;
    for (const decl of list.declarations) this.declareName(decl.name, kind, target);
  }

  private declareName(name: ts.BindingName, kind: LocalBinding['kind'], scope: Scope, extra: BindingExtra = NO_EXTRA): void {
    if (name.kind === S.Identifier) {
      const text = name.text;
      const existing = scope.names.get(text);
      // A value declared with an imported name (`import { ErrorHandler } …; const ErrorHandler: ErrorHandler = …`)
      // compiles only when the import is a type, so the declaration is the value the name stands for.
      const shadowsImport = existing?.kind === 'import' && kind !== 'import' && kind !== 'param' && kind !== 'catch' && scope.fn === -1;
      if (shadowsImport) delete this.summary.imports[text];
      else if (kind !== 'param' && existing) return;
      const module = scope.fn === -1 && kind !== 'param' && kind !== 'catch';
      const binding: LocalBinding = { name: text, module, kind, tainted: extra.tainted ?? false };
      if (extra.taint) binding.taint = extra.taint;
      if (extra.param) binding.param = extra.param;
      if (extra.destructured) binding.destructured = true;
      scope.names.set(text, binding);
      if (module && kind !== 'import' && !this.summary.bindings[text]) {
        this.summary.bindings[text] = {
          kind: kind as ModuleBinding['kind'],
          line: this.lineOf(name),
          init: kind === 'function' ? 'function' : kind === 'class' ? 'class' : 'none',
          value: { fns: [], refs: [] },
        };
      }
      return;
    }
    for (const el of name.elements) {
      if (ts.isBindingElement(el)) this.declareName(el.name, kind, scope, { ...extra, destructured: true });
    }
  }

  private declareImports(node: ts.ImportDeclaration, scope: Scope): void {
    if (!ts.isStringLiteralLike(node.moduleSpecifier)) return;
    const specifier = node.moduleSpecifier.text;
    const clause = node.importClause;
    if (clause && isAwsLambdaTypes(specifier)) this.noteLambdaTypes(clause);
    if (!clause || clause.isTypeOnly) return;
    const add = (local: string, imported: string) => {
      // The value declared with this name earlier in the file wins (see declareName): the import is a type.
      const declared = scope.names.get(local);
      if (declared && declared.kind !== 'import') return;
      this.summary.imports[local] = { specifier, imported };
      scope.names.set(local, { name: local, module: true, kind: 'import', tainted: false });
    };
    if (clause.name) add(clause.name.text, 'default');
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) add(nb.name.text, '*');
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        if (el.isTypeOnly) continue;
        add(el.name.text, (el.propertyName ?? el.name).text);
      }
    }
  }

  /** The local names `aws-lambda` (the `@types/aws-lambda` types) is imported under, type-only imports included. */
  private noteLambdaTypes(clause: ts.ImportClause): void {
    if (clause.name) this.lambdaTypes.add(clause.name.text);
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) this.lambdaTypes.add(nb.name.text);
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) this.lambdaTypes.add(el.name.text);
  }

  /** A type annotation as handler discovery reads it: the referenced type's name, and whether it is one of `aws-lambda`'s. */
  private typeRefOf(type: ts.TypeNode | undefined): TypeRefSummary | undefined {
    if (!type || !ts.isTypeReferenceNode(type)) return undefined;
    const name = type.typeName;
    if (ts.isIdentifier(name)) return this.lambdaTypes.has(name.text) ? { name: name.text, lambda: true } : { name: name.text };
    const root = ts.isIdentifier(name.left) ? name.left.text : undefined;
    return root !== undefined && this.lambdaTypes.has(root) ? { name: name.right.text, lambda: true } : { name: name.right.text };
  }

  /** Parameters and declared type of a module-level function: what handler discovery reads (src/handlers/infer.ts). */
  private recordSignature(fn: FunctionSummary, node: ts.FunctionLikeDeclaration): void {
    fn.params = node.parameters.map((p): ParamSummary => {
      const param: ParamSummary = {};
      if (ts.isIdentifier(p.name)) param.name = p.name.text;
      else param.pattern = true;
      if (p.dotDotDotToken) param.rest = true;
      const type = this.typeRefOf(p.type);
      if (type) param.type = type;
      return param;
    });
    // `export const handler: Handler = async (event) => …`, also through a wrapper: `: Handler = middy(async …)`.
    let up: ts.Node = node.parent;
    while (up && (ts.isCallExpression(up) || ts.isParenthesizedExpression(up) || ts.isAsExpression(up) || ts.isSatisfiesExpression(up))) up = up.parent;
    if (up && ts.isVariableDeclaration(up)) {
      const declared = this.typeRefOf(up.type);
      if (declared) fn.declaredType = declared;
    }
  }

  /** A reference of the current function or module value; `called`: the callee of a direct call (`init()`, `svc.start()`). */
  private addRef(name: string, path: string[], called = false): void {
    const key = path.length ? `${name}.${path.join('.')}` : name;
    let target: { refs: Ref[]; calls?: Ref[] };
    let keys: Map<string, 'ref' | 'call'>;
    if (this.fn >= 0) {
      keys = this.refKeys[this.fn] ??= new Map();
      target = this.summary.functions[this.fn]!;
    } else if (this.collector) {
      let k = this.collectorKeys.get(this.collector);
      if (!k) this.collectorKeys.set(this.collector, (k = new Map()));
      keys = k;
      target = this.collector;
    } else return;
    const seen = keys.get(key);
    if (seen === 'ref' || (seen === 'call' && called)) return;
    if (called) {
      keys.set(key, 'call');
      (target.calls ??= []).push({ name, path });
      return;
    }
    if (seen === 'call') {
      // Also used as a value: an ordinary reference (it may be stored, returned, passed on).
      target.calls = target.calls!.filter((r) => (r.path.length ? `${r.name}.${r.path.join('.')}` : r.name) !== key);
      if (target.calls.length === 0) delete target.calls;
    }
    keys.set(key, 'ref');
    target.refs.push({ name, path });
  }

  private onIdentifier(id: ts.Identifier): void {
    if (!isReference(id)) return;
    const b = this.scope.lookup(id.text);
    if (!b) return;
    let name: string;
    let base: string[];
    if (b.module) {
      name = id.text;
      base = [];
    } else if (b.alias) {
      name = b.alias.name;
      base = b.alias.path;
    } else if (b.instanceOf) {
      // `svc.run()` on a local `new Service()`: the method of the class runs.
      const chain = propertyChain(id);
      if (chain.length > 0 && isCalleeChain(id)) {
        const method = { name: b.instanceOf.name, path: [...b.instanceOf.path, chain[0]!] };
        this.addRef(method.name, method.path, true);
        this.notePasses(id, method);
      }
      return;
    } else if (b.kind === 'param' && b.param && this.fn >= 0) {
      // `parser.process(key)` on a parameter: a method of the classes callers pass there.
      const chain = propertyChain(id);
      if (chain.length > 0 && isCalleeChain(id)) {
        const { fn, index } = b.param;
        addParameterMember(this.summary.functions[fn]!, index, chain[0]!);
        this.notePasses(id, { name: chain[0]!, path: [] }, [fn, index]);
      }
      return;
    } else return;
    let chain = propertyChain(id);
    let called = isCalleeChain(id);
    const last = chain[chain.length - 1];
    if (called && (last === 'bind' || last === 'call' || last === 'apply')) {
      // `svc.handle.bind(svc)` makes a function of `svc.handle` without calling it; `.call`/`.apply` call it.
      chain = chain.slice(0, -1);
      called = last !== 'bind';
    }
    this.addRef(name, [...base, ...chain], called);
    if (called) this.notePasses(id, { name, path: [...base, ...chain] });
  }

  /**
   * A call of `callee` (at the end of the chain starting at `id`) that passes on values made from
   * parameters (`download(record.s3.object.key)`): kept so that the scan knows which parameters
   * of the callee carry event data ({@link FunctionSummary.passes}).
   */
  private notePasses(id: ts.Node, callee: Ref, onParam?: [number, number]): void {
    if (this.fn < 0) return;
    let cur: ts.Node = id;
    while (
      cur.parent &&
      (ts.isPropertyAccessExpression(cur.parent) ||
        ts.isElementAccessExpression(cur.parent) ||
        ts.isNonNullExpression(cur.parent) ||
        ts.isParenthesizedExpression(cur.parent)) &&
      (cur.parent as { expression?: ts.Node }).expression === cur
    ) {
      cur = cur.parent;
    }
    const call = cur.parent;
    if (!call || !ts.isCallExpression(call) || call.expression !== cur) return;
    const args: PassedArg[] = [];
    const instances: InstanceArg[] = [];
    for (let index = 0; index < call.arguments.length; index++) {
      const arg = call.arguments[index]!;
      if (ts.isSpreadElement(arg)) break;
      const cls = this.classOfArgument(arg);
      if (cls) instances.push({ index, cls });
      // Functions, numbers and keywords carry neither a path nor event data: skipped without a look.
      if (NOT_PASSED.has(arg.kind)) continue;
      const taint = this.taintOf(arg);
      const value = this.pathValue(arg);
      // A name made unique from the request (`draft-${context.awsRequestId}.md`) is not shared event data.
      const params = taint?.params.length && !hasUniquePart(value) ? taint.params.map(([fn, i]): [number, number] => [fn, i]) : [];
      const path = isPassedPath(value) ? value : undefined;
      if (params.length || path) args.push({ index, params, ...(path ? { path } : {}) });
    }
    addCall(this.summary.functions[this.fn]!, callee, onParam, args, instances);
  }

  /**
   * The class of an argument that is an object of one (see {@link FunctionSummary.instanceArgs}):
   * `new Parser()` itself, a local made by it, or a module-level instance. (A parameter passed on
   * is in `passes`.)
   */
  private classOfArgument(arg: ts.Expression): Ref | undefined {
    const u = unwrap(arg);
    if (ts.isNewExpression(u)) {
      const target = this.stateTarget(u.expression);
      return target && target.ref.name !== 'this' ? target.ref : undefined;
    }
    if (!ts.isIdentifier(u)) return undefined;
    const b = this.scope.lookup(u.text);
    if (!b) return undefined;
    if (b.instanceOf) return b.instanceOf;
    return b.module && Object.hasOwn(this.summary.bindings, u.text) ? this.summary.bindings[u.text]!.ctor : undefined;
  }

  private onThis(node: ts.Node): void {
    if (this.fn < 0 || !this.thisOwner) return;
    const chain = propertyChain(node);
    this.addRef('this', chain);
    if (chain.length && isCalleeChain(node)) this.notePasses(node, { name: 'this', path: chain });
  }

  private onAwait(node: ts.Node): void {
    if (this.fn >= 0) this.summary.functions[this.fn]!.awaits.push(node.getStart(this.sourceFile));
  }

  private onExportDeclaration(node: ts.ExportDeclaration): void {
    if (node.isTypeOnly) return;
    const spec = node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
    const clause = node.exportClause;
    if (!clause) {
      if (spec) this.summary.starExports.push(spec);
      return;
    }
    if (ts.isNamespaceExport(clause)) {
      if (!spec) return;
      const local = `*${clause.name.text}`;
      this.summary.imports[local] = { specifier: spec, imported: '*' };
      this.summary.exports[clause.name.text] = local;
      return;
    }
    for (const el of clause.elements) {
      if (el.isTypeOnly) continue;
      const exported = el.name.text;
      const local = (el.propertyName ?? el.name).text;
      if (spec) this.summary.reexports.push({ specifier: spec, imported: local, exported });
      else this.summary.exports[exported] = local;
    }
  }

  private onExportAssignment(node: ts.ExportAssignment): void {
    const name = node.isExportEquals ? 'module.exports' : 'default';
    const expr = unwrap(node.expression);
    if (ts.isIdentifier(expr) && this.scope.lookup(expr.text)?.module) {
      this.summary.exports.default = expr.text;
    } else {
      this.defineModuleValue(name, node.expression);
      this.summary.exports.default = name;
    }
    if (node.isExportEquals) this.summary.commonjs = true;
  }

  /** A module-level pseudo binding (`exports.handler`, `default`) whose value is `expr`. */
  private defineModuleValue(name: string, expr: ts.Expression): void {
    const previous = Object.hasOwn(this.summary.bindings, name) ? this.summary.bindings[name] : undefined;
    if (previous?.kind === 'export') {
      // `if (sentry) exports.handler = wrap(exports.handler)`: either value may be the export
      // (the wrapper, at init, with the first value inside): both are followed.
      const before = previous.init;
      this.collectInto(previous, expr, name);
      if (before === 'function') previous.init = before;
      return;
    }
    const binding: ModuleBinding = {
      kind: 'export',
      line: this.lineOf(expr),
      init: initKindOf(expr),
      value: { fns: [], refs: [] },
    };
    this.summary.bindings[name] = binding;
    this.collectInto(binding, expr, name);
  }

  /** `name`: the binding's own name, when a class expression's members belong to it (`module.exports = class …`). */
  private collectInto(binding: ModuleBinding, init: ts.Expression, name?: string): void {
    const e = unwrap(init);
    if (ts.isObjectLiteralExpression(e)) {
      adoptChain(this.current, init, e);
      binding.members = Object.create(null) as Record<string, ValueSummary>;
      for (const prop of e.properties) {
        adopt(e, prop);
        const key = propertyNameText(prop.name);
        if (key === undefined) {
          this.withCollector(binding.value, () => this.visitUnder(e, prop));
          continue;
        }
        const member: ValueSummary = { fns: [], refs: [] };
        binding.members[key] = member;
        this.withCollector(member, () => {
          if (ts.isShorthandPropertyAssignment(prop)) this.visitUnder(prop, prop.name);
          else if (ts.isPropertyAssignment(prop)) {
            this.visitUnder(prop, prop.initializer);
            const pv = this.pathValue(prop.initializer);
            if (pv.t !== 'unknown') (member as ValueSummary & { path?: PathValue }).path = pv;
          } else this.visitUnder(e, prop);
        });
      }
      return;
    }
    if (ts.isNewExpression(e)) {
      const ctor = this.stateTarget(e.expression);
      if (ctor) binding.ctor = ctor.ref;
    }
    if (ts.isClassExpression(e) && name !== undefined) this.classBindings.set(e, name);
    this.withCollector(binding.value, () => this.visit(init));
    if (ts.isNewExpression(e) && !binding.ctor) {
      // `new (require('./lib'))()`: the class is the module's export.
      const key = this.requireKeys.get(unwrap(e.expression));
      if (key !== undefined) binding.ctor = { name: key, path: [] };
    }
    if (binding.init !== 'function' && binding.init !== 'class' && binding.init !== 'object') {
      const pv = this.pathValue(init);
      if (pv.t !== 'unknown') binding.path = pv;
    }
  }

  private withCollector(target: ValueSummary, body: () => void): void {
    const saved = this.collector;
    this.collector = target;
    try {
      body();
    } finally {
      this.collector = saved;
    }
  }

  private onVariableDeclaration(decl: ts.VariableDeclaration): void {
    const init = decl.initializer;
    const isModule = this.fn === -1 && this.scope.fn === -1 && isModuleLevelDeclaration(decl);
    if (isRequireCall(init)) {
      this.bindRequire(decl.name, requireSpecifier(init), isModule);
      return;
    }
    const member = init && this.packageMemberOf(init);
    if (member && (ts.isIdentifier(decl.name) ? member.names.length === 1 : member.names.length === 0)) {
      // `const Client = require('pg').Client`, `import pkg from 'pg'; const { Client } = pkg`: imports of the package's export.
      if (ts.isIdentifier(decl.name)) this.bindImport(decl.name.text, member.specifier, member.names[0]!, isModule);
      else this.bindRequire(decl.name, member.specifier, isModule);
      return;
    }
    if (ts.isIdentifier(decl.name)) {
      const b = this.scope.lookup(decl.name.text);
      if (b && init) {
        b.init = init;
        if (!b.module) {
          b.taint = this.taintOf(init);
          b.tainted = b.taint !== undefined;
          // `const s = state` / `const m = ns.helpers`: the local stands for module state.
          const u = unwrap(init);
          if ((ts.isIdentifier(u) || ts.isPropertyAccessExpression(u)) && b.kind === 'const') {
            const target = this.stateTarget(u);
            if (target && target.ref.name !== 'this') b.alias = target.ref;
          } else if (ts.isNewExpression(u) && b.kind !== 'var') {
            const target = this.stateTarget(u.expression);
            if (target && target.ref.name !== 'this') b.instanceOf = target.ref;
          }
        }
      }
      if (isModule && b?.module) {
        const binding = this.summary.bindings[decl.name.text]!;
        binding.init = initKindOf(init);
        if (isExported(decl)) this.summary.exports[decl.name.text] = decl.name.text;
        if (init) this.collectInto(binding, init);
        return;
      }
    } else if (init) {
      const taint = this.taintOf(init);
      forEachBindingIdentifier(decl.name, (id) => {
        const b = this.scope.lookup(id.text);
        if (b && !b.module) {
          b.init = init;
          b.tainted = taint !== undefined;
          b.taint = taint;
        } else if (b?.module && isModule) {
          const binding = this.summary.bindings[id.text]!;
          binding.init = 'other';
          if (isExported(decl)) this.summary.exports[id.text] = id.text;
        }
      });
    }
    if (init) this.visit(init);
  }

  /**
   * `require('m').a` (any module), or `pkg` / `pkg.a` where `pkg` is the default or namespace
   * import of a package (CommonJS interop: the default of a package is its `module.exports`, whose
   * properties are its exports). Not for the project's own ES modules, where `mod.default.x` is
   * not export `x`.
   */
  private packageMemberOf(init: ts.Expression): { specifier: string; names: string[] } | undefined {
    const names: string[] = [];
    let e = unwrap(init);
    while (ts.isPropertyAccessExpression(e)) {
      names.unshift(e.name.text);
      e = unwrap(e.expression);
    }
    if (ts.isCallExpression(e) && isRequireCall(e) && this.isGlobal('require')) return names.length ? { specifier: requireSpecifier(e), names } : undefined;
    if (!ts.isIdentifier(e)) return undefined;
    const b = this.scope.lookup(e.text);
    const imp = b?.kind === 'import' && Object.hasOwn(this.summary.imports, e.text) ? this.summary.imports[e.text] : undefined;
    if (!imp || (imp.imported !== 'default' && imp.imported !== '*')) return undefined;
    if (imp.specifier.startsWith('.') || imp.specifier.startsWith('/') || imp.specifier.startsWith('require#')) return undefined;
    return { specifier: imp.specifier, names };
  }

  /** `for (const item of event.items)`: the loop variable is derived from the iterated value. */
  /**
   * The array a callback iterates, and which of its parameters is the element: the first of
   * `map`/`forEach`/`filter`/... and the second of `reduce`, when the callback is written inline
   * as the method's first argument.
   */
  private iteratedBy(node: ts.FunctionLikeDeclaration): { iterated: ts.Expression; index: number } | undefined {
    if (node.kind !== S.ArrowFunction && node.kind !== S.FunctionExpression) return undefined;
    let arg: ts.Node = node;
    while (arg.parent?.kind === S.ParenthesizedExpression) arg = arg.parent;
    const call = arg.parent;
    if (!call || call.kind !== S.CallExpression || (call as ts.CallExpression).arguments[0] !== arg) return undefined;
    const callee = unwrap((call as ts.CallExpression).expression);
    if (callee.kind !== S.PropertyAccessExpression) return undefined;
    const index = ELEMENT_PARAM.get((callee as ts.PropertyAccessExpression).name.text);
    return index === undefined ? undefined : { iterated: (callee as ts.PropertyAccessExpression).expression, index };
  }

  /** The names of an element parameter stand for parts of the iterated value, as loop variables do. */
  private bindElement(name: ts.BindingName, iterated: ts.Expression, taint: TaintSources): void {
    forEachBindingIdentifier(name, (id) => {
      const b = this.scope.lookup(id.text);
      if (!b || b.module || b.kind !== 'param') return;
      b.init = iterated;
      b.destructured = true;
      delete b.param;
      // Only the array method calls the callback: the element is what the array holds, not a parameter's value.
      b.taint = { params: [...taint.params], awaited: taint.awaited, caught: taint.caught };
    });
  }

  private bindLoopVariables(list: ts.VariableDeclarationList, iterated: ts.Expression): void {
    const taint = this.taintOf(iterated);
    for (const decl of list.declarations) {
      forEachBindingIdentifier(decl.name, (id) => {
        const b = this.scope.lookup(id.text);
        if (!b || b.module) return;
        b.init = iterated;
        b.destructured = true;
        b.tainted = taint !== undefined;
        b.taint = taint;
      });
    }
  }

  /** `const x = require('m')`, `const { a, b: c } = require('m')`, `await import('m')`. */
  private bindRequire(name: ts.BindingName, specifier: string, isModule: boolean): void {
    if (ts.isIdentifier(name)) {
      this.bindImport(name.text, specifier, '*', isModule);
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        if (!ts.isIdentifier(el.name)) continue;
        const imported = propertyNameText(el.propertyName) ?? el.name.text;
        this.bindImport(el.name.text, specifier, imported, isModule);
      }
    }
  }

  private bindImport(local: string, specifier: string, imported: string, isModule: boolean): void {
    const b = this.scope.lookup(local);
    if (isModule) {
      this.summary.imports[local] = { specifier, imported };
      delete this.summary.bindings[local];
      if (b) {
        b.kind = 'import';
        b.module = true;
      }
      return;
    }
    // A require inside a function: the local is an alias of a synthetic import.
    const key = `require#${this.requireCount++}:${local}`;
    this.summary.imports[key] = { specifier, imported };
    if (b) b.alias = { name: key, path: [] };
  }

  /**
   * `require('./h')({ deps })`, `require('./app').handler` outside a declaration: a reference to
   * a synthetic import of the module, so the graph follows it like `const h = require('./h')`.
   */
  private onRequireCall(node: ts.CallExpression): boolean {
    const callee = node.expression;
    if (!ts.isIdentifier(callee) || callee.text !== 'require' || node.arguments.length !== 1) return false;
    const arg = node.arguments[0]!;
    if (!ts.isStringLiteralLike(arg) || !this.isGlobal('require')) return false;
    const key = `require#${this.requireCount++}`;
    this.summary.imports[key] = { specifier: arg.text, imported: '*' };
    this.requireKeys.set(node, key);
    this.addRef(key, propertyChain(node), isCalleeChain(node));
    return true;
  }

  /**
   * `app.get('/users/:id', async (req, res) => …)`, `router.use(auth)`, `fastify.route({ handler })`
   * at module level, on an app or router a web framework made: the framework calls these back for
   * every request, so they are invocation code of whatever handler serves the app
   * (`serverless(app)`). They become part of the app binding's value: using the app reaches them.
   * Returns true when it walked the node's children itself.
   */
  private onRouteRegistration(node: ts.CallExpression): boolean {
    const callee = unwrap(node.expression);
    if (!ts.isPropertyAccessExpression(callee) || !ROUTE_METHODS.has(callee.name.text)) return false;
    let root: ts.Expression = callee.expression;
    for (;;) {
      root = unwrap(root);
      if (ts.isPropertyAccessExpression(root)) root = root.expression;
      else if (ts.isCallExpression(root)) root = root.expression;
      else break;
    }
    if (!ts.isIdentifier(root) || !this.scope.lookup(root.text)?.module) return false;
    const binding = Object.hasOwn(this.summary.bindings, root.text) ? this.summary.bindings[root.text] : undefined;
    let routes: ValueSummary;
    if (binding) {
      if (!this.isFrameworkApp(binding)) return false;
      routes = binding.value.routes ??= { fns: [], refs: [] };
    } else if (Object.hasOwn(this.summary.imports, root.text) && node.arguments.some((a) => isFunctionLike(unwrap(a)) || ts.isIdentifier(unwrap(a)))) {
      // `app.get('/x', fn)` on an app another file made: the graph decides whether it is one (`ModuleBinding.app`).
      routes = (this.summary.importedRoutes ??= Object.create(null) as Record<string, ValueSummary>)[root.text] ??= { fns: [], refs: [] };
    } else {
      return false;
    }
    this.visit(node.expression);
    this.withCollector(routes, () => {
      for (const arg of node.arguments) this.visit(arg);
    });
    return true;
  }

  /** Made by a web framework: `express()`, `express.Router()`, `new Koa()`, `Fastify()`, `new Hono()`. */
  private isFrameworkApp(binding: ModuleBinding): boolean {
    if (binding.init !== 'call' && binding.init !== 'new') return false;
    if (binding.value.routes) return true;
    const made = binding.value.calls?.[0] ?? binding.value.refs[0];
    const imp = made && Object.hasOwn(this.summary.imports, made.name) ? this.summary.imports[made.name] : undefined;
    return imp !== undefined && WEB_FRAMEWORKS.test(imp.specifier);
  }

  /**
   * `this.files = new S3Files()` in a method of a module-level class: the field holds an object of
   * that class, so `this.files.download(...)` in any method runs `S3Files.download`. The field
   * becomes a member of the class whose value refers to the class it holds (one per assignment);
   * a method or static member of the same name is left as it is.
   */
  private noteInstanceField(left: ts.Expression, right: ts.Expression): void {
    if (!this.thisOwner || !ts.isPropertyAccessExpression(left) || left.expression.kind !== S.ThisKeyword) return;
    const value = unwrap(right);
    if (!ts.isNewExpression(value)) return;
    const target = this.stateTarget(value.expression);
    const members = Object.hasOwn(this.summary.bindings, this.thisOwner) ? this.summary.bindings[this.thisOwner]!.members : undefined;
    if (!target || target.ref.name === 'this' || !members) return;
    this.objectFields.add(members, left.name.text, target.ref);
  }

  /** Returns true when it walked the node's children itself. */
  private onBinary(node: ts.BinaryExpression): boolean {
    const op = node.operatorToken.kind;
    if (op < S.FirstAssignment || op > S.LastAssignment) return false;
    const left = unwrap(node.left);
    if (ts.isIdentifier(left)) {
      const b = this.scope.lookup(left.text);
      const taint = b && !b.module ? this.taintOf(node.right) : undefined;
      if (b && taint) {
        b.tainted = true;
        b.taint = b.taint ? mergeTaint({ params: [...b.taint.params], awaited: b.taint.awaited, caught: b.taint.caught }, taint) : taint;
      }
      return false;
    }
    if (this.fn !== -1) {
      if (op === S.EqualsToken) this.noteInstanceField(left, node.right);
      return false;
    }
    if (op !== S.EqualsToken) return false;
    // CommonJS exports at module scope.
    const exportName = commonJsExportName(left, this);
    if (exportName === undefined) return false;
    this.summary.commonjs = true;
    if (exportName === '') {
      // module.exports = <expr>
      const right = unwrap(node.right);
      if (ts.isObjectLiteralExpression(right)) {
        adoptChain(node, node.right, right);
        for (const prop of right.properties) {
          adopt(right, prop);
          const key = propertyNameText(prop.name);
          if (key === undefined) continue;
          const value = ts.isShorthandPropertyAssignment(prop) ? prop.name : ts.isPropertyAssignment(prop) ? prop.initializer : undefined;
          if (value && ts.isIdentifier(value) && this.scope.lookup(value.text)?.module) {
            this.summary.exports[key] = value.text;
          } else if (value) {
            adopt(prop, value);
            const saved = this.current;
            this.current = prop;
            this.defineModuleValue(`exports.${key}`, value);
            this.current = saved;
            this.summary.exports[key] = `exports.${key}`;
          } else if (ts.isMethodDeclaration(prop)) {
            const binding: ModuleBinding = { kind: 'export', line: this.lineOf(prop), init: 'function', value: { fns: [], refs: [] } };
            this.summary.bindings[`exports.${key}`] = binding;
            this.withCollector(binding.value, () => this.visitUnder(right, prop));
            this.summary.exports[key] = `exports.${key}`;
          }
        }
      } else if (ts.isIdentifier(right) && this.scope.lookup(right.text)?.module) {
        this.summary.exports.default = right.text;
      } else {
        this.defineModuleValue('module.exports', node.right);
        this.summary.exports.default = 'module.exports';
      }
      return true;
    }
    const right = unwrap(node.right);
    if (ts.isIdentifier(right) && this.scope.lookup(right.text)?.module) {
      this.summary.exports[exportName] = right.text;
      return false;
    }
    this.defineModuleValue(`exports.${exportName}`, node.right);
    this.summary.exports[exportName] = `exports.${exportName}`;
    return true;
  }

  private onClass(node: ts.ClassLikeDeclaration): void {
    const pseudo = this.classBindings.get(node);
    const name = pseudo ?? node.name?.text ?? classNameFromParent(node);
    const binding =
      pseudo !== undefined ? this.summary.bindings[pseudo] : name !== undefined && this.scope.lookup(name)?.module ? this.summary.bindings[name] : undefined;
    if (binding && ts.isClassDeclaration(node)) {
      if (isExported(node)) this.summary.exports[hasDefaultModifier(node) ? 'default' : name!] = name!;
    }
    if (binding) binding.members ??= Object.create(null) as Record<string, ValueSummary>;
    const savedOwner = this.thisOwner;
    const savedCollector = this.collector;
    const nest = this.fn === -1 && binding ? this.nestRole(node) : undefined;
    // Class decorators run once, when the class is defined; a NestJS `@Module({ controllers, providers, imports })`
    // is what `NestFactory.create(AppModule)` serves: the module's value is what it lists.
    const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
    for (const decorator of decorators) {
      this.decoratorTarget = nest === 'module' ? binding!.value : undefined;
      this.visitUnder(node, decorator);
    }
    this.decoratorTarget = undefined;
    if (binding && this.fn === -1 && this.nestSingleton(node)) binding.singleton = true;
    this.thisOwner = binding ? name : undefined;
    try {
      for (const member of node.members) {
        // The constructor runs on every `new X()`: the graph follows it as member `constructor`.
        const memberName = ts.isConstructorDeclaration(member) ? 'constructor' : propertyNameText(member.name);
        if (binding && memberName !== undefined) {
          const summary: ValueSummary = (binding.members![memberName] ??= { fns: [], refs: [] });
          this.collector = summary;
        } else {
          this.collector = savedCollector;
        }
        this.visit(member);
        if (binding && ts.isConstructorDeclaration(member)) this.recordParameterProperties(binding, member);
        // A NestJS controller's route methods: Nest calls them for each request it serves.
        if (nest === 'controller' && memberName !== undefined && ts.isMethodDeclaration(member) && this.nestDecorated(member, NEST_ROUTE_DECORATORS)) {
          (binding!.value.routes ??= { fns: [], refs: [] }).fns.push(...binding!.members![memberName]!.fns);
        }
      }
      if (node.heritageClauses) {
        for (const h of node.heritageClauses) {
          adopt(node, h);
          for (const t of h.types) {
            adopt(h, t);
            this.visitUnder(t, t.expression);
          }
        }
      }
    } finally {
      this.thisOwner = savedOwner;
      this.collector = savedCollector;
    }
  }

  /** `@Module(...)` or `@Controller()`/`@Resolver()`/`@WebSocketGateway()` from a `@nestjs/*` package. */
  private nestRole(node: ts.ClassLikeDeclaration): 'module' | 'controller' | undefined {
    if (this.nestDecorated(node, new Set(['Module']))) return 'module';
    if (this.nestDecorated(node, NEST_CONTROLLER_DECORATORS)) return 'controller';
    return undefined;
  }

  /** A Nest provider or controller of the default scope: Nest makes one instance and injects it into every request. */
  private nestSingleton(node: ts.ClassLikeDeclaration): boolean {
    if (!this.nestDecorated(node, NEST_INSTANCE_DECORATORS)) return false;
    const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
    // `@Injectable({ scope: Scope.REQUEST })`: an instance per request (or per injection).
    return !decorators.some((d) => /\bScope\.(REQUEST|TRANSIENT)\b/.test(d.getText(this.sourceFile)));
  }

  private nestDecorated(node: ts.Node, names: ReadonlySet<string>): boolean {
    const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
    return decorators.some((d) => {
      const callee = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
      if (!ts.isIdentifier(callee) || !names.has(callee.text)) return false;
      const imported = Object.hasOwn(this.summary.imports, callee.text) ? this.summary.imports[callee.text] : undefined;
      return imported !== undefined && imported.specifier.startsWith('@nestjs/') && imported.imported === callee.text;
    });
  }

  /**
   * `constructor(private readonly orders: OrdersService)`: a parameter property is a member of
   * the instance, and its type names the class whose methods `this.orders.find()` calls (the
   * instance a dependency-injection container passes in).
   */
  private recordParameterProperties(binding: ModuleBinding, ctor: ts.ConstructorDeclaration): void {
    for (const param of ctor.parameters) {
      if (!ts.isIdentifier(param.name) || !ts.isParameterPropertyDeclaration(param, ctor)) continue;
      const type = param.type;
      if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) continue;
      const typeName = type.typeName.text;
      if (!Object.hasOwn(this.summary.bindings, typeName) && !Object.hasOwn(this.summary.imports, typeName)) continue;
      const member = (binding.members![param.name.text] ??= { fns: [], refs: [] });
      if (!member.refs.some((r) => r.name === typeName && r.path.length === 0)) member.refs.push({ name: typeName, path: [] });
    }
  }

  private onFunction(node: ts.FunctionLikeDeclaration): void {
    const index = this.summary.functions.length;
    const parentFn = this.fn;
    const loc = this.loc(node);
    const fn: FunctionSummary = {
      name: functionName(node),
      line: loc.line,
      endLine: loc.endLine,
      parent: parentFn,
      awaits: [],
      refs: [],
    };
    this.summary.functions.push(fn);
    if (parentFn === -1) this.recordSignature(fn, node);
    if (parentFn === -1 && this.collector) this.collector.fns.push(index);
    // Module-level function declarations are values of their binding.
    if (ts.isFunctionDeclaration(node) && node.name && parentFn === -1) {
      const binding = this.summary.bindings[node.name.text];
      if (binding && this.scope.lookup(node.name.text)?.module) {
        binding.value.fns.push(index);
        if (isExported(node)) this.summary.exports[hasDefaultModifier(node) ? 'default' : node.name.text] = node.name.text;
      }
    } else if (ts.isFunctionDeclaration(node) && !node.name && parentFn === -1 && isExported(node)) {
      this.summary.bindings.default = { kind: 'export', line: fn.line, init: 'function', value: { fns: [index], refs: [] } };
      this.summary.exports.default = 'default';
    }

    const savedOwner = this.thisOwner;
    const owner = node.kind === S.ArrowFunction ? this.thisOwner : this.ownerOf(node);
    if (owner) fn.owner = owner;
    if (node.modifiers?.some((m) => m.kind === S.Decorator)) {
      const decorators: ValueSummary = { fns: [], refs: [] };
      if (parentFn === -1) this.decoratorTarget = decorators;
      for (const m of node.modifiers) if (m.kind === S.Decorator) this.visit(m);
      this.decoratorTarget = undefined;
      if (decorators.refs.length > 0 || decorators.calls !== undefined) fn.decorators = decorators;
    }

    // `event.Records.map((record) => ...)`: the element parameter is read off the iterated value
    // (taken here, in the caller's scope), as a `for...of` loop variable is.
    const element = this.iteratedBy(node);
    const elementTaint = element ? this.taintOf(element.iterated) : undefined;

    const savedFn = this.fn;
    const savedCollector = this.collector;
    this.fn = index;
    this.thisOwner = owner;
    this.collector = undefined;
    this.withScope(
      true,
      () => {
        if ((ts.isFunctionExpression(node) || ts.isClassExpression(node)) && node.name) {
          this.declareName(node.name, 'function', this.scope);
        }
        node.parameters.forEach((p, i) => {
          this.declareName(p.name, 'param', this.scope, {
            tainted: true,
            taint: { params: [[index, i]], awaited: false, caught: false },
            param: { fn: index, index: i },
          });
          adopt(node, p);
          if (p.initializer) this.visitUnder(p, p.initializer);
          if (element && elementTaint && i === element.index) this.bindElement(p.name, element.iterated, elementTaint);
        });
        const body = node.body;
        if (!body) return;
        adopt(node, body);
        if (ts.isBlock(body)) {
          this.hoist(body.statements, this.scope, true);
          for (const st of body.statements) this.visitUnder(body, st);
        } else {
          this.visit(body);
        }
      },
      index,
    );
    this.fn = savedFn;
    this.thisOwner = savedOwner;
    this.collector = savedCollector;
  }

  /** The module-level class or object literal whose member `node` is (the target of `this`). */
  private ownerOf(node: ts.FunctionLikeDeclaration): string | undefined {
    let container: ts.Node = node.parent;
    if (ts.isPropertyAssignment(container) || ts.isPropertyDeclaration(container)) container = container.parent;
    if (ts.isClassLike(container)) {
      const pseudo = this.classBindings.get(container);
      if (pseudo !== undefined) return pseudo;
      const name = container.name?.text ?? classNameFromParent(container);
      return name !== undefined && this.scope.lookup(name)?.module ? name : undefined;
    }
    if (ts.isObjectLiteralExpression(container)) {
      const decl = unwrapParents(container);
      if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && this.scope.lookup(decl.name.text)?.module) {
        return decl.name.text;
      }
    }
    return undefined;
  }
}

// ------------------------------------------------------------------ helpers

/** Methods that register a callback the web framework runs for each request (Express, Koa routers, Fastify, Hapi, lambda-api). */
const ROUTE_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'head',
  'options',
  'all',
  'any',
  'use',
  'route',
  'param',
  'register',
  'addHook',
  'ext',
]);
const WEB_FRAMEWORKS =
  /^(?:express|express-promise-router|koa|@koa\/router|koa-router|fastify|hono|restify|polka|router|connect|lambda-api|@hapi\/hapi|@hapi\/hapi\/.*|hapi)$/;

function isAwsLambdaTypes(specifier: string): boolean {
  return specifier === 'aws-lambda' || specifier === '@types/aws-lambda';
}

/**
 * Where each line starts, as TypeScript computes them (`\n`, `\r\n`, `\r`, U+2028, U+2029 end a
 * line). Most files only use `\n`: a native `indexOf` scan finds those several times faster than
 * the compiler's character loop.
 */
/** Array methods whose callback gets an element of the array, and the element's parameter index. */
const ELEMENT_PARAM: ReadonlyMap<string, number> = new Map([
  ...['map', 'flatMap', 'forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex'].map((m): [string, number] => [m, 0]),
  ['reduce', 1],
  ['reduceRight', 1],
]);

/** A bare package name (`pg`, `@aws-sdk/client-s3`), not a project path (`./db`, `/opt/x`, `#lib`, `~/x`, `@/x`). */
function isPackageSpecifier(specifier: string | undefined): boolean {
  return specifier !== undefined && !/^(?:[./#~]|@\/)/.test(specifier);
}

function lineStartsOf(sourceFile: ts.SourceFile): readonly number[] {
  const text = sourceFile.text;
  if (text.includes('\r') || text.includes('\u2028') || text.includes('\u2029')) return sourceFile.getLineStarts();
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Add the sources of `from` to `into` (parameters once each); returns `into`. */
function mergeTaint(into: TaintSources, from: TaintSources): TaintSources {
  for (const [fn, index] of from.params) {
    if (!into.params.some(([f, i]) => f === fn && i === index)) into.params.push([fn, index]);
  }
  if (from.awaited) into.awaited = true;
  if (from.varying) into.varying = true;
  if (from.caught) into.caught = true;
  return into;
}

/** Set `child.parent` when the walk reaches a node other than through its parent's visit. */
/** NestJS class decorators whose methods serve requests. */
const NEST_CONTROLLER_DECORATORS: ReadonlySet<string> = new Set(['Controller', 'Resolver', 'WebSocketGateway']);
/** NestJS class decorators of what Nest instantiates and injects. */
const NEST_INSTANCE_DECORATORS: ReadonlySet<string> = new Set(['Injectable', ...NEST_CONTROLLER_DECORATORS]);
/** NestJS method decorators of request handlers: HTTP routes, microservice and GraphQL handlers, gateway messages. */
const NEST_ROUTE_DECORATORS: ReadonlySet<string> = new Set([
  'Get',
  'Post',
  'Put',
  'Patch',
  'Delete',
  'Options',
  'Head',
  'All',
  'Search',
  'MessagePattern',
  'EventPattern',
  'Query',
  'Mutation',
  'Subscription',
  'ResolveField',
  'SubscribeMessage',
]);

function adopt(parent: ts.Node, child: ts.Node): void {
  if (child.parent === undefined) (child as unknown as Adoptable).parent = parent;
}

/** Parent pointers from `outer` down through wrappers (parentheses, `as`) to `inner`. */
function adoptChain(parent: ts.Node, outer: ts.Expression, inner: ts.Expression): void {
  adopt(parent, outer);
  for (let e: ts.Expression = outer; e !== inner;) {
    const next = (e as ts.ParenthesizedExpression).expression;
    adopt(e, next);
    e = next;
  }
}

/** Would hoisting these statements declare a name (so a block needs a scope of its own)? */
function declaresNames(statements: readonly ts.Statement[]): boolean {
  for (const st of statements) {
    switch (st.kind) {
      case S.VariableStatement:
      case S.FunctionDeclaration:
      case S.ClassDeclaration:
      case S.EnumDeclaration:
      case S.ImportDeclaration:
      case S.ImportEqualsDeclaration:
        return true;
    }
  }
  return false;
}

function isStatementContainer(node: ts.Node): boolean {
  switch (node.kind) {
    case S.Block:
    case S.IfStatement:
    case S.ForStatement:
    case S.ForInStatement:
    case S.ForOfStatement:
    case S.WhileStatement:
    case S.DoStatement:
    case S.TryStatement:
    case S.CatchClause:
    case S.SwitchStatement:
    case S.CaseBlock:
    case S.CaseClause:
    case S.DefaultClause:
    case S.LabeledStatement:
    case S.VariableStatement:
    case S.VariableDeclarationList:
      return true;
    default:
      return false;
  }
}

function isModuleLevelDeclaration(decl: ts.VariableDeclaration): boolean {
  const statement = decl.parent?.parent;
  return !!statement && ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent);
}

function isExported(node: ts.Node): boolean {
  let n: ts.Node = node;
  if (ts.isVariableDeclaration(n)) n = n.parent.parent;
  const mods = ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined;
  return !!mods?.some((m) => m.kind === S.ExportKeyword);
}

function hasDefaultModifier(node: ts.Node): boolean {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return !!mods?.some((m) => m.kind === S.DefaultKeyword);
}

function forEachBindingIdentifier(name: ts.BindingName, cb: (id: ts.Identifier) => void): void {
  if (ts.isIdentifier(name)) {
    cb(name);
    return;
  }
  for (const el of name.elements) if (ts.isBindingElement(el)) forEachBindingIdentifier(el.name, cb);
}

function classNameFromParent(node: ts.Node): string | undefined {
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

function unwrapParents(node: ts.Node): ts.Node | undefined {
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) p = p.parent;
  return p;
}

function functionName(node: ts.FunctionLikeDeclaration): string {
  if (node.name) {
    const n = propertyNameText(node.name) ?? '<computed>';
    const cls = ts.isClassLike(node.parent) ? (node.parent.name?.text ?? classNameFromParent(node.parent)) : undefined;
    return cls ? `${cls}.${n}` : n;
  }
  if (node.kind === S.Constructor) return 'constructor';
  const p = unwrapParents(node);
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) return propertyNameText(p.name) ?? '<anonymous>';
  if (p && ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
  return '<anonymous>';
}

/**
 * Property names from `root` out to `expr` (`a.b['c']` with root `a` -> `['b', 'c']`; a computed
 * key is `[]`). `root` is what unwrapping `expr`'s accesses reached.
 */
function propertyPath(expr: ts.Expression, root: ts.Expression): string[] {
  const path: string[] = [];
  for (let e = unwrap(expr); e !== root;) {
    if (e.kind === S.PropertyAccessExpression) {
      path.push((e as ts.PropertyAccessExpression).name.text);
    } else {
      const arg = (e as ts.ElementAccessExpression).argumentExpression;
      path.push(ts.isStringLiteralLike(arg) ? arg.text : '[]');
    }
    e = unwrap((e as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression);
  }
  return path.reverse();
}

/** Property names read off an expression that starts at `node` (`a.b.c` from `a` -> `['b', 'c']`). */
const NOT_PASSED = new Set([S.ArrowFunction, S.FunctionExpression, S.NumericLiteral, S.TrueKeyword, S.FalseKeyword, S.NullKeyword]);

/** Does the value include a request-unique part (so a path made of it is not shared)? */
function hasUniquePart(value: PathValue): boolean {
  switch (value.t) {
    case 'unique':
      return true;
    case 'cat':
    case 'join':
      return value.parts.some(hasUniquePart);
    case 'choice':
      return value.options.every(hasUniquePart);
    case 'initTemp':
      return hasUniquePart(value.prefix);
    default:
      return false;
  }
}

function propertyChain(node: ts.Node): string[] {
  const path: string[] = [];
  let cur = node;
  for (;;) {
    const p = cur.parent;
    if (p && ts.isPropertyAccessExpression(p) && p.expression === cur) {
      path.push(p.name.text);
      cur = p;
    } else if (p && ts.isElementAccessExpression(p) && p.expression === cur && ts.isStringLiteralLike(p.argumentExpression)) {
      path.push(p.argumentExpression.text);
      cur = p;
    } else if (p && (ts.isNonNullExpression(p) || ts.isParenthesizedExpression(p))) {
      cur = p;
    } else {
      return path;
    }
  }
}

/** Is `node`, with the property accesses read off it, the callee of a call (`init()`, `svc.start()`, `new Service()`)? */
function isCalleeChain(node: ts.Node): boolean {
  let cur = node;
  for (;;) {
    const p = cur.parent;
    if (!p) return false;
    if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === cur) cur = p;
    else if (ts.isNonNullExpression(p) || ts.isParenthesizedExpression(p)) cur = p;
    // `new X()` calls X's constructor right there.
    else return (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === cur;
  }
}

/** Is this identifier a read/write of a variable (rather than a declaration or a property name)? */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  switch (p.kind) {
    case S.PropertyAccessExpression:
      return (p as ts.PropertyAccessExpression).expression === id;
    case S.VariableDeclaration:
    case S.Parameter:
    case S.FunctionDeclaration:
    case S.FunctionExpression:
    case S.ClassDeclaration:
    case S.ClassExpression:
    case S.MethodDeclaration:
    case S.PropertyDeclaration:
    case S.GetAccessor:
    case S.SetAccessor:
    case S.EnumDeclaration:
    case S.EnumMember:
    case S.PropertySignature:
    case S.MethodSignature:
      return (p as ts.NamedDeclaration).name !== id;
    case S.PropertyAssignment:
      return (p as ts.PropertyAssignment).initializer === id;
    case S.BindingElement:
      return (p as ts.BindingElement).initializer === id;
    case S.ImportSpecifier:
    case S.ExportSpecifier:
    case S.ImportClause:
    case S.NamespaceImport:
    case S.NamespaceExport:
    case S.LabeledStatement:
    case S.BreakStatement:
    case S.ContinueStatement:
    case S.ImportEqualsDeclaration:
    case S.MetaProperty:
      return false;
    default:
      return true;
  }
}

/** `exports.x` / `module.exports.x` -> `x`; `module.exports` -> `''`; anything else undefined. */
function commonJsExportName(left: ts.Expression, ctx: WalkContext): string | undefined {
  if (!ts.isPropertyAccessExpression(left)) return undefined;
  const obj = unwrap(left.expression);
  if (ts.isIdentifier(obj) && obj.text === 'module' && left.name.text === 'exports' && ctx.isGlobal('module')) return '';
  if (ts.isIdentifier(obj) && obj.text === 'exports' && ctx.isGlobal('exports')) return left.name.text;
  if (
    ts.isPropertyAccessExpression(obj) &&
    ts.isIdentifier(obj.expression) &&
    obj.expression.text === 'module' &&
    obj.name.text === 'exports' &&
    ctx.isGlobal('module')
  ) {
    return left.name.text;
  }
  return undefined;
}
