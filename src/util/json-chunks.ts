/**
 * @fileoverview `JSON.stringify(value, null, 2)` as a sequence of chunks, byte for byte, without
 * ever holding the whole text: a report of a big repository can be longer than V8's longest
 * string (~512 MiB; the dense 10k benchmark's report threw `RangeError: Invalid string length`).
 * Objects and arrays down to `depth` levels are written piece by piece; what lies below (one
 * finding, one SARIF result) is stringified whole and indented to its place. JSON escapes every
 * newline inside strings, so re-indenting the newlines of a nested stringification is exact.
 */

/** Values `JSON.stringify` leaves out of objects (and writes as `null` in arrays). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * Writes a value below `depth` (a leaf of the chunking) at `indent`, or says `undefined` to leave
 * it to `JSON.stringify`. What it writes must be what `JSON.stringify(value, null, 2)`, indented,
 * would be: it exists for speed (text shared between leaves), never to change the output.
 */
export type LeafWriter = (value: unknown, indent: string) => string | undefined;

export function* jsonChunks(value: unknown, depth: number, indent = '', leaf?: LeafWriter): Generator<string> {
  const container = depth > 0 && value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
  if (!container) {
    const written = leaf?.(value, indent);
    if (written !== undefined) {
      yield written;
      return;
    }
    yield indentJson(JSON.stringify(value, null, 2), indent);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '\n' : ',\n'}${inner}`;
      const item: unknown = value[i];
      if (isOmitted(item)) yield 'null';
      else yield* jsonChunks(item, depth - 1, inner, leaf);
    }
    yield `\n${indent}]`;
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => !isOmitted(v));
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    yield `${i === 0 ? '\n' : ',\n'}${inner}${JSON.stringify(key)}: `;
    yield* jsonChunks(item, depth - 1, inner, leaf);
  }
  yield `\n${indent}}`;
}

/** `JSON.stringify(…, null, 2)` text placed at `indent` (JSON escapes newlines inside strings, so every newline is structure). */
export function indentJson(text: string, indent: string): string {
  return indent ? text.replace(/\n/g, `\n${indent}`) : text;
}

/** Joins small chunks into pieces of about `size` characters, so a writer makes few, large writes. */
export function* batched(chunks: Iterable<string>, size = 1 << 20): Generator<string> {
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
