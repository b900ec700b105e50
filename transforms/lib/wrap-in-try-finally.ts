/**
 * @fileoverview Wraps the statements of a function body from a given statement to the end in
 * `try { ... } finally { <cleanup> }`, re-indenting the wrapped lines by one level (lines inside
 * multi-line template literals are string content and keep their indentation). Several blocks
 * with different start statements nest: the later one inside the earlier one.
 */
import { getLeadingCommentStart } from './get-leading-comment-start.js';
import type { AstNode, RecipeContext } from './types.js';

export interface TryBlock {
  /** Index in the body of the first wrapped statement. */
  start: number;
  /** Statements of the `finally` block, one per line, without indentation. */
  finallyLines: string[];
  /** Statements of a `catch (error)` block before it (they should end by rethrowing). */
  catchLines?: string[];
}

/** Can the body from statement `start` be wrapped (every statement on its own lines, a closing brace on its own line)? */
export function canWrapInTryFinally(ctx: RecipeContext, fn: AstNode, start: number): boolean {
  const body = fn.body ?? fn.value?.body;
  if (!body || body.type !== 'BlockStatement') return false;
  const statements: AstNode[] = body.body;
  if (start < 0 || start >= statements.length) return false;
  if (!ctx.edits.startsLine(body.end - 1)) return false;
  return statements.slice(start).every((s) => ctx.edits.startsLine(s.start));
}

export function wrapInTryFinally(ctx: RecipeContext, fn: AstNode, blocks: TryBlock[]): boolean {
  if (blocks.length === 0) return false;
  const body = fn.body ?? fn.value?.body;
  const merged = new Map<number, string[]>();
  const catches = new Map<number, string[]>();
  for (const b of blocks) {
    merged.set(b.start, [...(merged.get(b.start) ?? []), ...b.finallyLines]);
    if (b.catchLines) catches.set(b.start, [...(catches.get(b.start) ?? []), ...b.catchLines]);
  }
  const starts = [...merged.keys()].sort((a, b) => a - b);
  if (!canWrapInTryFinally(ctx, fn, starts[0]!)) return false;
  const statements: AstNode[] = body.body;
  const { edits } = ctx;
  const closing = body.end - 1;
  const base = edits.indentAt(statements[starts[0]!]!.start);
  const unit = ctx.indentUnit;

  starts.forEach((s, level) => edits.insert(regionStartOf(ctx, statements[s]!), `${base}${unit.repeat(level)}try {\n`, { indent: false }));
  reindentStatements(ctx, body, starts[0]!, (i) => starts.filter((s) => s <= i).length);
  let tail = '';
  for (let level = starts.length - 1; level >= 0; level--) {
    const indent = `${base}${unit.repeat(level)}`;
    const catchLines = catches.get(starts[level]!);
    if (catchLines?.length) {
      tail += `${indent}} catch (error) {\n`;
      for (const line of catchLines) tail += `${indent}${unit}${line}\n`;
    }
    tail += `${indent}} finally {\n`;
    for (const line of merged.get(starts[level]!)!) tail += `${indent}${unit}${line}\n`;
    tail += `${indent}}\n`;
  }
  edits.insert(edits.lineStart(closing), tail, { indent: false });
  return true;
}

/**
 * Wraps the whole body of a function in `open` ... `close` (each a list of lines), re-indenting
 * the body one level: `return new Promise((resolve, reject) => {` ... `});`.
 */
export function wrapFunctionBody(ctx: RecipeContext, fn: AstNode, open: string[], close: string[]): boolean {
  if (!canWrapInTryFinally(ctx, fn, 0)) return false;
  const body = fn.body ?? fn.value?.body;
  const statements: AstNode[] = body.body;
  const base = ctx.edits.indentAt(statements[0]!.start);
  const unit = ctx.indentUnit;
  ctx.edits.insert(regionStartOf(ctx, statements[0]!), open.map((line, i) => `${base}${i === 0 ? '' : unit}${line}\n`).join(''), { indent: false });
  reindentStatements(ctx, body, 0, () => 1);
  ctx.edits.insert(ctx.edits.lineStart(body.end - 1), close.map((line) => `${base}${line}\n`).join(''), { indent: false });
  return true;
}

function regionStartOf(ctx: RecipeContext, statement: AstNode): number {
  return getLeadingCommentStart(ctx, statement);
}

/** Indents the lines of statements `from`.. of a body block by `levelsOf(index)` units (template literal lines excepted). */
function reindentStatements(ctx: RecipeContext, body: AstNode, from: number, levelsOf: (index: number) => number): void {
  const statements: AstNode[] = body.body;
  const { edits, source } = ctx;
  const closing = body.end - 1;
  const unit = ctx.indentUnit;
  // A statement's region runs from its leading comments to the next statement's.
  const regionStart = statements.map((s) => getLeadingCommentStart(ctx, s));
  const templates: Array<[number, number]> = [];
  ctx
    .j(body)
    .find(ctx.j.TemplateLiteral)
    .forEach((p: AstNode) => templates.push([p.node.start, p.node.end]));
  const insideTemplate = (pos: number) => templates.some(([s, e]) => pos > s && pos < e);
  for (let i = from; i < statements.length; i++) {
    const start = regionStart[i]!;
    const to = i + 1 < statements.length ? regionStart[i + 1]! : edits.lineStart(closing);
    const levels = levelsOf(i);
    for (let pos = start; pos < to; pos = edits.lineEnd(pos)) {
      if (source.slice(pos, edits.lineEnd(pos)).trim() === '' || insideTemplate(pos)) continue;
      edits.indentLine(pos, unit.repeat(levels));
    }
  }
}
