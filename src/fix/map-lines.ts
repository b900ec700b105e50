/**
 * @fileoverview Where the lines of a file went after an edit, so the finding lines of a scan can
 * be handed to the second and third transform run on the same file. Re-indentation does not
 * move a line (whitespace is ignored); a rewritten line maps to the start of its replacement.
 */
import { diffLines } from 'diff';

export function mapLines(before: string, after: string, lines: readonly number[]): number[] {
  if (before === after) return [...lines];
  const map = new Map<number, number>();
  let oldLine = 1;
  let newLine = 1;
  for (const change of diffLines(before, after, { ignoreWhitespace: true })) {
    const count = change.count ?? 0;
    if (change.added) {
      newLine += count;
    } else if (change.removed) {
      for (let i = 0; i < count; i++) map.set(oldLine + i, newLine);
      oldLine += count;
    } else {
      for (let i = 0; i < count; i++) map.set(oldLine + i, newLine + i);
      oldLine += count;
      newLine += count;
    }
  }
  return [...new Set(lines.map((l) => map.get(l) ?? l))].sort((a, b) => a - b);
}
