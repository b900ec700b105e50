/**
 * @fileoverview The symbolic value of a path or string expression ({@link PathValue}): literals,
 * templates and `+` folded, `path.join`/`resolve`, `os.tmpdir()`, request-unique sources
 * (`randomUUID()`, uuid/nanoid, `context.awsRequestId`, `mkdtemp` during an invocation),
 * module-level bindings and handler parameters kept as references for the project graph.
 */
import { ts } from '../../ts.js';
import type { PathValue } from '../../core/summary.js';
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
  if (ts.isAwaitExpression(e)) return pathValueOf(ctx, e.expression, depth + 1);
  if (ts.isCallExpression(e)) return callPathValue(ctx, e, depth);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    if (ts.isPropertyAccessExpression(e) && REQUEST_ID_PROPS.has(e.name.text)) {
      return { t: 'unique', why: e.getText(ctx.sourceFile) };
    }
    const target = ctx.stateTarget(e);
    if (target && target.ref.name !== 'this') return { t: 'ref', ref: target.ref };
    let root: ts.Expression = e;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
    if (ts.isIdentifier(root)) {
      const b = ctx.lookup(root.text);
      const origin = b ? paramOrigin(ctx, b, depth) : undefined;
      if (origin) return { t: 'param', fn: origin.fn, index: origin.index, text: text() };
    }
    return { t: 'unknown', text: text() };
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.lookup(e.text);
    if (!b) return { t: 'unknown', text: e.text };
    if (b.module) return { t: 'ref', ref: { name: e.text, path: [] } };
    if (b.alias) return { t: 'ref', ref: b.alias };
    if (b.param && !b.destructured) return { t: 'param', fn: b.param.fn, index: b.param.index, text: e.text };
    if (b.init && !b.destructured && (b.kind === 'const' || b.kind === 'let' || b.kind === 'var')) {
      return pathValueOf(ctx, b.init, depth + 1);
    }
    const origin = paramOrigin(ctx, b, depth);
    if (origin) return { t: 'param', fn: origin.fn, index: origin.index, text: e.text };
    return { t: 'unknown', text: e.text };
  }
  return { t: 'unknown', text: text() };
}

/** The parameter a local was destructured or derived from, if any. */
function paramOrigin(ctx: WalkContext, b: LocalBinding, depth: number): { fn: number; index: number } | undefined {
  if (b.param) return b.param;
  if (b.destructured && b.init && depth < 8) {
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
    // `.toString('hex')`, `.slice()`, `.replace()` keep a unique value unique (and a static one static).
    if (['toString', 'slice', 'substring', 'replace', 'replaceAll', 'toLowerCase', 'toUpperCase', 'trim'].includes(name)) {
      const inner = pathValueOf(ctx, callee.expression, depth + 1);
      if (inner.t === 'unique') return inner;
    }
  }
  if (ts.isIdentifier(callee) && callee.text === 'randomUUID' && ctx.isGlobal('randomUUID')) {
    return { t: 'unique', why: 'randomUUID()' };
  }
  return { t: 'unknown', text: call.getText(ctx.sourceFile) };
}
