/**
 * @fileoverview Small questions about single nodes, answered the same way for both parsers
 * (`tsx` gives Babel nodes such as `StringLiteral`/`ObjectProperty`, `babel` uses the estree
 * plugin: `Literal`/`Property`).
 */
import type { AstNode } from './types.js';

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
  'TSDeclareFunction',
]);

export function isFunctionNode(node: AstNode): boolean {
  return !!node && FUNCTION_TYPES.has(node.type);
}

/** Parentheses are `extra.parenthesized` in Babel trees; type assertions and `!` are see-through. */
export function unwrapExpression(node: AstNode): AstNode {
  let n = node;
  while (
    n &&
    ['TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'TypeCastExpression', 'ParenthesizedExpression', 'TSTypeAssertion'].includes(n.type)
  ) {
    n = n.expression;
  }
  return n;
}

/** The value of a string literal, or of a template literal without expressions. */
export function getStringValue(node: AstNode): string | undefined {
  if (!node) return undefined;
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked ?? node.quasis[0].value.raw;
  return undefined;
}

export function isStringLiteralNode(node: AstNode): boolean {
  return !!node && (node.type === 'StringLiteral' || (node.type === 'Literal' && typeof node.value === 'string'));
}

/** `a.b` -> `b`, `a['b']` -> `b`; undefined for computed non-literal keys. */
export function getMemberName(node: AstNode): string | undefined {
  if (!node || (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression')) return undefined;
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  return getStringValue(node.property);
}

export function isObjectProperty(node: AstNode): boolean {
  return !!node && (node.type === 'ObjectProperty' || (node.type === 'Property' && !node.method && node.kind === 'init'));
}

function isCallTo(node: AstNode, name: string): boolean {
  return !!node && node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === name;
}

/** `require('x')` -> `'x'`. */
export function getRequireSpecifier(node: AstNode): string | undefined {
  const n = unwrapExpression(node);
  if (!isCallTo(n, 'require') || n.arguments.length !== 1) return undefined;
  return getStringValue(n.arguments[0]);
}

/** The parameters of a function node (estree methods keep them on `value`). */
export function getParams(fn: AstNode): AstNode[] {
  return fn.params ?? fn.value?.params ?? [];
}

/** The name a parameter binds, if it is a plain (possibly defaulted or typed) identifier. */
export function getParamName(param: AstNode): string | undefined {
  if (!param) return undefined;
  if (param.type === 'Identifier') return param.name;
  if (param.type === 'AssignmentPattern' && param.left.type === 'Identifier') return param.left.name;
  if (param.type === 'TSParameterProperty') return getParamName(param.parameter);
  return undefined;
}

export function isAsync(fn: AstNode): boolean {
  return !!(fn.async ?? fn.value?.async);
}
