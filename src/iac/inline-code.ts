/**
 * @fileoverview Inline code of a template (`Code.ZipFile`, SAM `InlineCode`) read as text, with
 * where each of its lines is written in the template, so that the scan analyses it like a file and
 * reports its findings at the template's lines. Only literal text is read: a plain or block
 * string, `Fn::Sub` of a string alone (its `${…}` stay as written, their values being known only
 * after deployment; `${!x}` becomes `${x}`, as CloudFormation writes it), `Fn::Join` of literal
 * strings. Anything else is known only at deploy time: the function gets a problem instead,
 * shown as the scan's error on it.
 */
import type { IacInlineLine, IacInlineSource } from './types.js';
import { isObject } from './values.js';
import type { ParsedDocument, ValuePosition } from './yaml.js';

type KeyPath = readonly (string | number)[];

/** The inline code at `keyPath` (whose parsed value is `value`): its text and lines, or why it cannot be read. */
export function readTemplateInlineCode(document: ParsedDocument, keyPath: KeyPath, value: unknown): { source: IacInlineSource } | { problem: string } {
  if (typeof value === 'string') return { source: { text: value, lines: getLines(value, document.valueOf(keyPath)) } };
  if (isObject(value) && Object.keys(value).length === 1) {
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') {
      // `!Sub |` is one tagged scalar; `Fn::Sub: |` a map around it.
      const position = document.valueOf([...keyPath, 'Fn::Sub']) ?? document.valueOf(keyPath);
      // `${!Literal}` is CloudFormation's escape for a literal `${Literal}` (a JavaScript template's
      // `${…}`): the deployed code has it without the `!` (columns after one shift by a character).
      const text = sub.replace(/\$\{!/g, '${');
      return { source: { text, lines: getLines(text, position) } };
    }
    if (sub !== undefined) return { problem: '`Fn::Sub` with a map of variables, whose values are known only at deploy time' };
    const join = value['Fn::Join'];
    if (join !== undefined) return readJoin(document, [...keyPath, 'Fn::Join'], join);
    return { problem: `\`${Object.keys(value)[0]}\`, whose value is known only at deploy time` };
  }
  return { problem: 'a value that is not a string' };
}

/** `Fn::Join [delimiter, [literal, ...]]`: each code line maps to the element it starts in. */
function readJoin(document: ParsedDocument, keyPath: KeyPath, join: unknown): { source: IacInlineSource } | { problem: string } {
  const [delimiter, parts] = Array.isArray(join) ? join : [];
  if (typeof delimiter !== 'string' || !Array.isArray(parts) || !parts.every((part): part is string => typeof part === 'string')) {
    return { problem: '`Fn::Join` of values that are not all literal strings (known only at deploy time)' };
  }
  const lines: IacInlineLine[] = [];
  let atLineStart = true;
  let last: IacInlineLine = { ...(document.valueOf(keyPath) ?? { line: 1, column: 1 }), exact: false };
  parts.forEach((part, index) => {
    const position = document.valueOf([...keyPath, 1, index]);
    if (position) last = { line: position.line, column: position.column, exact: false };
    for (const char of (index > 0 ? delimiter : '') + part) {
      if (atLineStart) lines.push(last);
      atLineStart = char === '\n';
    }
  });
  if (atLineStart) lines.push(last);
  return { source: { text: parts.join(delimiter), lines } };
}

/**
 * The template position of each line of a string. A literal block (`|`) keeps its lines: line i
 * of the code is the i-th line after the header, at the block's indentation. A one-line string
 * starts after its quote. Anything else (a folded block, a JSON string with `\n` escapes) is
 * mapped to where the string starts, columns unknown.
 */
function getLines(text: string, position: ValuePosition | undefined): IacInlineLine[] {
  const count = text.split('\n').length;
  if (!position) return Array.from({ length: count }, () => ({ line: 1, column: 1, exact: false as const }));
  if (position.style === 'literal') {
    return Array.from({ length: count }, (_, i) => ({ line: position.line + 1 + i, column: (position.blockIndent ?? 0) + 1 }));
  }
  if (count === 1 && (position.style === 'plain' || position.style === 'quoted')) {
    return [{ line: position.line, column: position.column + (position.style === 'quoted' ? 1 : 0) }];
  }
  return Array.from({ length: count }, () => ({ line: position.line, column: position.column, exact: false as const }));
}
