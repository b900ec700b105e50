/**
 * @fileoverview What a command writes to and reads from: the process's streams and environment
 * in production, buffers in tests (test/e2e, test/fix/cli.test.ts).
 */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal: decides colour when neither a flag nor the env does. */
  stdoutIsTTY: boolean;
  /** Whether stderr is a terminal: the progress spinner is only shown there. */
  stderrIsTTY: boolean;
  cwd: string;
  /** The command line as in `process.argv`; `main` sets it from its `argv` when left out. */
  argv?: readonly string[];
}
