/**
 * @fileoverview Evaluates a path expression into pieces that remember where each character
 * comes from: `path.join(os.tmpdir(), `${PREFIX}-out.csv`)` is the pieces `/tmp` (from the
 * `tmpdir()` call), `/` (added by join), `invoice` (the literal behind the module constant
 * PREFIX) and `-out.csv` (a template quasi). A rewrite can then change the literal that holds a
 * given character. Identifiers are followed through `const` declarations; `let`s, parameters
 * and calls are dynamic pieces.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import jscodeshift from 'jscodeshift';
import { CRYPTO_MODULES, FS_MODULES, OS_MODULES, PATH_MODULES, REQUEST_ID_PROPS, UNIQUE_PACKAGES } from '../../src/kit/fs-functions.js';
import { getModuleImports, type ModuleImport } from './get-module-imports.js';
import { getParser } from './get-parser.js';
import { parseSource } from './parse-source.js';
import { getMemberName, getParams, isStringLiteralNode, unwrapExpression } from './nodes.js';
import { resolveImportedCallee } from './resolve-imported-callee.js';
import type { AstNode, AstPath, RecipeContext } from './types.js';

export interface Via {
  name: string;
  scope: 'local' | 'module' | 'import';
  /** The identifier where the constant is used (the outermost use for nested constants). */
  ref: AstNode;
  declarator?: AstNode;
  /** The statement declaring it (module constants may be moved into a function). */
  statement?: AstNode;
}

export interface Piece {
  kind: 'text' | 'tmpdir' | 'dyn' | 'unique' | 'opaque';
  /** Static text (`/tmp` for tmpdir, `` for dynamic pieces). */
  text: string;
  /** The node the piece comes from (literal, template, call, dynamic expression, identifier). */
  node: AstNode;
  /** For template quasis: which one. */
  quasi?: number;
  /** A `/` that `path.join` puts between arguments. */
  sep?: boolean;
  via: Via[];
  /** Dynamic data that comes from the handler's event. */
  event?: boolean;
  /** Dynamic and free of calls: can be evaluated again (for cleanup). */
  pure?: boolean;
  /** An `opaque` directory made by `mkdtemp` at module scope: one directory for every invocation. */
  initTemp?: boolean;
}

export interface PathEnv {
  ctx: RecipeContext;
  imports: ModuleImport[];
  /** Handler function nodes: their first parameter is the event. */
  handlers: Set<AstNode>;
}

export function getPathPieces(env: PathEnv, exprPath: AstPath, via: Via[] = [], depth = 0): Piece[] {
  let path = exprPath;
  while (path.node !== unwrapExpression(path.node)) path = path.get('expression');
  if (path.node.type === 'AwaitExpression') path = path.get('argument');
  const node = path.node;
  const dyn = (extra: Partial<Piece> = {}): Piece[] => [{ kind: 'dyn', text: '', node, via, ...extra }];
  if (depth > 10) return dyn();
  if (isStringLiteralNode(node)) return [{ kind: 'text', text: node.value, node, via }];
  if (node.type === 'TemplateLiteral') {
    const out: Piece[] = [];
    node.quasis.forEach((q: AstNode, i: number) => {
      const text = q.value.cooked ?? q.value.raw;
      if (text !== '') out.push({ kind: 'text', text, node, quasi: i, via });
      if (i < node.expressions.length) out.push(...getPathPieces(env, path.get('expressions', i), via, depth + 1));
    });
    return out;
  }
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    return [...getPathPieces(env, path.get('left'), via, depth + 1), ...getPathPieces(env, path.get('right'), via, depth + 1)];
  }
  if (node.type === 'CallExpression') return callPieces(env, path, via, depth);
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
    const name = getMemberName(node);
    if (name && REQUEST_ID_PROPS.has(name)) return [{ kind: 'unique', text: '', node, via }];
    const root = rootIdentifier(path);
    return dyn({ event: !!root && isEventIdentifier(env, root), pure: isPure(node) });
  }
  if (node.type === 'Identifier') return identifierPieces(env, path, via, depth);
  return dyn();
}

function callPieces(env: PathEnv, path: AstPath, via: Via[], depth: number): Piece[] {
  const node = path.node;
  const callee = resolveImportedCallee(env.ctx, env.imports, path.get('callee'));
  const method = callee?.path[callee.path.length - 1];
  if (callee && PATH_MODULES.has(callee.module) && (method === 'join' || method === 'resolve') && callee.path.length === 1) {
    const out: Piece[] = [];
    node.arguments.forEach((_: AstNode, i: number) => {
      if (i > 0) out.push({ kind: 'text', text: '/', node, sep: true, via });
      out.push(...getPathPieces(env, path.get('arguments', i), via, depth + 1));
    });
    return out;
  }
  if (callee && OS_MODULES.has(callee.module) && method === 'tmpdir') return [{ kind: 'tmpdir', text: '/tmp', node, via }];
  const unique = [{ kind: 'unique' as const, text: '', node, via }];
  if (callee && CRYPTO_MODULES.has(callee.module) && (method === 'randomUUID' || method === 'randomBytes')) return unique;
  if (callee && Object.hasOwn(UNIQUE_PACKAGES, callee.module) && UNIQUE_PACKAGES[callee.module]!.has(method ?? 'default')) return unique;
  if (callee && FS_MODULES.has(callee.module) && (method === 'mkdtemp' || method === 'mkdtempSync')) {
    // At module scope it runs once per worker: the "unique" directory is shared by all invocations.
    const inFunction = (() => {
      for (let p = path.parent; p; p = p.parent) if (/Function|Method/.test(p.node.type)) return true;
      return false;
    })();
    return inFunction ? unique : [{ kind: 'opaque', text: '', node, via, initTemp: true }];
  }
  const calleeNode = node.callee;
  if (calleeNode.type === 'MemberExpression') {
    const name = getMemberName(calleeNode);
    if (name === 'randomUUID') return unique;
    if (name && ['toString', 'slice', 'substring', 'replace', 'replaceAll', 'toLowerCase', 'toUpperCase', 'trim'].includes(name)) {
      const inner = getPathPieces(env, path.get('callee', 'object'), via, depth + 1);
      if (inner.some((p) => p.kind === 'unique')) return unique;
    }
  }
  if (calleeNode.type === 'Identifier' && calleeNode.name === 'randomUUID') return unique;
  return [{ kind: 'dyn', text: '', node, via }];
}

function identifierPieces(env: PathEnv, path: AstPath, via: Via[], depth: number): Piece[] {
  const node = path.node;
  const name = node.name;
  const scope = path.scope?.lookup(name);
  const dyn = (extra: Partial<Piece> = {}): Piece[] => [{ kind: 'dyn', text: '', node, via, pure: true, ...extra }];
  if (!scope) return dyn({ pure: false });
  const binding = scope.getBindings()[name]?.[0];
  if (!binding) return dyn();
  const parent = binding.parent?.node;
  const ref = via.length ? via[0]!.ref : node;
  if (parent?.type === 'VariableDeclarator' && parent.id === binding.node) {
    const declaration = binding.parent.parent.node;
    if (declaration.kind !== 'const' || !parent.init) return dyn({ event: isEventIdentifier(env, path) });
    const isModule = scope === env.ctx.programScope;
    const statement = isModule
      ? binding.parent.parent.parent?.node.type === 'ExportNamedDeclaration'
        ? binding.parent.parent.parent.node
        : declaration
      : declaration;
    const next: Via = { name, scope: isModule ? 'module' : 'local', ref, declarator: parent, statement };
    const pieces = getPathPieces(env, binding.parent.get('init'), [...via, next], depth + 1);
    // A local derived from the event is event data too.
    return pieces;
  }
  const imp = env.imports.find((i) => i.local === name);
  if (imp && scope === env.ctx.programScope) {
    const next: Via = { name, scope: 'import', ref };
    const resolved = resolveImportedConstant(env, imp);
    if (resolved !== undefined) return [{ kind: 'text', text: resolved, node, via: [...via, next] }];
    return [{ kind: 'opaque', text: '', node, via: [...via, next] }];
  }
  return dyn({ event: isEventIdentifier(env, path) });
}

/** Does the identifier (a parameter, or destructured from one) carry the handler's event? */
function isEventIdentifier(env: PathEnv, path: AstPath): boolean {
  const name = path.node.name;
  const scope = path.scope?.lookup(name);
  if (!scope) return false;
  const binding = scope.getBindings()[name]?.[0];
  if (!binding) return false;
  // Climb from the binding identifier to the function parameter holding it.
  let p = binding;
  while (p.parent && !['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod'].includes(p.parent.node.type)) {
    const loop = p.parent.parent?.parent;
    if (
      p.parent.node.type === 'VariableDeclarator' &&
      !p.parent.node.init &&
      loop?.node.type === 'ForOfStatement' &&
      loop.get('left').node === p.parent.parent.node
    ) {
      // `for (const page of event.pages)`: each element is event data.
      const root = rootIdentifier(loop.get('right'));
      return !!root && isEventIdentifier(env, root);
    }
    if (p.parent.node.type === 'VariableDeclarator') {
      // `const { userId } = event` / `const id = event.userId`
      const init = p.parent.get('init');
      const root = init.node ? rootIdentifier(init) : undefined;
      return !!root && root.node.name !== name && isEventIdentifier(env, root);
    }
    p = p.parent;
  }
  const fn = p.parent?.node;
  if (!fn || !env.handlers.has(fn)) return false;
  return getParams(fn)[0] === p.node;
}

function rootIdentifier(path: AstPath): AstPath | undefined {
  let p = path;
  while (p.node && (p.node.type === 'MemberExpression' || p.node.type === 'OptionalMemberExpression' || p.node !== unwrapExpression(p.node))) {
    p = p.node.type.endsWith('MemberExpression') ? p.get('object') : p.get('expression');
  }
  return p.node?.type === 'Identifier' ? p : undefined;
}

function isPure(node: AstNode): boolean {
  const n = unwrapExpression(node);
  if (n.type === 'Identifier') return true;
  if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression')
    return isPure(n.object) && (!n.computed || isPure(n.property) || isStringLiteralNode(n.property));
  return isStringLiteralNode(n) || n.type === 'NumericLiteral' || (n.type === 'Literal' && typeof n.value === 'number');
}

/**
 * The value of an exported constant of a relative module, when it is a plain string or path
 * (read from disk: the transform sees one file at a time).
 */
function resolveImportedConstant(env: PathEnv, imp: ModuleImport): string | undefined {
  if (!imp.module.startsWith('.') || imp.imported === '*' || imp.imported === 'default') return undefined;
  const file = resolveRelative(env.ctx.path, imp.module);
  if (!file) return undefined;
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  } catch {
    return undefined;
  }
  try {
    const j = jscodeshift.withParser(getParser(file));
    const root = parseSource(j, source);
    let value: string | undefined;
    const program = root.find(j.Program).paths()[0]!;
    const ctx: RecipeContext = { ...env.ctx, j, root, source, path: file, programScope: program.scope };
    const otherEnv: PathEnv = { ctx, imports: getModuleImports(ctx), handlers: new Set() };
    root.find(j.VariableDeclarator, { id: { type: 'Identifier', name: imp.imported } }).forEach((p: AstPath) => {
      if (p.parent.node.kind !== 'const' || p.parent.parent.node.type !== 'ExportNamedDeclaration') return;
      const pieces = getPathPieces(otherEnv, p.get('init'));
      if (pieces.every((x) => x.kind === 'text' || x.kind === 'tmpdir')) value = normalise(pieces.map((x) => x.text).join(''));
    });
    return value;
  } catch {
    return undefined;
  }
}

function normalise(text: string): string {
  return text.replace(/\/+/g, '/');
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = nodePath.resolve(nodePath.dirname(from), specifier);
  const stem = base.replace(/\.(c|m)?js$/, '');
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${stem}.cts`,
    `${stem}.js`,
    `${stem}.mjs`,
    `${stem}.cjs`,
    `${base}/index.ts`,
    `${base}/index.js`,
  ];
  return candidates.find((c) => {
    try {
      return fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
}
