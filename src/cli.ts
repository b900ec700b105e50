/**
 * @fileoverview The command line: parse arguments, call the API, print, return the exit code.
 * No analysis happens here. Exit codes: 0 the gate passed, 1 it failed, 2 the tool could not
 * do its job (bad arguments, unusable paths, a bug).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import ora, { type Ora } from 'ora';
import type { Worker } from 'node:worker_threads';
import { prestartWorkers } from './analysis/workers.js';
import { collectFormat, createGithubSourceLink, resolveOutputs, type FormatSpec } from './commands/scan-outputs.js';
import { registerFixCommand } from './commands/fix.js';
import type { CliIO } from './commands/io.js';
import type * as RulesCommand from './commands/rules.js';
import type { rules as ruleRegistry } from './rules/index.js';
import { isKnownError, UsageError } from './errors.js';
import { REPORTER_NAMES, reporters, type ReporterContext } from './reporters/index.js';
import { didYouMean } from './util/did-you-mean.js';
import { batched } from './util/json-chunks.js';
import { toolVersion } from './version.js';
import type { FailOn, ProgressEvent, Report } from './types.js';
import { parse as parseByteSize } from 'bytes';

type RuleRegistry = typeof ruleRegistry;

export type { CliIO } from './commands/io.js';

interface ScanCommandOptions {
  format?: FormatSpec[];
  output?: string;
  /** `--output-<format>`, camel-cased by commander (`outputSarif`). */
  [outputOption: `output${string}`]: string | undefined;
  failOn?: FailOn;
  minScore?: number;
  /** `--fail-on-empty` / `--no-fail-on-empty`; undefined: the configuration's, else on in CI. */
  failOnEmpty?: boolean;
  /** A file, or false for `--no-config`. */
  config?: string | false;
  baseline?: string;
  writeBaseline?: string;
  quiet?: boolean;
  maxFileSize?: number;
  jobs: number | 'auto';
  progress: boolean;
  debug?: boolean;
  color?: boolean;
  cache?: boolean;
  cacheLocation: string;
}

const FAIL_ON_CHOICES: FailOn[] = ['error', 'warning', 'info', 'none'];
/** The spinner redraws on a timer, which a long synchronous analysis step starves. */
const PROGRESS_RENDER_INTERVAL_MS = 100;

/** The entry point of `bin/lmi-audit.js`. */
export async function run(): Promise<void> {
  // `lmi-audit scan | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  try {
    process.exitCode = await main(process.argv);
  } catch (error) {
    process.stderr.write(`lmi-audit: unexpected error\n${formatStack(error)}\n`);
    process.exitCode = 2;
  }
}

/** Runs the CLI on `argv` (as in `process.argv`: node, script, then arguments). */
export async function main(argv: string[], io: CliIO = getProcessIO()): Promise<number> {
  io = { ...io, argv: io.argv ?? argv };
  let exitCode = 0;
  const program = new Command('lmi-audit')
    .description('Audit AWS Lambda functions for Lambda Managed Instances (LMI) readiness.')
    .version(toolVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    // Set before adding commands: subcommands inherit them.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`lmi-audit: ${text.replace(/^error: /, '')}`),
    });

  program
    .command('scan')
    .description('Find Lambda handlers and report what breaks when invocations run concurrently.')
    .argument('[paths...]', 'files or directories to scan (default: the current directory)')
    .option(
      '--format <format>',
      `report format: ${REPORTER_NAMES.join(', ')}; repeat it for several reports, giving all but one a file: --format sarif=lmi-audit.sarif --format text (default: text)`,
      collectFormat,
    )
    .option('--output <file>', 'write the report to this file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'lowest finding severity that fails the run (default: error, or failOn in the configuration)').choices(
        FAIL_ON_CHOICES,
      ),
    )
    .option('--min-score <score>', 'fail when a function scores below this, 0-100 (default: 0, or minScore in the configuration)', parseScore)
    .option(
      '--fail-on-empty',
      'fail when no handler is analysed: none found, or every one skipped (default: on when CI is set, or failOnEmpty in the configuration)',
    )
    .option('--no-fail-on-empty', 'pass a scan that analysed no handler, even in CI')
    .option('--config <file>', 'configuration file (default: lmi-audit.config.json or the "lmi-audit" key of package.json, from the scanned path upward)')
    .option('--no-config', 'ignore configuration files')
    .option('--baseline <file>', 'report and gate only findings the baseline does not list; list its fixed entries')
    .option('--write-baseline <file>', "record today's findings in a baseline file, then judge the run against it")
    .option('--quiet', 'print only errors: error findings and files not analysed')
    .option(
      '--max-file-size <size>',
      'skip files larger than this, reporting them: bytes, or with a unit: 500KB, 2MB (binary: 1MB = 1024 KB) (default: 1MB)',
      parseBytes,
    )
    .option('--jobs <n>', "threads for parsing and analysing files, or 'auto' (one thread for small projects, one per core for big ones)", parseJobs, 'auto')
    .option('--cache', "keep each file's analysis in a cache and reuse it while the file, lmi-audit and its rules are unchanged")
    .option('--cache-location <path>', 'the cache file, or a directory for it (with --cache)', '.lmi-audit-cache')
    .option('--no-progress', 'do not show the progress spinner')
    .option('--debug', 'print stack traces of errors')
    .option('--color', 'colour the text report even when not printing to a terminal')
    .option('--no-color', 'never colour the text report (NO_COLOR and FORCE_COLOR are honoured too)')
    .action(async (paths: string[], options: ScanCommandOptions) => {
      exitCode = await runScan(paths, options, io);
    });
  const scanCommand = program.commands.find((command) => command.name() === 'scan')!;
  for (const name of REPORTER_NAMES) scanCommand.option(`--output-${name} <file>`, `also write the ${name} report to this file`);

  program
    .command('rules')
    .description('List every rule with its checklist item, severity, fix transform and summary.')
    .addOption(formatOption(['text', 'json']))
    .action(async (options: { format: 'text' | 'json' }) => {
      exitCode = await runRulesCommand((registry, { formatRules }) => formatRules(registry, options.format), io);
    });

  program
    .command('explain')
    .description("Print a rule's docs: what it finds, why it breaks on LMI, examples, how to fix it, when to turn it off.")
    .argument('<rule-id>', 'a rule id (`lmi-audit rules` lists them)')
    .addOption(formatOption(['text', 'markdown', 'json']))
    .action(async (id: string, options: { format: 'text' | 'markdown' | 'json' }) => {
      exitCode = await runRulesCommand((registry, { formatExplanation }) => formatExplanation(registry, id, options.format), io);
    });

  registerFixCommand(program, io, (code) => (exitCode = code));

  // Commander answers `help <unknown>` with the program's help and exit code 2, without a word.
  const [first, topic] = argv.slice(2);
  const commandNames = program.commands.map((command) => command.name());
  if (first === 'help' && topic !== undefined && !topic.startsWith('-') && topic !== 'help' && !commandNames.includes(topic)) {
    io.stderr.write(`lmi-audit: unknown command '${topic}'.${didYouMean(topic, commandNames)} Commands: ${commandNames.join(', ')}\n`);
    return 2;
  }

  try {
    await program.parseAsync(argv, { from: 'node' });
  } catch (error) {
    // Commander has printed its message already; --help and --version end with exit code 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return exitCode;
}

async function runScan(paths: string[], options: ScanCommandOptions, io: CliIO): Promise<number> {
  const scanned: { paths: string[]; files?: number; args: string[] } = {
    paths: paths.length > 0 ? paths : ['.'],
    // What a `fix` of the same paths must repeat to see the same handlers.
    args: typeof options.config === 'string' ? ['--config', options.config] : options.config === false ? ['--no-config'] : [],
  };
  let progress: Progress | undefined;
  let workers: Worker[] = [];
  try {
    const outputs = resolveOutputs({
      format: options.format ?? [],
      output: options.output,
      outputs: Object.fromEntries(REPORTER_NAMES.map((name) => [name, options[`output${name[0]!.toUpperCase()}${name.slice(1)}`]])),
    });
    assertPathsExist(scanned.paths, io.cwd);
    progress = createProgress(options, io);
    // A big project gets its worker threads now, so they load the compiler while this thread
    // does (workers.ts). The scan terminates them; so does the `finally` below if it never runs.
    workers = prestartWorkers(scanned.paths, io.cwd, options.jobs);
    // Loaded here, not at the top: the analyser pulls in the TypeScript compiler, which
    // `--version`, `--help` and argument errors do not need.
    const { scan, rules } = await import('./index.js');
    const report = await scan({
      paths: [...scanned.paths],
      cwd: io.cwd,
      config: options.config,
      failOn: options.failOn,
      minScore: options.minScore,
      failOnEmpty: options.failOnEmpty,
      env: io.env,
      maxFileSize: options.maxFileSize,
      jobs: options.jobs,
      workers,
      baseline: options.baseline,
      writeBaseline: options.writeBaseline,
      ...(options.cache ? { cacheLocation: options.cacheLocation } : {}),
      onMessage: (message) => io.stderr.write(`lmi-audit: warning: ${message}\n`),
      onProgress: (event: ProgressEvent) => {
        if (event.phase === 'done') scanned.files = event.files;
        progress?.update(event);
      },
    });
    progress?.stop();

    const context: ReporterContext = {
      rules,
      cwd: io.cwd,
      color: false,
      readSourceLine: createSourceLineReader(report.root ?? io.cwd),
      scanned,
      quiet: options.quiet === true,
      sourceLink: createGithubSourceLink(io.env, report.root ?? io.cwd),
      command: getCommand(io),
    };
    if (outputs.some((spec) => spec.format === 'sarif')) {
      const { createFixProvider } = await import('./sarif-fixes.js');
      context.getFix = await createFixProvider(report, report.root ?? io.cwd);
    }
    const notes: string[] = [];
    if (options.writeBaseline && report.baseline) {
      notes.push(`lmi-audit: baseline written to ${options.writeBaseline} (${report.baseline.matched} findings)`);
    }
    const textToStdout = outputs.some((spec) => spec.format === 'text' && spec.file === undefined);
    if (report.functions.length === 0 && !textToStdout) {
      notes.push(`lmi-audit: warning: no Lambda handler was analysed in ${scanned.paths.join(', ')}: nothing was checked`);
    }
    const writeStarted = performance.now();
    for (const spec of outputs) {
      const toFile = spec.file !== undefined;
      const color = toFile ? options.color === true : shouldUseColor(options.color, io);
      const reporter = reporters[spec.format];
      const reporterContext = { ...context, color, width: toFile ? undefined : getWidth(io) };
      // Chunked where the reporter can: a big repository's JSON or SARIF is longer than one string can be.
      const pieces = reporter.chunks ? batched(reporter.chunks(report, reporterContext)) : [reporter(report, reporterContext)];
      if (toFile) {
        await writeFileAtomic(resolve(io.cwd, spec.file!), pieces);
        notes.push(`lmi-audit: ${spec.format} report written to ${spec.file}: ${summarise(report)}`);
      } else {
        await writeAll(io.stdout, pieces);
      }
    }
    if (io.env.LMI_AUDIT_TIMING)
      io.stderr.write(
        `lmi-audit timing: write      ${(performance.now() - writeStarted).toFixed(0).padStart(6)} ms  rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0).padStart(5)} MB\n`,
      );
    if (!options.quiet) for (const note of notes) io.stderr.write(`${note}\n`);
    return report.summary.passed ? 0 : 1;
  } catch (error) {
    progress?.stop();
    if (isKnownError(error)) {
      io.stderr.write(`lmi-audit: ${error.message}\n`);
      if (options.debug) io.stderr.write(`${formatStack(error)}\n`);
    } else {
      io.stderr.write(`lmi-audit: unexpected error, please report it\n${formatStack(error)}\n`);
    }
    return 2;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The width for the text report on stdout: the terminal's; else `COLUMNS` (as `ls` and git read
 * it, so `COLUMNS=120 lmi-audit scan | less` is 120 wide); else 80 (undefined) when piped.
 */
function getWidth(io: CliIO): number | undefined {
  const columns = io.stdoutIsTTY ? (io.stdout as Partial<NodeJS.WriteStream>).columns : undefined;
  if (columns !== undefined && columns > 0) return columns;
  const env = io.env.COLUMNS?.trim() ?? '';
  return /^[1-9]\d{0,3}$/.test(env) ? Number(env) : undefined;
}

/**
 * How the user runs lmi-audit, for the commands the report suggests: `npx lmi-audit` when it
 * is installed in a project (or run by npx), `lmi-audit` when installed globally, and
 * `node <path to bin/lmi-audit.js>` from a checkout.
 */
function getCommand(io: CliIO): string {
  const script = io.argv?.[1];
  if (!script || !isAbsolute(script)) return 'npx lmi-audit';
  const parts = script.split(sep);
  const modules = parts.lastIndexOf('node_modules');
  if (modules < 0) {
    const shown = relative(io.cwd, script);
    return `node ${shown && !shown.startsWith('..') ? shown : script}`;
  }
  // Installed: locally (a node_modules of the cwd or above it) or globally.
  const installRoot = parts.slice(0, modules).join(sep) || sep;
  const rel = relative(installRoot, io.cwd);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel)) ? 'npx lmi-audit' : 'lmi-audit';
}

function parseScore(value: string): number {
  const score = Number(value);
  if (value.trim() === '' || !Number.isFinite(score) || score < 0 || score > 100) {
    throw new InvalidArgumentError('Expected a number from 0 to 100.');
  }
  return score;
}

function parseJobs(value: string): number | 'auto' {
  if (value.toLowerCase() === 'auto') return 'auto';
  const jobs = Number(value);
  if (!/^\d+$/.test(value) || jobs < 1 || jobs > 64) throw new InvalidArgumentError("Expected 'auto' or a whole number from 1 to 64.");
  return jobs;
}

/** `1048576`, `1MB`, `512kb`, `1.5 MB` (the `bytes` package: units are binary, 1KB = 1024 bytes). */
function parseBytes(value: string): number {
  const parsed = /^\s*\d+(\.\d+)?\s*([kmgt]i?b|b)?\s*$/i.test(value) ? parseByteSize(value.replace(/ib\b/i, 'b')) : null;
  if (parsed === null || !Number.isSafeInteger(Math.floor(parsed)) || Math.floor(parsed) <= 0) {
    throw new InvalidArgumentError('Expected a size greater than 0: a number of bytes, or with a unit (500KB, 2MB).');
  }
  return Math.floor(parsed);
}

/** Flag first, then FORCE_COLOR (which wins over NO_COLOR, as in Node), then NO_COLOR, then TTY. */
function shouldUseColor(flag: boolean | undefined, io: CliIO): boolean {
  if (flag !== undefined) return flag;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (io.env.NO_COLOR) return false;
  return io.stdoutIsTTY && io.env.TERM !== 'dumb';
}

function assertPathsExist(paths: readonly string[], cwd: string): void {
  for (const path of paths) {
    try {
      statSync(resolve(cwd, path));
    } catch {
      throw new UsageError(`Path not found: ${path}`);
    }
  }
}

interface Progress {
  update(event: ProgressEvent): void;
  stop(): void;
}

/** `rules` and `explain`: print what `render` makes of the rule registry. */
async function runRulesCommand(render: (registry: RuleRegistry, commands: typeof RulesCommand) => string, io: CliIO): Promise<number> {
  try {
    const [{ rules }, commands] = await Promise.all([import('./index.js'), import('./commands/rules.js')]);
    io.stdout.write(render(rules, commands));
    return 0;
  } catch (error) {
    if (!isKnownError(error)) throw error;
    io.stderr.write(`lmi-audit: ${error.message}\n`);
    return 2;
  }
}

function createProgress(options: ScanCommandOptions, io: CliIO): Progress | undefined {
  if (!options.progress || !io.stderrIsTTY || io.env.CI || io.env.TERM === 'dumb') return undefined;
  // A terminal reporting 0 columns (a pty nobody sized) sends ora into an endless clear loop.
  if ((io.stderr as Partial<NodeJS.WriteStream>).columns === 0) return undefined;
  const spinner: Ora = ora({ stream: io.stderr, isEnabled: true, discardStdin: false, text: 'Finding files…' });
  spinner.start();
  let analyseStartedAt: number | undefined;
  let lastRender = 0;
  return {
    update(event) {
      if (event.phase === 'discover') {
        spinner.text = `Finding files… ${event.files} found`;
      } else if (event.phase === 'analyse') {
        const now = Date.now();
        analyseStartedAt ??= now;
        const seconds = (now - analyseStartedAt) / 1000;
        const rate = seconds > 0 ? `, ${Math.round(event.done / seconds)} files/s` : '';
        spinner.text = `Analysing ${event.done}/${event.total} files${rate}`;
        if (now - lastRender >= PROGRESS_RENDER_INTERVAL_MS) {
          lastRender = now;
          spinner.render();
        }
      }
    },
    stop() {
      spinner.stop();
    },
  };
}

function createSourceLineReader(cwd: string): (file: string, line: number) => string | undefined {
  const cache = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(resolve(cwd, file), 'utf8').split(/\r?\n/));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file)?.[line - 1];
  };
}

/** Temp file in the same directory, then rename: a reader never sees half a report. */
async function writeFileAtomic(target: string, pieces: Iterable<string>): Promise<void> {
  const temp = join(dirname(target), `.lmi-audit-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(temp, 'w');
    try {
      for (const piece of pieces) await handle.write(piece, null, 'utf8');
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`Cannot write the report to ${target} (${reason})`, { cause: error });
  }
}

/** Write pieces to a stream in order, waiting for it to drain when it asks to. */
async function writeAll(stream: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) {
    if (!stream.write(piece)) await new Promise<void>((done) => stream.once('drain', () => done()));
  }
}

function summarise(report: Report): string {
  const { summary } = report;
  const verdict = summary.passed ? 'PASSED' : 'FAILED';
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return `${count(summary.functions, 'function')}, ${count(summary.findings, 'finding')}, lowest score ${summary.score}: ${verdict}`;
}

/**
 * `--format` of `rules` and `explain`: in any case, as scan's is, and a typo gets a suggestion.
 * The parser is set after `choices`, which it replaces; help still lists the choices.
 */
function formatOption(choices: readonly string[]): Option {
  return new Option('--format <format>', 'output format')
    .choices(choices)
    .default('text')
    .argParser((value: string) => {
      const name = value.toLowerCase();
      if (choices.includes(name)) return name;
      throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.${didYouMean(name, choices)}`);
    });
}

function formatStack(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = error.stack ?? `${error.name}: ${error.message}`;
  if (error.cause !== undefined) text += `\nCaused by: ${formatStack(error.cause)}`;
  return text;
}

function getProcessIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}
