/**
 * @fileoverview Finds `lmi-audit-ignore*` comments in a parsed file and works out which lines
 * each one covers. Runs inside the per-file walk, and only for files whose text contains the
 * marker, so files without suppressions pay nothing but a substring search.
 *
 *   // lmi-audit-ignore-next-line <rule-id>[, <rule-id>] -- reason
 *   statement(); // lmi-audit-ignore <rule-id> -- reason
 *   /* lmi-audit-ignore-file <rule-id> -- reason *\/
 *
 * A directive covers its target line (the next line of code for `-next-line`, its own line
 * otherwise) and, when a statement starts on that line, the whole statement except the
 * statements nested in it. Formatters move comments to the start of a statement, so a finding
 * reported on the third line of a call spread over five is still silenced by a comment above
 * the call, while the body of a function declared on that line is not.
 */
import { ts } from '../../ts.js';
import type { Directive } from '../../core/summary.js';

export const DIRECTIVE_MARKER = 'lmi-audit-ignore';

export const KINDS: Record<string, Directive['kind']> = {
  '': 'line',
  '-next-line': 'next-line',
  '-file': 'file',
};

/** The directives of a file whose text contains {@link DIRECTIVE_MARKER}. */
export function collectDirectives(sourceFile: ts.SourceFile): Directive[] {
  const text = sourceFile.text;
  const directives: Directive[] = [];
  const seen = new Set<number>();
  for (let at = text.indexOf(DIRECTIVE_MARKER); at >= 0; at = text.indexOf(DIRECTIVE_MARKER, at + 1)) {
    const comment = getCommentAt(sourceFile, at);
    if (!comment || seen.has(comment.pos)) continue;
    seen.add(comment.pos);
    const directive = parseDirective(sourceFile, comment);
    if (directive) directives.push(directive);
  }
  return directives;
}

/** The comment containing `pos`, or undefined when `pos` is in code, a string or a template. */
function getCommentAt(sourceFile: ts.SourceFile, pos: number): ts.CommentRange | undefined {
  let node: ts.Node = sourceFile;
  descend: for (;;) {
    for (const child of node.getChildren(sourceFile)) {
      // JSDoc nodes overlap the trivia they document; the comment is found from the token after it.
      if (child.kind >= ts.SyntaxKind.FirstJSDocNode && child.kind <= ts.SyntaxKind.LastJSDocNode) continue;
      if (child.pos <= pos && pos < child.end) {
        node = child;
        continue descend;
      }
    }
    break;
  }
  // `node` is the innermost token (or node) whose full range, leading trivia included, holds pos.
  if (pos >= node.getStart(sourceFile)) return undefined;
  // Comments before the first line break of the trivia count as the previous token's trailing ones.
  const ranges = [...(ts.getTrailingCommentRanges(sourceFile.text, node.pos) ?? []), ...(ts.getLeadingCommentRanges(sourceFile.text, node.pos) ?? [])];
  return ranges.find((range) => range.pos <= pos && pos < range.end);
}

function parseDirective(sourceFile: ts.SourceFile, comment: ts.CommentRange): Directive | undefined {
  const raw = sourceFile.text.slice(comment.pos, comment.end);
  const body = comment.kind === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, -2).replace(/^\s*\*+/gm, ' ');
  // The directive must open the comment: `// see lmi-audit-ignore in the README` is prose.
  const match = /^\s*lmi-audit-ignore(\S*)([\s\S]*)$/.exec(body);
  if (!match) return undefined;
  const suffix = match[1]!;
  const kind = Object.hasOwn(KINDS, suffix) ? KINDS[suffix]! : 'unknown';
  const { rules, reason } = parseArguments(match[2]!);
  const start = sourceFile.getLineAndCharacterOfPosition(comment.pos);
  const end = sourceFile.getLineAndCharacterOfPosition(comment.end);
  const directive: Directive = {
    kind,
    name: `${DIRECTIVE_MARKER}${suffix}`,
    rules,
    loc: { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
    lines: [],
  };
  if (reason !== undefined) directive.reason = reason;
  if (kind === 'line') directive.lines = getCoveredLines(sourceFile, start.line);
  if (kind === 'next-line') {
    const next = skipTrivia(sourceFile.text, comment.end);
    if (next < sourceFile.text.length) {
      directive.lines = getCoveredLines(sourceFile, sourceFile.getLineAndCharacterOfPosition(next).line);
    }
  }
  return directive;
}

/** The position of the first code after `pos`: blank lines and further comments are skipped. */
function skipTrivia(text: string, pos: number): number {
  let i = pos;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      return i;
    }
  }
}

/** `a, b -- why` -> rules `['a', 'b']`, reason `why`. */
export function parseArguments(text: string): { rules: string[]; reason?: string } {
  const separator = /(?:^|\s)--(?:\s|$)/.exec(text);
  const list = separator ? text.slice(0, separator.index) : text;
  const rules = list.split(/[\s,]+/).filter((id) => id.length > 0);
  if (!separator) return { rules };
  const reason = text
    .slice(separator.index + separator[0].length)
    .replace(/\s+/g, ' ')
    .trim();
  return reason.length > 0 ? { rules, reason } : { rules };
}

/**
 * The 1-based line ranges a directive targeting 0-based `line` covers: the line itself, plus
 * each statement (or class member) starting on it, minus the statements nested in those.
 */
function getCoveredLines(sourceFile: ts.SourceFile, line: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [[line + 1, line + 1]];
  const lineStart = sourceFile.getLineStarts()[line]!;
  const nextLineStart = sourceFile.getLineStarts()[line + 1] ?? sourceFile.text.length + 1;
  const lineOf = (pos: number) => sourceFile.getLineAndCharacterOfPosition(pos).line;

  const findUnits = (node: ts.Node): void => {
    ts.forEachChild(node, (child) => {
      if (child.end <= lineStart) return;
      const start = child.getStart(sourceFile);
      if (start >= nextLineStart) return;
      if (isUnit(child) && start >= lineStart) {
        addUnit(child);
        return;
      }
      findUnits(child);
    });
  };

  const addUnit = (unit: ts.Node): void => {
    const holes: Array<[number, number]> = [];
    const findHoles = (node: ts.Node): void => {
      ts.forEachChild(node, (child) => {
        if (isUnit(child) && lineOf(child.getStart(sourceFile)) > line) {
          holes.push([lineOf(child.getStart(sourceFile)) + 1, lineOf(child.end) + 1]);
          return;
        }
        findHoles(child);
      });
    };
    findHoles(unit);
    let from = line + 1;
    for (const [holeStart, holeEnd] of holes) {
      if (holeStart > from) ranges.push([from, holeStart - 1]);
      from = Math.max(from, holeEnd + 1);
    }
    const last = lineOf(unit.end) + 1;
    if (from <= last) ranges.push([from, last]);
  };

  findUnits(sourceFile);
  return mergeRanges(ranges);
}

export function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Statements and class members: the units a comment above them is about. */
function isUnit(node: ts.Node): boolean {
  return UNIT_KINDS.has(node.kind);
}

const UNIT_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.VariableStatement,
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.ReturnStatement,
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.SwitchStatement,
  ts.SyntaxKind.ThrowStatement,
  ts.SyntaxKind.TryStatement,
  ts.SyntaxKind.LabeledStatement,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.ImportDeclaration,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.ExportDeclaration,
  ts.SyntaxKind.ExportAssignment,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.ClassStaticBlockDeclaration,
]);
