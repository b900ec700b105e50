/**
 * @fileoverview File discovery: which files a scan reads. Walks the paths the user named,
 * skips build output and dependency directories, honours `.gitignore` files (the scanned
 * tree's own and those of its ancestors up to the repository root), follows symlinks without
 * ever looping, and sorts everything so that reports are byte-stable.
 *
 * Speed: directories are read with `fs.promises.readdir(…, { withFileTypes: true })` by a small
 * pool of concurrent readers; candidate source files are then probed with synchronous
 * open/read/close calls (the first 8 KiB, for the binary check). On a warm cache synchronous
 * probing is several times faster than `fs.promises` file handles (10,000 files: ~100 ms
 * against ~1 s), and it runs while the pool's `readdir` calls are in flight on the thread pool.
 * Real paths are only resolved for roots and symlinks; a plain subdirectory's real path is its
 * parent's real path plus its name.
 *
 * Determinism: roots are walked one after another in the order given, then every symlinked
 * directory is followed, one at a time, in sorted order. Which path "wins" for a directory or a
 * file reached twice therefore never depends on I/O timing.
 */
import fs from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { UsageError } from '../errors.js';
import { NameFilter, readRule, type FilterRule } from './gitignore-filter.js';
import type { ScanError } from '../types.js';

interface DiscoveredFile {
  /** Absolute, normalised path (as reached: through symlinks, not resolved). */
  path: string;
  /** Size in bytes. */
  size: number;
}

export interface Discovery {
  /** JS/TS source files to analyse: .ts .tsx .mts .cts .js .mjs .cjs .jsx (not .d.ts), sorted by path. */
  sources: DiscoveredFile[];
  /** Infrastructure files: template.{yaml,yml,json}, *.template.{yaml,yml,json}, serverless.{yml,yaml}. Sorted. */
  infra: DiscoveredFile[];
  /** tsconfig.json / jsconfig.json files found (for path aliases), sorted. */
  tsconfigs: string[];
  /** package.json files found, sorted. */
  packageJsons: string[];
  /** Python sources (.py), for the Python front-end. Sorted. */
  python: string[];
  /** Python dependency manifests (requirements.txt, pyproject.toml), for the dependency checks. Sorted. */
  pythonManifests: string[];
  /** cdk.json files (the roots of CDK apps), sorted. */
  cdkApps?: string[];
  /** Problems that did not stop discovery. Sorted by file, then message. */
  errors: ScanError[];
}

export interface DiscoverOptions {
  /** Directory relative paths are taken from. */
  cwd: string;
  /** Source and infrastructure files larger than this many bytes are skipped (default 1 MiB). */
  maxFileSize?: number;
  /** Honour `.gitignore` files (default true). */
  respectGitignore?: boolean;
}

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

/** Directory names never descended into (explicitly named roots are still walked). */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  '.aws-sam',
  'cdk.out',
  '.serverless',
  // Terraform's downloaded copies of providers and child modules.
  '.terraform',
  'coverage',
  '.next',
  '.turbo',
  '.cache',
  // Python virtualenvs and bytecode: third-party code, like node_modules.
  '.venv',
  'venv',
  '__pycache__',
]);

/** How many directories are read at once. */
const CONCURRENCY = 32;
/** How much of a file the binary check looks at. */
const SNIFF_BYTES = 8192;

/** `template`: a YAML or JSON file of any name, an infrastructure file when its first bytes read like a CloudFormation template. */
export type FileKind = 'source' | 'infra' | 'template' | 'tsconfig' | 'packageJson' | 'python' | 'pythonManifest' | 'cdkApp';

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx']);
/** `x.d.ts`, `x.d.mts`, `x.d.cts`, and `x.d.css.ts` (TypeScript's `allowArbitraryExtensions`). */
const DECLARATION_FILE = /\.d\.(?:[^.]+\.)?[cm]?ts$/i;
const INFRA_FILE = /^(?:(?:.+\.)?template\.(?:ya?ml|json)|serverless\.ya?ml|.+\.tf(?:\.json)?)$/;

/** What a file is by its name, or null when discovery has no use for it. */
export function classifyFile(name: string): FileKind | null {
  const ext = path.extname(name).toLowerCase();
  if (SOURCE_EXTENSIONS.has(ext)) return DECLARATION_FILE.test(name) ? null : 'source';
  if (ext === '.py') return 'python';
  if (name === 'package.json') return 'packageJson';
  if (name === 'requirements.txt' || name === 'pyproject.toml') return 'pythonManifest';
  if (name === 'tsconfig.json' || name === 'jsconfig.json') return 'tsconfig';
  if (name === 'cdk.json') return 'cdkApp';
  if (INFRA_FILE.test(name)) return 'infra';
  if ((ext === '.yaml' || ext === '.yml' || ext === '.json') && !NOT_TEMPLATES.has(name)) return 'template';
  return null;
}

/** JSON and YAML files of the Node.js tool chain that are never CloudFormation templates (and can be large). */
const NOT_TEMPLATES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'composer.json',
  '.eslintrc.json',
  '.prettierrc.json',
  'lerna.json',
  'nx.json',
  'turbo.json',
  'renovate.json',
]);

/**
 * Does the start of a YAML or JSON file read like a CloudFormation or SAM template, whatever its
 * name (`stack.yaml`, `backend.json`)? `AWSTemplateFormatVersion`, a `Transform` naming
 * `AWS::Serverless`, or `Resources` with `AWS::` types, as the CloudFormation and SAM CLIs
 * accept them. Read from the first bytes only: most YAML and JSON files are no template, and
 * parsing every one would cost more than the scan of the code.
 */
function looksLikeTemplate(head: string): boolean {
  if (/^\s*"?AWSTemplateFormatVersion"?\s*:/m.test(head)) return true;
  if (/^\s*"?Transform"?\s*:.*AWS::Serverless/m.test(head) || /"Transform"\s*:\s*\[?\s*"AWS::Serverless/.test(head)) return true;
  return /^\s*"?Resources"?\s*:/m.test(head) && /^\s*"?Type"?\s*:\s*['"]?AWS::[A-Za-z0-9]+::/m.test(head);
}

/** `3.4 MB`, `512 KB`, `17 B` (binary multiples, as file managers print them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : (Math.round(value * 10) / 10).toFixed(1).replace(/\.0$/, '');
  return `${text} ${units[unit]}`;
}

function oversizeMessage(size: number, limit: number): string {
  let shown = formatBytes(size);
  let max = formatBytes(limit);
  // 1048577 bytes would read "1 MB is over the 1 MB size limit".
  if (shown === max) {
    shown = `${size} B`;
    max = `${limit} B`;
  }
  return `skipped: ${shown} is over the ${max} size limit`;
}

const ERROR_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'I/O error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENAMETOOLONG: 'name too long',
};

function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describeError(error: unknown): string {
  const code = errorCode(error);
  if (code) return `${ERROR_TEXT[code] ?? code.toLowerCase()} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// .gitignore
//
// All rules that apply to a directory live in one `ignore` instance whose paths are relative to
// a fixed base (the repository root, or the scanned root when there is none). A nested
// `.gitignore` is rebased onto that base (`foo` in `pkg/.gitignore` becomes `pkg/**/foo`,
// `/foo` and `a/foo` become `pkg/foo` and `pkg/a/foo`) and appended after its ancestors' rules,
// so "the last matching rule wins" gives git's precedence (deeper files override shallower
// ones) and the library's parent-directory check gives git's "a file in an excluded directory
// cannot be re-included". Each path is tested against a single instance with only the rules of
// its own ancestors.

const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}

function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
  return line.slice(0, end);
}

/** The lines of a `.gitignore` found in `prefix` (posix, relative to the base), rebased onto the base. */
export function rebaseGitignore(text: string, prefix: string): string[] {
  const out: string[] = [];
  const escapedPrefix = escapeGlob(prefix);
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    let line = trimTrailingSpaces(raw);
    if (line === '' || line.startsWith('#')) continue;
    if (prefix === '') {
      out.push(line);
      continue;
    }
    let negated = false;
    if (line.startsWith('!')) {
      negated = true;
      line = line.slice(1);
    }
    // `\!x` and `\#x` escape a leading `!` or `#`; in the middle of a pattern both are literal.
    if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const body = line.endsWith('/') ? line.slice(0, -1) : line;
    if (body === '' || body === '/') continue;
    const anchored = body.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    out.push(`${negated ? '!' : ''}${escapedPrefix}/${anchored ? '' : '**/'}${line}`);
  }
  return out;
}

/**
 * The `.gitignore` rules that apply in a directory, with the pre-checks (src/project/gitignore-filter.ts)
 * for files and for directories: an entry they reject needs no call into `ignore`, which is most
 * of them. Null when some rule is too clever to read (then every entry is tested).
 */
interface Rules {
  ig: ignore.Ignore;
  fileFilter: NameFilter | null;
  /** The same for directories (directory-only rules count too). */
  dirFilter: NameFilter | null;
}

function extendRules(parent: Rules | null, patterns: string[]): Rules | null {
  if (patterns.length === 0) return parent;
  const ig = ignore({ ignorecase: IGNORE_CASE });
  if (parent) ig.add(parent.ig);
  ig.add(patterns);
  const extend = (inherited: NameFilter | null | undefined, forDirectories: boolean): NameFilter | null => {
    if (parent && !inherited) return null;
    const read: FilterRule[] = [...(inherited?.rules ?? [])];
    for (const pattern of patterns) {
      const rule = readRule(pattern, forDirectories);
      if (rule === null) return null;
      if (rule !== undefined) read.push(rule);
    }
    return new NameFilter(read, IGNORE_CASE);
  };
  return { ig, fileFilter: extend(parent?.fileFilter, false), dirFilter: extend(parent?.dirFilter, true) };
}

function isIgnored(rules: Rules | null, relative: string): boolean {
  if (!rules || relative === '' || relative === '/') return false;
  try {
    return rules.ig.ignores(relative);
  } catch {
    return false; // a name the library rejects as a path is never one a rule meant
  }
}

/** `isIgnored` for a file named `name` (the end of `relative`) in a directory that is not excluded. */
function isIgnoredFile(rules: Rules | null, relative: string, name: string): boolean {
  return rules !== null && mayMatch(rules.fileFilter, relative, name) && isIgnored(rules, relative);
}

/** `isIgnored` for a directory named `name` (the end of `relative`) in a directory that is not excluded. */
function isIgnoredDirectory(rules: Rules | null, relative: string, name: string): boolean {
  return rules !== null && mayMatch(rules.dirFilter, relative, name) && isIgnored(rules, `${relative}/`);
}

/** Does a pre-check let the entry `name` at the end of `relative` through? */
function mayMatch(filter: NameFilter | null, relative: string, name: string): boolean {
  if (filter === null) return true;
  const slash = relative.length - name.length - 1;
  return filter.mayMatch(slash > 0 ? relative.slice(relative.lastIndexOf('/', slash - 1) + 1, slash) : '', name);
}

// ---------------------------------------------------------------------------------------------
// The walk

/** Real paths of the directories on the way to a directory, innermost first. */
interface Chain {
  real: string;
  parent: Chain | null;
}

interface DirTask {
  /** Absolute path as reached. */
  path: string;
  /** Real path. */
  real: string;
  chain: Chain;
  /** Posix path relative to the ignore base ('' for the base itself). */
  rel: string;
  /** Rules that apply to this directory's entries, before its own `.gitignore` is read. */
  rules: Rules | null;
  viaLink: boolean;
  unit: number;
}

interface PendingLink {
  path: string;
  parentReal: string;
  parentChain: Chain;
  rel: string;
  rules: Rules | null;
}

interface FileRecord {
  kind: FileKind;
  path: string;
  real: string;
  unit: number;
  viaLink: boolean;
  size: number;
  error?: string;
}

interface Context {
  maxFileSize: number;
  gitignore: boolean;
  visited: Set<string>;
  records: FileRecord[];
  errors: ScanError[];
  sniff: Buffer;
}

type EntryType = 'dir' | 'file' | 'link' | 'other';

function typeOf(entry: Dirent | Stats): EntryType | null {
  if (entry.isDirectory()) return 'dir';
  if (entry.isFile()) return 'file';
  if (entry.isSymbolicLink()) return 'link';
  if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) return 'other';
  return null; // DT_UNKNOWN: some file systems don't report types in readdir
}

/** Is this YAML or JSON file (of any name) a CloudFormation template? False when it cannot be read. */
function sniffTemplate(ctx: Context, file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const read = fs.readSync(fd, ctx.sniff, 0, SNIFF_BYTES, 0);
    const head = ctx.sniff.subarray(0, read);
    return !head.includes(0) && looksLikeTemplate(head.toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Records a file; source and infrastructure files are opened for their size and the binary check. */
function addFile(ctx: Context, kind: FileKind, file: string, real: string, unit: number, viaLink: boolean): void {
  const record: FileRecord = { kind, path: file, real, unit, viaLink, size: 0 };
  if (kind === 'template') {
    // Kept only when its first bytes read like a template; other YAML and JSON files are not the scan's business.
    if (!sniffTemplate(ctx, file)) return;
    const size = fs.statSync(file).size;
    ctx.records.push({ ...record, kind: 'infra', size, ...(size > ctx.maxFileSize ? { error: oversizeMessage(size, ctx.maxFileSize) } : {}) });
    return;
  }
  ctx.records.push(record);
  if (kind !== 'source' && kind !== 'infra') return;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    record.error = `cannot read file: ${describeError(error)}`;
    return;
  }
  try {
    const read = fs.readSync(fd, ctx.sniff, 0, SNIFF_BYTES, 0);
    record.size = read < SNIFF_BYTES ? read : fs.fstatSync(fd).size;
    if (record.size > ctx.maxFileSize) {
      record.error = oversizeMessage(record.size, ctx.maxFileSize);
    } else if (ctx.sniff.subarray(0, read).includes(0)) {
      record.error = 'skipped: binary file';
    }
  } catch (error) {
    record.error = `cannot read file: ${describeError(error)}`;
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // nothing useful to do
    }
  }
}

async function readLinkText(file: string): Promise<string> {
  try {
    return await fs.promises.readlink(file);
  } catch {
    return '?';
  }
}

async function loadGitignore(ctx: Context, file: string, prefix: string, parent: Rules | null): Promise<Rules | null> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'ENOTDIR') {
      ctx.errors.push({ file, message: `cannot read .gitignore: ${describeError(error)}` });
    }
    return parent;
  }
  return extendRules(parent, rebaseGitignore(text, prefix));
}

async function processDirectory(ctx: Context, task: DirTask, enqueue: (task: DirTask) => void, links: PendingLink[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fs.promises.readdir(task.path, { withFileTypes: true });
  } catch (error) {
    ctx.errors.push({ file: task.path, message: `cannot read directory: ${describeError(error)}` });
    return;
  }

  let rules = task.rules;
  if (ctx.gitignore && entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
    rules = await loadGitignore(ctx, joinPath(task.path, '.gitignore'), task.rel, rules);
  }

  for (const entry of entries) {
    const name = entry.name;
    let type = typeOf(entry);
    // Most entries are files discovery has no use for: drop them before building any strings.
    if (type === 'file' ? classifyFile(name) === null : type === 'other') continue;
    if ((type === 'dir' || type === 'link') && SKIPPED_DIRECTORIES.has(name)) continue;
    const full = joinPath(task.path, name);
    const rel = ctx.gitignore ? (task.rel === '' ? name : `${task.rel}/${name}`) : '';
    if (type === null) {
      try {
        type = typeOf(await fs.promises.lstat(full));
      } catch (error) {
        ctx.errors.push({ file: full, message: `cannot read: ${describeError(error)}` });
        continue;
      }
      if (type === null) continue;
    }

    if (type === 'dir') {
      if (SKIPPED_DIRECTORIES.has(name) || isIgnoredDirectory(rules, rel, name)) continue; // (again, for DT_UNKNOWN)
      const real = task.real === task.path ? full : joinPath(task.real, name);
      if (ctx.visited.has(real)) continue; // walked as a root or a symlink target already
      ctx.visited.add(real);
      enqueue({
        path: full,
        real,
        chain: { real, parent: task.chain },
        rel,
        rules,
        viaLink: task.viaLink,
        unit: task.unit,
      });
    } else if (type === 'file') {
      const kind = classifyFile(name);
      if (kind === null || isIgnoredFile(rules, rel, name)) continue;
      addFile(ctx, kind, full, task.real === task.path ? full : joinPath(task.real, name), task.unit, task.viaLink);
    } else if (type === 'link') {
      let target: Stats;
      try {
        target = await fs.promises.stat(full);
      } catch (error) {
        if (isIgnoredFile(rules, rel, name)) continue;
        const to = await readLinkText(full);
        const message =
          errorCode(error) === 'ELOOP'
            ? `symlink loop: ${full} -> ${to} (skipped)`
            : errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR'
              ? `broken symlink: ${full} -> ${to} (skipped)`
              : `cannot follow symlink: ${full} -> ${to}: ${describeError(error)}`;
        ctx.errors.push({ file: full, message });
        continue;
      }
      if (target.isDirectory()) {
        if (isIgnoredDirectory(rules, rel, name)) continue;
        links.push({ path: full, parentReal: task.real, parentChain: task.chain, rel, rules });
      } else if (target.isFile()) {
        const kind = classifyFile(name);
        if (kind === null || isIgnoredFile(rules, rel, name)) continue;
        let real: string;
        try {
          real = await fs.promises.realpath(full);
        } catch (error) {
          ctx.errors.push({ file: full, message: `cannot follow symlink: ${describeError(error)}` });
          continue;
        }
        addFile(ctx, kind, full, real, task.unit, true);
      }
    }
  }
}

/** Walks one tree (a root, or a symlinked directory) with a pool of concurrent readers. */
async function walkTree(ctx: Context, start: DirTask): Promise<PendingLink[]> {
  const queue: DirTask[] = [start];
  const links: PendingLink[] = [];
  let active = 0;
  let failure: unknown;
  let enqueue: (task: DirTask) => void = () => {};
  await new Promise<void>((resolve) => {
    // Subdirectories start as soon as they are found, so that their `readdir` calls run on the
    // thread pool while the parent's files are probed.
    enqueue = (task) => {
      queue.push(task);
      pump();
    };
    const pump = (): void => {
      while (failure === undefined && active < CONCURRENCY && queue.length > 0) {
        const task = queue.pop()!;
        active++;
        processDirectory(ctx, task, enqueue, links)
          .catch((error: unknown) => {
            failure ??= error; // a bug, not an I/O problem: stop and re-throw it
          })
          .then(() => {
            active--;
            if (active === 0 && (queue.length === 0 || failure !== undefined)) resolve();
            else pump();
          });
      }
    };
    pump();
  });
  if (failure !== undefined) throw failure;
  return links.sort((a, b) => compareStrings(a.path, b.path));
}

function isRealAncestorOrSelf(ancestor: string, dir: string): boolean {
  if (dir === ancestor) return true;
  const prefix = ancestor.endsWith(path.sep) ? ancestor : ancestor + path.sep;
  return dir.startsWith(prefix);
}

function chainContains(chain: Chain | null, real: string): boolean {
  for (let link = chain; link; link = link.parent) if (link.real === real) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Roots

interface Root {
  input: string;
  path: string;
  real: string;
  kind: FileKind | null; // null for a directory
}

async function resolveRoot(input: string, cwd: string): Promise<Root> {
  const absolute = path.resolve(cwd, input);
  let stats: Stats;
  try {
    stats = await fs.promises.stat(absolute);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`path not found: ${input}`);
    if (code === 'ELOOP') throw new UsageError(`path not found: ${input} (symlink loop)`);
    throw new UsageError(`cannot access ${input}: ${describeError(error)}`);
  }
  let kind: FileKind | null = null;
  if (stats.isFile()) {
    kind = classifyFile(path.basename(absolute));
    if (kind === null) {
      throw new UsageError(`unsupported file type: ${input} (expected a .ts/.tsx/.mts/.cts/.js/.mjs/.cjs/.jsx source, a template.yaml or a serverless.yml)`);
    }
  } else if (!stats.isDirectory()) {
    throw new UsageError(`not a file or directory: ${input}`);
  }
  let real: string;
  try {
    real = await fs.promises.realpath(absolute);
  } catch (error) {
    throw new UsageError(`cannot access ${input}: ${describeError(error)}`);
  }
  return { input, path: absolute, real, kind };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The ignore base and rules for a root directory: the `.gitignore` files of its ancestors up to
 * the nearest directory holding `.git`. With no repository above it the root is its own base.
 */
async function ancestorRules(ctx: Context, root: string): Promise<{ base: string; rules: Rules | null }> {
  const ancestors: string[] = [];
  let base: string | null = null;
  for (let dir = root; ;) {
    if (await exists(path.join(dir, '.git'))) {
      base = dir;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
    ancestors.push(dir);
  }
  if (base === null || base === root) return { base: root, rules: null };

  let rules: Rules | null = null;
  for (const dir of ancestors.reverse()) {
    rules = await loadGitignore(ctx, path.join(dir, '.gitignore'), toPosix(path.relative(base, dir)), rules);
  }
  // A root the repository ignores was named on purpose: scan it with its own rules only.
  if (isIgnored(rules, `${toPosix(path.relative(base, root))}/`)) return { base: root, rules: null };
  return { base, rules };
}

/**
 * Finds the files a scan reads under `paths` (files or directories, relative to `options.cwd`;
 * none means `cwd`). Throws `UsageError` for a path that does not exist or a named file of a
 * kind discovery has no use for; everything else that goes wrong becomes an entry in `errors`.
 */
export async function discoverFiles(paths: string[], options: DiscoverOptions): Promise<Discovery> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (typeof maxFileSize !== 'number' || Number.isNaN(maxFileSize) || maxFileSize < 0) {
    throw new UsageError(`invalid max file size: ${String(options.maxFileSize)}`);
  }
  const cwd = path.resolve(options.cwd);
  const inputs = paths.length > 0 ? paths : [cwd];
  const roots: Root[] = [];
  for (const input of inputs) roots.push(await resolveRoot(input, cwd));

  const ctx: Context = {
    maxFileSize,
    gitignore: options.respectGitignore ?? true,
    visited: new Set(),
    records: [],
    errors: [],
    sniff: Buffer.allocUnsafe(SNIFF_BYTES),
  };

  // The roots, one after another, in the order given.
  const links: PendingLink[] = [];
  let unit = 0;
  for (const root of roots) {
    const rootUnit = unit++;
    if (root.kind !== null) {
      addFile(ctx, root.kind, root.path, root.real, rootUnit, false);
      continue;
    }
    if (ctx.visited.has(root.real)) continue; // inside a root walked already
    ctx.visited.add(root.real);
    const { base, rules } = ctx.gitignore ? await ancestorRules(ctx, root.path) : { base: root.path, rules: null };
    links.push(
      ...(await walkTree(ctx, {
        path: root.path,
        real: root.real,
        chain: { real: root.real, parent: null },
        rel: toPosix(path.relative(base, root.path)),
        rules,
        viaLink: false,
        unit: rootUnit,
      })),
    );
  }

  // Then the symlinked directories, in the order found (each walk's links sorted).
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!;
    let real: string;
    try {
      real = await fs.promises.realpath(link.path);
    } catch (error) {
      const to = await readLinkText(link.path);
      ctx.errors.push({
        file: link.path,
        message: errorCode(error) === 'ELOOP' ? `symlink loop: ${link.path} -> ${to} (skipped)` : `broken symlink: ${link.path} -> ${to} (skipped)`,
      });
      continue;
    }
    if (chainContains(link.parentChain, real) || isRealAncestorOrSelf(real, link.parentReal)) {
      ctx.errors.push({ file: link.path, message: `symlink loop: ${link.path} -> ${real} (skipped)` });
      continue;
    }
    if (ctx.visited.has(real)) continue; // the same directory by another way: walked once
    ctx.visited.add(real);
    links.push(
      ...(await walkTree(ctx, {
        path: link.path,
        real,
        chain: { real, parent: link.parentChain },
        rel: link.rel,
        rules: link.rules,
        viaLink: true,
        unit: unit++,
      })),
    );
  }

  return assemble(ctx);
}

function isPreferred(a: FileRecord, b: FileRecord): boolean {
  if (a.unit !== b.unit) return a.unit < b.unit;
  if (a.viaLink !== b.viaLink) return !a.viaLink;
  return a.path < b.path;
}

function assemble(ctx: Context): Discovery {
  const discovery: Discovery = { sources: [], infra: [], tsconfigs: [], packageJsons: [], python: [], pythonManifests: [], errors: ctx.errors };
  // The first way to a file wins: earliest root (or symlink walk), then not through a symlink,
  // then the smallest path.
  const chosen = new Map<string, FileRecord>();
  for (const record of ctx.records) {
    const current = chosen.get(record.real);
    if (current === undefined || isPreferred(record, current)) chosen.set(record.real, record);
  }
  // Native sorting of plain strings is several times faster than sorting objects with a comparator.
  const chosenByPath = new Map<string, FileRecord>();
  for (const record of chosen.values()) chosenByPath.set(record.path, record);
  for (const file of [...chosenByPath.keys()].sort()) {
    const record = chosenByPath.get(file)!;
    if (record.error !== undefined) {
      discovery.errors.push({ file, message: record.error });
      continue;
    }
    switch (record.kind) {
      case 'source':
        discovery.sources.push({ path: file, size: record.size });
        break;
      case 'infra':
        discovery.infra.push({ path: file, size: record.size });
        break;
      case 'tsconfig':
        discovery.tsconfigs.push(file);
        break;
      case 'packageJson':
        discovery.packageJsons.push(file);
        break;
      case 'python':
        discovery.python.push(file);
        break;
      case 'pythonManifest':
        discovery.pythonManifests.push(file);
        break;
      case 'cdkApp':
        (discovery.cdkApps ??= []).push(file);
        break;
    }
  }
  discovery.errors.sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.message, b.message));
  return discovery;
}
