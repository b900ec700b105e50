/**
 * @fileoverview CDK apps, read statically from the syntax tree (never synthesized or loaded):
 * `new lambda.Function(...)`, `new lambda.SingletonFunction(...)`, `new NodejsFunction(...)`,
 * `new PythonFunction(...)`, and `capacityProvider.addFunction(fn, {...})`.
 *
 * Values are evaluated only when they are static: literals, module `const`s, `path.join` /
 * `path.resolve` / `path.dirname` over `__dirname`, `import.meta.dirname`, `import.meta.url`,
 * `fileURLToPath(...)`, `Duration.*` and `Size.*` of literals. Anything else is unknown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import { assignNumbers, lmiConfig } from './cloudformation.js';
import { NODE_EXTENSIONS, resolveHandler } from './handler-path.js';
import type { IacFunction, ReaderContext } from './types.js';

/** The cheap test a source file must pass before it is parsed as a CDK app. */
export function mentionsCdk(text: string): boolean {
  return text.includes('aws-cdk-lib') || text.includes('@aws-cdk/');
}

/** Module specifier -> the canonical module key used in qualified names. */
const MODULES: Record<string, string> = {
  'aws-cdk-lib': 'cdk',
  '@aws-cdk/core': 'cdk',
  'aws-cdk-lib/aws-lambda': 'lambda',
  '@aws-cdk/aws-lambda': 'lambda',
  'aws-cdk-lib/aws-lambda-nodejs': 'nodejs',
  '@aws-cdk/aws-lambda-nodejs': 'nodejs',
  '@aws-cdk/aws-lambda-python-alpha': 'python',
  '@aws-cdk/aws-lambda-python': 'python',
  path: 'path',
  'node:path': 'path',
  url: 'url',
  'node:url': 'url',
};

/** Namespaces of `aws-cdk-lib` itself (`import { aws_lambda as lambda } from 'aws-cdk-lib'`). */
const CDK_NAMESPACES: Record<string, string> = {
  aws_lambda: 'lambda',
  aws_lambda_nodejs: 'nodejs',
};

type FunctionConstruct = 'function' | 'nodejs' | 'python';

const FUNCTION_CONSTRUCTS: Record<string, FunctionConstruct> = {
  'lambda.Function': 'function',
  'lambda.SingletonFunction': 'function',
  'nodejs.NodejsFunction': 'nodejs',
  'python.PythonFunction': 'python',
};

const MAX_DEPTH = 40;

type Value = string | number | undefined;

export function readCdk(file: string, ctx: ReaderContext, text = ctx.readFile(file)): IacFunction[] {
  if (!mentionsCdk(text)) return [];
  const reader = new CdkFileReader(file, text, ctx);
  return reader.read();
}

class CdkFileReader {
  private readonly source: ts.SourceFile;
  private readonly dir: string;
  /** Local name -> `ns:<module>` (a namespace) or `<module>.<Export>` (a named import). */
  private readonly imports = new Map<string, string>();
  /** `const` name -> initializer; `null` when the name is declared more than once (ambiguous). */
  private readonly consts = new Map<string, ts.Expression | null>();
  /** Variable or `this.x` name -> the function created by the `new` expression bound to it. */
  private readonly functionBindings = new Map<string, IacFunction>();
  private appRootCache: string | undefined;

  constructor(
    private readonly file: string,
    text: string,
    private readonly ctx: ReaderContext,
  ) {
    this.source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    this.dir = path.dirname(file);
  }

  read(): IacFunction[] {
    this.collectDeclarations(this.source);
    const functions: IacFunction[] = [];
    const addFunctionCalls: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node)) {
        const fn = this.functionFromNew(node);
        if (fn) {
          functions.push(fn);
          const binding = bindingName(node);
          if (binding) this.functionBindings.set(binding, fn);
        }
      } else if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === 'addFunction' &&
        node.arguments.length > 0
      ) {
        addFunctionCalls.push(node);
      }
      ts.forEachChild(node, visit);
    };
    visit(this.source);
    for (const call of addFunctionCalls) this.applyCapacityProvider(call);
    return functions;
  }

  // --- declarations -------------------------------------------------------------------------

  private collectDeclarations(root: ts.Node): void {
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        this.recordImport(node);
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
    if (ts.isIdentifier(node)) {
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

  /** Follows identifiers bound to unique `const`s to their initializer. */
  private deref(expression: ts.Expression): ts.Expression {
    let node = unwrap(expression);
    for (let depth = 0; depth < MAX_DEPTH && ts.isIdentifier(node); depth++) {
      const constant = this.consts.get(node.text);
      if (!constant) break;
      node = unwrap(constant);
    }
    return node;
  }

  // --- functions ----------------------------------------------------------------------------

  private functionFromNew(node: ts.NewExpression): IacFunction | undefined {
    const qualified = this.qualify(node.expression);
    const construct = qualified ? FUNCTION_CONSTRUCTS[qualified] : undefined;
    if (!construct) return undefined;
    const args = node.arguments ?? [];
    const idArg = args[1];
    const idValue = idArg ? this.evaluate(idArg) : undefined;
    const logicalId = typeof idValue === 'string' ? idValue : idArg ? idArg.getText(this.source) : '<unknown>';
    const line = this.source.getLineAndCharacterOfPosition(node.getStart(this.source)).line + 1;
    const fn: IacFunction = { logicalId, kind: 'cdk', source: { file: this.file, line } };
    const props = args[2] ? this.properties(args[2]) : new Map<string, ts.Expression>();

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

    const handlerExpr = props.get('handler');
    const handlerValue = handlerExpr ? this.evaluate(handlerExpr) : undefined;
    const handler = typeof handlerValue === 'string' ? handlerValue : undefined;
    if (handler !== undefined) fn.handler = handler;

    if (construct === 'function') {
      const codeExpr = props.get('code');
      const codeRoot = codeExpr ? this.assetPath(codeExpr) : undefined;
      const resolved = resolveHandler({ handler, codeRoot, runtime, fileExists: this.ctx.fileExists });
      if (resolved.codeFile !== undefined) fn.codeFile = resolved.codeFile;
      if (resolved.exportName !== undefined) fn.exportName = resolved.exportName;
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
    const node = this.deref(expression);
    if (depth > MAX_DEPTH || !ts.isObjectLiteralExpression(node)) return result;
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
    return match ? runtimeName(match[1]) : undefined;
  }

  /** The directory of `Code.fromAsset(<path>)` / `new AssetCode(<path>)`. */
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
    return isAsset && arg ? this.evaluatePath(arg) : undefined;
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
    return typeof value === 'string' ? value : element.getText(this.source);
  }

  // --- capacity providers -------------------------------------------------------------------

  private applyCapacityProvider(call: ts.CallExpression): void {
    const target = call.arguments[0];
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
    return receiver.getText(this.source);
  }

  /** The initializer of the variable or `this.x` assignment named `key` (the last one in the file). */
  private boundInitializer(key: string): ts.Expression | undefined {
    let found: ts.Expression | undefined;
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === key && node.initializer) {
        found = node.initializer;
      } else if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        expressionKey(node.left) === key
      ) {
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
    const value = this.evaluate(expression);
    return typeof value === 'string' && value.length > 0 ? path.resolve(this.appRoot(), value) : undefined;
  }

  evaluate(expression: ts.Expression, depth = 0): Value {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrap(expression);
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
      return undefined;
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
        return strings && strings.length === 1 ? path.dirname(strings[0]) : undefined;
      case 'path.normalize':
        return strings && strings.length === 1 ? path.normalize(strings[0]) : undefined;
      case 'url.fileURLToPath':
        if (strings && strings.length === 1) {
          try {
            return fileURLToPath(strings[0]);
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
  return ts.isStringLiteral(specifier) ? MODULES[specifier.text] : undefined;
}

function requiredModule(expression: ts.Expression): string | undefined {
  const node = unwrap(expression);
  if (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1
  ) {
    return moduleKey(node.arguments[0]);
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
function bindingName(node: ts.NewExpression): string | undefined {
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

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return undefined;
  if (ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

function numberOrUndefined(value: Value | '' | ts.Expression): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function lastSegment(handler: string): string {
  const dot = handler.lastIndexOf('.');
  return dot < 0 ? handler : handler.slice(dot + 1);
}

/** `NODEJS_22_X` -> `nodejs22.x`, `PYTHON_3_13` -> `python3.13`, `JAVA_21` -> `java21`, `PROVIDED_AL2023` -> `provided.al2023`. */
export function runtimeName(constant: string): string | undefined {
  let match = /^NODEJS_(\d+)_X$/.exec(constant);
  if (match) return `nodejs${match[1]}.x`;
  match = /^PYTHON_(\d+)_(\d+)$/.exec(constant);
  if (match) return `python${match[1]}.${match[2]}`;
  match = /^(JAVA|DOTNET)_(\d+)$/.exec(constant);
  if (match) return `${match[1].toLowerCase()}${match[2]}`;
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
