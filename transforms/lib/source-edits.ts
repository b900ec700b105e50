/**
 * @fileoverview Position-based edits on the original source. Transforms find nodes with
 * jscodeshift and change the text at their positions instead of letting recast reprint them:
 * recast's reprinting mixes tabs and spaces when it re-indents a tab-indented file, adds blank
 * lines around replaced statements and cannot move comments. Splices keep every untouched
 * character (quotes, comments, spacing) as it was.
 *
 * Re-indentation (for code wrapped in a new block) is recorded per original line and applied
 * when the edits are: text inserted at the start of such a line is indented with it, unless the
 * insertion asks not to be (the `try {` line itself, declarations that must stay outside).
 */
export interface Edit {
  start: number;
  end: number;
  text: string;
  /** Insertion order, to keep several insertions at one position in the order they were made. */
  seq: number;
  /** Indent the inserted lines with the line they are inserted at (default true). */
  indent: boolean;
}

export class SourceEdits {
  private readonly list: Edit[] = [];
  private readonly indents = new Map<number, string>();
  private seq = 0;

  constructor(readonly source: string) {}

  replace(start: number, end: number, text: string, options: { indent?: boolean } = {}): void {
    if (start > end || start < 0 || end > this.source.length) throw new Error(`bad edit range ${start}-${end}`);
    if (start === end && text === '') return;
    if (start !== end && this.source.slice(start, end) === text) return;
    this.list.push({ start, end, text, seq: this.seq++, indent: options.indent ?? true });
  }

  insert(pos: number, text: string, options: { indent?: boolean } = {}): void {
    this.replace(pos, pos, text, options);
  }

  /** Adds `unit` to the indentation of the original line starting at `lineStart`. */
  indentLine(lineStart: number, unit: string): void {
    this.indents.set(lineStart, (this.indents.get(lineStart) ?? '') + unit);
  }

  get size(): number {
    return this.list.length + this.indents.size;
  }

  /** The edited source. Overlapping replacements are a bug in a transform: they throw. */
  apply(): string {
    const src = this.source;
    // Insertions before replacements at one position; otherwise in the order they were made.
    const sorted = [...this.list].sort((a, b) => a.start - b.start || Number(a.end > a.start) - Number(b.end > b.start) || a.seq - b.seq);
    const unique: Edit[] = [];
    for (const e of sorted) {
      if (unique.some((u) => u.start === e.start && u.end === e.end && u.text === e.text)) continue;
      unique.push(e);
    }
    let out = '';
    let pos = 0;
    // Copies original text up to `to`, adding the recorded indentation at each line start.
    const copy = (to: number) => {
      while (pos < to) {
        const add = this.indents.get(pos);
        if (add && src[pos] !== '\n') out += add;
        const nl = src.indexOf('\n', pos);
        const stop = nl < 0 || nl + 1 > to ? to : nl + 1;
        out += src.slice(pos, stop);
        pos = stop;
      }
    };
    for (const e of unique) {
      if (e.start < pos) throw new Error(`overlapping edits at offset ${e.start}`);
      copy(e.start);
      const add = e.indent ? (this.indents.get(e.start) ?? '') : '';
      out += add ? e.text.replace(/(^|\n)(?=[^\n])/g, `$1${add}`) : e.text;
      pos = Math.max(pos, e.end);
    }
    copy(src.length);
    return out;
  }

  /** Offset of the start of the line containing `pos`. */
  lineStart(pos: number): number {
    return this.source.lastIndexOf('\n', pos - 1) + 1;
  }

  /** Offset just after the newline ending the line containing `pos` (or the end of the source). */
  lineEnd(pos: number): number {
    const nl = this.source.indexOf('\n', pos);
    return nl < 0 ? this.source.length : nl + 1;
  }

  /** The leading whitespace of the line containing `pos`. */
  indentAt(pos: number): string {
    const start = this.lineStart(pos);
    return /^[ \t]*/.exec(this.source.slice(start))![0];
  }

  /** Is `pos` the first non-blank character of its line? */
  startsLine(pos: number): boolean {
    return this.source.slice(this.lineStart(pos), pos).trim() === '';
  }
}
