/**
 * @fileoverview Refuses to rewrite a file that has uncommitted changes in its git work tree
 * (modified, staged or untracked), so that every fix can be reviewed and undone with git,
 * unless the caller allows it. Only the files `fix` is about to write are checked: unrelated
 * work in progress elsewhere in the tree does not block it. A file outside any git work tree,
 * or a machine without git, is allowed.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * @param files Absolute paths of the files about to be written.
 * @param cwd Directory the message's paths are relative to.
 */
export function assertCleanFiles(files: readonly string[], cwd: string): void {
  const byTop = new Map<string, string[]>();
  for (const file of files) {
    const top = git(['rev-parse', '--show-toplevel'], path.dirname(file))?.trim();
    if (!top) continue;
    let list = byTop.get(top);
    if (!list) byTop.set(top, (list = []));
    list.push(file);
  }
  const dirty: string[] = [];
  for (const [top, list] of byTop) {
    // -z: NUL-separated entries, paths relative to the top, never quoted. Each entry is
    // `XY path`; a rename or copy is followed by one more entry, its original path.
    const status = git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...list.map((f) => path.relative(top, f))], top);
    if (!status) continue;
    const entries = status.split('\0').filter(Boolean);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      dirty.push(
        path
          .relative(cwd, path.join(top, entry.slice(3)))
          .split(path.sep)
          .join('/'),
      );
      if (entry[0] === 'R' || entry[0] === 'C') i++;
    }
  }
  if (dirty.length === 0) return;
  dirty.sort();
  const shown = dirty.slice(0, 3).join(', ') + (dirty.length > 3 ? `, and ${dirty.length - 3} more` : '');
  throw new UsageError(
    `fix would rewrite ${dirty.length === 1 ? 'a file that has' : 'files that have'} uncommitted changes (${shown}): commit or stash them first so the fix can be reviewed and undone, or pass --allow-dirty`,
  );
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}
