/**
 * @fileoverview The public API of lmi-audit, and the whole of each run: `scan(options)` resolves
 * the configuration, runs the pipeline (src/scan.ts), judges the gate and finishes the report;
 * `fix(options)` does the same scan (or reads a saved report) and runs the transforms. The CLI
 * (src/cli.ts) only parses arguments, prints and sets the exit code, so an API user gets the
 * report and the verdict the command line would give.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveConfig } from './config/load.js';
import { UsageError } from './errors.js';
import { finishReport } from './finish-report.js';
import { releaseMemory } from './util/release-memory.js';
import type { FixOptions, FixResult } from './fix/types.js';
import { loadReport } from './fix/load-report.js';
import { scan as analyse } from './scan.js';
import { getConfigurableRuleIds, resolveGate } from './scan-control.js';
import type { Report, ScanOptions } from './types.js';

export { type FixOptions, type FixResult, type FixFileResult, type FixFileStatus, type FixMarker } from './fix/types.js';
export { rules, getRule } from './rules/index.js';
export { toolVersion } from './version.js';
export { UsageError, ConfigurationError } from './errors.js';
export { loadConfig, validateConfig } from './config/load.js';
export { getConfigurableRuleIds, resolveGate } from './scan-control.js';
export * from './types.js';
export type { RuleDocs, RuleMeta } from './rules/types.js';

/** Scans `paths` and returns the report, its gate judged (`summary.passed`, `summary.reasons`). */
export async function scan(options: ScanOptions): Promise<Report> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const paths = options.paths.length > 0 ? options.paths : ['.'];
  let config;
  try {
    config = resolveConfig(options.config, { cwd, paths, ruleIds: getConfigurableRuleIds() });
  } catch (error) {
    // Prestarted workers end with the scan, even one that never started.
    await Promise.all((options.workers ?? []).map((w) => w.terminate()));
    throw error;
  }
  const gate = resolveGate({ ...options, config });
  const analysed = await analyse({ ...options, cwd, paths, config });
  releaseMemory(); // the analysis' state is garbage now: the report is built without it
  return finishReport(analysed, { root: cwd, gate });
}

/**
 * Scans `paths` (or reads `fromReport`) and rewrites the code where a selected transform fixes a
 * finding. jscodeshift and the transforms load on the first call, never for a scan.
 */
export async function fix(options: FixOptions): Promise<FixResult> {
  const { applyFixes, selectTransforms } = await import('./fix/index.js');
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const selected = selectTransforms(options);
  const paths = options.paths ?? [];
  for (const p of paths) if (!fs.existsSync(path.resolve(cwd, p))) throw new UsageError(`Path not found: ${p}`);
  const report =
    options.fromReport !== undefined
      ? loadReport(options.fromReport, cwd)
      : // The gate is not `fix`'s business: an empty scan simply has nothing to fix.
        await scan({ paths, cwd, config: options.config, failOnEmpty: false });
  return applyFixes(report, selected, { ...options, cwd, paths });
}
