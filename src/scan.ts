/**
 * @fileoverview The scan pipeline: discover files, summarise each file once, read the
 * infrastructure code, find the handlers, build the project graph, run the rules' checks, score
 * each function and gate the run. Scanned code is parsed, never loaded or run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Fact, FileSummary, Loc } from './core/summary.js';
import { summarizeAll } from './analysis/parallel.js';
import { readAndSummarize } from './summarizer.js';
import { parseTerraformFiles, readInfrastructure, type IacFunction } from './iac/index.js';
import { discoverFiles, DEFAULT_MAX_FILE_SIZE } from './project/files.js';
import { ProjectGraph } from './core/graph.js';
import { JsModuleResolver } from './lang/js/resolve.js';
import type { CheckContext, FunctionFacts, HandlerInfo, Rule, RuleReport } from './rules/define.js';
import { rules } from './rules/index.js';
import { evaluateGate, scoreFunction } from './scoring/index.js';
import { createHandlerOverrides, getConfiguredSeverity, getEffectiveSeverity, type HandlerOverrides } from './config/apply.js';
import { finishFindings, getActiveRules, resolveGate, selectFiles } from './scan-control.js';
import {
  type ChecklistItem,
  type Finding,
  type Report,
  type ReportFunction,
  type ScanError,
  type ScanOptions,
  type Severity,
} from './types.js';
import { toolVersion } from './version.js';
import { compareStrings as compare } from './util/compare-strings.js';
import { toReportPath as rel } from './util/report-path.js';

const DEFAULT_EXPORT = 'handler';

interface HandlerSpec {
  file: number;
  exportName: string;
  iac?: IacFunction;
}

/** `LMI_AUDIT_TIMING=1` prints how long each phase took to stderr (like ESLint's TIMING). */
function phaseTimer(): (phase: string) => void {
  if (!process.env.LMI_AUDIT_TIMING) return () => {};
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    process.stderr.write(`lmi-audit timing: ${phase.padEnd(10)} ${(now - last).toFixed(0).padStart(6)} ms\n`);
    last = now;
  };
}

export async function scan(options: ScanOptions): Promise<Report> {
  try {
    return await scanWith(options);
  } finally {
    // Prestarted workers end with the scan, even when it failed before it could use them.
    await Promise.all((options.workers ?? []).map((w) => w.terminate()));
  }
}

async function scanWith(options: ScanOptions): Promise<Report> {
  const started = Date.now();
  const lap = phaseTimer();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const paths = options.paths.length ? options.paths : ['.'];
  const discovery = selectFiles(await discoverFiles(paths, { cwd, maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE }), options.config);
  const errors: ScanError[] = [...discovery.errors];
  options.onProgress?.({ phase: 'discover', files: discovery.sources.length });
  lap('discover');

  // 1. One parse and one walk per file (on worker threads for big projects).
  const summaries: FileSummary[] = [];
  const total = discovery.sources.length;
  const results = await summarizeAll(
    discovery.sources.map((s) => s.path),
    { readAndSummarize, jobs: options.jobs, workers: options.workers, onProgress: (done) => options.onProgress?.({ phase: 'analyse', done, total }) },
  );
  for (const result of results) {
    if ('error' in result) {
      errors.push(result.error);
      continue;
    }
    if (result.summary.parseError) errors.push({ file: result.summary.file, ...result.summary.parseError });
    summaries.push(result.summary);
  }

  lap('parse');
  // 2. Infrastructure code names handlers (and wins over the `handler` convention).
  const infra = readInfrastructure({
    infraFiles: discovery.infra.map((f) => f.path),
    terraform: await parseTerraformFiles(discovery.infra.map((f) => f.path), (file) => fs.readFileSync(file, 'utf8')),
    sourceFiles: discovery.sources.map((f) => f.path),
    // The walk recorded every import: only files importing the CDK are read again.
    cdkCandidates: summaries.filter((s) => s.parseError !== undefined || importsCdk(s)).map((s) => s.file),
    readFile: (file) => fs.readFileSync(file, 'utf8'),
  });
  errors.push(...infra.errors);
  lap('infra');

  // 3. The graph, and the handlers with everything each one reaches.
  const resolver = new JsModuleResolver(new Set(summaries.map((s) => s.file)));
  const graph = new ProjectGraph(summaries, resolver);
  const specs = findHandlers(summaries, graph, infra.functions, errors, cwd, createHandlerOverrides(options.config));
  const handlers: HandlerInfo[] = [];
  const entrySet = new Set<string>();
  const fnHandlers: Array<Map<number, HandlerInfo[]>> = summaries.map(() => new Map());
  const unresolved: HandlerSpec[] = [];
  for (const spec of specs) {
    const entry = graph.resolveEntry(spec.file, spec.exportName);
    if (entry.fns.length === 0) unresolved.push(spec);
    for (const [f, fn] of entry.fns) entrySet.add(`${f}:${fn}`);
    const reach = graph.reach(entry.fns, entry.logContext);
    const info: HandlerInfo = {
      index: handlers.length,
      id: `${rel(cwd, summaries[spec.file]!.file)}#${spec.exportName}`,
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
    if (summary.parseError) continue;
    errors.push({
      file: summary.file,
      message: `handler \`${spec.exportName}\` is not a function lmi-audit can follow (created by a package or at run time); its invocation code was not checked`,
    });
  }

  lap('graph');
  // 4. Rules, then inline suppressions, fingerprints and the baseline (suppressed findings stay, marked).
  const activeRules = getActiveRules(rules, options.config);
  const finished = finishFindings(
    runRules(activeRules, summaries, graph, handlers, fnHandlers, entrySet, infra.functions, cwd, options.config, discovery.packageJsons),
    summaries,
    {
      cwd,
      config: options.config,
      baseline: options.baseline,
      writeBaseline: options.writeBaseline,
      ruleIds: new Set(rules.map((r) => r.id)),
      activeRuleIds: new Set(activeRules.map((r) => r.id)),
    },
  );
  const findings = finished.findings;
  const active = findings.filter((f) => !f.suppressed);

  lap('rules');
  // 5. Functions, scores and the gate.
  const ruleItem = (id: string) => rules.find((r) => r.id === id)?.checklist;
  const findingsByFunction = new Map<string, Finding[]>();
  for (const f of active) {
    for (const id of f.functions) {
      let list = findingsByFunction.get(id);
      if (!list) findingsByFunction.set(id, (list = []));
      list.push(f);
    }
  }
  const functions: ReportFunction[] = [];
  const seenIds = new Set<string>();
  specs.forEach((spec, i) => {
    const info = handlers[i]!;
    if (seenIds.has(info.id)) return;
    seenIds.add(info.id);
    const summary = summaries[spec.file]!;
    const runtime = spec.iac?.runtime;
    const coveredItems = itemsCovered(activeRules, { language: 'javascript', runtime, iac: spec.iac });
    const { checklist, score } = scoreFunction({ findings: findingsByFunction.get(info.id) ?? [], coveredItems, runtime, ruleItem });
    functions.push({
      id: info.id,
      file: rel(cwd, summary.file),
      name: spec.exportName,
      line: exportLine(summary, spec.exportName),
      ...(spec.iac ? { declaredIn: { file: rel(cwd, spec.iac.source.file), line: spec.iac.source.line, logicalId: spec.iac.logicalId } } : {}),
      ...(runtime ? { runtime } : {}),
      score,
      checklist,
    });
  });
  // Python functions named by infrastructure: listed (their checklist is mostly unknown or not applicable).
  for (const fn of infra.functions) {
    if (!fn.codeFile || !fn.codeFile.endsWith('.py') || !fn.exportName) continue;
    const id = `${rel(cwd, fn.codeFile)}#${fn.exportName}`;
    if (seenIds.has(id)) continue;
    seenIds.add(id);
    const runtime = fn.runtime ?? 'python';
    const coveredItems = itemsCovered(activeRules, { language: 'python', runtime, iac: fn });
    const { checklist, score } = scoreFunction({ findings: findingsByFunction.get(id) ?? [], coveredItems, runtime, ruleItem });
    functions.push({
      id,
      file: rel(cwd, fn.codeFile),
      name: fn.exportName,
      line: pythonDefLine(fn.codeFile, fn.exportName),
      declaredIn: { file: rel(cwd, fn.source.file), line: fn.source.line, logicalId: fn.logicalId },
      ...(fn.runtime ? { runtime: fn.runtime } : {}),
      score,
      checklist,
    });
  }
  functions.sort((a, b) => compare(a.id, b.id));

  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of active) bySeverity[f.severity]++;
  const passed = evaluateGate({ functions, findings: active }, resolveGate(options));
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'lmi-audit', version: toolVersion() },
    summary: {
      functions: functions.length,
      findings: active.length,
      bySeverity,
      score: functions.length ? Math.min(...functions.map((f) => f.score)) : 100,
      passed,
      ...(active.length < findings.length ? { suppressed: findings.length - active.length } : {}),
    },
    functions,
    findings,
    errors: dedupeErrors(errors.map((e) => ({ ...e, file: rel(cwd, e.file) }))),
    ...(finished.baseline ? { baseline: finished.baseline } : {}),
  };
  lap('report');
  options.onProgress?.({ phase: 'done', files: total, elapsedMs: Date.now() - started });
  return report;
}

/** Handlers: infrastructure-named exports where a template names the file, else exports named `handler`. */
function findHandlers(
  summaries: FileSummary[],
  graph: ProjectGraph,
  iacFunctions: IacFunction[],
  errors: ScanError[],
  cwd: string,
  overrides: HandlerOverrides | undefined,
): HandlerSpec[] {
  const iacByFile = new Map<string, IacFunction[]>();
  for (const fn of iacFunctions) {
    if (!fn.codeFile || !fn.exportName) {
      if (fn.handler && (!fn.runtime || fn.runtime.startsWith('nodejs'))) {
        errors.push({ file: fn.source.file, line: fn.source.line, message: `${fn.logicalId}: handler \`${fn.handler}\` does not match a scanned source file` });
      }
      continue;
    }
    let list = iacByFile.get(fn.codeFile);
    if (!list) iacByFile.set(fn.codeFile, (list = []));
    list.push(fn);
  }
  const specs: HandlerSpec[] = [];
  summaries.forEach((summary, file) => {
    const named = iacByFile.get(summary.file);
    if (named) {
      const seen = new Set<string>();
      for (const fn of named) {
        if (seen.has(fn.exportName!)) continue;
        seen.add(fn.exportName!);
        if (!hasExport(summary, fn.exportName!) && graph.resolveExport(file, fn.exportName!, []).length === 0) {
          errors.push({ file: fn.source.file, line: fn.source.line, message: `${fn.logicalId}: \`${rel(cwd, summary.file)}\` has no export \`${fn.exportName}\`` });
          continue;
        }
        specs.push({ file, exportName: fn.exportName!, iac: fn });
      }
      return;
    }
    // The configuration's `handlers` replace the `handler` convention for the files they match.
    const configured = overrides?.exportsOf(summary.file);
    for (const name of configured ?? [DEFAULT_EXPORT]) {
      if (hasExport(summary, name) || (configured && graph.resolveExport(file, name, []).length > 0)) {
        specs.push({ file, exportName: name });
      } else if (overrides?.literalKeys.some((k) => k.file === summary.file)) {
        errors.push({ file: summary.file, message: `the configuration names \`${name}\` as a handler, but this file has no such export` });
      }
    }
  });
  for (const { key, file } of overrides?.literalKeys ?? []) {
    if (!summaries.some((s) => s.file === file)) {
      errors.push({ file, message: `the configuration's handlers name \`${key}\`, which is not a scanned source file` });
    }
  }
  return specs;
}

function hasExport(summary: FileSummary, name: string): boolean {
  return Object.hasOwn(summary.exports, name) || summary.reexports.some((r) => r.exported === name);
}

function exportLine(summary: FileSummary, name: string): number {
  const local = Object.hasOwn(summary.exports, name) ? summary.exports[name]! : undefined;
  const binding = local !== undefined && Object.hasOwn(summary.bindings, local) ? summary.bindings[local] : undefined;
  return binding?.line ?? 1;
}

function pythonDefLine(file: string, name: string): number {
  try {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    const i = lines.findIndex((l) => new RegExp(`^(async\\s+)?def\\s+${name}\\s*\\(`).test(l));
    return i >= 0 ? i + 1 : 1;
  } catch {
    return 1;
  }
}

function runRules(
  activeRules: readonly Rule[],
  summaries: FileSummary[],
  graph: ProjectGraph,
  handlers: HandlerInfo[],
  fnHandlers: Array<Map<number, HandlerInfo[]>>,
  entrySet: Set<string>,
  infra: readonly IacFunction[],
  cwd: string,
  config: ScanOptions['config'],
  packageJsons: readonly string[] = [],
): Finding[] {
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
      functionIdsOf: (fn) => infraFunctionIds(fn, handlers, cwd),
      facts: () => factsOf(rule.id),
      factsOf,
      handlersReaching: (file, fn) => (fn < 0 ? [] : (fnHandlers[file]!.get(fn) ?? [])),
      isEventParam: (file, fn, index) => index <= 1 && entrySet.has(`${file}:${fn}`),
      awaitBetween: (file, fn, from, to) => awaitBetween(summaries[file]!.functions[fn]?.awaits ?? [], from, to),
      report: (r: RuleReport<string>) => {
        const finding = toFinding(rule.id, rule.severity, rule.messages, rule.fix, r, summaries, cwd);
        if (configured !== undefined && configured !== 'off') {
          finding.severity = getEffectiveSeverity(finding.severity, rule.severity, configured);
        }
        const key = `${finding.ruleId}|${finding.file}|${finding.line}|${finding.column}|${finding.message}`;
        if (seen.has(key)) return;
        seen.add(key);
        findings.push(finding);
      },
    };
    rule.check(ctx);
  }
  findings.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId));
  return findings;
}

function toFinding(
  ruleId: string,
  severity: Severity,
  messages: Record<string, string>,
  fix: { transform: string; messages?: readonly string[] } | null,
  r: RuleReport<string>,
  summaries: FileSummary[],
  cwd: string,
): Finding {
  const template = messages[r.messageId];
  if (template === undefined) throw new Error(`rule ${ruleId} reported unknown messageId ${r.messageId}`);
  const loc: Loc = r.loc;
  return {
    ruleId,
    severity: r.severity ?? severity,
    file: rel(cwd, typeof r.file === 'number' ? summaries[r.file]!.file : r.file),
    line: loc.line,
    column: loc.column,
    endLine: loc.endLine,
    endColumn: loc.endColumn,
    message: formatMessage(template, r.data ?? {}),
    functions: [...new Set([...r.handlers.map((h) => h.id), ...(r.functionIds ?? [])])].sort(compare),
    fix: fix && (!fix.messages || fix.messages.includes(r.messageId)) ? { transform: fix.transform } : null,
  };
}

/**
 * The report function ids of the code an infrastructure function names: its JS/TS handler when the
 * scan found that export, or its Python function (every Python function with a code file and an
 * export is listed in the report, see step 5).
 */
function infraFunctionIds(fn: IacFunction, handlers: readonly HandlerInfo[], cwd: string): string[] {
  if (!fn.codeFile || !fn.exportName) return [];
  const id = `${rel(cwd, fn.codeFile)}#${fn.exportName}`;
  let ids = handlerIdSets.get(handlers);
  if (!ids) handlerIdSets.set(handlers, (ids = new Set(handlers.map((h) => h.id))));
  return fn.codeFile.endsWith('.py') || ids.has(id) ? [id] : [];
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

function appliesTo(rule: Rule, fn: FunctionFacts): boolean {
  return rule.appliesTo ? rule.appliesTo(fn) : fn.language === 'javascript';
}

export function formatMessage(template: string, data: Record<string, string>): string {
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
