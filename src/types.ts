/**
 * @fileoverview The public data contract of lmi-audit: the JSON report (schemaVersion 1) and
 * the options of the `scan` API. `schema/report.schema.json` describes the same shape; a test
 * keeps the two in step.
 */

export type Severity = 'error' | 'warning' | 'info';

/** The seven items of the LMI migration checklist, in checklist order (LMI.md). */
export const CHECKLIST_ITEMS = [
  'global-mutable-state',
  'shared-tmp-path',
  'shared-db-connection',
  'event-source-backpressure',
  'unstructured-logging',
  'unsafe-shared-collection',
  'lifecycle',
] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

export type ChecklistStatus = 'pass' | 'fail' | 'warn' | 'unknown' | 'not-applicable';

export interface ReportFunction {
  /** `<file>#<export name>`, e.g. `src/orders/handler.ts#handler`. */
  id: string;
  file: string;
  name: string;
  line: number;
  /** Where the function was declared when infrastructure code names it (template, serverless.yml, CDK). */
  declaredIn?: { file: string; line: number; logicalId: string };
  runtime?: string;
  score: number;
  checklist: Record<ChecklistItem, ChecklistStatus>;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** Ids of the functions whose invocations reach the flagged code. */
  functions: string[];
  fix: { transform: string } | null;
}

export interface ScanError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'lmi-audit'; version: string };
  summary: {
    functions: number;
    findings: number;
    bySeverity: Record<Severity, number>;
    /** The lowest function score (the project is as ready as its least ready function); 100 with no functions. */
    score: number;
    passed: boolean;
  };
  functions: ReportFunction[];
  findings: Finding[];
  errors: ScanError[];
}

export type FailOn = Severity | 'none';

export interface ScanOptions {
  /** Files or directories to scan. Relative paths are taken from `cwd`. */
  paths: string[];
  /** Directory report paths are relative to; defaults to `process.cwd()`. */
  cwd?: string;
  /** Gate: the lowest severity that fails the run (default `error`). */
  failOn?: FailOn;
  /** Gate: every function must score at least this much (default 0). */
  minScore?: number;
  /** Files larger than this many bytes are skipped with an error entry (default 1 MiB). */
  maxFileSize?: number;
  /**
   * Threads for the per-file analysis, main thread included (default `'auto'`: one thread for
   * small projects, one per core for big ones). The report is identical whatever the value.
   */
  jobs?: number | 'auto';
  /** Called as files are discovered and analysed (for progress displays). */
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { phase: 'discover'; files: number }
  | { phase: 'analyse'; done: number; total: number }
  | { phase: 'done'; files: number; elapsedMs: number };
