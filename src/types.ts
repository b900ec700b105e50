/**
 * @fileoverview The public data contract of lmi-audit: the JSON report (schemaVersion 1) and
 * the options of the `scan` API. `schema/report.schema.json` describes the same shape; a test
 * keeps the two in step.
 */
import type { Worker } from 'node:worker_threads';

export type Severity = 'error' | 'warning' | 'info';

/** The seven items of the LMI migration checklist, in checklist order (README, "Checklist and scoring"). */
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
  /**
   * `inline`: the code is written in the infrastructure code (`Code.ZipFile`, SAM `InlineCode`, CDK
   * `Code.fromInline`); `file` and `line` are then the infrastructure file's, and the id names the
   * code as `<infrastructure file>/<logical id>/<module>.<ext>#<export>`.
   */
  code?: 'inline';
  /**
   * How the scan found the handler: named by infrastructure code (`declaredIn` says where), by the
   * configuration's `handlers`, or inferred from the export (its name, signature or wrapper).
   * Always written since it was added; optional so that earlier reports stay valid.
   */
  discovery?: HandlerDiscovery;
  runtime?: string;
  score: number;
  checklist: Record<ChecklistItem, ChecklistStatus>;
  /**
   * Ids of the findings that count for this function (its `findings[].id`s; suppressed and
   * baselined ones left out), worst first. Always written since it was added.
   */
  findings?: string[];
}

export type HandlerDiscovery = 'infrastructure' | 'configuration' | 'inferred';

export interface Finding {
  /**
   * Unique in the report and stable between runs on the same code: `<ruleId>@<file>:<line>:<column>`
   * (with `~2`, `~3` for a second and third finding of one rule at one place). Functions list
   * their findings by it. Always written since it was added.
   */
  id?: string;
  /**
   * A rule of the registry, or one of the {@link DIRECTIVE_RULE_IDS}: problems with a suppression
   * comment itself, which belong to no checklist item and never lower a score.
   */
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
  /** The checklist item the finding counts against, or null (a suppression comment's problem). Always written since it was added. */
  checklist?: ChecklistItem | null;
  /** The rule's documentation page. Always written since it was added. */
  docs?: string;
  /**
   * Present when the finding is silenced: by a comment in the code (`inline`) or because the
   * baseline lists it (`baseline`). It stays in the report but counts for neither the gate nor
   * the score.
   */
  suppressed?: { kind: SuppressionKind; justification: string };
  /**
   * Stable across unrelated edits (no line numbers in it): a hash of the rule, the flagged code
   * with whitespace collapsed, the enclosing function's name and an occurrence index. SARIF's
   * `partialFingerprints` and the baseline use it.
   */
  fingerprint?: string;
}

export type SuppressionKind = 'inline' | 'baseline';

/** Findings about suppression comments (ESLint's `--report-unused-disable-directives`). */
export const DIRECTIVE_RULE_IDS = ['invalid-suppression', 'unused-suppression'] as const;

export interface ScanError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'lmi-audit'; version: string };
  /**
   * The absolute directory every path of the report is relative to (the directory the scan ran
   * in): `fix --from-report` resolves paths against it from anywhere. Always written since it was added.
   */
  root?: string;
  summary: {
    functions: number;
    findings: number;
    bySeverity: Record<Severity, number>;
    /** The lowest function score (the project is as ready as its least ready function); 100 with no functions. */
    score: number;
    passed: boolean;
    /** Why `passed` is false, one sentence per gate rule that failed; empty when it passed. Always written since it was added. */
    reasons?: string[];
    /** The gate the run was judged by (--fail-on, --min-score, --fail-on-empty). Always written since they were added. */
    failOn?: FailOn;
    minScore?: number;
    failOnEmpty?: boolean;
    /** Findings in `findings` that are suppressed (inline or by the baseline); `findings` above does not count them. */
    suppressed?: number;
  };
  functions: ReportFunction[];
  findings: Finding[];
  errors: ScanError[];
  /** Present when the scan was compared with a baseline (`--baseline`, `--write-baseline`). */
  baseline?: BaselineSummary;
}

export interface BaselineSummary {
  /** The baseline file, relative to the directory the scan ran in. */
  file: string;
  /** Findings the baseline lists (reported as suppressed, kind `baseline`). */
  matched: number;
  /** Findings the baseline does not list: the ones that gate. */
  new: number;
  /** Baseline entries no finding matches any more: fixed, so they can be dropped from the file. */
  fixed: BaselineEntry[];
}

/** One entry of a baseline file. Paths are relative to the baseline file's directory. */
export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  /** For people reading the file: the enclosing function and the flagged code. Not matched on. */
  function: string;
  code: string;
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
  /**
   * Gate: a scan that reports no function (no handler found, or every handler skipped: size
   * limit, parse errors, excludes) fails. Default: the configuration's `failOnEmpty`, else on
   * when `env.CI` is set (to anything but `0` or `false`), as it is in CI services.
   */
  failOnEmpty?: boolean;
  /** The environment `failOnEmpty`'s default reads (`CI`); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Files larger than this many bytes are skipped with an error entry (default 1 MiB). */
  maxFileSize?: number;
  /**
   * Threads for the per-file analysis, main thread included (default `'auto'`: one thread for
   * small projects, one per core for big ones). The report is identical whatever the value.
   */
  jobs?: number | 'auto';
  /**
   * Worker threads started before the scan (`prestartWorkers`, as the CLI does while it loads
   * the analyser). The scan uses them first and terminates all of them, used or not.
   */
  workers?: readonly Worker[];
  /**
   * The configuration: a file to read (`--config`), `false` for none (`--no-config`), one read
   * already by `loadConfig`, or, when left out, the nearest one from the first path upward
   * (`lmi-audit.config.json` or the `"lmi-audit"` key of a package.json). The options above win
   * over its values.
   */
  config?: string | false | LoadedConfig;
  /** A baseline file: the findings it lists are kept, marked suppressed, and do not gate. */
  baseline?: string;
  /**
   * Write a baseline of today's findings to this file, then judge the run against it (every
   * finding that is not suppressed inline is accepted).
   */
  writeBaseline?: string;
  /** Called as files are discovered and analysed (for progress displays). */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Keep each file's summary in this cache file (or in `.lmi-audit-cache` inside this directory)
   * and reuse it while the file's content, lmi-audit and the rules are the same (`--cache`).
   * The report is the same with or without it.
   */
  cacheLocation?: string;
  /** Messages that are no finding and no error of the scanned code: a cache that was ignored or could not be written. */
  onMessage?: (message: string) => void;
}

export type ProgressEvent =
  { phase: 'discover'; files: number } | { phase: 'analyse'; done: number; total: number } | { phase: 'done'; files: number; elapsedMs: number };

/** A rule's setting in the configuration: `off`, a severity, or `[severity, options]`. */
export type RuleSetting = 'off' | Severity | [Severity] | [Severity, Record<string, unknown>];

/** `lmi-audit.config.json`, or the `"lmi-audit"` key of package.json (schema/config.schema.json). */
export interface Config {
  $schema?: string;
  /** Globs (relative to the configuration's directory) of the files to scan; default: all. */
  include?: string[];
  /** Globs of files not to scan, applied after `include`. */
  exclude?: string[];
  rules?: Record<string, RuleSetting>;
  failOn?: FailOn;
  minScore?: number;
  /** The gate fails when the scan reports no function (`--fail-on-empty`). */
  failOnEmpty?: boolean;
  /**
   * Handler exports of files that no infrastructure code names, by file path or glob: they
   * replace the `handler` convention for the matching files.
   */
  handlers?: Record<string, string[]>;
  /** Handler inference for files nothing names (src/project/handlers.ts). */
  inferHandlers?: {
    /** Default true; false leaves only infrastructure code and `handlers`. */
    enabled?: boolean;
    /** Infer handlers in test files too (default false). */
    testFiles?: boolean;
  };
}

export interface LoadedConfig extends Config {
  /** Absolute path of the file the configuration was read from. */
  file: string;
  /** Absolute directory the configuration's globs are relative to. */
  dir: string;
}

/** The report before the gate: `summary.passed` and the gate's fields are the API's. */
export type AnalysedReport = Omit<Report, 'summary'> & { summary: Omit<Report['summary'], 'passed'> };
