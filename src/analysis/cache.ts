/**
 * @fileoverview The summary cache (`--cache`, `--cache-location`, as ESLint's): the summary of
 * each file, kept between runs under the hash of its content. A summary is used again only when
 * the file's content hash, the tool's version, the build of its analyser and the options that
 * shape summaries (the registered rules, whose visitors write the facts) are all the same.
 *
 * The file is one header line (format, key, checksum of the body) and the body (JSON). A cache
 * that cannot be read, fails its checksum, has another key or holds something that is not a
 * summary is ignored as a whole, with a message, and rewritten at the end of the scan: it is
 * never trusted. It is written to a temporary file beside it, then renamed over it, so a reader
 * sees the old cache or the new one, never half of one; a run in which every file was a hit (none
 * added or gone) leaves it as it is. A cache that cannot be written costs the
 * next run its speed, never its result: the scan goes on with a message.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyFileSummary, type FileSummary } from '../core/summary.js';
import { toolVersion } from '../version.js';

/** Bumped when the file layout changes. */
const CACHE_FORMAT = 1;
/** The file name used when `--cache-location` names a directory (ESLint's rule for `.eslintcache`). */
const DEFAULT_CACHE_FILE = '.lmi-audit-cache';

interface CacheEntry {
  hash: string;
  summary: FileSummary;
}

export interface SummaryCache {
  /** The file the cache is read from and written to. */
  readonly file: string;
  /** The cached summary of `file` if its content hash is `hash`. */
  get(file: string, hash: string): FileSummary | undefined;
  /** Keep this summary for the next run (only the files set during this run are written). */
  set(file: string, hash: string, summary: FileSummary): void;
  /** Write the cache atomically; a failure is a message, never an exception. */
  save(): void;
}

export interface CacheOptions {
  /** `--cache-location`: a file, or a directory to hold {@link DEFAULT_CACHE_FILE}. */
  location: string;
  /** What else decides a summary (the registered rule ids, say); part of the key. */
  keyParts: unknown;
  /** Where messages about an ignored or unwritable cache go. */
  onMessage: (message: string) => void;
}

/** The hash of a file's content, as the cache keys it. */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** The cache file a location names: a directory (existing, or written with a trailing slash) holds {@link DEFAULT_CACHE_FILE}. */
export function resolveCacheFile(location: string): string {
  if (/[\\/]$/.test(location)) return path.join(location, DEFAULT_CACHE_FILE);
  try {
    if (fs.statSync(location).isDirectory()) return path.join(location, DEFAULT_CACHE_FILE);
  } catch {
    // not there yet: a file
  }
  return location;
}

export function openSummaryCache(options: CacheOptions): SummaryCache {
  const file = resolveCacheFile(options.location);
  const key = createHash('sha256')
    .update(JSON.stringify({ format: CACHE_FORMAT, version: toolVersion(), build: buildHash(), options: options.keyParts }))
    .digest('hex');
  const { entries: previous, valid } = readEntries(file, key, options.onMessage);
  const next = new Map<string, CacheEntry>();
  // A run that set back exactly what the cache gave it (every file a hit, none added or gone) leaves it as it is.
  const unchanged = () =>
    valid &&
    next.size === previous.size &&
    [...next].every(([source, entry]) => {
      const before = previous.get(source);
      return before?.hash === entry.hash && before.summary === entry.summary;
    });
  return {
    file,
    get(source, hash) {
      const entry = previous.get(source);
      return entry && entry.hash === hash ? entry.summary : undefined;
    },
    set(source, hash, summary) {
      next.set(source, { hash, summary });
    },
    save() {
      if (unchanged()) return;
      const body = JSON.stringify(Object.fromEntries(next));
      const header = JSON.stringify({ format: CACHE_FORMAT, key, checksum: checksum(body) });
      try {
        writeAtomically(file, `${header}\n${body}`);
      } catch (error) {
        options.onMessage(
          `cannot write the cache ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the next scan will analyse every file again`,
        );
      }
    },
  };
}

/** The entries of a cache file; `valid` when it was read and trusted (else it is written again at the end). */
function readEntries(file: string, key: string, onMessage: (message: string) => void): { entries: Map<string, CacheEntry>; valid: boolean } {
  const entries = new Map<string, CacheEntry>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (!['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? ''))
      onMessage(`cannot read the cache ${file} (${(error as NodeJS.ErrnoException).code}); every file is analysed`);
    return { entries, valid: false };
  }
  const ignore = (why: string) => {
    onMessage(`the cache ${file} ${why}: it is ignored, every file is analysed and the cache is written again`);
    entries.clear();
    return { entries, valid: false };
  };
  const newline = text.indexOf('\n');
  let header: { format?: unknown; key?: unknown; checksum?: unknown };
  let body: unknown;
  try {
    header = JSON.parse(text.slice(0, newline < 0 ? text.length : newline)) as typeof header;
    if (header.format !== CACHE_FORMAT) return ignore('has another format');
    if (header.key !== key) return ignore('was written by another version of lmi-audit or with other options');
    const bodyText = text.slice(newline + 1);
    if (newline < 0 || header.checksum !== checksum(bodyText)) return ignore('is damaged (its checksum does not match)');
    body = JSON.parse(bodyText);
  } catch {
    return ignore('is not a cache lmi-audit wrote (not JSON)');
  }
  if (!isPlainObject(body)) return ignore('is not a cache lmi-audit wrote');
  for (const [source, entry] of Object.entries(body)) {
    if (!isEntry(source, entry)) return ignore(`holds something that is not a summary (for ${source})`);
    entries.set(source, entry);
  }
  return { entries, valid: true };
}

/** The shape of a summary, checked on every key the empty summary has (arrays, objects, booleans, strings). */
const SUMMARY_SHAPE = Object.entries(emptyFileSummary('')).map(([name, value]) => [name, Array.isArray(value) ? 'array' : typeof value] as const);

function isEntry(source: string, entry: unknown): entry is CacheEntry {
  if (!isPlainObject(entry) || typeof entry.hash !== 'string' || !isPlainObject(entry.summary)) return false;
  const summary = entry.summary;
  if (summary.file !== source) return false;
  return SUMMARY_SHAPE.every(([name, kind]) =>
    kind === 'array' ? Array.isArray(summary[name]) : kind === 'object' ? isPlainObject(summary[name]) : typeof summary[name] === kind,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checksum(body: string): string {
  return createHash('sha1').update(body).digest('base64');
}

function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.lmi-audit-tmp-${process.pid}-${randomBytes(4).toString('hex')}-${path.basename(file)}`);
  try {
    fs.writeFileSync(temp, text, 'utf8');
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

let build: string | undefined;

/**
 * A hash of the analyser's own code (every module beside this one's folder, compiled or not):
 * a rebuilt lmi-audit with the same version number never reads summaries an older build wrote.
 */
function buildHash(): string {
  if (build) return build;
  const self = fileURLToPath(import.meta.url);
  const root = path.dirname(path.dirname(self));
  const ext = path.extname(self);
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith(ext) && !entry.name.endsWith(`.d${ext}`)) hash.update(path.relative(root, full)).update(fs.readFileSync(full));
    }
  };
  visit(root);
  return (build = hash.digest('hex'));
}
