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
  if (ts.isPrefixUnaryExpression(e) && e.operator === S.ExclamationToken) return textOf(e.operand) === target;
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === S.BarBarToken) return testsAbsence(e.left, target, true) || testsAbsence(e.right, target, true);
    if (op === S.EqualsEqualsToken || op === S.EqualsEqualsEqualsToken) {
      const [a, b] = [unwrap(e.left), unwrap(e.right)];
      const isNullish = (x: ts.Expression) =>
        x.kind === S.NullKeyword ||
        (ts.isIdentifier(x) && x.text === 'undefined') ||
        (ts.isStringLiteralLike(x) && x.text === 'undefined');
      const subject = (x: ts.Expression) => (ts.isTypeOfExpression(x) ? textOf(x.expression) : textOf(x));
      return (isNullish(b) && subject(a) === target) || (isNullish(a) && subject(b) === target);
    }
  }
  return false;
}

/** Does `cond` test `target` for presence (`x`, `x != null`)? (`if (x) return x;` guards what follows.) */
function testsPresence(cond: ts.Expression, target: string): boolean {
  const e = unwrap(cond);
  if (textOf(e) === target) return true;
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === S.ExclamationEqualsToken || op === S.ExclamationEqualsEqualsToken) {
      return textOf(e.left) === target || textOf(e.right) === target;
    }
  }
  return false;
}

function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements[statement.statements.length - 1];
    return !!last && exits(last);
  }
  return false;
}
