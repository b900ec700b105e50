/**
 * @fileoverview The contract of the fix API: what `fix()` takes and what it returns, per file.
 */
import type { Report } from '../types.js';

export type FixFileStatus = 'changed' | 'unchanged' | 'skipped' | 'failed';

/** A `// lmi-audit:` comment a transform left: code it did not rewrite, to review by hand. */
export interface FixMarker {
  /** 1-based line of the marker in the new file. */
  line: number;
  text: string;
}

export interface FixFileResult {
  /** Relative to `cwd`, like report paths. */
  file: string;
  status: FixFileStatus;
  /** Transforms that changed the file. */
  transforms: string[];
  /** Findings of the selected transforms' rules in this file (what was asked to be fixed). */
  findings: number;
  markers: FixMarker[];
  /** What the transforms reported (pool sizes, ...). */
  notes: string[];
  /** Why the file was skipped, or the error that made it fail. */
  reason?: string;
  /** Unified diff of the change (always computed; `--dry` prints it). */
  diff?: string;
}

export interface FixOptions {
  /** Files or directories to fix (default: the current directory). Relative to `cwd`. */
  paths?: string[];
  cwd?: string;
  /** Transform ids to run. */
  transforms?: string[];
  /** Every transform whose safety is `safe`. */
  all?: boolean;
  /** Fix only what this report found: a path to a JSON report (schemaVersion 1), or the report itself. */
  fromReport?: string | Report;
  /** Compute the changes and diffs, write nothing. */
  dry?: boolean;
  /** Write even when a file to rewrite has uncommitted changes (modified, staged or untracked) in its git work tree. */
  allowDirty?: boolean;
  /**
   * The configuration the scan runs under, as `scan` resolves it: a file (`--config`), `false`
   * for none (`--no-config`), default the nearest one from the first path upward. Its
   * `handlers`, `include`/`exclude` and `rules` decide what is fixed. Not read with `fromReport`.
   */
  config?: string | false;
  /** client-to-pool: `max` for every pool, overriding what the infrastructure code says. */
  poolMax?: number;
  /** Called after each file, in order. */
  onFile?: (result: FixFileResult) => void;
}

export interface FixResult {
  /** The transforms that ran, in the order they were applied. */
  transforms: string[];
  dry: boolean;
  files: FixFileResult[];
  summary: {
    changed: number;
    unchanged: number;
    skipped: number;
    failed: number;
    /** Markers left in changed files (places to review by hand). */
    markers: number;
    /** Findings the selected transforms were asked to fix. */
    findings: number;
  };
}
