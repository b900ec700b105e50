/**
 * @fileoverview The text report's fast wrap gives exactly what wrap-ansi gives on plain ASCII:
 * generated lines with runs of spaces, leading and trailing blanks, and words longer than the
 * width, at widths from 1 to 60.
 */
import { describe, expect, it } from 'vitest';
import wrapAnsi from 'wrap-ansi';
import { PLAIN_TEXT, wrapPlain } from '../../src/reporters/wrap-plain.js';

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function line(next: () => number): string {
  const words: string[] = [];
  const count = Math.floor(next() * 25);
  for (let i = 0; i < count; i++) {
    const long = next() < 0.1;
    const length = long ? 20 + Math.floor(next() * 70) : Math.floor(next() * 12);
    let word = '';
    for (let k = 0; k < length; k++) word += String.fromCharCode(0x21 + Math.floor(next() * 94));
    words.push(word);
  }
  let text = '';
  for (const w of words) text += w + ' '.repeat(next() < 0.2 ? 2 + Math.floor(next() * 3) : 1);
  return (next() < 0.2 ? '  ' : '') + (next() < 0.5 ? text : text.trimEnd());
}

describe('wrapPlain', () => {
  it('matches wrap-ansi ({ hard, trim, wordWrap }) on 3,000 generated lines', () => {
    const next = random(7);
    for (let i = 0; i < 3000; i++) {
      const text = line(next);
      const columns = 1 + Math.floor(next() * 60);
      expect(PLAIN_TEXT.test(text)).toBe(true);
      expect(wrapPlain(text, columns), JSON.stringify({ text, columns })).toBe(wrapAnsi(text, columns, { hard: true, trim: true, wordWrap: true }));
    }
  });

  it('matches on a finding message', () => {
    const message =
      "`/tmp/report.csv` is the same path for every concurrent invocation: on LMI all invocations in an execution environment share /tmp, so one request can overwrite, read or delete another's file.";
    for (const columns of [10, 40, 76, 200]) expect(wrapPlain(message, columns)).toBe(wrapAnsi(message, columns, { hard: true, trim: true, wordWrap: true }));
  });
});
