/**
 * @fileoverview The project root of a scanned path: the nearest directory, from the path upward,
 * that holds infrastructure code or marks a project (a SAM/CloudFormation template, a
 * serverless.yml, cdk.json, a package.json with `workspaces`, pnpm-workspace.yaml) or a
 * repository (`.git`, where the search always stops). `lmi-audit scan ./functions` reads the
 * template and the shared code beside the scanned folder from there, so its functions and
 * findings are the ones a scan of the root gives for those files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from './files.js';

/** Names that make a directory a project root whatever they hold. */
const ROOT_FILES = new Set(['.git', 'cdk.json', 'pnpm-workspace.yaml']);

/**
 * The project root above (or at) `start`, an absolute directory, or undefined when no directory
 * up to the file system root has a marker. Unreadable directories are passed over.
 */
export function findProjectRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ;) {
    if (isProjectRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isProjectRoot(dir: string): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  for (const name of names) {
    if (ROOT_FILES.has(name) || classifyFile(name) === 'infra') return true;
    if (name === 'package.json' && hasWorkspaces(path.join(dir, name))) return true;
  }
  return false;
}

function hasWorkspaces(file: string): boolean {
  try {
    const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof json === 'object' && json !== null && Object.hasOwn(json, 'workspaces');
  } catch {
    return false;
  }
}

/**
 * The roots a scan of `scanned` (absolute paths, files or directories) reads beyond them: each
 * path's project root, unless a scanned directory already covers it. Sorted, without nesting.
 */
export function findContextRoots(scanned: readonly string[], isDirectory: (p: string) => boolean): string[] {
  const scannedDirs = scanned.filter(isDirectory);
  const roots = new Set<string>();
  for (const p of scanned) {
    const root = findProjectRoot(isDirectory(p) ? p : path.dirname(p));
    if (root !== undefined && !scannedDirs.some((dir) => isWithin(dir, root))) roots.add(root);
  }
  const sorted = [...roots].sort();
  return sorted.filter((root) => !sorted.some((other) => other !== root && isWithin(other, root)));
}

/** `file` is `dir` or inside it. */
export function isWithin(dir: string, file: string): boolean {
  if (file === dir) return true;
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  return file.startsWith(prefix);
}
