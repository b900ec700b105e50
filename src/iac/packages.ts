/**
 * @fileoverview The dependencies a function ships with: the package.json nearest its code file
 * (among those discovery found), each dependency's line in it, and the version installed
 * according to the package-lock.json beside it (lockfile v1, v2 and v3). Versions are compared as
 * plain `major.minor.patch`; a range stands for the lowest version it allows (`^3.600.0` ->
 * 3.600.0), which is what a fresh install without a lockfile may still resolve to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asObject, asString } from './values.js';
import { parseJson } from './yaml.js';

export interface Dependency {
  name: string;
  /** The range as written in package.json. */
  range: string;
  /** The version the lockfile installs, when there is a lockfile that lists it. */
  locked?: string;
  line: number;
  column: number;
  endColumn: number;
}

export interface PackageManifest {
  file: string;
  /** `dependencies` and `optionalDependencies`: what is deployed with the function (devDependencies are not). */
  dependencies: Dependency[];
}

/** The package.json among `packageJsons` whose directory is the deepest one containing `file`. */
export function nearestPackageJson(file: string, packageJsons: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const manifest of packageJsons) {
    const dir = path.dirname(manifest);
    const relative = path.relative(dir, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    if (best === undefined || dir.length > path.dirname(best).length) best = manifest;
  }
  return best;
}

/** Reads a package.json and its lockfile; `undefined` when it cannot be read or parsed (not a scan error: discovery already lists it). */
export function readManifest(file: string): PackageManifest | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const document = parseJson(file, text);
  const body = asObject(document.value);
  if (!body) return undefined;
  const locked = readLockfile(path.join(path.dirname(file), 'package-lock.json'));
  const dependencies: Dependency[] = [];
  for (const section of ['dependencies', 'optionalDependencies']) {
    for (const [name, value] of Object.entries(asObject(body[section]) ?? {})) {
      const range = asString(value);
      if (range === undefined) continue;
      const position = document.positionOf([section, name]);
      const dependency: Dependency = {
        name,
        range,
        line: position?.line ?? 1,
        column: position?.column ?? 1,
        endColumn: position?.endColumn ?? 1,
      };
      const version = locked.get(name);
      if (version !== undefined) dependency.locked = version;
      dependencies.push(dependency);
    }
  }
  return { file, dependencies };
}

/** Top-level installed versions by package name. */
function readLockfile(file: string): Map<string, string> {
  const versions = new Map<string, string>();
  let body: Record<string, unknown> | undefined;
  try {
    body = asObject(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    return versions;
  }
  // v2/v3: `packages["node_modules/<name>"].version`; v1: `dependencies[<name>].version`.
  for (const [key, value] of Object.entries(asObject(body?.packages) ?? {})) {
    const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key);
    const version = asString(asObject(value)?.version);
    if (match && version !== undefined) versions.set(match[1]!, version);
  }
  if (versions.size === 0) {
    for (const [name, value] of Object.entries(asObject(body?.dependencies) ?? {})) {
      const version = asString(asObject(value)?.version);
      if (version !== undefined) versions.set(name, version);
    }
  }
  return versions;
}

/** The lowest version a range allows (`^2.28.1` -> `2.28.1`, `>=3 <4` -> `3.0.0`, `1.2.x` -> `1.2.0`); `undefined` for tags, URLs, `*`, workspaces. */
export function lowestVersion(range: string): string | undefined {
  // Git, file, workspace and npm-alias specifiers name no registry version.
  if (/[:/]/.test(range)) return undefined;
  const alternatives = range.split('||').map((alternative) => {
    const match = /(?:^|[\s=<>^~v])(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?/.exec(` ${alternative.trim()}`);
    if (!match || /^\s*</.test(alternative)) return undefined;
    const part = (value: string | undefined): string => (value === undefined || /[xX*]/.test(value) ? '0' : value);
    return `${match[1]}.${part(match[2])}.${part(match[3])}`;
  });
  const versions = alternatives.filter((version): version is string => version !== undefined);
  if (versions.length === 0 || versions.length !== alternatives.length) return undefined;
  return versions.sort(compareVersions)[0];
}

/** Compares `major.minor.patch` numerically (pre-release and build suffixes are ignored). */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string): number[] => version.split(/[-+]/)[0]!.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const left = parse(a);
  const right = parse(b);
  for (let i = 0; i < 3; i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
