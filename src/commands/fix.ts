/**
 * @fileoverview `lmi-audit fix`: rewrites code with the transforms (transforms/<id>.ts) where a
 * scan, or a saved report, found what they fix. Prints one line per file (changed / unchanged /
 * skipped / failed), the places left for review (`// lmi-audit:` markers) and a summary.
 *
 * Exit codes: 0 every file was handled (markers included: they are listed, not errors),
 * 1 at least one file failed (the others were still written), 2 the command could not start
 * (bad options, a dirty git work tree, an unreadable or invalid report).
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { CliIO } from './io.js';
import { isKnownError } from '../errors.js';
import type { FixFileResult, FixResult } from '../fix/types.js';

interface FixCommandOptions {
  transform?: string[];
  all?: boolean;
  fromReport?: string;
  dry?: boolean;
  allowDirty?: boolean;
  poolMax?: number;
  config?: string | false;
  list?: boolean;
  debug?: boolean;
}

export function registerFixCommand(program: Command, io: CliIO, setExitCode: (code: number) => void): void {
  program
    .command('fix')
    .description('Rewrite handlers to be safe under LMI concurrency, where a scan (or a saved report) found what a transform fixes.')
    .argument('[paths...]', 'files or directories to fix (default: the current directory)')
    .option('--transform <ids>', 'comma-separated transform ids to run (see --list)', parseList)
    .option('--all', 'run every safe transform')
    .option(
      '--from-report <file>',
      "fix only the findings of this JSON report (`scan --format json`) instead of scanning; its paths are read against the report's root",
    )
    .option('--dry', 'print a unified diff of the changes and write nothing')
    .option('--allow-dirty', 'write even when a file to rewrite has uncommitted changes')
    .option('--pool-max <n>', 'client-to-pool: max connections per pool (default: from the infrastructure code, else 64)', parsePositive)
    .option('--config <file>', 'configuration file (default: lmi-audit.config.json or the "lmi-audit" key of package.json, from the first path upward)')
    .option('--no-config', 'ignore configuration files')
    .option('--list', 'list the transforms and exit')
    .option('--debug', 'print stack traces of errors')
    .action(async (paths: string[], options: FixCommandOptions) => {
      setExitCode(await runFix(paths, options, io));
    });
}

async function runFix(paths: string[], options: FixCommandOptions, io: CliIO): Promise<number> {
  try {
    // Loaded here: the analyser and jscodeshift are not needed for --help.
    const { fix } = await import('../index.js');
    if (options.list) {
      const { transforms } = await import('../../transforms/index.js');
      const idWidth = Math.max(...transforms.map((t) => t.meta.id.length));
      for (const t of transforms) io.stdout.write(`${t.meta.id.padEnd(idWidth)}  ${t.meta.safety.padEnd(6)}  fixes ${t.meta.fixes}: ${t.meta.description}\n`);
      return 0;
    }
    // Per-file lines go with the diff's reader: stdout normally, stderr under --dry (stdout is the patch).
    const out = options.dry ? io.stderr : io.stdout;
    const result = await fix({
      paths,
      cwd: io.cwd,
      transforms: options.transform,
      all: options.all,
      fromReport: options.fromReport,
      dry: options.dry,
      allowDirty: options.allowDirty,
      poolMax: options.poolMax,
      config: options.config,
      onFile: (file) => out.write(formatFile(file)),
    });
    if (options.dry) for (const file of result.files) if (file.diff) io.stdout.write(file.diff);
    out.write(formatSummary(result));
    return result.summary.failed > 0 ? 1 : 0;
  } catch (error) {
    if (isKnownError(error)) {
      io.stderr.write(`lmi-audit: ${error.message}\n`);
      if (options.debug && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    } else {
      io.stderr.write(`lmi-audit: unexpected error, please report it\n${error instanceof Error ? error.stack : String(error)}\n`);
    }
    return 2;
  }
}

function formatFile(file: FixFileResult): string {
  let line = `${file.status.padEnd(9)} ${file.file}`;
  if (file.transforms.length) line += `  (${file.transforms.join(', ')})`;
  if (file.reason) line += `: ${file.reason}`;
  let text = `${line}\n`;
  for (const note of file.notes) text += `  note    ${note}\n`;
  for (const marker of file.markers) text += `  review  ${file.file}:${marker.line}  ${marker.text}\n`;
  return text;
}

function formatSummary(result: FixResult): string {
  const s = result.summary;
  const verb = result.dry ? 'would change' : 'changed';
  const review = s.markers ? `; ${s.markers} place${s.markers === 1 ? '' : 's'} to review by hand (marked \`lmi-audit:\`)` : '';
  const none = result.files.length === 0 ? ' (no findings for these transforms)' : '';
  return `lmi-audit fix [${result.transforms.join(', ')}]: ${s.changed} ${verb}, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.failed} failed${review}${none}.\n`;
}

function parseList(value: string, previous: string[] = []): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw new InvalidArgumentError('Expected one or more transform ids.');
  return [...previous, ...ids];
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10_000) throw new InvalidArgumentError('Expected a whole number from 1 to 10000.');
  return n;
}
