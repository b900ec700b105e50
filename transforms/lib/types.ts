/**
 * @fileoverview What a transform is, and what its recipe steps get. A transform is one file
 * `transforms/<id>.ts` exporting `meta`, `parser` (the jscodeshift parser per file) and a default
 * jscodeshift transform `(file, api, options) => string | undefined`.
 */
import type { Collection, JSCodeshift, Options } from 'jscodeshift';
import type { SourceEdits } from './source-edits.js';

type Safety = 'safe' | 'unsafe';

export interface TransformMeta {
  /** Equals the file name. */
  id: string;
  description: string;
  /** The rule whose findings it fixes. */
  fixes: string;
  /** `safe` transforms keep what the code does for one invocation; `--all` runs only those. */
  safety: Safety;
  /**
   * Options beyond `lines` and `handlers` that the fix engine works out for each file, the same
   * way for `lmi-audit fix` and for SARIF `fixes` (src/fix/apply-fix.ts).
   */
  options?: readonly TransformOptionId[];
}

/** An option the fix engine resolves for a transform: `poolMax` from `--pool-max` or the infrastructure code. */
export type TransformOptionId = 'poolMax';

/** Options the fix engine passes (all optional: without them a transform works on its own). */
export interface TransformOptions extends Options {
  /** 1-based lines of the findings to fix. Absent: every candidate the transform detects itself. */
  lines?: number[];
  /** Exports of this file that are Lambda handlers (default `['handler']`; `[]` for a helper module). */
  handlers?: string[];
  /** client-to-pool: `max` of the new pool. */
  poolMax?: number;
  /** client-to-pool: where `poolMax` comes from, for the note in the summary. */
  poolMaxSource?: string;
}

/** The parser-specific node shapes are not worth modelling: babel (estree) and tsx trees differ. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstPath = any;

export interface RecipeContext {
  j: JSCodeshift;
  root: Collection<AstNode>;
  /** The source with LF line endings (what the AST positions refer to). */
  source: string;
  path: string;
  options: TransformOptions;
  isTypeScript: boolean;
  /** No `import`/`export` and some `require`/`module.exports`: new imports are `require` calls. */
  isCommonJS: boolean;
  /** The quote character most string literals of the file use. */
  quote: "'" | '"';
  /** One level of indentation in this file (`'\t'`, two or four spaces). */
  indentUnit: string;
  edits: SourceEdits;
  /** Notes for the fix summary (markers are found in the output and need no note). */
  report(note: string): void;
  /** Is any line of `node` one of the finding lines? Always true when no lines were given. */
  isReported(node: AstNode): boolean;
  handlerNames: string[];
  /** A string literal in the file's quote style. */
  str(text: string): string;
  /** The program's scope, for telling module-level bindings apart. */
  programScope: AstNode;
}

export type Recipe = (ctx: RecipeContext) => void;
