/**
 * @fileoverview Which reports `lmi-audit scan` writes where. Several formats at once:
 * `--format sarif=lmi-audit.sarif --format text`, or `--output-sarif lmi-audit.sarif`; the old
 * single-format `--output FILE` still works. At most one report goes to stdout, and with no
 * format given it is the text report.
 */
import * as path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { REPORTER_NAMES, type ReporterName } from '../reporters/index.js';
import { didYouMean } from '../util/did-you-mean.js';

export interface FormatSpec {
  format: ReporterName;
  /** Undefined: stdout. */
  file?: string;
}

export interface OutputOptions {
  /** `--format` values, in order. */
  format: FormatSpec[];
  /** `--output`: the file of the one format given without one. */
  output?: string;
  /** `--output-<format>` values. */
  outputs: Partial<Record<ReporterName, string>>;
}

/** Commander argument parser for a repeatable `--format <name>[=<file>]`. */
export function collectFormat(value: string, previous: FormatSpec[] = []): FormatSpec[] {
  const [given = '', ...rest] = value.split('=');
  const file = rest.join('=');
  // Case-insensitive (`--format SARIF=out.sarif`); the file name keeps its case.
  const name = given.toLowerCase();
  if (!REPORTER_NAMES.includes(name as ReporterName)) {
    throw new InvalidArgumentError(`Expected one of ${REPORTER_NAMES.join(', ')}, optionally with =<file>.${didYouMean(name, REPORTER_NAMES)}`);
  }
  if (rest.length > 0 && file === '') throw new InvalidArgumentError(`Expected a file name after ${name}=.`);
  return [...previous, { format: name as ReporterName, ...(file && { file }) }];
}

/** The reports to write, each once, at most one to stdout. */
export function resolveOutputs(options: OutputOptions): FormatSpec[] {
  const specs: FormatSpec[] = options.format.map((spec) => ({ ...spec }));
  for (const name of REPORTER_NAMES) {
    const file = options.outputs[name];
    if (file === undefined) continue;
    const existing = specs.find((spec) => spec.format === name);
    if (existing?.file !== undefined && existing.file !== file) {
      throw new UsageError(`--output-${name} ${file} and --format ${name}=${existing.file} name two files for one report`);
    }
    if (existing) existing.file = file;
    else specs.push({ format: name, file });
  }
  if (specs.length === 0) specs.push({ format: 'text' });

  const seen = new Set<ReporterName>();
  for (const spec of specs) {
    if (seen.has(spec.format)) throw new UsageError(`--format ${spec.format} is given twice`);
    seen.add(spec.format);
  }
  const toStdout = specs.filter((spec) => spec.file === undefined);
  if (options.output !== undefined) {
    if (toStdout.length !== 1) {
      throw new UsageError(`--output needs exactly one format without a file; name each report's file instead (--format json=report.json)`);
    }
    toStdout[0]!.file = options.output;
  } else if (toStdout.length > 1) {
    throw new UsageError(
      `Only one report can go to stdout (${toStdout.map((s) => s.format).join(', ')} were given without a file); ` +
        `write the others to files: --format ${toStdout[1]!.format}=<file>`,
    );
  }
  return specs;
}

/**
 * Links to a report file's line on GitHub, for the Markdown summary in a workflow run (where
 * GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA are set); undefined elsewhere.
 */
export function createGithubSourceLink(env: NodeJS.ProcessEnv, cwd: string): ((file: string, line: number) => string | undefined) | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha, GITHUB_WORKSPACE: workspace } = env;
  if (!server || !repository || !sha) return undefined;
  const prefix = workspace ? path.relative(workspace, cwd).split(path.sep).join('/') : '';
  if (prefix.startsWith('..')) return undefined;
  return (file, line) => {
    const repoPath = path.posix.normalize(prefix ? `${prefix}/${file}` : file);
    if (repoPath.startsWith('..')) return undefined;
    return `${server}/${repository}/blob/${sha}/${repoPath.split('/').map(encodeURIComponent).join('/')}#L${line}`;
  };
}
