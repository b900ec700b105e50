// The bench corpus generator (bench/generate.ts): deterministic, the intended proportions, valid
// code whose imports resolve, and lmi-audit finds exactly the bugs it seeds. A failure here is a
// generator bug or a scanner regression. No timing assertions.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus, PROPORTIONS, writeCorpus, type CorpusManifest } from '../../bench/generate.js';
import { scan } from '../../src/index.js';
import type { Report } from '../../src/types.js';

const N = 50;

function hashCorpus(files: Map<string, string>): string {
  const hash = createHash('sha256');
  for (const [file, text] of files) hash.update(`${file}\0${text}\0`);
  return hash.digest('hex');
}

function hashDir(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else hash.update(`${path.relative(dir, full)}\0`).update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('bench corpus generator', () => {
  const corpus = generateCorpus(N);
  const { manifest } = corpus;
  const sources = [...corpus.files].filter(([file]) => file.endsWith('.ts'));
  const handlerFiles = sources.filter(([file]) => /^services\/[^/]+\/handlers\/[^/]+\.ts$/.test(file));

  it('is deterministic: the same size and seed give the same files', () => {
    const again = generateCorpus(N);
    expect([...again.files.keys()]).toEqual([...corpus.files.keys()]);
    expect(hashCorpus(again.files)).toBe(hashCorpus(corpus.files));
    expect(again.manifest).toEqual(manifest);
    expect(hashCorpus(generateCorpus(N, { seed: 12345 }).files)).not.toBe(hashCorpus(corpus.files));
  });

  it('writes byte-identical corpora', () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-bench-a-'));
    const b = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-bench-b-'));
    try {
      writeCorpus(a, N);
      writeCorpus(b, N);
      expect(hashDir(a)).toBe(hashDir(b));
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
  });

  it('produces N source files, ~80% handlers, ~104 lines each', () => {
    expect(sources).toHaveLength(N);
    expect(manifest.files).toBe(N);
    expect(handlerFiles).toHaveLength(Math.round(N * PROPORTIONS.handlers));
    expect(manifest.counts.handlers).toBe(handlerFiles.length);
    expect(manifest.counts.libs).toBe(N - handlerFiles.length);
    for (const [file] of sources) expect(file).toMatch(/^(lib\/[^/]+\/[^/]+\.ts|services\/[^/]+\/(handlers|lib)\/[^/]+\.ts)$/);
    const lines = sources.reduce((sum, [, text]) => sum + text.split('\n').length - 1, 0);
    expect(manifest.lines).toBe(lines);
    expect(lines / N).toBeGreaterThan(95);
    expect(lines / N).toBeLessThan(115);
    expect(corpus.files.has('tsconfig.json')).toBe(true);
    for (const [, text] of handlerFiles) expect(text).toMatch(/^export const handler = async \(/m);
  });

  it('seeds the intended proportions, and the manifest matches the code', () => {
    const h = manifest.counts.handlers;
    const exact = (share: number) => Math.round(share * h);
    expect(manifest.counts.moduleLet).toBe(exact(PROPORTIONS.moduleLet));
    expect(manifest.counts.staticTmp).toBe(exact(PROPORTIONS.staticTmp));
    expect(manifest.counts.pgClient).toBe(exact(PROPORTIONS.pgClient));
    expect(manifest.counts.mapCache).toBe(exact(PROPORTIONS.mapCache));
    expect(manifest.counts.consoleLog).toBe(exact(PROPORTIONS.consoleLog));
    expect(manifest.counts.uniqueTmp).toBeLessThanOrEqual(exact(PROPORTIONS.uniqueTmp));
    expect(manifest.counts.pgPool).toBeLessThanOrEqual(exact(PROPORTIONS.pgPool));

    const text = new Map(handlerFiles);
    const withCode = (re: RegExp) =>
      handlerFiles
        .filter(([, t]) => re.test(t))
        .map(([f]) => f)
        .sort();
    const seeded = (key: 'moduleLet' | 'staticTmp' | 'pgClient' | 'mapCache' | 'consoleLog') =>
      manifest.handlers
        .filter((m) => m[key])
        .map((m) => m.file)
        .sort();
    expect(withCode(/^let \w+/m)).toEqual(seeded('moduleLet'));
    expect(withCode(/'\/tmp\//)).toEqual(seeded('staticTmp'));
    expect(withCode(/^const client = new Client\(/m)).toEqual(seeded('pgClient'));
    expect(withCode(/SnapshotCache\.set\(/)).toEqual(seeded('mapCache'));
    expect(withCode(/\bconsole\.\w+\(/)).toEqual(seeded('consoleLog'));
    // Handlers without console logging bind the Powertools Logger to the context.
    for (const m of manifest.handlers) {
      if (!m.consoleLog) expect(text.get(m.file)).toContain('logger.addContext(context);');
      expect((text.get(m.file)!.match(/\bconsole\.\w+\(/g) ?? []).length).toBe(m.consoleCalls);
      expect(m.imports.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('generates syntactically valid TypeScript whose relative imports resolve', () => {
    for (const [file, text] of sources) {
      const out = ts.transpileModule(text, {
        fileName: file,
        reportDiagnostics: true,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      expect(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')) ?? [], file).toEqual([]);
      for (const match of text.matchAll(/from '(\.[^']+)'/g)) {
        const target = path.posix.join(path.posix.dirname(file), match[1]!).replace(/\.js$/, '.ts');
        expect(corpus.files.has(target), `${file} imports ${match[1]}`).toBe(true);
      }
    }
  });
});

describe('lmi-audit on a generated corpus', () => {
  let dir: string;
  let manifest: CorpusManifest;
  let report: Report;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-bench-scan-'));
    manifest = writeCorpus(dir, N);
    report = await scan({ paths: [dir], cwd: dir, failOn: 'none' });
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const flagged = (ruleId: string) => [...new Set(report.findings.filter((f) => f.ruleId === ruleId).map((f) => f.file))].sort();
  const seeded = (key: 'moduleLet' | 'staticTmp' | 'pgClient' | 'mapCache' | 'consoleLog') =>
    manifest.handlers
      .filter((m) => m[key])
      .map((m) => m.file)
      .sort();

  it('finds every handler and reports no errors', () => {
    expect(report.errors).toEqual([]);
    expect(report.summary.functions).toBe(manifest.counts.handlers);
    expect(report.functions.map((f) => f.file).sort()).toEqual(manifest.handlers.map((h) => h.file).sort());
  });

  it('reports exactly one shared-tmp-path finding per handler seeded with a static /tmp write', () => {
    expect(manifest.counts.staticTmp).toBeGreaterThan(0);
    expect(report.findings.filter((f) => f.ruleId === 'shared-tmp-path')).toHaveLength(manifest.counts.staticTmp);
    expect(flagged('shared-tmp-path')).toEqual(seeded('staticTmp'));
  });

  it('finds the other seeded bugs', () => {
    for (const [rule, key] of [
      ['global-mutable-state', 'moduleLet'],
      ['shared-db-connection', 'pgClient'],
      ['unsafe-shared-collection', 'mapCache'],
      ['unstructured-logging', 'consoleLog'],
    ] as const) {
      expect(seeded(key).length, key).toBeGreaterThan(0);
      expect(flagged(rule), rule).toEqual(expect.arrayContaining(seeded(key)));
    }
  });

  it('reports nothing in handlers seeded with no bug (clean pools, unique /tmp files, Powertools logging)', () => {
    const clean = new Set(manifest.handlers.filter((m) => !m.moduleLet && !m.staticTmp && !m.pgClient && !m.mapCache && !m.consoleLog).map((m) => m.file));
    expect(clean.size).toBeGreaterThan(0);
    expect(report.findings.filter((f) => clean.has(f.file) || f.functions.some((id) => clean.has(id.split('#')[0]!)))).toEqual([]);
  });
});
