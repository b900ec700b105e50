/**
 * @fileoverview Rule kit (JavaScript/TypeScript): lazy initialisation guards. A write sits under
 * a guard when an enclosing `if` of the same function tests the written target for absence
 * (`if (!client) client = ...`), or an earlier `if (client) return client;` in its block exits
 * when it is present.
 */
import { ts } from '../ts.js';
import { isFunctionLike, unwrap } from '../lang/js/ast.js';

const S = ts.SyntaxKind;

/** Start position of the condition that guards `node` as a lazy initialisation of `targetText`, if any. */
export function findLazyGuard(node: ts.Node, targetText: string, sourceFile: ts.SourceFile): number | undefined {
  let child: ts.Node = node;
  for (let p = node.parent; p && !isFunctionLike(p) && p.kind !== S.SourceFile; child = p, p = p.parent) {
    if (ts.isIfStatement(p) && child !== p.expression && testsAbsence(p.expression, targetText, child === p.thenStatement)) {
      return p.expression.getStart(sourceFile);
    }
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      // `if (client) return client;` earlier in the same block guards what follows.
      for (const stmt of p.statements) {
        if (stmt === child) break;
        if (ts.isIfStatement(stmt) && !stmt.elseStatement && exits(stmt.thenStatement) && testsPresence(stmt.expression, targetText)) {
          return stmt.expression.getStart(sourceFile);
        }
      }
    }
  }
  return undefined;
}

function textOf(expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) {
    const base = textOf(e.expression);
    return base === undefined ? undefined : `${base}.${e.name.text}`;
  }
  if (e.kind === S.ThisKeyword) return 'this';
  return undefined;
}

/** Does `cond` test `target` for absence (`!x`, `x == null`, `x === undefined`, `typeof x === 'undefined'`)? */
function testsAbsence(cond: ts.Expression, target: string, inThen: boolean): boolean {
  const e = unwrap(cond);
  if (!inThen) return testsPresence(e, target);
  if (ts.isPrefixUnaryExpression(e) && e.operator === S.ExclamationToken) return textOf(e.operand) === target || testsOwnKey(e.operand, target);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === S.BarBarToken) return testsAbsence(e.left, target, true) || testsAbsence(e.right, target, true);
    if (op === S.EqualsEqualsToken || op === S.EqualsEqualsEqualsToken) {
      const [a, b] = [unwrap(e.left), unwrap(e.right)];
      const isNullish = (x: ts.Expression) =>
        x.kind === S.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined') || (ts.isStringLiteralLike(x) && x.text === 'undefined');
      const subject = (x: ts.Expression) => (ts.isTypeOfExpression(x) ? textOf(x.expression) : textOf(x));
      return (isNullish(b) && subject(a) === target) || (isNullish(a) && subject(b) === target);
    }
  }
  return false;
}

/** Does `cond` test `target` for presence (`x`, `x != null`)? (`if (x) return x;` guards what follows.) */
function testsPresence(cond: ts.Expression, target: string): boolean {
  const e = unwrap(cond);
  if (textOf(e) === target || testsOwnKey(e, target)) return true;
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === S.ExclamationEqualsToken || op === S.ExclamationEqualsEqualsToken) {
      return textOf(e.left) === target || textOf(e.right) === target;
    }
  }
  return false;
}

/**
 * Does `cond` test that the object of `target` (`providers.appconfig`) has the key, whatever it
 * holds: `Object.hasOwn(providers, 'appconfig')`, `providers.hasOwnProperty('appconfig')`,
 * `Reflect.has(providers, 'appconfig')`, `'appconfig' in providers`?
 */
function testsOwnKey(cond: ts.Expression, target: string): boolean {
  const e = unwrap(cond);
  const names = (object: ts.Expression, key: ts.Expression | undefined) => {
    const base = textOf(object);
    const k = key && unwrap(key);
    return base !== undefined && !!k && ts.isStringLiteralLike(k) && `${base}.${k.text}` === target;
  };
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === S.InKeyword) return names(e.right, e.left);
  if (!ts.isCallExpression(e)) return false;
  const callee = textOf(e.expression);
  if (callee === 'Object.hasOwn' || callee === 'Reflect.has') return !!e.arguments[0] && names(e.arguments[0], e.arguments[1]);
  const c = unwrap(e.expression);
  return ts.isPropertyAccessExpression(c) && c.name.text === 'hasOwnProperty' && names(c.expression, e.arguments[0]);
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && exits(last);
  }
  return false;
}

/**
 * The innermost guard of `node` that makes it part of a lazy initialisation of some shared name:
 * an enclosing `if` whose branch runs only while a name is absent (`if (!server)`,
 * `if (!loaded)`, `if (client == null)`, or the `else` of `if (x)`), or an earlier
 * `if (x) return ...;` of an enclosing block. `names` are the names the guard tests that `isShared`
 * accepts; `region` is the code that runs under it (for the awaits after the write).
 */
export interface InitGuard {
  pos: number;
  /** Where the guarded code starts: the condition of an `if`, the end of an early-return `if`. */
  from: number;
  names: string[];
  region: readonly ts.Node[];
}

export function findInitGuard(node: ts.Node, sourceFile: ts.SourceFile, isShared: (name: string) => boolean): InitGuard | undefined {
  let child: ts.Node = node;
  for (let p = node.parent; p && !isFunctionLike(p) && p.kind !== S.SourceFile; child = p, p = p.parent) {
    if (ts.isIfStatement(p) && child !== p.expression) {
      const inThen = child === p.thenStatement;
      const names = (inThen ? absentNames(p.expression) : presentNames(p.expression)).filter(isShared);
      if (names.length) {
        const pos = p.expression.getStart(sourceFile);
        return { pos, from: pos, names, region: [child] };
      }
    }
    if (ts.isBlock(p)) {
      const statements = p.statements;
      const at = statements.indexOf(child as ts.Statement);
      for (let i = at - 1; i >= 0; i--) {
        const stmt = statements[i]!;
        if (!ts.isIfStatement(stmt) || stmt.elseStatement || !exits(stmt.thenStatement)) continue;
        const names = presentNames(stmt.expression).filter(isShared);
        // The exit branch (`if (p) return await p;`) is not on the path to the write.
        if (names.length) return { pos: stmt.expression.getStart(sourceFile), from: stmt.end, names, region: statements.slice(i + 1) };
      }
    }
  }
  return undefined;
}

/**
 * A name or a field a guard can test: `server`, `this.client`, `Db.pool`, `state.config` (plain
 * names and `.` chains on a name or `this`; `isShared` of the caller says which are shared).
 */
function nameOf(expr: ts.Expression): string | undefined {
  const text = textOf(expr);
  return text === 'this' ? undefined : text;
}

/** Names (and fields, see `nameOf`) a condition requires to be absent for its `then` branch to run. */
function absentNames(cond: ts.Expression): string[] {
  const e = unwrap(cond);
  if (ts.isPrefixUnaryExpression(e) && e.operator === S.ExclamationToken) {
    const t = nameOf(e.operand);
    return t === undefined ? [] : [t];
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === S.BarBarToken || op === S.AmpersandAmpersandToken) return [...absentNames(e.left), ...absentNames(e.right)];
    if (op === S.EqualsEqualsToken || op === S.EqualsEqualsEqualsToken) {
      const name = nullishComparisonSubject(e);
      return name ? [name] : [];
    }
  }
  return [];
}

/** Names (and fields) a condition requires to be present for its `then` branch to run. */
function presentNames(cond: ts.Expression): string[] {
  const e = unwrap(cond);
  const name = nameOf(e);
  if (name !== undefined) return [name];
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === S.AmpersandAmpersandToken) return [...presentNames(e.left), ...presentNames(e.right)];
    if (op === S.ExclamationEqualsToken || op === S.ExclamationEqualsEqualsToken) {
      const name = nullishComparisonSubject(e);
      return name ? [name] : [];
    }
  }
  return [];
}

/** `x == null`, `x === undefined`, `typeof x === 'undefined'` (either side) -> `x`. */
function nullishComparisonSubject(e: ts.BinaryExpression): string | undefined {
  const [a, b] = [unwrap(e.left), unwrap(e.right)];
  const isNullish = (x: ts.Expression) =>
    x.kind === S.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined') || (ts.isStringLiteralLike(x) && x.text === 'undefined');
  const subject = (x: ts.Expression) => {
    const s = ts.isTypeOfExpression(x) ? unwrap(x.expression) : x;
    return ts.isIdentifier(s) && s.text === 'undefined' ? undefined : nameOf(s);
  };
  if (isNullish(b)) return subject(a);
  if (isNullish(a)) return subject(b);
  return undefined;
}

const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

/**
 * Is there, in `region` after position `after`, an `await name.method(...)` (`name` may be a field,
 * `this.client`) that prepares the
 * value just stored (`await client.connect()`)? Awaiting the stored promise itself (`await p`,
 * `await p.then(...)`) is what a single-flight cache does, and does not count.
 */
export function awaitsPreparation(region: readonly ts.Node[], name: string, after: number): boolean {
  const visit = (n: ts.Node): boolean => {
    if (isFunctionLike(n)) return false;
    if (ts.isAwaitExpression(n) && n.end > after) {
      const operand = unwrap(n.expression);
      if (ts.isCallExpression(operand)) {
        const callee = unwrap(operand.expression);
        if (ts.isPropertyAccessExpression(callee) && !PROMISE_METHODS.has(callee.name.text)) {
          // `client.connect()`, `client.pool.connect()`; `this.client.connect()` for a field.
          const receiver = textOf(callee.expression);
          if (receiver !== undefined && (receiver === name || receiver.startsWith(`${name}.`))) return true;
        }
      }
    }
    return ts.forEachChild(n, (c) => (visit(c) ? true : undefined)) === true;
  };
  return region.some(visit);
}
