/**
 * @fileoverview The one signature every reporter has: a report in, the text to print out.
 * Reporters do no I/O; what they need from outside (source lines, the gate) comes in the context.
 */
import type { RuleMeta } from '../rules/types.js';
import type { Gate } from '../scoring/index.js';
import type { Report } from '../types.js';

export interface ReporterContext {
  /** Metadata of the registered rules (checklist item, fix safety). */
  rules: ReadonlyArray<RuleMeta>;
  /** The directory the report's paths are relative to. */
  cwd: string;
  color: boolean;
  /** The 1-based line of a report file, to show the flagged code; omit to show none. */
  readSourceLine?: (file: string, line: number) => string | undefined;
  /** The gate the report was judged by, so a reporter can say why it failed. */
  gate?: Gate;
  /** What was scanned, for the empty-scan message. */
  scanned?: { paths: readonly string[]; files?: number };
}

export type Reporter = (report: Report, ctx: ReporterContext) => string;
