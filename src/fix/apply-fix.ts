/**
 * @fileoverview The one way a finding's transform is applied, shared by `lmi-audit fix` and by
 * SARIF `fixes`: the transform runs on the file's source limited to the findings' lines, with
 * the file's handler names and whatever options its meta declares (`options`), each resolved
 * here from the report and the infrastructure code (`poolMax`: `--pool-max`, else the most
 * concurrent invocations one worker of a function using the file can see).
 */
import type { TransformModule } from '../../transforms/index.js';
import type { TransformOptionId, TransformOptions } from '../../transforms/lib/types.js';
import type { Finding, Report } from '../types.js';
import { applyTransform, type TransformRun } from './apply-transform.js';
import { createPoolMaxLookup } from './get-pool-max.js';
import { initPythonParser } from '../lang/python/parser.js';

export interface FixerOptions {
  /** Directory the report's paths are relative to. */
  cwd: string;
  report: Report;
  /** client-to-pool: `max` for every pool, overriding what the infrastructure code says. */
  poolMax?: number;
}

export type ApplyFix = (
  transform: TransformModule,
  file: { path: string; source: string },
  /** The file's findings this transform fixes (their rule is the transform's `fixes`). */
  findings: readonly Finding[],
  /** Their lines in `source`, when earlier transforms moved them; default: the findings' lines. */
  lines?: number[],
) => TransformRun;

type OptionResolver = (findings: readonly Finding[]) => Partial<TransformOptions>;

export async function createFixer(options: FixerOptions): Promise<ApplyFix> {
  const { report } = options;
  // Python transforms parse with tree-sitter, whose grammar loads asynchronously: once, here, when there is a Python finding.
  if (report.findings.some((f) => /\.py$/i.test(f.file) && f.fix !== null)) await initPythonParser();
  // Templates are read on the first question; only Terraform modules are parsed here, up front.
  const poolMaxOf = options.poolMax === undefined ? await createPoolMaxLookup(report, options.cwd) : undefined;
  const resolvers: Record<TransformOptionId, OptionResolver> = {
    poolMax: (findings) => {
      if (options.poolMax !== undefined || !poolMaxOf) return { poolMax: options.poolMax, poolMaxSource: '--pool-max' };
      const pool = poolMaxOf([...new Set(findings.flatMap((f) => f.functions))]);
      return pool ? { poolMax: pool.max, poolMaxSource: pool.source } : {};
    },
  };
  const handlersByFile = new Map<string, string[]>();
  for (const fn of report.functions) {
    let names = handlersByFile.get(fn.file);
    if (!names) handlersByFile.set(fn.file, (names = []));
    names.push(fn.name);
  }
  return (transform, file, findings, lines = findings.map((f) => f.line)) => {
    const reportFile = findings[0]?.file;
    const transformOptions: TransformOptions = { lines, handlers: (reportFile && handlersByFile.get(reportFile)) || [] };
    for (const id of transform.meta.options ?? []) Object.assign(transformOptions, resolvers[id](findings));
    return applyTransform(transform, file, transformOptions);
  };
}
