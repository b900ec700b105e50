/**
 * The summary cache (src/analysis/cache.ts, `--cache`): a summary is reused only for the same
 * content, version, build and options; a damaged, foreign or stale cache is ignored with a
 * message; a cache that cannot be written is a message, never a failed scan.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { contentHash, openSummaryCache, resolveCacheFile } from '../../src/analysis/cache.js';
import { emptyFileSummary, type FileSummary } from '../../src/core/summary.js';
import { scan } from '../../src/scan.js';
import { summaryCacheKey } from '../../src/summarizer.js';
import type { Report } from '../../src/types.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-cache-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => fs.mkdirSync(path.join(root, `d${dirs++}`), { recursive: true })!;

const summaryOf = (file: string): FileSummary => ({ ...emptyFileSummary(file), commonjs: true });

function open(location: string, keyParts: unknown = { rules: ['a'] }) {
  const messages: string[] = [];
  const cache = openSummaryCache({ location, keyParts, onMessage: (m) => messages.push(m) });
  return { cache, messages };
}

describe('openSummaryCache', () => {
  it('gives back a summary for the same content, and nothing for other content (a miss)', () => {
    const location = path.join(newDir(), 'cache');
    const first = open(location);
    first.cache.set('/p/a.ts', contentHash('let a = 1;'), summaryOf('/p/a.ts'));
    first.cache.save();
    const second = open(location);
    expect(second.messages).toEqual([]);
    expect(second.cache.get('/p/a.ts', contentHash('let a = 1;'))).toEqual(summaryOf('/p/a.ts'));
    expect(second.cache.get('/p/a.ts', contentHash('let a = 2;'))).toBeUndefined();
    expect(second.cache.get('/p/b.ts', contentHash('let a = 1;'))).toBeUndefined();
  });

  it('keeps only the files set during the last run', () => {
    const location = path.join(newDir(), 'cache');
    const first = open(location);
    first.cache.set('/p/a.ts', 'h', summaryOf('/p/a.ts'));
    first.cache.save();
    const second = open(location);
    second.cache.set('/p/b.ts', 'h', summaryOf('/p/b.ts'));
    second.cache.save();
    const third = open(location);
    expect(third.cache.get('/p/a.ts', 'h')).toBeUndefined();
    expect(third.cache.get('/p/b.ts', 'h')).toEqual(summaryOf('/p/b.ts'));
  });

  it('is not written again when the run set exactly what it holds, and is when a file changed, was added or is gone', () => {
    const location = path.join(newDir(), 'cache');
    const run = (files: Record<string, string>) => {
      const { cache } = open(location);
      // As the scan does: a hit is set back with the summary the cache gave.
      for (const [file, hash] of Object.entries(files)) cache.set(file, hash, cache.get(file, hash) ?? summaryOf(file));
      cache.save();
      return fs.readFileSync(location, 'utf8');
    };
    const stamp = () => fs.statSync(location).mtimeMs;
    run({ '/p/a.ts': 'h1', '/p/b.ts': 'h2' });
    // A sentinel the writer would replace: a run with nothing changed leaves the file as it is.
    const old = new Date(2000, 0, 1);
    fs.utimesSync(location, old, old);
    run({ '/p/a.ts': 'h1', '/p/b.ts': 'h2' });
    expect(stamp()).toBe(old.getTime());
    const runs: Array<Record<string, string>> = [
      { '/p/a.ts': 'h1', '/p/b.ts': 'h3' },
      { '/p/a.ts': 'h1', '/p/b.ts': 'h3', '/p/c.ts': 'h4' },
      { '/p/a.ts': 'h1' },
    ];
    for (const files of runs) {
      fs.utimesSync(location, old, old);
      const text = run(files);
      expect(stamp(), JSON.stringify(files)).not.toBe(old.getTime());
      expect(Object.keys(JSON.parse(text.slice(text.indexOf('\n') + 1))).sort()).toEqual(Object.keys(files).sort());
    }
  });

  it('ignores a cache written with other options, with a message', () => {
    const location = path.join(newDir(), 'cache');
    const first = open(location, { rules: ['a'] });
    first.cache.set('/p/a.ts', 'h', summaryOf('/p/a.ts'));
    first.cache.save();
    const second = open(location, { rules: ['a', 'b'] });
    expect(second.cache.get('/p/a.ts', 'h')).toBeUndefined();
    expect(second.messages).toEqual([expect.stringContaining('was written by another version of lmi-audit or with other options')]);
  });

  it('ignores a cache written by another version, with a message', async () => {
    const location = path.join(newDir(), 'cache');
    const first = open(location);
    first.cache.set('/p/a.ts', 'h', summaryOf('/p/a.ts'));
    first.cache.save();
    vi.resetModules();
    vi.doMock('../../src/version.js', () => ({ toolVersion: () => '999.0.0' }));
    try {
      const other = await import('../../src/analysis/cache.js');
      const messages: string[] = [];
      const cache = other.openSummaryCache({ location, keyParts: { rules: ['a'] }, onMessage: (m) => messages.push(m) });
      expect(cache.get('/p/a.ts', 'h')).toBeUndefined();
      expect(messages).toEqual([expect.stringContaining('another version')]);
    } finally {
      vi.doUnmock('../../src/version.js');
      vi.resetModules();
    }
  });

  it.each([
    ['truncated', (text: string) => text.slice(0, text.length - 7), 'checksum'],
    ['a flipped character', (text: string) => text.replace('"commonjs":true', '"commonjs":fals'), 'checksum'],
    ['garbage', () => '\u0000\u0001garbage', 'not JSON'],
    ['an empty file', () => '', 'not JSON'],
    ['another format', (text: string) => text.replace('"format":1', '"format":0'), 'another format'],
  ])('ignores a damaged cache (%s), with a message', (_name, damage, why) => {
    const location = path.join(newDir(), 'cache');
    const first = open(location);
    first.cache.set('/p/a.ts', 'h', summaryOf('/p/a.ts'));
    first.cache.save();
    fs.writeFileSync(location, damage(fs.readFileSync(location, 'utf8')));
    const second = open(location);
    expect(second.cache.get('/p/a.ts', 'h')).toBeUndefined();
    expect(second.messages).toEqual([expect.stringContaining(why)]);
    // Written again whole at the end of the run.
    second.cache.set('/p/a.ts', 'h', summaryOf('/p/a.ts'));
    second.cache.save();
    const third = open(location);
    expect(third.messages).toEqual([]);
    expect(third.cache.get('/p/a.ts', 'h')).toEqual(summaryOf('/p/a.ts'));
  });

  it('never trusts an entry that is not a summary, even with a matching checksum', async () => {
    const location = path.join(newDir(), 'cache');
    const first = open(location);
    // A summary filed under another path, and one with a field of the wrong kind.
    first.cache.set('/p/a.ts', 'h', summaryOf('/p/elsewhere.ts'));
    first.cache.save();
    expect(open(location).messages).toEqual([expect.stringContaining('holds something that is not a summary')]);
    const bad = open(location);
    bad.cache.set('/p/a.ts', 'h', { ...summaryOf('/p/a.ts'), functions: 'none' } as unknown as FileSummary);
    bad.cache.save();
    const reopened = open(location);
    expect(reopened.cache.get('/p/a.ts', 'h')).toBeUndefined();
    expect(reopened.messages).toEqual([expect.stringContaining('holds something that is not a summary')]);
  });

  it('reports a location it cannot write, without throwing', () => {
    const blocker = path.join(newDir(), 'a-file');
    fs.writeFileSync(blocker, 'not a directory');
    const { cache, messages } = open(path.join(blocker, 'cache'));
    cache.set('/p/a.ts', 'h', summaryOf('/p/a.ts'));
    expect(() => cache.save()).not.toThrow();
    expect(messages).toEqual([expect.stringMatching(/^cannot write the cache .*(ENOTDIR|EEXIST)/)]);
    expect(fs.readdirSync(path.dirname(blocker))).toEqual(['a-file']);
  });

  it('writes through a temporary file: no temporary file is left beside the cache', () => {
    const dir = newDir();
    const { cache } = open(dir);
    cache.set('/p/a.ts', 'h', summaryOf('/p/a.ts'));
    cache.save();
    expect(fs.readdirSync(dir)).toEqual(['.lmi-audit-cache']);
  });

  it('puts the cache in a directory the location names', () => {
    const dir = newDir();
    expect(resolveCacheFile(dir)).toBe(path.join(dir, '.lmi-audit-cache'));
    expect(resolveCacheFile(path.join(dir, 'new') + path.sep)).toBe(path.join(dir, 'new', '.lmi-audit-cache'));
    expect(resolveCacheFile(path.join(dir, 'file'))).toBe(path.join(dir, 'file'));
  });
});

describe('scan with a cache', () => {
  const handler = [
    'let lastUser: string | undefined;',
    'export const handler = async (event: { user: string }) => {',
    '  lastUser = event.user;',
    '  await Promise.resolve();',
    '  return { user: lastUser };',
    '};',
    '',
  ].join('\n');
  const clean = ['export const handler = async (event: { user: string }) => {', '  await Promise.resolve();', '  return { user: event.user };', '};', ''].join(
    '\n',
  );

  async function scanProject(project: string, cacheLocation?: string) {
    const messages: string[] = [];
    const report = await scan({ paths: ['.'], cwd: project, ...(cacheLocation ? { cacheLocation } : {}), onMessage: (m) => messages.push(m) });
    return { report, messages };
  }
  const ruleIds = (report: Pick<Report, 'findings'>) => report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

  it('gives the report of a scan without it, cold and warm, and reuses the summaries it holds', async () => {
    const project = newDir();
    fs.writeFileSync(path.join(project, 'handler.ts'), handler);
    fs.writeFileSync(path.join(project, 'other.ts'), clean);
    const cacheFile = path.join(newDir(), 'cache');
    const plain = await scanProject(project);
    expect(ruleIds(plain.report)).toContain('handler.ts:3 global-mutable-state');
    const cold = await scanProject(project, cacheFile);
    const warm = await scanProject(project, cacheFile);
    expect(cold.report).toEqual(plain.report);
    expect(warm.report).toEqual(plain.report);
    expect(cold.messages).toEqual([]);
    expect(warm.messages).toEqual([]);

    // A hit is a summary read from the cache, not made again: plant the clean file's summary
    // under handler.ts's content hash, and the next scan reports handler.ts as clean.
    const handlerFile = path.join(project, 'handler.ts');
    const otherFile = path.join(project, 'other.ts');
    const { cache } = open(cacheFile, {});
    expect(cache.get(handlerFile, contentHash(handler))).toBeUndefined(); // other options: this one reads nothing
    const reader = openSummaryCache({ location: cacheFile, keyParts: summaryCacheKey, onMessage: () => {} });
    const cleanSummary = reader.get(otherFile, contentHash(clean));
    expect(cleanSummary).toBeDefined();
    reader.set(handlerFile, contentHash(handler), { ...cleanSummary!, file: handlerFile });
    reader.set(otherFile, contentHash(clean), cleanSummary!);
    reader.save();
    const planted = await scanProject(project, cacheFile);
    expect(ruleIds(planted.report)).not.toContain('handler.ts:3 global-mutable-state');

    // A changed file misses: it is analysed again, whatever the cache holds for its path.
    fs.writeFileSync(handlerFile, `${handler}// changed\n`);
    const changed = await scanProject(project, cacheFile);
    expect(ruleIds(changed.report)).toContain('handler.ts:3 global-mutable-state');
  });

  it('scans as without a cache when the cache is damaged or cannot be written, with a message', async () => {
    const project = newDir();
    fs.writeFileSync(path.join(project, 'handler.ts'), handler);
    const plain = await scanProject(project);
    const damaged = path.join(newDir(), 'cache');
    fs.writeFileSync(damaged, '{"format":1,"key":"x","checksum":"y"}\n{}');
    const withDamaged = await scanProject(project, damaged);
    expect(withDamaged.report).toEqual(plain.report);
    expect(withDamaged.messages).toEqual([expect.stringContaining('is ignored')]);
    const blocker = path.join(newDir(), 'a-file');
    fs.writeFileSync(blocker, '');
    const unwritable = await scanProject(project, path.join(blocker, 'cache'));
    expect(unwritable.report).toEqual(plain.report);
    expect(unwritable.messages).toEqual([expect.stringContaining('cannot write the cache')]);
  });
});
