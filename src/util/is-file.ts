/** @fileoverview Is there a regular file at this path? Never throws (a missing or unreadable path is not one). */
import * as fs from 'node:fs';

export function isFile(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}
