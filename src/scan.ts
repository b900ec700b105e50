/**
 * @fileoverview The scan pipeline: discover files, summarise each file once, read the
 * infrastructure code, find the handlers, build the project graph, run the rules' checks and
 * score each function. The configuration comes resolved and the gate is judged by the API
 * (src/index.ts), which owns the whole run. Scanned code is parsed, never loaded or run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Fact, FileSummary, Loc } from './core/summary.js';
import { contentHash, openSummaryCache } from './analysis/cache.js';
import { summarizeAll } from './analysis/parallel.js';
import { prepare, readAndSummarize, summarizeSource, summaryCacheKey } from './summarizer.js';
import { parseTerraformFiles, readInfrastructure, type IacFunction } from './iac/index.js';
import { discoverFiles, DEFAULT_MAX_FILE_SIZE, type Discovery } from './project/files.js';
import { findContextRoots, isWithin } from './project/root.js';
import { inferHandlers } from './project/handlers.js';
import { isTestFile } from './project/test-files.js';
import { VirtualSources } from './project/virtual-sources.js';
import { ProjectGraph } from './core/graph.js';
import { findPassedValues, type PassedValues } from './core/event-params.js';
import { JsModuleResolver } from './lang/js/resolve.js';
import { PyModuleResolver } from './lang/python/resolve.js';
import type { CheckContext, FunctionFacts, HandlerInfo, Rule, RuleReport } from './rules/define.js';
import { rules } from './rules/index.js';
import { getWorstByFunction, scoreFromWorst, type WorstByItem } from './scoring/index.js';
import { createHandlerOverrides, getConfiguredSeverity, getEffectiveSeverity, type HandlerOverrides } from './config/apply.js';
import { finishFindings, getActiveRules, selectFiles } from './scan-control.js';
import {
  type ChecklistItem,
  type Finding,
  type HandlerDiscovery,
  type LoadedConfig,
  type ReportFunction,
  type ScanError,
  type ScanOptions,
  type Severity,
} from './types.js';
import { toolVersion } from './version.js';
import { compareStrings as compare } from './util/compare-strings.js';
import { toReportPath as rel } from './util/report-path.js';
import { toReportPaths } from './report-paths.js';

interface HandlerSpec {
  file: number;
  exportName: string;
  discovery: HandlerDiscovery;
  iac?: IacFunction;
}

/** `LMI_AUDIT_TIMING=1` prints how long each phase took to stderr (like ESLint's TIMING). */
function phaseTimer(): (phase: string) => void {
  if (!process.env.LMI_AUDIT_TIMING) return () => {};
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    const { rss, heapUsed } = process.memoryUsage();
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0).padStart(5)} MB`;
    process.stderr.write(`lmi-audit timing: ${phase.padEnd(10)} ${(now - last).toFixed(0).padStart(6)} ms  rss ${mb(rss)}  heap ${mb(heapUsed)}\n`);
    last = now;
  };
}

/** What the pipeline takes: the scan options with the configuration read and no gate (src/index.ts judges it). */
export interface AnalyseOptions extends Omit<ScanOptions, 'config' | 'failOn' | 'minScore' | 'failOnEmpty' | 'env'> {
  config?: LoadedConfig;
}

export type { AnalysedReport } from './types.js';
import type { AnalysedReport } from './types.js';

export async function scan(options: AnalyseOptions): Promise<AnalysedReport> {
  try {
    return await scanWith(options);
  } finally {
    // Prestarted workers end with the scan, even when it failed before it could use them.
    await Promise.all((options.workers ?? []).map((w) => w.terminate()));
  }
}

/**
 * The pipeline: named stages over one context. Each stage reads what earlier stages put in it
 * and returns it with its own part added, so a stage's type says what it may use.
 */
async function scanWith(options: AnalyseOptions): Promise<AnalysedReport> {
  const discovered = await discover(options);
  const summarized = await summarize(discovered);
  const withInfra = await readInfra(summarized);
  const graphed = buildGraph(withInfra);
  const checked = checkRules(graphed);
  // Every path so far is absolute: the report's are made here, once.
  return toReportPaths(makeReport(checked), checked.cwd);
}

/** Stage 1's context: the files to scan, the project root around them, and what is in scope. */
interface Discovered {
  options: AnalyseOptions;
  started: number;
  lap: (phase: string) => void;
  cwd: string;
  paths: string[];
  scanned: Discovery;
  /** The scanned files and, around them, the project roots' files. */
  discovery: Discovery;
  contextRoots: string[];
  /** The scanned files, when a project root around them is read too (else everything is in scope). */
  scope: Set<string> | undefined;
  inScope: (file: string) => boolean;
  /** Problems met so far: report paths are made at the end. */
  errors: ScanError[];
  /** JavaScript/TypeScript sources, then Python ones: one list for every later step. */
  sourceFiles: string[];
}

interface Summarized extends Discovered {
  summaries: FileSummary[];
}

interface WithInfra extends Summarized {
  infra: { functions: IacFunction[]; otherClouds?: string[] };
  /** Problems of the infrastructure code itself, kept later for the files that are scanned or declare a reported function. */
  infraErrors: ScanError[];
  /** Inline code of the infrastructure code, summarised like files (src/project/virtual-sources.ts). */
  virtual: VirtualSources;
}

interface Graphed extends WithInfra {
  graph: ProjectGraph;
  specs: HandlerSpec[];
  handlers: HandlerInfo[];
  /** Per file, per function: the handlers that reach it. */
  fnHandlers: Array<Map<number, HandlerInfo[]>>;
  /** `file:fn` of every handler's entry function. */
  entrySet: Set<string>;
  /** What helpers' parameters receive from their callers (src/core/event-params.ts). */
  passed: PassedValues;
  /** Handlers the graph could not follow into code of the project. */
  unresolved: ReadonlySet<HandlerSpec>;
}

interface Checked extends Graphed {
  activeRules: readonly Rule[];
  reportedIds: Set<string>;
  findings: Finding[];
  baseline: ReturnType<typeof finishFindings>['baseline'];
}

async function discover(options: AnalyseOptions): Promise<Discovered> {
  const started = Date.now();
  const lap = phaseTimer();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const paths = options.paths.length ? options.paths : ['.'];
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const scanned = selectFiles(await discoverFiles(paths, { cwd, maxFileSize }), options.config);
  // The project root above the scanned paths: its infrastructure code and the code the scanned
  // handlers import are read too, and only what is in the scanned paths is reported.
  const contextRoots = findContextRoots(
    paths.map((p) => path.resolve(cwd, p)),
    (p) => fs.statSync(p).isDirectory(),
  );
  const discovery = contextRoots.length
    ? mergeDiscoveries(scanned, selectFiles(await discoverFiles(contextRoots, { cwd, maxFileSize }), options.config))
    : scanned;
  const scope = contextRoots.length ? new Set([...scanned.sources.map((f) => f.path), ...scanned.infra.map((f) => f.path), ...scanned.python]) : undefined;
  const inScope = (file: string): boolean => scope === undefined || scope.has(file);
  const sourceFiles = [...scanned.sources.map((s) => s.path), ...scanned.python];
  options.onProgress?.({ phase: 'discover', files: sourceFiles.length });
  lap('discover');
  return { options, started, lap, cwd, paths, scanned, discovery, contextRoots, scope, inScope, errors: [...scanned.errors], sourceFiles };
}

/**
 * Stage 2: one parse and one walk per file (on worker threads for big projects). The Python
 * parser loads only when there are Python files (the project root's included: it may name one).
 */
async function summarize(ctx: Discovered): Promise<Summarized> {
  const { options, sourceFiles, errors, inScope } = ctx;
  const summaries: FileSummary[] = [];
  const total = sourceFiles.length;
  await prepare([...sourceFiles, ...ctx.discovery.python]);
  const cache =
    options.cacheLocation === undefined
      ? undefined
      : openSummaryCache({
          location: path.resolve(ctx.cwd, options.cacheLocation),
          keyParts: summaryCacheKey,
          onMessage: (message) => options.onMessage?.(message),
        });
  // With a cache, each file is read and hashed here; only the files whose hash is not in it are summarised.
  const cached = new Map<string, { summary: FileSummary; hash: string }>();
  if (cache) {
    for (const file of sourceFiles) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue; // the summariser reports it
      }
      const hash = contentHash(text);
      const summary = cache.get(file, hash);
      if (summary) cached.set(file, { summary, hash });
    }
  }
  const misses = cached.size ? sourceFiles.filter((file) => !cached.has(file)) : sourceFiles;
  const results = await summarizeAll(misses, {
    readAndSummarize,
    hash: cache !== undefined,
    jobs: options.jobs,
    workers: options.workers,
    onProgress: (done) => options.onProgress?.({ phase: 'analyse', done: done + cached.size, total }),
  });
  let next = 0;
  for (const file of sourceFiles) {
    const hit = cached.get(file);
    const result = hit ?? results[next++]!;
    if ('error' in result) {
      if (inScope(result.error.file)) errors.push(result.error);
      continue;
    }
    if (result.summary.parseError && inScope(result.summary.file)) errors.push({ file: result.summary.file, ...result.summary.parseError });
    summaries.push(result.summary);
    if (cache && result.hash !== undefined) cache.set(file, result.hash, result.summary);
  }
  cache?.save();
  ctx.lap('parse');
  return { ...ctx, summaries };
}

/** Stage 3: infrastructure code names handlers (and wins over the `handler` convention). */
async function readInfra(ctx: Summarized): Promise<WithInfra> {
  const { discovery, scope } = ctx;
  const infra = readInfrastructure({
    infraFiles: discovery.infra.map((f) => f.path),
    terraform: await parseTerraformFiles(
      discovery.infra.map((f) => f.path),
      (file) => fs.readFileSync(file, 'utf8'),
    ),
    sourceFiles: discovery.sources.map((f) => f.path),
    // The walk recorded every import: only files importing the CDK are read again. Files of the
    // project root around the scanned paths are not parsed: the reader looks for the CDK in their text.
    cdkCandidates: [
      ...ctx.summaries.filter((s) => !isPython(s.file) && (s.parseError !== undefined || importsCdk(s))).map((s) => s.file),
      ...(scope ? contextCdkCandidates(discovery, scope) : []),
      ...sstCandidates(discovery),
    ],
    readFile: (file) => fs.readFileSync(file, 'utf8'),
  });
  const summaries = scope ? addContextSummaries(ctx.summaries, discovery, infra.functions) : ctx.summaries;
  const virtual = VirtualSources.fromFunctions(infra.functions);
  const withInline = virtual.size > 0 ? [...summaries, ...(await summarizeVirtualSources(virtual, ctx))] : summaries;
  ctx.lap('infra');
  return { ...ctx, summaries: withInline, infra, infraErrors: [...infra.errors], virtual };
}

/**
 * Inline code, summarised on this thread from its text (it is known only once the infrastructure
 * code is read, and is small: CloudFormation takes 4 KB of `ZipFile`). It is in scope when the
 * infrastructure file declaring it is.
 */
async function summarizeVirtualSources(virtual: VirtualSources, ctx: Summarized): Promise<FileSummary[]> {
  const sources = [...virtual];
  await prepare(sources.map((s) => s.path));
  return sources.map((source) => {
    const inScope = ctx.inScope(source.fn.source.file);
    if (inScope) ctx.scope?.add(source.path);
    const summary = summarizeSource(source.path, source.text);
    if (summary.parseError && inScope) {
      const at = virtual.toRealPosition(source.path, summary.parseError.line ?? 1, summary.parseError.column ?? 1);
      ctx.errors.push({ file: at.file, line: at.line, column: at.column, message: `${source.fn.logicalId}: its inline code: ${summary.parseError.message}` });
    }
    return summary;
  });
}

/** Stage 4: the graph, and the handlers with everything each one reaches. */
function buildGraph(ctx: WithInfra): Graphed {
  const { summaries, options, cwd, errors, inScope } = ctx;
  const summarised = new Set(summaries.map((s) => s.file));
  const jsResolver = new JsModuleResolver(summarised, ctx.discovery.packageJsons);
  const pyResolver = new PyModuleResolver(summarised);
  const resolver = {
    resolve: (fromFile: string, specifier: string) => (isPython(fromFile) ? pyResolver : jsResolver).resolve(fromFile, specifier),
    member: (moduleFile: string, name: string) => (isPython(moduleFile) ? pyResolver.member(moduleFile, name) : undefined),
  };
  const graph = new ProjectGraph(summaries, resolver);
  const scanRoots = [...ctx.paths.map((p) => path.resolve(cwd, p)), ...ctx.contextRoots];
  const specs = findHandlers(summaries, graph, ctx.infra.functions, errors, ctx.infraErrors, cwd, {
    overrides: createHandlerOverrides(options.config),
    inScope,
    infer: options.config?.inferHandlers?.enabled ?? true,
    testFiles: options.config?.inferHandlers?.testFiles ?? false,
    isTest: (file) => isTestFile(pathBelowRoot(file, scanRoots)),
    otherCloud: (file) => (ctx.infra.otherClouds ?? []).some((dir) => isWithin(dir, file)),
  });
  const handlers: HandlerInfo[] = [];
  const entrySet = new Set<string>();
  const fnHandlers: Array<Map<number, HandlerInfo[]>> = summaries.map(() => new Map());
  const unresolved = new Set<HandlerSpec>();
  for (const spec of specs) {
    const entry = graph.resolveEntry(spec.file, spec.exportName);
    // `serverless(app)`: no entry function of the project, but the app's route callbacks run per request.
    if (entry.fns.length === 0 && entry.callbacks.length === 0) unresolved.add(spec);
    // A factory or wrapper that made the handler ran at init: what it returns is the entry.
    const made = new Set((entry.factories ?? []).map(([f, fn]) => `${f}:${fn}`));
    const direct = entry.fns.filter(([f, fn]) => !made.has(`${f}:${fn}`));
    for (const [f, fn] of direct) entrySet.add(`${f}:${fn}`);
    for (const [f, fn] of entry.factories ?? []) for (const child of graph.childrenOf(f, fn)) entrySet.add(`${f}:${child}`);
    const reach = graph.reach([...direct, ...entry.callbacks], entry.logContext, entry.factories);
    const info: HandlerInfo = {
      index: handlers.length,
      id: `${summaries[spec.file]!.file}#${spec.exportName}`,
      file: spec.file,
      reach,
      ...(spec.iac ? { iac: spec.iac } : {}),
    };
    handlers.push(info);
    for (const [f, fns] of reach.functions) {
      const map = fnHandlers[f]!;
      for (const fn of fns) {
        let list = map.get(fn);
        if (!list) map.set(fn, (list = []));
        list.push(info);
      }
    }
  }
  for (const spec of unresolved) {
    const summary = summaries[spec.file]!;
    if (summary.parseError || !inScope(summary.file)) continue;
    errors.push({
      file: spec.iac && ctx.virtual.has(summary.file) ? spec.iac.source.file : summary.file,
      message: `handler \`${spec.exportName}\` is not a function lmi-audit can follow (created by a package or at run time); its invocation code was not checked`,
    });
  }
  const passed = findPassedValues(summaries, graph, entrySet, (file, fn) => fnHandlers[file]!.has(fn));
  ctx.lap('graph');
  return { ...ctx, graph, specs, handlers, fnHandlers, entrySet, passed, unresolved };
}

/** Stage 5: rules, then inline suppressions, fingerprints and the baseline (suppressed findings stay, marked). */
function checkRules(ctx: Graphed): Checked {
  const { options, summaries, specs, handlers, infra, cwd, scope, inScope } = ctx;
  const activeRules = getActiveRules(rules, options.config);
  // Outside the scanned paths, only what belongs to a reported function is kept: the template
  // findings of a scanned handler, and findings in code outside the paths that it reaches.
  const reportedIds = new Set<string>();
  specs.forEach((spec, i) => {
    if (inScope(summaries[spec.file]!.file)) reportedIds.add(handlers[i]!.id);
  });
  for (const fn of infra.functions) {
    if (fn.codeFile?.endsWith('.py') && fn.exportName && inScope(fn.codeFile)) reportedIds.add(`${fn.codeFile}#${fn.exportName}`);
  }
  const declaring = new Set(infra.functions.filter((fn) => fn.codeFile && reportedIds.has(`${fn.codeFile}#${fn.exportName}`)).map((fn) => fn.source.file));
  ctx.errors.push(...ctx.infraErrors.filter((e) => inScope(e.file) || declaring.has(e.file)));
  const finished = finishFindings(runRules({ ...ctx, activeRules }), summaries, {
    cwd,
    config: options.config,
    baseline: options.baseline,
    writeBaseline: options.writeBaseline,
    ruleIds: new Set(rules.map((r) => r.id)),
    activeRuleIds: new Set(activeRules.map((r) => r.id)),
    ...(scope && { keep: (f: Finding) => scope.has(f.file) || f.functions.some((id) => reportedIds.has(id)) }),
    readFile: (file) => ctx.virtual.get(file)?.text ?? fs.readFileSync(file, 'utf8'),
  });
  ctx.lap('rules');
  // Last, once suppressions and fingerprints read the inline code itself: its findings move to the lines of the infrastructure file.
  const findings = finished.findings.map((f) => ctx.virtual.toRealFinding(f));
  return { ...ctx, activeRules, reportedIds, findings, baseline: finished.baseline };
}

const NO_FINDINGS: WorstByItem = new Map();

/** Stage 6: functions, scores and the report (the API judges the gate). */
function makeReport(ctx: Checked): AnalysedReport {
  const { options, specs, handlers, summaries, findings, reportedIds, activeRules, unresolved } = ctx;
  const active = findings.filter((f) => !f.suppressed);
  // Asked once per finding per function: a map, not a search of the registry.
  const items = new Map(rules.map((r) => [r.id, r.checklist]));
  const ruleItem = (id: string) => items.get(id);
  const worstByFunction = getWorstByFunction(active, ruleItem);
  const functions: ReportFunction[] = [];
  const seenIds = new Set<string>();
  specs.forEach((spec, i) => {
    const info = handlers[i]!;
    if (seenIds.has(info.id) || !reportedIds.has(info.id)) return;
    seenIds.add(info.id);
    const summary = summaries[spec.file]!;
    const runtime = spec.iac?.runtime;
    const language = isPython(summary.file) ? 'python' : 'javascript';
    // A handler the graph could not follow (`serverless(app)` of an app it cannot see) had none of
    // its invocation code checked: the items only code rules judge are unknown, never a pass.
    const followed = !unresolved.has(spec);
    const coveredItems = itemsCovered(
      activeRules.filter((rule) => followed || !readsCode(rule)),
      { language, runtime, iac: spec.iac },
    );
    const { checklist, score } = scoreFromWorst(worstByFunction.get(info.id) ?? NO_FINDINGS, { coveredItems, runtime, language });
    const at = ctx.virtual.toRealPosition(summary.file, exportLine(summary, spec.exportName), 1);
    functions.push({
      id: info.id,
      file: at.file,
      name: spec.exportName,
      line: at.line,
      ...(spec.iac ? { declaredIn: { file: spec.iac.source.file, line: spec.iac.source.line, logicalId: spec.iac.logicalId } } : {}),
      ...(ctx.virtual.has(summary.file) ? { code: 'inline' as const } : {}),
      discovery: spec.discovery,
      ...(runtime ? { runtime } : {}),
      score,
      checklist,
    });
  });
  functions.sort((a, b) => compare(a.id, b.id));

  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of active) bySeverity[f.severity]++;
  const report: AnalysedReport = {
    schemaVersion: 1,
    tool: { name: 'lmi-audit', version: toolVersion() },
    summary: {
      functions: functions.length,
      findings: active.length,
      bySeverity,
      score: functions.length ? Math.min(...functions.map((f) => f.score)) : 100,
      ...(active.length < findings.length ? { suppressed: findings.length - active.length } : {}),
    },
    functions,
    findings,
    errors: dedupeErrors(ctx.errors),
    ...(ctx.baseline ? { baseline: ctx.baseline } : {}),
  };
  ctx.lap('report');
  options.onProgress?.({ phase: 'done', files: ctx.scanned.sources.length, elapsedMs: Date.now() - ctx.started });
  return report;
}

interface HandlerDiscoveryOptions {
  overrides: HandlerOverrides | undefined;
  inScope: (file: string) => boolean;
  /** Infer handlers at all (configuration `inferHandlers.enabled`, default true). */
  infer: boolean;
  /** Whether a file is a test file: never an importer that makes a module a library, and no inferred handler unless `testFiles`. */
  isTest: (file: string) => boolean;
  /** Infer handlers in test files too (configuration `inferHandlers.testFiles`). */
  testFiles: boolean;
  /** Is the file code of a service for another cloud (its serverless.yml names another provider)? */
  otherCloud: (file: string) => boolean;
}

/**
 * Handlers: the exports infrastructure code names, where it names the file; else the
 * configuration's `handlers`; else the exports that look like handlers (src/project/handlers.ts).
 */
function findHandlers(
  summaries: FileSummary[],
  graph: ProjectGraph,
  iacFunctions: IacFunction[],
  errors: ScanError[],
  infraErrors: ScanError[],
  cwd: string,
  options: HandlerDiscoveryOptions,
): HandlerSpec[] {
  const { overrides, inScope } = options;
  const iacByFile = new Map<string, IacFunction[]>();
  for (const fn of iacFunctions) {
    if (!fn.codeFile || !fn.exportName) {
      if (fn.handler && (!fn.runtime || fn.runtime.startsWith('nodejs') || (fn.inlineCode && fn.runtime.startsWith('python')))) {
        infraErrors.push({
          file: fn.source.file,
          line: fn.source.line,
          message: fn.inlineCode
            ? `${fn.logicalId}: its code is written in the infrastructure code (\`${fn.inlineCode}\`) ${fn.inlineProblem ? `as ${fn.inlineProblem}` : fn.runtime ? `for the runtime \`${fn.runtime}\`` : 'without a `Runtime` lmi-audit can read'}: this inline code is not analysed`
            : fn.remoteCode
              ? `${fn.logicalId}: its code is not in the repository (\`${fn.remoteCode}\`): not analysed`
              : `${fn.logicalId}: handler \`${fn.handler}\` does not match a scanned source file`,
        });
      }
      continue;
    }
    let list = iacByFile.get(fn.codeFile);
    if (!list) iacByFile.set(fn.codeFile, (list = []));
    list.push(fn);
  }
  const isImported = createImportedCheck(graph, options.isTest);
  const specs: HandlerSpec[] = [];
  summaries.forEach((summary, file) => {
    const named = iacByFile.get(summary.file);
    if (named) {
      const seen = new Set<string>();
      for (const fn of named) {
        if (seen.has(fn.exportName!)) continue;
        seen.add(fn.exportName!);
        if (!hasExport(summary, fn.exportName!) && graph.resolveExport(file, fn.exportName!, []).length === 0) {
          // Code that does not parse has its parse error already: its exports are not known.
          if (inScope(summary.file) && !summary.parseError)
            errors.push({
              file: fn.source.file,
              line: fn.source.line,
              message: `${fn.logicalId}: \`${rel(cwd, summary.file)}\` has no export \`${fn.exportName}\``,
            });
          continue;
        }
        specs.push({ file, exportName: fn.exportName!, discovery: 'infrastructure', iac: fn });
      }
      return;
    }
    // The configuration's `handlers` replace inference for the files they match.
    const configured = overrides?.exportsOf(summary.file);
    if (configured) {
      for (const name of configured) {
        if (hasExport(summary, name) || graph.resolveExport(file, name, []).length > 0) {
          specs.push({ file, exportName: name, discovery: 'configuration' });
        } else if (overrides?.literalKeys.some((k) => k.file === summary.file) && inScope(summary.file)) {
          errors.push({ file: summary.file, message: `the configuration names \`${name}\` as a handler, but this file has no such export` });
        }
      }
      return;
    }
    if (!options.infer || summary.parseError || (!options.testFiles && options.isTest(summary.file)) || options.otherCloud(summary.file)) return;
    // Python: the front-end's conventions (`def lambda_handler(event, context)`, Powertools decorators).
    if (isPython(summary.file)) {
      for (const name of summary.entryPoints ?? []) if (hasExport(summary, name)) specs.push({ file, exportName: name, discovery: 'inferred' });
      return;
    }
    for (const found of inferHandlers(file, graph, (name) => isImported(file, name))) {
      specs.push({ file, exportName: found.exportName, discovery: 'inferred' });
    }
  });
  for (const { key, file } of overrides?.literalKeys ?? []) {
    if (!summaries.some((s) => s.file === file)) {
      errors.push({ file, message: `the configuration's handlers name \`${key}\`, which is not a scanned source file` });
    }
  }
  return specs;
}

/**
 * Is an export of a file (or, without a name, anything of it) imported by another project file
 * that is not a test (a namespace import, a whole `require` or `export *` import every export)?
 * Computed once, on the first question.
 */
function createImportedCheck(graph: ProjectGraph, isTest: (file: string) => boolean): (file: number, exportName?: string) => boolean {
  let imported: Map<number, Set<string>> | undefined;
  return (file, exportName) => {
    if (!imported) {
      const found = (imported = new Map());
      const add = (from: number, specifier: string, name: string) => {
        const target = graph.resolveSpecifier(from, specifier);
        if (target === undefined || target === from) return;
        let names = found.get(target);
        if (!names) found.set(target, (names = new Set()));
        names.add(name);
      };
      graph.files.forEach((summary, from) => {
        if (isTest(summary.file)) return;
        for (const imp of Object.values(summary.imports)) add(from, imp.specifier, imp.imported);
        for (const re of summary.reexports) add(from, re.specifier, re.imported);
        for (const specifier of summary.starExports) add(from, specifier, '*');
      });
    }
    const names = imported.get(file);
    return names !== undefined && (exportName === undefined || names.has('*') || names.has(exportName));
  };
}

/**
 * A file's path below the deepest scanned directory or project root holding it, for the test
 * file check: `tests/` above the project (`~/tests/my-app/src/x.ts`) says nothing about the file.
 */
function pathBelowRoot(file: string, roots: readonly string[]): string {
  const holding = roots.filter((root) => root !== file && isWithin(root, file));
  const base = holding.length > 0 ? holding.reduce((a, b) => (b.length > a.length ? b : a)) : path.dirname(file);
  return path.relative(base, file).split(path.sep).join('/');
}

function isPython(file: string): boolean {
  return file.endsWith('.py');
}

function hasExport(summary: FileSummary, name: string): boolean {
  return Object.hasOwn(summary.exports, name) || summary.reexports.some((r) => r.exported === name);
}

function exportLine(summary: FileSummary, name: string): number {
  const local = Object.hasOwn(summary.exports, name) ? summary.exports[name]! : undefined;
  const binding = local !== undefined && Object.hasOwn(summary.bindings, local) ? summary.bindings[local] : undefined;
  return binding?.line ?? 1;
}

/** The rules' checks over the graph; findings deduplicated and sorted. */
function runRules(ctx: Graphed & { activeRules: readonly Rule[] }): Finding[] {
  const { activeRules, summaries, graph, handlers, fnHandlers, entrySet, passed, cwd } = ctx;
  const config = ctx.options.config;
  const infra = ctx.infra.functions;
  const { packageJsons, pythonManifests } = ctx.discovery;
  const timing = Boolean(process.env.LMI_AUDIT_TIMING);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  // The one place facts get their rule's type back: a rule's visitors recorded them as `F`
  // (serialised through a worker thread), and only its own id, or a kit's, reads them.
  const factsOf = function* <G extends object>(ruleId: string): Iterable<{ file: number; fact: Fact & G }> {
    for (let file = 0; file < summaries.length; file++) {
      const facts = summaries[file]!.facts[ruleId];
      if (facts) for (const fact of facts) yield { file, fact: fact as Fact & G };
    }
  };
  for (const rule of activeRules) {
    const configured = getConfiguredSeverity(config, rule.id);
    const ctx: CheckContext = {
      graph,
      files: summaries,
      handlers,
      infra,
      packageJsons,
      pythonManifests,
      functionIdsOf: (fn) => infraFunctionIds(fn, handlers),
      facts: () => factsOf(rule.id),
      factsOf,
      handlersReaching: (file, fn) => (fn < 0 ? [] : (fnHandlers[file]!.get(fn) ?? [])),
      isHandlerParam: (file, fn, index) => index <= 1 && entrySet.has(`${file}:${fn}`),
      isEventParam: (file, fn, index) => passed.eventParams.has(`${file}:${fn}:${index}`),
      callerPaths: (file, fn, index) => passed.callerPaths.get(`${file}:${fn}:${index}`) ?? [],
      awaitBetween: (file, fn, from, to) => awaitBetween(summaries[file]!.functions[fn]?.awaits ?? [], from, to),
      report: (r: RuleReport<string>) => {
        const finding = toFinding(rule, r, summaries, cwd);
        if (configured !== undefined && configured !== 'off') {
          finding.severity = getEffectiveSeverity(finding.severity, rule.severity, configured);
        }
        const key = `${finding.ruleId}|${finding.file}|${finding.line}|${finding.column}|${finding.message}`;
        if (seen.has(key)) return;
        seen.add(key);
        findings.push(finding);
      },
    };
    const before = timing ? performance.now() : 0;
    rule.check(ctx);
    if (timing) process.stderr.write(`lmi-audit timing:   rule ${rule.id.padEnd(26)} ${(performance.now() - before).toFixed(0).padStart(6)} ms\n`);
  }
  findings.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId));
  return findings;
}

function toFinding(rule: Rule, r: RuleReport<string>, summaries: readonly FileSummary[], cwd: string): Finding {
  const { id: ruleId, severity, messages, fix } = rule;
  const template = messages[r.messageId];
  if (template === undefined) throw new Error(`rule ${ruleId} reported unknown messageId ${r.messageId}`);
  const loc: Loc = r.loc;
  return {
    ruleId,
    severity: r.severity ?? severity,
    file: typeof r.file === 'number' ? summaries[r.file]!.file : path.resolve(cwd, r.file),
    line: loc.line,
    column: loc.column,
    endLine: loc.endLine,
    endColumn: loc.endColumn,
    message: formatMessage(template, r.data ?? {}),
    functions: r.functionIds?.length ? [...new Set([...r.handlers.map((h) => h.id), ...r.functionIds])].sort(compare) : sortedIdsOf(r.handlers),
    fix: fix && r.fixable !== false && (!fix.messages || fix.messages.includes(r.messageId)) ? { transform: fix.transform } : null,
  };
}

/**
 * The sorted, distinct ids of a list of handlers. Rules report many findings with the same list
 * (`handlersReaching` gives one array per function): it is sorted once and every such finding
 * shares the one frozen array, so a dense project's millions of references cost one pointer each
 * and the later steps (report paths, function lists, the JSON writer) work once per distinct list.
 */
function sortedIdsOf(handlers: readonly HandlerInfo[]): string[] {
  let known = sortedIds.get(handlers);
  // A rule may grow an array between two reports: then it is sorted again.
  if (!known || known.length !== handlers.length) {
    const ids = Object.freeze([...new Set(handlers.map((h) => h.id))].sort(compare)) as string[];
    sortedIds.set(handlers, (known = { length: handlers.length, ids }));
  }
  return known.ids;
}
const sortedIds = new WeakMap<readonly HandlerInfo[], { length: number; ids: string[] }>();

/** The report function ids of the code an infrastructure function names: its handler, when the scan found that export. */
function infraFunctionIds(fn: IacFunction, handlers: readonly HandlerInfo[]): string[] {
  if (!fn.codeFile || !fn.exportName) return [];
  const id = `${fn.codeFile}#${fn.exportName}`;
  let ids = handlerIdSets.get(handlers);
  if (!ids) handlerIdSets.set(handlers, (ids = new Set(handlers.map((h) => h.id))));
  return ids.has(id) ? [id] : [];
}
const handlerIdSets = new WeakMap<readonly HandlerInfo[], Set<string>>();

function importsCdk(summary: FileSummary): boolean {
  const isCdk = (specifier: string) => specifier === 'aws-cdk-lib' || specifier.startsWith('aws-cdk-lib/') || specifier.startsWith('@aws-cdk/');
  return Object.values(summary.imports).some((i) => isCdk(i.specifier)) || summary.reexports.some((r) => isCdk(r.specifier));
}

/** Checklist items with at least one rule that judges this function. */
function itemsCovered(activeRules: readonly Rule[], fn: FunctionFacts): Set<ChecklistItem> {
  return new Set(activeRules.filter((r) => appliesTo(r, fn)).map((r) => r.checklist));
}

/** Does the rule judge source code (it has visitors), rather than only infrastructure code and package.json files? */
function readsCode(rule: Rule): boolean {
  return Object.keys(rule.visitors).length > 0 || Object.keys(rule.python ?? {}).length > 0;
}

function appliesTo(rule: Rule, fn: FunctionFacts): boolean {
  return rule.appliesTo ? rule.appliesTo(fn) : fn.language === 'javascript';
}

function formatMessage(template: string, data: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, key: string) => (Object.hasOwn(data, key) ? data[key]! : m));
}

/** Is there an await position in [from, to)? `awaits` is sorted (walk order). */
function awaitBetween(awaits: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = awaits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (awaits[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < awaits.length && awaits[lo]! < to;
}

/**
 * Around the scanned files, the files of the project root that analysing them needs: what they
 * import (transitively), and the handler files infrastructure code names with what those
 * import, so that code in the scanned paths gets the same functions as in a scan of the root.
 * The rest of the root is never parsed. Files outside the scanned paths are summarised on this
 * thread: they are few next to the scanned ones.
 */
function addContextSummaries(scanned: FileSummary[], discovery: Discovery, iacFunctions: readonly IacFunction[]): FileSummary[] {
  const resolver = new JsModuleResolver(new Set(discovery.sources.map((f) => f.path)), discovery.packageJsons);
  const summarised = new Set(scanned.map((s) => s.file));
  const summaries = [...scanned];
  const queue: string[] = iacFunctions.flatMap((fn) => (fn.codeFile && !fn.codeFile.endsWith('.py') ? [fn.codeFile] : []));
  const addImportsOf = (summary: FileSummary) => {
    const specifiers = new Set([
      ...Object.values(summary.imports).map((i) => i.specifier),
      ...summary.reexports.map((r) => r.specifier),
      ...summary.starExports,
    ]);
    for (const specifier of specifiers) {
      const target = resolver.resolve(summary.file, specifier);
      if (target !== undefined && !summarised.has(target)) queue.push(target);
    }
  };
  for (const summary of scanned) addImportsOf(summary);
  const known = new Set(discovery.sources.map((f) => f.path));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (summarised.has(file) || !known.has(file)) continue;
    summarised.add(file);
    const result = readAndSummarize(file);
    if ('error' in result) continue;
    summaries.push(result.summary);
    addImportsOf(result.summary);
  }
  return summaries.sort((a, b) => compare(a.file, b.file));
}

/**
 * Source files of the project root, outside the scanned paths, that may be CDK apps: the ones
 * under a directory holding cdk.json (the CDK CLI only synthesizes apps it names).
 */
function contextCdkCandidates(discovery: Discovery, scope: ReadonlySet<string>): string[] {
  const apps = (discovery.cdkApps ?? []).map((file) => path.dirname(file));
  if (apps.length === 0) return [];
  return discovery.sources.filter((f) => !scope.has(f.path) && apps.some((dir) => isWithin(dir, f.path))).map((f) => f.path);
}

/**
 * Source files that may declare SST functions: those under a directory holding `sst.config.*`.
 * SST v3 files use the global `sst` and import nothing, so the reader tests their text.
 */
function sstCandidates(discovery: Discovery): string[] {
  const apps = discovery.sources.filter((f) => /^sst\.config\.[cm]?[jt]s$/.test(path.basename(f.path))).map((f) => path.dirname(f.path));
  if (apps.length === 0) return [];
  return discovery.sources.filter((f) => !isPython(f.path) && apps.some((dir) => isWithin(dir, f.path))).map((f) => f.path);
}

/** The scanned files, then the files of the project roots around them that are not among them. */
function mergeDiscoveries(scanned: Discovery, context: Discovery): Discovery {
  const byPath = <T>(a: readonly T[], b: readonly T[], key: (x: T) => string): T[] => {
    const seen = new Set(a.map(key));
    return [...a, ...b.filter((x) => !seen.has(key(x)))].sort((x, y) => compare(key(x), key(y)));
  };
  const own = (f: string) => f;
  return {
    sources: byPath(scanned.sources, context.sources, (f) => f.path),
    infra: byPath(scanned.infra, context.infra, (f) => f.path),
    tsconfigs: byPath(scanned.tsconfigs, context.tsconfigs, own),
    packageJsons: byPath(scanned.packageJsons, context.packageJsons, own),
    python: byPath(scanned.python, context.python, own),
    pythonManifests: byPath(scanned.pythonManifests, context.pythonManifests, own),
    cdkApps: byPath(scanned.cdkApps ?? [], context.cdkApps ?? [], own),
    // Files outside the scanned paths that could not be read are not the scan's business.
    errors: scanned.errors,
  };
}

function dedupeErrors(errors: ScanError[]): ScanError[] {
  const seen = new Set<string>();
  const out: ScanError[] = [];
  for (const e of errors) {
    const key = `${e.file}|${e.line}|${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out.sort((a, b) => compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compare(a.message, b.message));
}
