/**
 * @fileoverview The TypeScript compiler API every parse goes through: the copy ts-morph bundles
 * (`@ts-morph/common`), loaded with `require` and without ts-morph's own wrapper layer.
 *
 * Why not `import { ts } from 'ts-morph'`: an ESM import of a CommonJS package makes Node lex
 * it for export names, and ts-morph's entry also loads its Project/wrapper code (~1 MB) that a
 * scan never uses. Loading the bundled compiler directly saves ~0.2 s per thread, paid by the
 * main thread and by every worker before its first file. It is the same module instance
 * `require('ts-morph').ts` returns, so the two never disagree.
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

function load(): typeof TsMorph.ts {
  const require = createRequire(import.meta.url);
  // Resolved from ts-morph's own location, so any install layout (npm, pnpm) finds its copy.
  const fromTsMorph = createRequire(require.resolve('ts-morph'));
  try {
    return fromTsMorph('@ts-morph/common/dist/typescript.js') as typeof TsMorph.ts;
  } catch {
    return (require('ts-morph') as typeof TsMorph).ts; // a future layout: the slower, public way
  }
}

export const ts = load();

/** The compiler's types under `ts.` (a value and a type-only namespace of the same name merge). */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace ts {
  export type AccessorDeclaration = TsMorph.ts.AccessorDeclaration;
  export type AwaitExpression = TsMorph.ts.AwaitExpression;
  export type BinaryExpression = TsMorph.ts.BinaryExpression;
  export type BindingElement = TsMorph.ts.BindingElement;
  export type BindingName = TsMorph.ts.BindingName;
  export type Block = TsMorph.ts.Block;
  export type CallExpression = TsMorph.ts.CallExpression;
  export type CaseBlock = TsMorph.ts.CaseBlock;
  export type CatchClause = TsMorph.ts.CatchClause;
  export type ClassLikeDeclaration = TsMorph.ts.ClassLikeDeclaration;
  export type CommentRange = TsMorph.ts.CommentRange;
  export type ConditionalExpression = TsMorph.ts.ConditionalExpression;
  export type ConstructorDeclaration = TsMorph.ts.ConstructorDeclaration;
  export type DeleteExpression = TsMorph.ts.DeleteExpression;
  export type DiagnosticWithLocation = TsMorph.ts.DiagnosticWithLocation;
  export type ElementAccessExpression = TsMorph.ts.ElementAccessExpression;
  export type ExportAssignment = TsMorph.ts.ExportAssignment;
  export type ExportDeclaration = TsMorph.ts.ExportDeclaration;
  export type Expression = TsMorph.ts.Expression;
  export type ForOfStatement = TsMorph.ts.ForOfStatement;
  export type ForStatement = TsMorph.ts.ForStatement;
  export type FunctionLikeDeclaration = TsMorph.ts.FunctionLikeDeclaration;
  export type Identifier = TsMorph.ts.Identifier;
  export type IfStatement = TsMorph.ts.IfStatement;
  export type ImportClause = TsMorph.ts.ImportClause;
  export type ImportDeclaration = TsMorph.ts.ImportDeclaration;
  export type IterationStatement = TsMorph.ts.IterationStatement;
  export type JSDocParsingMode = TsMorph.ts.JSDocParsingMode;
  export type JsonSourceFile = TsMorph.ts.JsonSourceFile;
  export type MethodDeclaration = TsMorph.ts.MethodDeclaration;
  export type NamedDeclaration = TsMorph.ts.NamedDeclaration;
  export type NewExpression = TsMorph.ts.NewExpression;
  export type Node = TsMorph.ts.Node;
  export type NodeFlags = TsMorph.ts.NodeFlags;
  export type ObjectLiteralExpression = TsMorph.ts.ObjectLiteralExpression;
  export type ParenthesizedExpression = TsMorph.ts.ParenthesizedExpression;
  export type PostfixUnaryExpression = TsMorph.ts.PostfixUnaryExpression;
  export type PrefixUnaryExpression = TsMorph.ts.PrefixUnaryExpression;
  export type PropertyAccessExpression = TsMorph.ts.PropertyAccessExpression;
  export type PropertyAssignment = TsMorph.ts.PropertyAssignment;
  export type PropertyDeclaration = TsMorph.ts.PropertyDeclaration;
  export type PropertyName = TsMorph.ts.PropertyName;
  export type ScriptKind = TsMorph.ts.ScriptKind;
  export type ScriptTarget = TsMorph.ts.ScriptTarget;
  export type ShorthandPropertyAssignment = TsMorph.ts.ShorthandPropertyAssignment;
  export type SourceFile = TsMorph.ts.SourceFile;
  export type Statement = TsMorph.ts.Statement;
  export type StringLiteral = TsMorph.ts.StringLiteral;
  export type SyntaxKind = TsMorph.ts.SyntaxKind;
  export type TypeNode = TsMorph.ts.TypeNode;
  export type VariableDeclaration = TsMorph.ts.VariableDeclaration;
  export type VariableDeclarationList = TsMorph.ts.VariableDeclarationList;
}
