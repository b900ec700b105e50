/**
 * @fileoverview The dependencies a function ships with: the package.json nearest its code file
 * (among those discovery found), each dependency's line in it, and the version installed
 * according to the lockfile that covers it: package-lock.json (v1, v2, v3), yarn.lock (v1, read
 * with @yarnpkg/lockfile, and Berry's YAML) or pnpm-lock.yaml, beside the package.json or at the
 * root of the workspace it belongs to (an ancestor whose package.json declares `workspaces`, or
 * that has a pnpm-workspace.yaml). Nothing is installed or run.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as yarnLockfileModule from '@yarnpkg/lockfile';
import picomatch from 'picomatch';
import type * as yamlModule from 'yaml';
import { asObject, asString } from './values.js';
import { parseJson } from './yaml.js';
import { isFile } from '../util/is-file.js';

export interface Dependency {
  name: string;
  /** The range as written in the manifest. */
  range: string;
  /**
   * The range in npm semver syntax, when the manifest writes another syntax (Python's PEP 440 and
   * Poetry constraints); `null` when it cannot be translated. Absent: `range` is npm's syntax.
   */
  compareRange?: string | null;
  /** The version the lockfile installs, when there is a lockfile that lists it. */
  locked?: string;
  /** The lockfile `locked` comes from (absolute path). */
  lockfile?: string;
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
  const lockfile = findLockfile(path.dirname(file));
  const installed = lockfile ? readLockfile(lockfile, path.dirname(file)) : () => undefined;
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
      const version = installed(name, range);
      if (version !== undefined) {
        dependency.locked = version;
        dependency.lockfile = lockfile!;
      }
      dependencies.push(dependency);
    }
  }
  return { file, dependencies };
}

/**
 * The lockfile parsers load on first use: every scan (and every worker thread, through the rule
 * registry) imports this module, few read a lockfile, and yaml + @yarnpkg/lockfile cost ~0.1 s to load.
 */
const requireLazily = createRequire(import.meta.url);
let yarnLockfileLib: typeof yarnLockfileModule | undefined;
let yamlLib: typeof yamlModule | undefined;
const yarnLockfile = (): typeof yarnLockfileModule => (yarnLockfileLib ??= requireLazily('@yarnpkg/lockfile') as typeof yarnLockfileModule);
const parseYamlText = (text: string): unknown => (yamlLib ??= requireLazily('yaml') as typeof yamlModule).parse(text);

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'];

/**
 * The lockfile beside the package.json, or else the one of the nearest workspace root above it (a
 * lockfile of an unrelated ancestor directory does not install this package).
 */
function findLockfile(dir: string): string | undefined {
  const own = LOCKFILES.map((name) => path.join(dir, name)).find(isFile);
  if (own) return own;
  for (let parent = path.dirname(dir), child = dir; parent !== child; child = parent, parent = path.dirname(parent)) {
    const patterns = workspacePatterns(parent);
    if (patterns.length === 0) continue;
    const member = path.relative(parent, dir).split(path.sep).join('/');
    if (!picomatch.isMatch(member, patterns)) continue;
    return LOCKFILES.map((name) => path.join(parent, name)).find(isFile);
  }
  return undefined;
}

/** The workspace globs of a directory: `workspaces` of its package.json (npm, yarn), or `packages` of its pnpm-workspace.yaml. */
function workspacePatterns(dir: string): string[] {
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  try {
    const pnpm = path.join(dir, 'pnpm-workspace.yaml');
    if (isFile(pnpm)) return strings(asObject(parseYamlText(fs.readFileSync(pnpm, 'utf8')))?.packages);
    if (!isFile(path.join(dir, 'package.json'))) return [];
    const workspaces = asObject(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')))?.workspaces;
    return strings(Array.isArray(workspaces) ? workspaces : asObject(workspaces)?.packages);
  } catch {
    return [];
  }
}

type Installed = (name: string, range: string) => string | undefined;

/** What the lockfile installs for the package in `packageDir`; a lockfile that cannot be read or parsed installs nothing known. */
function readLockfile(file: string, packageDir: string): Installed {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return () => undefined;
  }
  const importer = path.relative(path.dirname(file), packageDir).split(path.sep).join('/');
  try {
    const name = path.basename(file);
    if (name === 'yarn.lock') return readYarnLock(text);
    if (name === 'pnpm-lock.yaml') return readPnpmLock(text, importer);
    return readPackageLock(text, importer);
  } catch {
    return () => undefined;
  }
}

/** v2/v3: `packages["<workspace>/node_modules/<name>"]`, then the hoisted `packages["node_modules/<name>"]`; v1: `dependencies[<name>]`. */
function readPackageLock(text: string, importer: string): Installed {
  const body = asObject(JSON.parse(text));
  const packages = asObject(body?.packages);
  const v1 = asObject(body?.dependencies);
  const versionAt = (key: string): string | undefined => asString(asObject(packages?.[key])?.version);
  return (name) => {
    if (packages) {
      const nested = importer === '' ? undefined : versionAt(`${importer}/node_modules/${name}`);
      const version = nested ?? versionAt(`node_modules/${name}`);
      if (version !== undefined) return version;
    }
    return asString(asObject(v1?.[name])?.version);
  };
}

/** yarn v1 (`name@range:` entries) and Berry (YAML, `name@npm:range` descriptors): the entry for the range written in package.json. */
function readYarnLock(text: string): Installed {
  const entries = new Map<string, string>();
  if (/^__metadata:/m.test(text)) {
    for (const [key, value] of Object.entries(asObject(parseYamlText(text)) ?? {})) {
      const version = asString(asObject(value)?.version);
      if (version === undefined) continue;
      for (const descriptor of key.split(',')) entries.set(descriptor.trim().replace(/@npm:/, '@'), version);
    }
  } else {
    const parsed = yarnLockfile().parse(text);
    if (parsed.type !== 'success') return () => undefined;
    for (const [key, value] of Object.entries(parsed.object)) {
      if (typeof value.version === 'string') entries.set(key, value.version);
    }
  }
  return (name, range) => entries.get(`${name}@${range}`);
}

/** `importers[<workspace or .>].dependencies[<name>]` (`{ specifier, version }` from v6, a string before), or v5's top-level `dependencies`. */
function readPnpmLock(text: string, importer: string): Installed {
  const body = asObject(parseYamlText(text)) ?? {};
  const importers = asObject(body.importers);
  const section = asObject(importers?.[importer === '' ? '.' : importer]) ?? (importer === '' ? body : undefined);
  return (name) => {
    for (const kind of ['dependencies', 'optionalDependencies']) {
      const entry = asObject(section?.[kind])?.[name];
      const raw = asString(entry) ?? asString(asObject(entry)?.version);
      // `3.940.0(@aws-sdk/client-sts@3.940.0)` (v6+) and `3.940.0_peer@1` (v5) carry peer suffixes; `link:` is a workspace package.
      const version = raw?.replace(/[(_].*$/, '');
      if (version !== undefined && /^\d+\.\d+\.\d+/.test(version)) return version;
    }
    return undefined;
  };
}
