/**
 * @fileoverview Small syntax helpers of the JavaScript/TypeScript front-end, shared by the
 * walk, the rule visitors and the rule kit.
 */
import { ts } from '../../ts.js';

const S = ts.SyntaxKind;

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  switch (node.kind) {
    case S.FunctionDeclaration:
    case S.FunctionExpression:
    case S.ArrowFunction:
    case S.MethodDeclaration:
    case S.GetAccessor:
    case S.SetAccessor:
    case S.Constructor:
      return true;
    default:
      return false;
  }
}

/** Nodes that only exist in the type system: never walked. */
export function isTypeOnly(node: ts.Node): boolean {
  return (
    (node.kind >= S.FirstTypeNode && node.kind <= S.LastTypeNode) ||
    node.kind === S.InterfaceDeclaration ||
    node.kind === S.TypeAliasDeclaration ||
    node.kind === S.TypeParameter ||
    node.kind === S.HeritageClause
  );
}

export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    switch (e.kind) {
      case S.ParenthesizedExpression:
      case S.AsExpression:
      case S.NonNullExpression:
      case S.SatisfiesExpression:
      case S.TypeAssertionExpression:
        e = (e as ts.ParenthesizedExpression).expression;
        continue;
      default:
        return e;
    }
  }
}
