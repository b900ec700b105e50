/**
 * @fileoverview Paths as reports show them: relative to a directory, with `/` separators.
 */
import * as path from 'node:path';

export function toReportPath(from: string, file: string): string {
  const r = path.relative(from, file);
  return (r === '' ? '.' : r).split(path.sep).join('/');
}
