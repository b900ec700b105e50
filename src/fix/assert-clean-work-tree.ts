/**
 * @fileoverview Refuses to rewrite files in a git work tree that has uncommitted changes (so a
 * fix can always be reviewed and undone with git), unless the caller allows it. A target outside
 * any git work tree, or a machine without git, is allowed.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../errors.js';

export function assertCleanWorkTree(targets: string[]): void {
  const checked = new Set<string>();
  for (const target of targets) {
    const dir = fs.existsSync(target) && fs.statSync(target).isDirectory() ? target : path.dirname(target);
    const top = git(['rev-parse', '--show-toplevel'], dir)?.trim();
    if (!top || checked.has(top)) continue;
    checked.add(top);
    const status = git(['status', '--porcelain'], top);
    if (status === undefined || status.trim() === '') continue;
    const lines = status.trim().split('\n');
    const shown = lines.slice(0, 3).map((l) => l.slice(3)).join(', ');
    throw new UsageError(
      `${top} has uncommitted changes (${shown}${lines.length > 3 ? `, and ${lines.length - 3} more` : ''}): commit or stash them first so the fix can be reviewed and undone, or pass --allow-dirty`,
    );
  }
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}
