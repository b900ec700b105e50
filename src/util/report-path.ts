/**
 * @fileoverview Paths as reports show them: relative to a directory, with `/` separators.
 */
import * as path from 'node:path';

/**
 * A scan turns the same few thousand paths into report paths over and over (every finding,
 * function id and error): `path.relative` resolves both of its arguments each time, so answers
 * for absolute paths (which do not depend on the working directory) are kept.
 */
const answers = new Map<string, string>();
const MAX_ANSWERS = 100_000;

export function toReportPath(from: string, file: string): string {
  const cacheable = path.isAbsolute(from) && path.isAbsolute(file);
  const key = cacheable ? `${from}\0${file}` : '';
  if (cacheable) {
    const known = answers.get(key);
    if (known !== undefined) return known;
  }
  const r = path.relative(from, file);
  const shown = (r === '' ? '.' : r).split(path.sep).join('/');
  if (cacheable) {
    if (answers.size >= MAX_ANSWERS) answers.clear();
    answers.set(key, shown);
  }
  return shown;
}
