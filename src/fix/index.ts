/**
 * @fileoverview What `fix()` (src/index.ts) does with a report: run the chosen transforms on
 * the files with matching findings only (jscodeshift costs ~9 ms per file), and write each
 * changed file atomically. One failing file never stops the others.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { getTransform, transforms as allTransforms, type TransformModule } from '../../transforms/index.js';
import { UsageError } from '../errors.js';
import { didYouMean } from '../util/did-you-mean.js';
import { toReportPath } from '../util/report-path.js';
import type { Finding, Report } from '../types.js';
import { createFixer, type ApplyFix } from './apply-fix.js';
import { assertCleanFiles } from './assert-clean-work-tree.js';
import { findMarkers } from './find-markers.js';
import { mapLines } from './map-lines.js';
import type { FixFileResult, FixOptions, FixResult } from './types.js';
import { writeFileAtomic } from './write-file-atomic.js';

export type { FixOptions, FixResult } from './types.js';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py)$/i;

export interface ApplyFixesOptions extends Omit<FixOptions, 'cwd' | 'paths' | 'transforms' | 'all' | 'config'> {
  /** Absolute: the directory the user's paths and the printed file names are relative to. */
  cwd: string;
  /** Paths as the user gave them (relative to `cwd`); none: everything the report covers. */
  paths: string[];
}

/**
 * Runs the selected transforms at the report's findings. The report's paths are read against
 * its root (`report.root`, where it was written), so a saved report works from any directory;
 * the files printed are relative to `cwd`.
 */
export async function applyFixes(report: Report, selected: TransformModule[], options: ApplyFixesOptions): Promise<FixResult> {
  const { cwd } = options;
  const root = report.root !== undefined ? path.resolve(cwd, report.root) : cwd;
  // No paths: everything the report holds (its root), not the directory `fix` happens to run in.
  const targets = options.paths.length > 0 ? options.paths.map((p) => path.resolve(cwd, p)) : [root];
  // A finding names the transform that fixes it (a rule's transform may cover only some of its messages).
  const ids = new Set(selected.map((t) => t.meta.id));
  // `info` findings are notes (a per-invocation connection): nothing to fix. Suppressed and
  // baselined findings were reviewed by a person: `fix` leaves them alone too.
  const inTargets = (abs: string) => targets.some((t) => abs === t || abs.startsWith(t.endsWith(path.sep) ? t : t + path.sep));
  const byFile = new Map<string, Finding[]>();
  const inline = getInlineFindings(report, selected);
  const inlineByFile = new Map<string, number>();
  for (const f of report.findings) {
    const abs = path.resolve(root, f.file);
    if (inline.has(f) && inTargets(abs)) inlineByFile.set(toReportPath(cwd, abs), (inlineByFile.get(toReportPath(cwd, abs)) ?? 0) + 1);
    if (f.fix === null || !ids.has(f.fix.transform) || f.severity === 'info' || f.suppressed) continue;
    if (!inTargets(abs)) continue;
    const file = toReportPath(cwd, abs);
    let list = byFile.get(file);
    if (!list) byFile.set(file, (list = []));
    list.push(f);
  }
  const findings = [...byFile.values()].flat();
  if (options.fromReport !== undefined && byFile.size > 0 && ![...byFile.keys()].some((file) => fs.existsSync(path.resolve(cwd, file)))) {
    const name = typeof options.fromReport === 'string' ? options.fromReport : 'the report';
    throw new UsageError(
      `None of the ${byFile.size === 1 ? 'file' : `${byFile.size} files`} ${name} names exists under its root ${root} ` +
        `(first: ${[...byFile.keys()][0]}); scan again from here, or run fix where the report was written`,
    );
  }
  // Findings keep their report paths for the fixer, which matches them against the report's functions.
  const applyFix = await createFixer({ cwd: root, report, poolMax: options.poolMax });

  // Every file is rewritten in memory first; the git guard then checks exactly the files that
  // change, and only then is anything written (a refusal leaves every file as it was).
  const planned = [...byFile]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, fileFindings]) => planFile(file, fileFindings, { cwd, selected, applyFix }));
  if (!options.dry && !options.allowDirty) {
    assertCleanFiles(
      planned.filter((p) => p.output !== undefined).map((p) => path.resolve(cwd, p.result.file)),
      cwd,
    );
  }
  const files: FixFileResult[] = [];
  for (const plan of planned) {
    const count = inlineByFile.get(plan.result.file);
    if (count !== undefined) plan.result.notes.push(inlineNote(count));
    const result = options.dry || plan.output === undefined ? plan.result : await writePlanned(plan.result, plan.output, cwd);
    files.push(result);
    options.onFile?.(result);
  }
  // A file with only inline-code findings is listed as skipped, so the user learns why they stay.
  for (const [file, count] of [...inlineByFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (byFile.has(file)) continue;
    const result: FixFileResult = { file, status: 'skipped', transforms: [], findings: count, markers: [], notes: [], reason: inlineNote(count) };
    files.push(result);
    options.onFile?.(result);
  }
  const count = (s: FixFileResult['status']) => files.filter((f) => f.status === s).length;
  return {
    transforms: selected.map((t) => t.meta.id),
    dry: !!options.dry,
    files,
    summary: {
      changed: count('changed'),
      unchanged: count('unchanged'),
      skipped: count('skipped'),
      failed: count('failed'),
      markers: files.reduce((n, f) => n + f.markers.length, 0),
      findings: findings.length,
    },
  };
}

/**
 * Findings in inline code (of a report function with `code: 'inline'`) of a rule a selected
 * transform fixes: the scan names no transform for them, since the code is a string inside
 * infrastructure code, and a transform would rewrite the template or CDK file around it.
 */
function getInlineFindings(report: Report, selected: readonly TransformModule[]): Set<Finding> {
  const inlineIds = new Set(report.functions.filter((fn) => fn.code === 'inline').map((fn) => fn.id));
  const fixedRules = new Set(selected.map((t) => t.meta.fixes));
  if (inlineIds.size === 0) return new Set();
  return new Set(
    report.findings.filter(
      (f) =>
        f.fix === null &&
        f.severity !== 'info' &&
        !f.suppressed &&
        fixedRules.has(f.ruleId) &&
        f.functions.length > 0 &&
        f.functions.every((id) => inlineIds.has(id)),
    ),
  );
}

function inlineNote(count: number): string {
  return (
    `${count === 1 ? '1 finding is' : `${count} findings are`} in inline code (written in the infrastructure code): ` +
    'not rewritten, fix it by hand or move the code to a file'
  );
}

/** The transforms `--transform` / `--all` name, in registry order; a UsageError for an unknown one. */
export function selectTransforms(options: Pick<FixOptions, 'transforms' | 'all'>): TransformModule[] {
  const ids = options.transforms ?? [];
  if (options.all && ids.length) throw new UsageError('Use either --transform or --all, not both');
  if (options.all) return allTransforms.filter((t) => t.meta.safety === 'safe');
  if (ids.length === 0) {
    throw new UsageError(`Choose what to run: --transform <id>[,<id>...] (${allTransforms.map((t) => t.meta.id).join(', ')}) or --all (every safe transform)`);
  }
  const wanted = ids.map((id) => {
    const transform = getTransform(id) ?? getTransform(id.toLowerCase());
    if (transform) return transform.meta.id;
    // A rule id names its transform when exactly one transform fixes that rule (`--transform shared-tmp-path`).
    const fixing = allTransforms.filter((t) => t.meta.fixes === id.toLowerCase());
    if (fixing.length === 1) return fixing[0]!.meta.id;
    const known = allTransforms.map((t) => t.meta.id);
    throw new UsageError(`Unknown transform \`${id}\`.${didYouMean(id, known)} Transforms: ${known.join(', ')} (or the id of the rule one of them fixes)`);
  });
  // Registry order, whatever the order on the command line: it is the order that composes.
  return allTransforms.filter((t) => wanted.includes(t.meta.id));
}

interface FileContext {
  cwd: string;
  selected: TransformModule[];
  applyFix: ApplyFix;
}

/** A file's outcome before anything is written; `output` is the new text when it changed. */
interface PlannedFile {
  result: FixFileResult;
  output?: string;
}

function planFile(file: string, findings: Finding[], fc: FileContext): PlannedFile {
  const result = transformFile(file, findings, fc);
  return 'output' in result ? { result: result.result, output: result.output } : { result };
}

function transformFile(file: string, findings: Finding[], fc: FileContext): FixFileResult | { result: FixFileResult; output: string } {
  const abs = path.resolve(fc.cwd, file);
  const result: FixFileResult = { file, status: 'unchanged', transforms: [], findings: findings.length, markers: [], notes: [] };
  if (!SOURCE.test(file)) return { ...result, status: 'skipped', reason: 'not a JavaScript, TypeScript or Python file' };
  let original: string;
  try {
    original = fs.readFileSync(abs, 'utf8');
  } catch (error) {
    return { ...result, status: 'skipped', reason: `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const start = original.slice(bom.length);
  let current = start;
  for (const transform of fc.selected) {
    const own = findings.filter((f) => f.fix?.transform === transform.meta.id);
    if (own.length === 0) continue;
    const lines = mapLines(
      start,
      current,
      own.map((f) => f.line),
    );
    try {
      const run = fc.applyFix(transform, { path: abs, source: current }, own, lines);
      result.notes.push(...run.notes.map((n) => n.replace(`${abs}: `, '')));
      if (run.changed) {
        current = run.output;
        result.transforms.push(transform.meta.id);
      }
    } catch (error) {
      return { ...result, transforms: [], notes: [], status: 'failed', reason: `${transform.meta.id}: ${(error as Error).message}` };
    }
  }
  if (current === start) return result;
  const output = bom + current;
  result.status = 'changed';
  result.markers = findMarkers(original, output);
  result.diff = createTwoFilesPatch(`a/${file}`, `b/${file}`, original, output, undefined, undefined, { context: 3 });
  return { result, output };
}

async function writePlanned(result: FixFileResult, output: string, cwd: string): Promise<FixFileResult> {
  try {
    await writeFileAtomic(path.resolve(cwd, result.file), output);
    return result;
  } catch (error) {
    return { ...result, status: 'failed', reason: `cannot write it (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
}
