/**
 * @fileoverview The symbolic value of a path or string expression ({@link PathValue}): literals,
 * templates and `+` folded, `path.join`/`resolve`, `os.tmpdir()`, request-unique sources
 * (`randomUUID()`, uuid/nanoid, `context.awsRequestId`, `mkdtemp` during an invocation),
 * module-level bindings and handler parameters kept as references for the project graph.
 */
import { posix } from 'node:path';
import { ts } from '../../ts.js';
import { isPassedPath, selectProps, type PathValue } from '../../core/summary.js';
import { CRYPTO_MODULES, FS_MODULES, OS_MODULES, PATH_MODULES, REQUEST_ID_PROPS, UNIQUE_PACKAGES } from '../../kit/fs-functions.js';
import { unwrap } from './ast.js';
import type { LocalBinding, WalkContext } from './context.js';

const S = ts.SyntaxKind;

export function pathValueOf(ctx: WalkContext, expr: ts.Expression, depth = 0): PathValue {
  const e = unwrap(expr);
  const text = () => e.getText(ctx.sourceFile);
  if (depth > 8) return { t: 'unknown', text: text() };
  if (ts.isStringLiteralLike(e)) return { t: 'str', v: e.text };
  if (ts.isTemplateExpression(e)) {
    const parts: PathValue[] = [{ t: 'str', v: e.head.text }];
    for (const span of e.templateSpans) {
      parts.push(pathValueOf(ctx, span.expression, depth + 1));
      parts.push({ t: 'str', v: span.literal.text });
    }
    return { t: 'cat', parts };
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === S.PlusToken) {
    return { t: 'cat', parts: [pathValueOf(ctx, e.left, depth + 1), pathValueOf(ctx, e.right, depth + 1)] };
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === S.BarBarToken || e.operatorToken.kind === S.QuestionQuestionToken)) {
    // `process.env.TMPDIR || os.tmpdir()`, `process.env.TMP ?? '/tmp'`: Lambda sets no TMPDIR, so the fallback is the path.
    if (isTmpEnv(ctx, e.left)) return pathValueOf(ctx, e.right, depth + 1);
    return { t: 'unknown', text: text() };
  }
  if (ts.isConditionalExpression(e)) {
    return { t: 'choice', options: [pathValueOf(ctx, e.whenTrue, depth + 1), pathValueOf(ctx, e.whenFalse, depth + 1)], text: text() };
  }
  if (ts.isAwaitExpression(e)) return pathValueOf(ctx, e.expression, depth + 1);
  if (ts.isCallExpression(e)) return callPathValue(ctx, e, depth);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    if (ts.isPropertyAccessExpression(e) && REQUEST_ID_PROPS.has(e.name.text)) {
      return { t: 'unique', why: e.getText(ctx.sourceFile) };
    }
    const target = ctx.stateTarget(e);
    if (target && target.ref.name !== 'this') return { t: 'ref', ref: target.ref };
    // The names read off the root, when each is one (`params.output_path`, `opts['dir']`).
    const props: string[] = [];
    let root: ts.Expression = e;
    let named = true;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) {
      if (ts.isPropertyAccessExpression(root)) props.unshift(root.name.text);
      else if (ts.isStringLiteralLike(root.argumentExpression)) props.unshift(root.argumentExpression.text);
      else named = false;
      root = unwrap(root.expression);
    }
    if (ts.isIdentifier(root)) {
      const b = ctx.lookup(root.text);
      // A property of a local object literal: `parseParams.output_path` after `const parseParams = { output_path: '/tmp/x' }`.
      if (named && b && !b.module && b.kind === 'const' && !b.destructured && b.init && isUnchangedObject(b.name, b.init)) {
        const picked = selectProps(pathValueOf(ctx, b.init, depth + 1), props);
        return picked.t === 'unknown' ? { t: 'unknown', text: text() } : picked;
      }
      const origin = b ? paramOrigin(ctx, b, depth) : undefined;
      if (origin) {
        const direct = named && b!.param && !b!.destructured;
        return { t: 'param', fn: origin.fn, index: origin.index, text: text(), ...(direct ? { props } : {}) };
      }
    }
    return { t: 'unknown', text: text() };
  }
  if (ts.isObjectLiteralExpression(e)) return objectPathValue(ctx, e, depth);
  if (ts.isIdentifier(e)) {
    const b = ctx.lookup(e.text);
    if (!b) return { t: 'unknown', text: e.text };
    if (b.module) return { t: 'ref', ref: { name: e.text, path: [] } };
    if (b.alias) return { t: 'ref', ref: b.alias };
    if (b.param && !b.destructured) return { t: 'param', fn: b.param.fn, index: b.param.index, text: e.text };
    if (b.init && !b.destructured && (b.kind === 'const' || b.kind === 'let' || b.kind === 'var')) {
      // An object literal whose properties the code sets again later says nothing of what the callee reads.
      if (ts.isObjectLiteralExpression(unwrap(b.init)) && !isUnchangedObject(b.name, b.init)) return { t: 'unknown', text: e.text };
      return pathValueOf(ctx, b.init, depth + 1);
    }
    const origin = paramOrigin(ctx, b, depth);
    if (origin) return { t: 'param', fn: origin.fn, index: origin.index, text: e.text };
    return { t: 'unknown', text: e.text };
  }
  return { t: 'unknown', text: text() };
}

/**
 * An object literal whose properties carry paths (`{ json_name, content, output_path: '/tmp/qna.json' }`):
 * those properties, for a helper that reads `params.output_path`. One with none is unknown.
 */
function objectPathValue(ctx: WalkContext, e: ts.ObjectLiteralExpression, depth: number): PathValue {
  const props: Record<string, PathValue> = {};
  let any = false;
  for (const prop of e.properties) {
    let value: PathValue | undefined;
    if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteralLike(prop.name)))
      value = pathValueOf(ctx, prop.initializer, depth + 1);
    else if (ts.isShorthandPropertyAssignment(prop)) value = pathValueOf(ctx, prop.name, depth + 1);
    if (!value || !isPassedPath(value)) continue;
    props[(prop.name as ts.Identifier | ts.StringLiteral).text] = value;
    any = true;
  }
  return any ? { t: 'object', props } : { t: 'unknown', text: e.getText(ctx.sourceFile) };
}

/**
 * Is `init` an object literal whose properties nothing in the block declaring `name` sets again
 * (`opts.out = …`, `opts['out'] += …`, `delete opts.out`, `Object.assign(opts, …)`)? A const
 * object's properties are not constant: after `opts.out = \`/tmp/${randomUUID()}\`` the literal's
 * `'/tmp/report.json'` is not the path. Any such write, before or after the read, counts.
 */
function isUnchangedObject(name: string, init: ts.Expression): boolean {
  if (!ts.isObjectLiteralExpression(unwrap(init))) return false;
  let known = unchangedObjects.get(init);
  if (known !== undefined) return known;
  let block: ts.Node = init;
  while (block.parent && !ts.isBlock(block) && !ts.isSourceFile(block)) block = block.parent;
  const isMember = (expr: ts.Expression): boolean => {
    let e = unwrap(expr);
    if (!ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e)) return false;
    while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = unwrap(e.expression);
    return ts.isIdentifier(e) && e.text === name;
  };
  const isNamed = (expr: ts.Expression | undefined) => expr !== undefined && ts.isIdentifier(unwrap(expr)) && (unwrap(expr) as ts.Identifier).text === name;
  const writes = (node: ts.Node): boolean => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= S.FirstAssignment && node.operatorToken.kind <= S.LastAssignment && isMember(node.left))
      return true;
    if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === S.PlusPlusToken || node.operator === S.MinusMinusToken) &&
      isMember(node.operand)
    )
      return true;
    if (ts.isDeleteExpression(node) && isMember(node.expression)) return true;
    if (ts.isCallExpression(node) && isObjectWriter(node.expression) && isNamed(node.arguments[0])) return true;
    return ts.forEachChild(node, writes) === true;
  };
  known = !writes(block);
  unchangedObjects.set(init, known);
  return known;
}
const unchangedObjects = new WeakMap<ts.Node, boolean>();
const OBJECT_WRITERS = new Set(['Object.assign', 'Object.defineProperty', 'Object.defineProperties', 'Reflect.set']);
const isObjectWriter = (callee: ts.Expression) =>
  ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && OBJECT_WRITERS.has(`${callee.expression.text}.${callee.name.text}`);

const TMP_ENV = new Set(['TMPDIR', 'TMP', 'TEMP']);

/** `process.env.TMPDIR` (also `TMP`, `TEMP`, and the `['TMPDIR']` form). */
function isTmpEnv(ctx: WalkContext, expr: ts.Expression): boolean {
  const e = unwrap(expr);
  let name: string | undefined;
  let obj: ts.Expression | undefined;
  if (ts.isPropertyAccessExpression(e)) [name, obj] = [e.name.text, e.expression];
  else if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) [name, obj] = [e.argumentExpression.text, e.expression];
  if (!name || !obj || !TMP_ENV.has(name)) return false;
  const env = unwrap(obj);
  return (
    ts.isPropertyAccessExpression(env) &&
    env.name.text === 'env' &&
    ts.isIdentifier(env.expression) &&
    env.expression.text === 'process' &&
    ctx.isGlobal('process')
  );
}

/** String methods that keep a value derived from the event derived from it (and a unique one unique). */
const KEEPING_METHODS = new Set(['toString', 'slice', 'substring', 'replace', 'replaceAll', 'toLowerCase', 'toUpperCase', 'trim', 'normalize', 'padStart']);
/** Global functions that keep event data event data: `decodeURIComponent(record.s3.object.key)`. */
const KEEPING_GLOBALS = new Set(['decodeURIComponent', 'decodeURI', 'encodeURIComponent', 'encodeURI', 'String', 'unescape']);

/** The value of a derivation of `inner`: event data stays event data (named by the whole expression), a unique value stays unique. */
function derived(inner: PathValue, text: string): PathValue | undefined {
  if (inner.t === 'unique') return inner;
  if (inner.t === 'param') return { ...inner, text };
  return undefined;
}

/** The parameter a local was destructured or derived from, if any. */
function paramOrigin(ctx: WalkContext, b: LocalBinding, depth: number): { fn: number; index: number } | undefined {
  if (b.param) return b.param;
  // `const { key } = event.detail` and `const record = event.Records[0]`: a property path off the event is event data.
  if (b.init && depth < 8 && (b.destructured || b.kind === 'const' || b.kind === 'let' || b.kind === 'var')) {
    let root: ts.Expression = unwrap(b.init);
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
    if (ts.isIdentifier(root)) {
      const rb = ctx.lookup(root.text);
      if (rb && rb !== b) return paramOrigin(ctx, rb, depth + 1);
    }
  }
  return undefined;
}

function callPathValue(ctx: WalkContext, call: ts.CallExpression, depth: number): PathValue {
  const callee = unwrap(call.expression);
  const imp = ctx.importOf(callee);
  const method = imp ? (imp.path.length ? imp.path[imp.path.length - 1]! : imp.imported) : undefined;
  if (imp && PATH_MODULES.has(imp.specifier) && (method === 'join' || method === 'resolve')) {
    return { t: 'join', resolve: method === 'resolve', parts: call.arguments.map((a) => pathValueOf(ctx, a, depth + 1)) };
  }
  if (imp && PATH_MODULES.has(imp.specifier) && (method === 'basename' || method === 'normalize') && call.arguments[0]) {
    // `path.basename(key)`: the last part of an event's key names the same file for two requests with that key.
    const inner = pathValueOf(ctx, call.arguments[0], depth + 1);
    if (inner.t === 'param') return { ...inner, text: call.getText(ctx.sourceFile) };
    if (inner.t === 'str' && method === 'basename') return { t: 'str', v: posix.basename(inner.v) };
    return { t: 'unknown', text: call.getText(ctx.sourceFile) };
  }
  if (imp && OS_MODULES.has(imp.specifier) && method === 'tmpdir') return { t: 'tmpdir' };
  if (imp && CRYPTO_MODULES.has(imp.specifier) && (method === 'randomUUID' || method === 'randomBytes')) {
    return { t: 'unique', why: `${method}()` };
  }
  if (imp && UNIQUE_PACKAGES[imp.specifier]?.has(method!)) return { t: 'unique', why: `${imp.specifier}` };
  if (imp && FS_MODULES.has(imp.specifier) && (method === 'mkdtemp' || method === 'mkdtempSync')) {
    const prefix = call.arguments[0] ? pathValueOf(ctx, call.arguments[0], depth + 1) : { t: 'unknown' as const, text: '' };
    return ctx.fn === -1 ? { t: 'initTemp', prefix } : { t: 'unique', why: 'mkdtemp' };
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    // Web Crypto global: crypto.randomUUID() / globalThis.crypto.randomUUID()
    if (name === 'randomUUID') return { t: 'unique', why: 'randomUUID()' };
    // `.toString('hex')`, `.slice()`, `.replace()` keep a unique value unique, and event data event data.
    if (KEEPING_METHODS.has(name)) {
      const kept = derived(pathValueOf(ctx, callee.expression, depth + 1), call.getText(ctx.sourceFile));
      if (kept) return kept;
    }
    // `key.split('/').pop()`: the last segment of an event's key.
    const split = unwrap(callee.expression);
    if ((name === 'pop' || name === 'at' || name === 'shift') && ts.isCallExpression(split)) {
      const splitCallee = unwrap(split.expression);
      if (ts.isPropertyAccessExpression(splitCallee) && splitCallee.name.text === 'split') {
        const inner = pathValueOf(ctx, splitCallee.expression, depth + 1);
        if (inner.t === 'param') return { ...inner, text: call.getText(ctx.sourceFile) };
      }
    }
  }
  if (ts.isIdentifier(callee) && KEEPING_GLOBALS.has(callee.text) && ctx.isGlobal(callee.text) && call.arguments[0]) {
    const kept = derived(pathValueOf(ctx, call.arguments[0], depth + 1), call.getText(ctx.sourceFile));
    if (kept?.t === 'param') return kept;
  }
  if (ts.isIdentifier(callee) && callee.text === 'randomUUID' && ctx.isGlobal('randomUUID')) {
    return { t: 'unique', why: 'randomUUID()' };
  }
  return { t: 'unknown', text: call.getText(ctx.sourceFile) };
}
