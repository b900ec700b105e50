/**
 * @fileoverview `npm run bench`: lmi-audit against its floor and against ESLint on synthetic
 * Lambda monorepos of 1,000 and 10,000 files (bench/generate.ts).
 *
 * Contenders, each a separate child process timed from spawn to exit (wall time), with its peak
 * RSS (GNU `/usr/bin/time -f %M` when present, else `process.resourceUsage().maxRSS` written at
 * exit by bench/rss.ts loaded with `node --import`):
 *   floor   read every .ts and .py file and parse it (TypeScript, tree-sitter Python), one thread (bench/floor.ts)
 *   scan    node bin/lmi-audit.js scan <corpus> --format json --output <tmp> --fail-on none --no-progress
 *   eslint  ESLint 9 + typescript-eslint parser, `require-atomic-updates` + one `no-restricted-syntax`
 *           (bench/eslint.config.mjs), --format json -o <tmp>
 * Per size, one untimed floor run warms the file cache, then the contenders alternate
 * (floor, scan, eslint, floor, scan, eslint, …) for `--reps` rounds. Medians are reported.
 * The bench reports targets as PASS/FAIL; it exits 1 on a missed target only with `--strict`.
 *
 * Options: --sizes 1000,10000  --reps 3  --only floor,scan,eslint  --strict  --seed <n>
 *          --corpus-dir bench/corpus  --out bench/results/latest.json  --rss time|wrapper
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DENSE_GENERATOR_VERSION, writeDenseCorpus } from './dense.js';
import { DEFAULT_SEED, GENERATOR_VERSION, readCorpusMeta, writeCorpus, type CorpusManifest } from './generate.js';
import { MIXED_GENERATOR_VERSION, writeMixedCorpus } from './mixed.js';

type Contender = 'floor' | 'scan' | 'rescan' | 'eslint';
const CONTENDERS: Contender[] = ['floor', 'scan', 'rescan', 'eslint'];
/**
 * `standard`: bench/generate.ts; `dense`: bench/dense.ts (deep helper chains, many findings per
 * function); `mixed`: bench/mixed.ts (the standard corpus with 20% of the files Python).
 */
type CorpusKind = 'standard' | 'dense' | 'mixed';
const CORPUS_KINDS: CorpusKind[] = ['standard', 'dense', 'mixed'];
/** Share of the files a `rescan` changes before it scans again with a warm cache. */
const RESCAN_CHANGED = 0.01;
const TIME_BIN = '/usr/bin/time';

/** dist-bench/bench/run.js -> the repository root. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Options {
  sizes: number[];
  reps: number;
  only: Contender[];
  corpora: CorpusKind[];
  strict: boolean;
  seed: number;
  corpusDir: string;
  out: string;
  rss: 'time' | 'wrapper';
}

interface Sample {
  contender: Contender;
  corpus: CorpusKind;
  n: number;
  rep: number;
  wallMs: number;
  peakRssMb: number;
  exitCode: number;
}

interface Stats {
  contender: Contender;
  corpus: CorpusKind;
  n: number;
  samples: number;
  medianWallS: number;
  minWallS: number;
  maxWallS: number;
  filesPerS: number;
  medianPeakRssMb: number;
}

interface Target {
  name: string;
  limit: string;
  value: string;
  status: 'PASS' | 'FAIL' | 'n/a';
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.stderr.write(
    'usage: npm run bench -- [--sizes 1000,10000] [--reps 3] [--only floor,scan,eslint] [--strict] [--seed n] [--corpus-dir dir] [--out file] [--rss time|wrapper]\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    sizes: [1000, 10000],
    reps: 3,
    only: [...CONTENDERS],
    corpora: [...CORPUS_KINDS],
    strict: false,
    seed: DEFAULT_SEED,
    corpusDir: path.join(ROOT, 'bench', 'corpus'),
    out: path.join(ROOT, 'bench', 'results', 'latest.json'),
    rss: fs.existsSync(TIME_BIN) ? 'time' : 'wrapper',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--sizes':
        options.sizes = value()
          .split(',')
          .map((s) => Number(s.trim().replace(/_/g, '')));
        if (options.sizes.some((n) => !Number.isInteger(n) || n < 10)) usage('--sizes takes integers >= 10, e.g. 1000,10000');
        break;
      case '--reps':
        options.reps = Number(value());
        if (!Number.isInteger(options.reps) || options.reps < 1) usage('--reps takes a positive integer');
        break;
      case '--only': {
        const only = value()
          .split(',')
          .map((s) => s.trim()) as Contender[];
        for (const c of only) if (!CONTENDERS.includes(c)) usage(`unknown contender ${c} (floor, scan, rescan, eslint)`);
        options.only = CONTENDERS.filter((c) => only.includes(c));
        break;
      }
      case '--corpora': {
        const kinds = value()
          .split(',')
          .map((s) => s.trim()) as CorpusKind[];
        for (const k of kinds) if (!CORPUS_KINDS.includes(k)) usage(`unknown corpus ${k} (standard, dense, mixed)`);
        options.corpora = CORPUS_KINDS.filter((k) => kinds.includes(k));
        break;
      }
      case '--strict':
        options.strict = true;
        break;
      case '--seed':
        options.seed = Number(value());
        if (!Number.isInteger(options.seed)) usage('--seed takes an integer');
        break;
      case '--corpus-dir':
        options.corpusDir = path.resolve(value());
        break;
      case '--out':
        options.out = path.resolve(value());
        break;
      case '--rss': {
        const v = value();
        if (v !== 'time' && v !== 'wrapper') usage('--rss is time or wrapper');
        if (v === 'time' && !fs.existsSync(TIME_BIN)) usage(`${TIME_BIN} is missing; use --rss wrapper`);
        options.rss = v;
        break;
      }
      default:
        usage(`unknown option ${arg}`);
    }
  }
  return options;
}

// ---------------------------------------------------------------------------------------------

function ensureCorpus(options: Options, n: number, kind: CorpusKind): { dir: string; manifest: CorpusManifest } {
  const dir = path.join(options.corpusDir, kind === 'standard' ? String(n) : `${kind}-${n}`);
  const meta = readCorpusMeta(dir);
  if (kind === 'mixed') {
    if (meta && meta.generatorVersion === MIXED_GENERATOR_VERSION && meta.seed === options.seed && meta.n === n) {
      log(`mixed corpus ${n}: reusing ${rel(dir)}`);
      return { dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, '.manifest.json'), 'utf8')) as CorpusManifest };
    }
    const manifest = writeMixedCorpus(dir, n, options.seed);
    log(`mixed corpus ${n}: generated ${manifest.files} files (${manifest.python.files} Python), ${manifest.lines} lines -> ${rel(dir)}`);
    return { dir, manifest };
  }
  if (kind === 'dense') {
    if (meta && meta.generatorVersion === DENSE_GENERATOR_VERSION && meta.n === n) {
      log(`dense corpus ${n}: reusing ${rel(dir)}`);
      return { dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, '.manifest.json'), 'utf8')) as CorpusManifest };
    }
    const manifest = writeDenseCorpus(dir, n);
    log(`dense corpus ${n}: generated ${manifest.files} files, ${manifest.lines} lines -> ${rel(dir)}`);
    return { dir, manifest };
  }
  if (meta && meta.generatorVersion === GENERATOR_VERSION && meta.seed === options.seed && meta.n === n) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.manifest.json'), 'utf8')) as CorpusManifest;
    log(`corpus ${n}: reusing ${rel(dir)} (generator v${meta.generatorVersion}, seed ${meta.seed})`);
    return { dir, manifest };
  }
  const started = performance.now();
  const manifest = writeCorpus(dir, n, { seed: options.seed });
  log(
    `corpus ${n}: generated ${manifest.files} files, ${manifest.lines} lines (${(manifest.lines / manifest.files).toFixed(1)}/file) in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${rel(dir)}`,
  );
  return { dir, manifest };
}

interface ChildResult {
  wallMs: number;
  peakRssMb: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Run `node <args>` in `cwd`, timed from spawn to exit, with its peak RSS. */
function runNode(args: string[], cwd: string, rss: Options['rss']): Promise<ChildResult> {
  const rssFile = path.join(os.tmpdir(), `lmi-bench-rss-${process.pid}-${Date.now()}.txt`);
  const wrapper = path.join(ROOT, 'dist-bench', 'bench', 'rss.js');
  const [command, argv] =
    rss === 'time'
      ? [TIME_BIN, ['-f', '%M', '-o', rssFile, process.execPath, ...args]]
      : [process.execPath, ['--import', pathToFileURL(wrapper).href, ...args]];
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const started = process.hrtime.bigint();
    let exited: bigint | undefined;
    const child = spawn(command, argv, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LMI_BENCH_RSS_FILE: rssFile, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('exit', () => {
      exited = process.hrtime.bigint();
    });
    child.on('close', (code, signal) => {
      const end = exited ?? process.hrtime.bigint();
      let kb = NaN;
      try {
        kb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
        fs.rmSync(rssFile, { force: true });
      } catch {
        // left NaN: reported as such
      }
      resolve({
        wallMs: Number(end - started) / 1e6,
        peakRssMb: kb / 1024,
        exitCode: code ?? (signal ? 128 : 1),
        stdout,
        stderr,
      });
    });
  });
}

/**
 * The counts the bench checks, read off a JSON report without holding it as one string: the
 * dense 10k report is larger than V8's longest string. The reporter writes `summary` before
 * the functions and `errors` last, two-space indented; findings are counted by their `ruleId`
 * lines, which nothing else in the report has.
 */
function readReportCounts(file: string): { summary: { functions: number; findings: number }; errors: number; byRule: Record<string, number> } {
  const fd = fs.openSync(file, 'r');
  const byRule: Record<string, number> = {};
  const RULE = /\n {6}"ruleId": "([^"]+)"/g;
  const chunk = Buffer.alloc(16 << 20);
  let head = '';
  let carry = '';
  let tail = '';
  try {
    for (let n: number; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) {
      const text = carry + chunk.toString('utf8', 0, n);
      if (head.length < 1 << 16) head += text.slice(0, (1 << 16) - head.length);
      // Matches that end in the last 256 characters may be cut: they are matched again with the next chunk.
      const safe = Math.max(0, text.length - 256);
      RULE.lastIndex = 0;
      for (let m: RegExpExecArray | null; (m = RULE.exec(text)) && m.index < safe;) byRule[m[1]!] = (byRule[m[1]!] ?? 0) + 1;
      carry = text.slice(safe);
      tail = (tail + text).slice(-(1 << 20));
    }
    for (let m: RegExpExecArray | null; (m = RULE.exec(carry));) byRule[m[1]!] = (byRule[m[1]!] ?? 0) + 1;
  } finally {
    fs.closeSync(fd);
  }
  const summaryAt = head.indexOf('\n  "summary": ');
  const functionsAt = head.indexOf(',\n  "functions": ');
  const errorsAt = tail.lastIndexOf('\n  "errors": ');
  if (summaryAt < 0 || functionsAt < 0 || errorsAt < 0) throw new Error(`${file}: not a JSON report lmi-audit wrote`);
  const summary = JSON.parse(head.slice(summaryAt + '\n  "summary": '.length, functionsAt)) as { functions: number; findings: number };
  const errors = (JSON.parse(tail.slice(errorsAt + '\n  "errors": '.length).replace(/\}\s*$/, '')) as unknown[]).length;
  return { summary, errors, byRule };
}

/** One timed run of a contender on a corpus; throws on an unexpected exit code or an implausible result. */
async function runContender(
  contender: Contender,
  corpus: { dir: string; manifest: CorpusManifest },
  options: Options,
): Promise<ChildResult & { check: Record<string, unknown> }> {
  const tmp = path.join(os.tmpdir(), `lmi-bench-${contender}-${process.pid}.json`);
  fs.rmSync(tmp, { force: true });
  const { dir, manifest } = corpus;
  if (contender === 'floor') {
    const r = await runNode([path.join(ROOT, 'dist-bench', 'bench', 'floor.js'), dir], ROOT, options.rss);
    if (r.exitCode !== 0) fail(`floor exited ${r.exitCode}`, r);
    const out = JSON.parse(r.stdout) as { files: number };
    if (out.files !== manifest.files) fail(`floor parsed ${out.files} files, the corpus has ${manifest.files}`, r);
    return { ...r, check: out };
  }
  if (contender === 'scan' || contender === 'rescan') {
    const scanArgs = [path.join(ROOT, 'bin', 'lmi-audit.js'), 'scan', dir, '--format', 'json', '--output', tmp, '--fail-on', 'none', '--no-progress'];
    let r: ChildResult;
    if (contender === 'rescan') {
      // Untimed: a scan that fills the cache; then 1% of the files change, and the timed scan reuses the rest.
      const cacheFile = path.join(os.tmpdir(), `lmi-bench-cache-${process.pid}`);
      fs.rmSync(cacheFile, { force: true });
      const cacheArgs = [...scanArgs, '--cache', '--cache-location', cacheFile];
      const warm = await runNode(cacheArgs, ROOT, options.rss);
      if (warm.exitCode !== 0) fail(`lmi-audit scan --cache exited ${warm.exitCode}`, warm);
      const changed = changeFiles(dir, manifest, RESCAN_CHANGED);
      try {
        r = await runNode(cacheArgs, ROOT, options.rss);
      } finally {
        for (const [file, text] of changed) fs.writeFileSync(file, text);
        fs.rmSync(cacheFile, { force: true });
      }
      if (r.stderr.includes('warning:')) fail('lmi-audit scan --cache warned', r);
    } else {
      r = await runNode(scanArgs, ROOT, options.rss);
    }
    if (r.exitCode === 2) fail('lmi-audit scan exited 2 (usage or internal error)', r);
    if (r.exitCode !== 0) fail(`lmi-audit scan exited ${r.exitCode} with --fail-on none (expected 0)`, r);
    const report = readReportCounts(tmp);
    fs.rmSync(tmp, { force: true });
    const byRule = report.byRule;
    const check = { functions: report.summary.functions, findings: report.summary.findings, errors: report.errors, byRule };
    if (report.summary.functions !== manifest.counts.handlers)
      fail(`lmi-audit found ${report.summary.functions} functions, the corpus has ${manifest.counts.handlers} handlers`, r);
    if ((byRule['shared-tmp-path'] ?? 0) !== manifest.counts.staticTmp) {
      warn(`shared-tmp-path findings ${byRule['shared-tmp-path'] ?? 0} != seeded static /tmp writes ${manifest.counts.staticTmp}`);
    }
    return { ...r, check };
  }
  const eslintBin = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const config = path.join(ROOT, 'bench', 'eslint.config.mjs');
  // Run from the corpus directory: with --config, ESLint's base path is the cwd.
  const r = await runNode([eslintBin, '--config', config, '--no-config-lookup', '--format', 'json', '--output-file', tmp, '.'], dir, options.rss);
  if (r.exitCode !== 0 && r.exitCode !== 1) fail(`eslint exited ${r.exitCode}`, r);
  const results = JSON.parse(fs.readFileSync(tmp, 'utf8')) as Array<{ messages: Array<{ ruleId: string | null; fatal?: boolean }> }>;
  fs.rmSync(tmp, { force: true });
  const byRule: Record<string, number> = {};
  let fatal = 0;
  for (const file of results) {
    for (const m of file.messages) {
      if (m.fatal) fatal++;
      const id = m.ruleId ?? '(parse error)';
      byRule[id] = (byRule[id] ?? 0) + 1;
    }
  }
  if (results.length !== manifest.files) fail(`eslint linted ${results.length} files, the corpus has ${manifest.files}`, r);
  return { ...r, check: { files: results.length, fatal, byRule } };
}

/**
 * Change `share` of the handler files (every 1/share-th in path order) by appending a statement
 * the analysis sees; returns their original texts, to be written back.
 */
function changeFiles(dir: string, manifest: CorpusManifest, share: number): Map<string, string> {
  const handlers = manifest.handlers.length ? manifest.handlers.map((h) => h.file) : listSources(dir).filter((f) => f.includes('/handlers/'));
  const step = Math.max(1, Math.round(1 / share / (handlers.length / manifest.files)));
  const originals = new Map<string, string>();
  for (let i = 0; i < handlers.length; i += step) {
    const file = path.join(dir, handlers[i]!);
    const text = fs.readFileSync(file, 'utf8');
    originals.set(file, text);
    fs.writeFileSync(file, `${text}\nexport const benchEdit = ${i};\n`);
  }
  return originals;
}

function listSources(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !entry.name.startsWith('.')) out.push(...listSources(dir, rel));
    else if (entry.name.endsWith('.ts')) out.push(rel);
  }
  return out.sort();
}

function fail(message: string, r: ChildResult): never {
  process.stderr.write(`\nbench: ${message}\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function statsOf(samples: Sample[], contender: Contender, corpus: CorpusKind, n: number): Stats | undefined {
  const mine = samples.filter((s) => s.contender === contender && s.corpus === corpus && s.n === n);
  if (mine.length === 0) return undefined;
  const walls = mine.map((s) => s.wallMs / 1000);
  const medianWallS = median(walls);
  return {
    contender,
    corpus,
    n,
    samples: mine.length,
    medianWallS,
    minWallS: Math.min(...walls),
    maxWallS: Math.max(...walls),
    filesPerS: n / medianWallS,
    medianPeakRssMb: median(mine.map((s) => s.peakRssMb)),
  };
}

function ratio(a: Stats | undefined, b: Stats | undefined): number | undefined {
  return a && b ? a.medianWallS / b.medianWallS : undefined;
}

/** The targets of issue #16 (and the ESLint comparison), each PASS, FAIL or n/a when not measured in this run. */
function targetsOf(stats: Stats[]): Target[] {
  const get = (c: Contender, corpus: CorpusKind, n: number) => stats.find((s) => s.contender === c && s.corpus === corpus && s.n === n);
  const big = 10000;
  const small = 1000;
  const targets: Target[] = [];
  const atMost = (name: string, value: number | undefined, limit: number) =>
    targets.push({ name, limit: `<= ${limit}`, value: fmtRatio(value), status: value === undefined ? 'n/a' : value <= limit ? 'PASS' : 'FAIL' });
  atMost('scan(10k) / floor(10k)', ratio(get('scan', 'standard', big), get('floor', 'standard', big)), 1.0);
  atMost('scan(dense 10k) / floor(dense 10k)', ratio(get('scan', 'dense', big), get('floor', 'dense', big)), 1.5);
  atMost('scan(mixed 10k) / floor(mixed 10k)', ratio(get('scan', 'mixed', big), get('floor', 'mixed', big)), 1.0);
  atMost('rescan(10k, 1% changed, --cache) / floor(10k)', ratio(get('rescan', 'standard', big), get('floor', 'standard', big)), 0.15);
  for (const corpus of CORPUS_KINDS) {
    const label = corpus === 'standard' ? '' : `${corpus} `;
    const rss = get('scan', corpus, big)?.medianPeakRssMb;
    targets.push({
      name: `scan(${label}10k) peak RSS`,
      limit: '<= 1024 MB',
      value: rss === undefined ? '-' : `${rss.toFixed(0)} MB`,
      status: rss === undefined || Number.isNaN(rss) ? 'n/a' : rss <= 1024 ? 'PASS' : 'FAIL',
    });
    atMost(`scan(${label}10k) / scan(${label}1k), wall`, ratio(get('scan', corpus, big), get('scan', corpus, small)), 11);
    const bigRss = get('scan', corpus, big)?.medianPeakRssMb;
    const smallRss = get('scan', corpus, small)?.medianPeakRssMb;
    atMost(`scan(${label}10k) / scan(${label}1k), peak RSS`, bigRss !== undefined && smallRss !== undefined ? bigRss / smallRss : undefined, 11);
  }
  const r2 = ratio(get('eslint', 'standard', big), get('scan', 'standard', big));
  targets.push({ name: 'eslint(10k) / scan(10k)', limit: '>= 10', value: fmtRatio(r2), status: r2 === undefined ? 'n/a' : r2 >= 10 ? 'PASS' : 'FAIL' });
  return targets;
}

function fmtRatio(r: number | undefined): string {
  return r === undefined ? '-' : `${r.toFixed(2)}x`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
function warn(message: string): void {
  process.stderr.write(`bench: warning: ${message}\n`);
}
function rel(p: string): string {
  return path.relative(ROOT, p) || '.';
}

function versionOf(pkg: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

async function gitCommit(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? out.trim() : undefined));
  });
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.only.includes('scan') && !fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli.js'))) {
    usage('dist/src/cli.js is missing: run `npm run build` first (npm run bench does)');
  }
  const startedAt = new Date();
  log(
    `lmi-audit bench: sizes ${options.sizes.join(', ')}; ${options.reps} rep(s) of ${options.only.join(', ')}; peak RSS via ${options.rss === 'time' ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS (--import wrapper)'}`,
  );

  const samples: Sample[] = [];
  const checks: Record<string, Record<string, unknown>> = {};
  const corpora: Record<string, Omit<CorpusManifest, 'handlers' | 'libs'>> = {};
  for (const kind of options.corpora) {
    for (const n of options.sizes) {
      const corpus = ensureCorpus(options, n, kind);
      const { handlers: _h, libs: _l, ...meta } = corpus.manifest;
      corpora[`${kind}-${n}`] = meta;
      // Warm the file cache (and the disk cache of node_modules/typescript), untimed.
      await runContender('floor', corpus, options);
      // The dense and mixed corpora measure the cold scan; ESLint and the cache are measured on the standard one.
      const contenders = kind === 'standard' ? options.only : options.only.filter((c) => c === 'floor' || c === 'scan');
      for (let rep = 1; rep <= options.reps; rep++) {
        for (const contender of contenders) {
          const r = await runContender(contender, corpus, options);
          samples.push({
            contender,
            corpus: kind,
            n,
            rep,
            wallMs: Math.round(r.wallMs * 10) / 10,
            peakRssMb: Math.round(r.peakRssMb * 10) / 10,
            exitCode: r.exitCode,
          });
          checks[`${contender}@${kind}-${n}`] = r.check;
          log(
            `  ${kind.padEnd(8)} n=${n} rep ${rep}/${options.reps} ${contender.padEnd(6)} ${(r.wallMs / 1000).toFixed(2).padStart(7)} s  ${r.peakRssMb.toFixed(0).padStart(5)} MB  exit ${r.exitCode}`,
          );
        }
      }
    }
  }

  const stats: Stats[] = [];
  for (const kind of options.corpora)
    for (const n of options.sizes)
      for (const c of options.only) {
        const s = statsOf(samples, c, kind, n);
        if (s) stats.push(s);
      }
  const get = (c: Contender, kind: CorpusKind, n: number) => stats.find((s) => s.contender === c && s.corpus === kind && s.n === n);
  const rows = [['contender', 'corpus', 'files', 'median s', 'min s', 'max s', 'files/s', 'peak RSS MB']];
  for (const s of stats) {
    rows.push([
      s.contender,
      s.corpus,
      String(s.n),
      s.medianWallS.toFixed(2),
      s.minWallS.toFixed(2),
      s.maxWallS.toFixed(2),
      s.filesPerS.toFixed(0),
      s.medianPeakRssMb.toFixed(0),
    ]);
  }
  const columns = options.corpora.flatMap((kind) => options.sizes.map((n) => ({ kind, n })));
  const ratioRows = [['ratio (median wall)', ...columns.map(({ kind, n }) => `${kind} ${n}`)]];
  ratioRows.push(['scan / floor', ...columns.map(({ kind, n }) => fmtRatio(ratio(get('scan', kind, n), get('floor', kind, n))))]);
  ratioRows.push(['rescan / floor', ...columns.map(({ kind, n }) => fmtRatio(ratio(get('rescan', kind, n), get('floor', kind, n))))]);
  ratioRows.push(['eslint / scan', ...columns.map(({ kind, n }) => fmtRatio(ratio(get('eslint', kind, n), get('scan', kind, n))))]);
  const linearity =
    options.sizes.includes(1000) && options.sizes.includes(10000) ? ratio(get('scan', 'standard', 10000), get('scan', 'standard', 1000)) : undefined;
  const targets = targetsOf(stats);

  log('');
  log(table(rows));
  log('');
  log(table(ratioRows));
  log('');
  log(table([['target', 'limit', 'measured', 'result'], ...targets.map((t) => [t.name, t.limit, t.value, t.status])]));

  const cpus = os.cpus();
  const result = {
    date: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    options: { sizes: options.sizes, reps: options.reps, only: options.only, corpora: options.corpora, seed: options.seed, rss: options.rss },
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      release: os.release(),
      cpus: cpus.length,
      availableParallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      totalMemMb: Math.round(os.totalmem() / 1024 / 1024),
    },
    versions: {
      lmiAudit: (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      commit: await gitCommit(),
      typescript: versionOf('typescript'),
      eslint: versionOf('eslint'),
      typescriptEslint: versionOf('typescript-eslint'),
      generator: GENERATOR_VERSION,
      denseGenerator: DENSE_GENERATOR_VERSION,
      mixedGenerator: MIXED_GENERATOR_VERSION,
    },
    method: {
      wall: 'spawn to exit of a separate child process (process.hrtime), median of the reps',
      peakRss:
        options.rss === 'time'
          ? 'GNU /usr/bin/time -f %M (KiB, max resident set of the child)'
          : 'process.resourceUsage().maxRSS written at exit by bench/rss.ts (node --import)',
      order:
        'per corpus and size: one untimed floor run (warms the file cache), then floor, scan, rescan, eslint alternating for each rep (dense, mixed: floor and scan only)',
      rescan:
        'an untimed scan --cache fills a fresh cache, 1% of the handler files get one more statement, then the timed scan --cache; the files are restored after',
      floor: 'bench/floor.ts: readFileSync + ts.createSourceFile(file, text, Latest, setParentNodes=true, TS) on every .ts file, one thread',
      scan: 'node bin/lmi-audit.js scan <corpus> --format json --output <tmp> --fail-on none --no-progress',
      eslint: 'eslint --config bench/eslint.config.mjs --no-config-lookup --format json --output-file <tmp> . (cwd = corpus)',
    },
    corpora,
    stats,
    ratios: Object.fromEntries(
      columns.map(({ kind, n }) => [
        `${kind}-${n}`,
        {
          scanOverFloor: ratio(get('scan', kind, n), get('floor', kind, n)) ?? null,
          rescanOverFloor: ratio(get('rescan', kind, n), get('floor', kind, n)) ?? null,
          eslintOverScan: ratio(get('eslint', kind, n), get('scan', kind, n)) ?? null,
        },
      ]),
    ),
    linearityScan10kOver1k: linearity ?? null,
    targets,
    checks,
    samples,
  };
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, JSON.stringify(result, null, 2) + '\n');
  log('');
  log(`results written to ${rel(options.out)}`);
  const failed = targets.filter((t) => t.status === 'FAIL');
  if (failed.length && options.strict) {
    process.stderr.write(`bench: ${failed.length} target(s) missed (--strict)\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
