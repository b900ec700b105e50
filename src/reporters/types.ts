/**
 * @fileoverview The one signature every reporter has: a report in, the text to print out.
 * Reporters do no I/O; what they need from outside (source lines, the gate) comes in the context.
 */
import type { RuleMeta } from '../rules/types.js';
import type { Finding, Report } from '../types.js';

export interface ReporterContext {
  /** Metadata of the registered rules (checklist item, fix safety). */
  rules: ReadonlyArray<RuleMeta>;
  /** The directory the report's paths are relative to. */
  cwd: string;
  color: boolean;
  /** The 1-based line of a report file, to show the flagged code; omit to show none. */
  readSourceLine?: (file: string, line: number) => string | undefined;
  /**
   * What was scanned, as the user wrote it: for the empty-scan message and the next steps'
   * commands (`paths`, and `args` such as `--config x.json` that a `fix` must repeat).
   */
  scanned?: { paths: readonly string[]; files?: number; args?: readonly string[] };
  /** The text report's width in columns (the terminal's; 80 when piped or written to a file). */
  width?: number;
  /** How the next steps' commands start, as the user runs lmi-audit: `npx lmi-audit` (default), `node bin/lmi-audit.js`. */
  command?: string;
  /** Only errors: error findings and files not analysed (`--quiet`); machine formats ignore it. */
  quiet?: boolean;
  /** A link to a report file's line (e.g. on GitHub), for the Markdown summary; omit for none. */
  sourceLink?: (file: string, line: number) => string | undefined;
  /** The concrete edits of a finding's fix transform, when they were computed (SARIF `fixes`). */
  getFix?: (finding: Finding) => FindingFix | undefined;
}

/** What applying a fix transform changes, as replacements in the original text. */
export interface FindingFix {
  description: string;
  changes: Array<{
    /** Report path. */
    file: string;
    /** Offsets in UTF-16 code units into the original text; `length` characters are replaced by `text`. */
    replacements: Array<{ offset: number; length: number; text: string }>;
  }>;
}

export interface Reporter {
  (report: Report, ctx: ReporterContext): string;
  /**
   * The same text in chunks, for reports that may be longer than one string can be (JSON, SARIF
   * of a big repository): the CLI writes these one by one. The call above is their concatenation.
   */
  chunks?: (report: Report, ctx: ReporterContext) => Iterable<string>;
}

/** A reporter that writes its text in chunks; called as a function, it joins them. */
export function chunkedReporter(chunks: (report: Report, ctx: ReporterContext) => Iterable<string>): Reporter {
  return Object.assign((report: Report, ctx: ReporterContext) => [...chunks(report, ctx)].join(''), { chunks });
}
