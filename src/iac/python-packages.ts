/**
 * @fileoverview The dependencies a Python function ships with, in the shape src/iac/packages.ts
 * gives npm ones: the manifests nearest its code file (requirements.txt, pyproject.toml, among
 * those discovery found), each dependency's line in it, its constraint as an npm semver range
 * (src/iac/python-version-range.ts), and the version a lockfile installs: poetry.lock or uv.lock
 * beside the pyproject.toml, or the uv.lock of the uv workspace it is a member of
 * (`[tool.uv.workspace] members`). TOML is read with smol-toml (a maintained TOML 1.0 parser
 * without dependencies, the one knip uses): poetry.lock and uv.lock are TOML too, and a
 * hand-rolled reader would miss multi-line arrays and inline tables. Nothing is installed or run.
 *
 * What is deployed: requirements.txt lines (an exact pin there is what pip installs, so it counts
 * as locked; a range installs the newest version it allows); `[project] dependencies` (PEP 621) and
 * `[tool.poetry.dependencies]`. Not deployed, so not read: `[project.optional-dependencies]`
 * (extras), `[dependency-groups]` (PEP 735), `[tool.poetry.group.*]`, `[tool.poetry.dev-dependencies]`
 * and `[tool.uv] dev-dependencies`.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type * as smolTomlModule from 'smol-toml';
import type { Dependency, PackageManifest } from './packages.js';
import { asObject, asString } from './values.js';
import { toSemverRange } from './python-version-range.js';
import { isFile } from '../util/is-file.js';

/** smol-toml loads on the first pyproject.toml read: few scans have one, and every worker thread imports the rule registry. */
let tomlLib: typeof smolTomlModule | undefined;
const parseToml = (text: string): Record<string, unknown> =>
  (tomlLib ??= createRequire(import.meta.url)('smol-toml') as typeof smolTomlModule).parse(text) as Record<string, unknown>;

/** A package name as PyPI compares them (PEP 503): `AWS_Lambda.Powertools` is `aws-lambda-powertools`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The Python manifests nearest `file`: every one in the deepest directory that contains `file`
 * and holds a manifest (a requirements.txt and a pyproject.toml side by side are both read).
 */
export function nearestPythonManifests(file: string, manifests: readonly string[]): string[] {
  let bestDir: string | undefined;
  for (const manifest of manifests) {
    const dir = path.dirname(manifest);
    const relative = path.relative(dir, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    if (bestDir === undefined || dir.length > bestDir.length) bestDir = dir;
  }
  return bestDir === undefined ? [] : manifests.filter((m) => path.dirname(m) === bestDir);
}

/** Reads a requirements.txt or pyproject.toml (and a pyproject's lockfile); undefined when it cannot be read or parsed. */
export function readPythonManifest(file: string): PackageManifest | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  if (path.basename(file) === 'requirements.txt') return { file, dependencies: readRequirements(text, file) };
  let body: Record<string, unknown>;
  try {
    body = parseToml(text);
  } catch {
    return undefined;
  }
  const dependencies = readPyproject(body, text);
  const lock = findPythonLockfile(path.dirname(file));
  if (lock) {
    const installed = readPythonLockfile(lock);
    for (const dependency of dependencies) {
      const version = installed.get(normalizePythonName(dependency.name));
      if (version === undefined) continue;
      dependency.locked = version;
      dependency.lockfile = lock;
    }
  }
  return { file, dependencies };
}

/** `name[extras] specifiers ; markers`, or `name @ url` (PEP 508). */
const REQUIREMENT = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*?)\s*(?:;.*)?$/;

interface Requirement {
  name: string;
  /** The specifiers as written (`>=3.0,<4`), or the `@ url`. */
  range: string;
  compareRange: string | null;
}

function parseRequirement(text: string): Requirement | undefined {
  const m = REQUIREMENT.exec(text.trim());
  if (!m) return undefined;
  const name = m[1]!;
  const spec = m[2]!.replace(/^\((.*)\)$/, '$1').trim();
  if (spec.startsWith('@')) return { name, range: spec, compareRange: null };
  return { name, range: spec === '' ? '*' : spec, compareRange: toSemverRange(spec) ?? null };
}

/**
 * requirements.txt: one requirement a line, `\` continues a line, `#` starts a comment, and
 * option lines (`-r`, `-e`, `--index-url`) and per-requirement options (`--hash=...`) are no
 * requirement. Local paths and bare URLs name no package.
 */
function readRequirements(text: string, file: string): Dependency[] {
  const lines = text.split(/\r?\n/);
  const out: Dependency[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i]!;
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) logical = logical.replace(/\\\s*$/, ' ') + lines[++i]!;
    const stripped = logical
      .replace(/(^|\s)#.*$/, '')
      .replace(/\s--?[a-z][\w-]*(?:[=\s]\S+)?/gi, '')
      .trim();
    if (stripped === '' || stripped.startsWith('-') || /^[./~]|:\/\//.test(stripped.split(/\s/)[0]!)) continue;
    const requirement = parseRequirement(stripped);
    if (!requirement) continue;
    const first = lines[start]!;
    const column = first.indexOf(requirement.name) + 1;
    const dependency: Dependency = {
      ...requirement,
      line: start + 1,
      column: Math.max(column, 1),
      endColumn: first.replace(/\s*(\\|#.*)?\s*$/, '').length + 1,
    };
    // An exact pin is what pip installs: requirements.txt is its own lockfile then (pip-compile writes nothing else).
    const pin = /^===?\s*([^\s,*]+)$/.exec(requirement.range);
    if (pin) {
      dependency.locked = pin[1]!;
      dependency.lockfile = file;
    }
    out.push(dependency);
  }
  return out;
}

/** `[project] dependencies` (PEP 508 strings) and `[tool.poetry.dependencies]` (Poetry constraints). */
function readPyproject(body: Record<string, unknown>, text: string): Dependency[] {
  const lines = text.split(/\r?\n/);
  const out: Dependency[] = [];
  const project = asObject(body.project);
  const pep621 = Array.isArray(project?.dependencies) ? project.dependencies : [];
  for (const item of pep621) {
    const raw = asString(item);
    const requirement = raw === undefined ? undefined : parseRequirement(raw);
    if (!requirement) continue;
    out.push({ ...requirement, ...stringPosition(lines, raw!) });
  }
  const poetry = asObject(asObject(asObject(body.tool)?.poetry)?.dependencies);
  for (const [name, value] of Object.entries(poetry ?? {})) {
    // The Python interpreter the project needs, not a package.
    if (name.toLowerCase() === 'python') continue;
    const constraint = poetryConstraint(value);
    const position = keyPosition(lines, 'tool.poetry.dependencies', name);
    if (constraint === undefined) {
      // A path, git or URL dependency: no version to compare.
      out.push({ name, range: describePoetrySource(value), compareRange: null, ...position });
      continue;
    }
    out.push({ name, range: constraint, compareRange: toSemverRange(constraint, true) ?? null, ...position });
  }
  return out;
}

/** `"^3.0"`, `{ version = "^3.0", extras = [...] }`, or several of them for different markers (any one may be installed: the loosest is kept). */
function poetryConstraint(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const constraints = value.map(poetryConstraint).filter((c): c is string => c !== undefined);
    return constraints.length ? constraints.join(' || ') : undefined;
  }
  return asString(asObject(value)?.version);
}

function describePoetrySource(value: unknown): string {
  const table = asObject(value) ?? {};
  for (const key of ['git', 'path', 'url']) {
    const source = asString(table[key]);
    if (source !== undefined) return `${key} = ${source}`;
  }
  return '(no version)';
}

type Position = Pick<Dependency, 'line' | 'column' | 'endColumn'>;

/** Where a PEP 508 string of `project.dependencies` is written: its quoted text. */
function stringPosition(lines: readonly string[], value: string): Position {
  for (let i = 0; i < lines.length; i++) {
    for (const quote of ['"', "'"]) {
      const at = lines[i]!.indexOf(`${quote}${value}${quote}`);
      if (at >= 0) return { line: i + 1, column: at + 1, endColumn: at + value.length + 3 };
    }
  }
  return { line: 1, column: 1, endColumn: 1 };
}

/** The line of `name = ...` under `[table]`, or of a `[table.name]` header. */
function keyPosition(lines: readonly string[], table: string, name: string): Position {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const key = new RegExp(`^(\\s*)(["']?)${escaped}\\2\\s*=`);
  const header = new RegExp(`^\\s*\\[\\s*${table.replace(/\./g, '\\.')}\\s*\\]`);
  const subHeader = new RegExp(`^\\s*\\[\\s*${table.replace(/\./g, '\\.')}\\.(["']?)${escaped}\\1\\s*\\]`);
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (subHeader.test(line)) return { line: i + 1, column: line.indexOf(name) + 1, endColumn: line.trimEnd().length + 1 };
    if (/^\s*\[/.test(line)) {
      inTable = header.test(line);
      continue;
    }
    const m = inTable ? key.exec(line) : null;
    if (m) return { line: i + 1, column: m[1]!.length + 1, endColumn: line.replace(/\s*#.*$/, '').trimEnd().length + 1 };
  }
  return { line: 1, column: 1, endColumn: 1 };
}

const LOCKFILES = ['poetry.lock', 'uv.lock'];

/** The lockfile beside the pyproject.toml, or the uv.lock of the nearest uv workspace root that lists its directory as a member. */
function findPythonLockfile(dir: string): string | undefined {
  const own = LOCKFILES.map((name) => path.join(dir, name)).find(isFile);
  if (own) return own;
  for (let parent = path.dirname(dir), child = dir; parent !== child; child = parent, parent = path.dirname(parent)) {
    const members = uvWorkspaceMembers(parent);
    if (members.length === 0) continue;
    const member = path.relative(parent, dir).split(path.sep).join('/');
    if (!picomatch.isMatch(member, members)) continue;
    const lock = path.join(parent, 'uv.lock');
    return isFile(lock) ? lock : undefined;
  }
  return undefined;
}

function uvWorkspaceMembers(dir: string): string[] {
  const file = path.join(dir, 'pyproject.toml');
  if (!isFile(file)) return [];
  try {
    const members = asObject(asObject(asObject(parseToml(fs.readFileSync(file, 'utf8')).tool)?.uv)?.workspace)?.members;
    return Array.isArray(members) ? members.filter((m): m is string => typeof m === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Normalised name -> version from `[[package]]` entries (both poetry.lock and uv.lock write them).
 * uv.lock may hold one package at several versions (a resolution forked by environment markers):
 * the lowest is kept, since some deployment installs it. A lockfile that cannot be read installs nothing known.
 */
function readPythonLockfile(file: string): Map<string, string> {
  const versions = new Map<string, string>();
  let body: Record<string, unknown>;
  try {
    body = parseToml(fs.readFileSync(file, 'utf8'));
  } catch {
    return versions;
  }
  for (const entry of Array.isArray(body.package) ? body.package : []) {
    const table = asObject(entry);
    const name = asString(table?.name);
    const version = asString(table?.version);
    if (name === undefined || version === undefined) continue;
    const key = normalizePythonName(name);
    const known = versions.get(key);
    if (known === undefined || compareReleases(version, known) < 0) versions.set(key, version);
  }
  return versions;
}

function compareReleases(a: string, b: string): number {
  const pa = a.split(/[^\d]+/).map(Number);
  const pb = b.split(/[^\d]+/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
