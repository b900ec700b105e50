/**
 * @fileoverview wrap-ansi's word wrap (`{ hard: true, trim: true, wordWrap: true }`) for one line
 * of printable ASCII, where every character is one column. wrap-ansi measures each word, and the
 * row so far before each word, with string-width, whose grapheme segmenting made wrapping most of
 * a big report's time (4.8 s of 5 s for 1,586 findings); on text with no escape codes and no
 * wide or combining characters, lengths are widths and the same steps give the same lines
 * (test/reporters/wrap-plain.test.ts compares the two on generated text).
 */

/** One line of printable ASCII: the input {@link wrapPlain} takes. */
export const PLAIN_TEXT = /^[\x20-\x7e]*$/;

/** `text` (matching {@link PLAIN_TEXT}) wrapped to `columns`, lines joined with `\n`, as wrap-ansi gives it. */
export function wrapPlain(text: string, columns: number): string {
  if (text.trim() === '') return '';
  const rows = [''];
  for (const [index, word] of text.split(' ').entries()) {
    rows[rows.length - 1] = rows[rows.length - 1]!.trimStart();
    let rowLength = rows[rows.length - 1]!.length;
    if (index !== 0 && rowLength > 0) {
      rows[rows.length - 1] += ' ';
      rowLength++;
    }
    if (word.length > columns) {
      // A word longer than a line is cut; it starts on this row when that takes no more rows.
      const breaksStartingThisLine = 1 + Math.floor((word.length - (columns - rowLength) - 1) / columns);
      const breaksStartingNextLine = Math.floor((word.length - 1) / columns);
      if (breaksStartingNextLine < breaksStartingThisLine) rows.push('');
      cutWord(rows, word, columns);
      continue;
    }
    if (rowLength + word.length > columns && rowLength > 0 && word.length > 0) rows.push('');
    rows[rows.length - 1] += word;
  }
  return rows.map((row) => row.replace(/ +$/, '')).join('\n');
}

function cutWord(rows: string[], word: string, columns: number): void {
  let visible = rows[rows.length - 1]!.length;
  for (let i = 0; i < word.length; i++) {
    if (visible + 1 <= columns) rows[rows.length - 1] += word.charAt(i);
    else {
      rows.push(word.charAt(i));
      visible = 0;
    }
    visible++;
    if (visible === columns && i < word.length - 1) {
      rows.push('');
      visible = 0;
    }
  }
  if (!visible && rows[rows.length - 1]!.length > 0 && rows.length > 1) rows[rows.length - 2] += rows.pop()!;
}
