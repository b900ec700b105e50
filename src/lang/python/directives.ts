/**
 * @fileoverview `# lmi-audit-ignore*` comments of a Python file and the lines each covers, with
 * the same meaning as in JavaScript (src/lang/js/directives.ts):
 *
 *   # lmi-audit-ignore-next-line <rule-id>[, <rule-id>] -- reason
 *   open("/tmp/x", "w")  # lmi-audit-ignore <rule-id> -- reason
 *   # lmi-audit-ignore-file <rule-id> -- reason
 *
 * A directive covers its target line and, when a statement starts there, the rest of that
 * statement; for a compound statement (`def`, `with`, `if`, ...) only its header, never the
 * block nested in it.
 */
import type { Directive } from '../../core/summary.js';
import { DIRECTIVE_MARKER, KINDS, mergeRanges, parseArguments } from '../js/directives.js';
import type { PyNode } from './context.js';

export function collectPythonDirectives(root: PyNode, text: string): Directive[] {
  const directives: Directive[] = [];
  const lines = text.split(/\r?\n/);
  for (const comment of root.descendantsOfType('comment')) {
    if (!comment || !comment.text.includes(DIRECTIVE_MARKER)) continue;
    const match = /^#\s*lmi-audit-ignore(\S*)([\s\S]*)$/.exec(comment.text);
    if (!match) continue;
    const suffix = match[1]!;
    const kind = Object.hasOwn(KINDS, suffix) ? KINDS[suffix]! : 'unknown';
    const { rules, reason } = parseArguments(match[2]!);
    const directive: Directive = {
      kind,
      name: `${DIRECTIVE_MARKER}${suffix}`,
      rules,
      loc: {
        line: comment.startPosition.row + 1,
        column: comment.startPosition.column + 1,
        endLine: comment.endPosition.row + 1,
        endColumn: comment.endPosition.column + 1,
      },
      lines: [],
    };
    if (reason !== undefined) directive.reason = reason;
    if (kind === 'line') directive.lines = coveredLines(root, comment.startPosition.row);
    if (kind === 'next-line') {
      const next = nextCodeRow(lines, comment.endPosition.row);
      if (next !== undefined) directive.lines = coveredLines(root, next);
    }
    directives.push(directive);
  }
  return directives;
}

/** The first row after `row` that holds code (blank lines and comment lines are skipped). */
function nextCodeRow(lines: readonly string[], row: number): number | undefined {
  for (let r = row + 1; r < lines.length; r++) {
    const t = lines[r]!.trim();
    if (t !== '' && !t.startsWith('#')) return r;
  }
  return undefined;
}

const COMPOUND = new Set([
  'function_definition',
  'class_definition',
  'decorated_definition',
  'if_statement',
  'for_statement',
  'while_statement',
  'with_statement',
  'try_statement',
  'match_statement',
]);

/** 1-based ranges: the line itself, plus a statement starting on it (a compound one: its header). */
function coveredLines(root: PyNode, row: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [[row + 1, row + 1]];
  const visit = (node: PyNode): void => {
    for (const child of node.namedChildren) {
      if (!child || child.endPosition.row < row || child.startPosition.row > row) continue;
      if (child.startPosition.row === row && (child.type.endsWith('_statement') || child.type.endsWith('_definition'))) {
        if (COMPOUND.has(child.type)) {
          const body =
            child.type === 'decorated_definition' ? child.childForFieldName('definition')?.childForFieldName('body') : child.childForFieldName('body');
          const end = body ? body.startPosition.row - (body.startPosition.row > row ? 1 : 0) : row;
          ranges.push([row + 1, Math.max(row, end) + 1]);
        } else {
          ranges.push([row + 1, child.endPosition.row + 1]);
        }
        return;
      }
      visit(child);
    }
  };
  visit(root);
  return mergeRanges(ranges);
}
