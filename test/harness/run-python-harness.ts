/**
 * @fileoverview Proof by running for Python: LMI runs one Python process per concurrent
 * invocation, all in one execution environment with one /tmp. This starts N processes of
 * `python3` (test/harness/invoke-python.py), each loading the handler module and invoking it
 * once at a shared start time with its own event and `aws_request_id`; then runs every event
 * again alone, one process after the other (on-demand Lambda). A concurrent response that
 * differs from its response alone is cross-talk: another invocation's /tmp file leaked into it.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const RUNNER = path.join(import.meta.dirname, 'invoke-python.py');

type InvocationResult = { ok: true; value: unknown } | { ok: false; error: string };

export interface PythonHarnessResult {
  concurrent: InvocationResult[];
  alone: InvocationResult[];
  /** Indexes whose concurrent response differs from the response alone. */
  crossTalk: number[];
}

export interface PythonHarnessOptions {
  /** The handler's file and function name. */
  file: string;
  handler: string;
  events: unknown[];
  /** Seconds each open() takes (default 0.05). */
  ioDelay?: number;
}

async function invoke(options: PythonHarnessOptions, event: unknown, requestId: string, startAt: number): Promise<InvocationResult> {
  const payload = JSON.stringify({ event, request_id: requestId });
  const { stdout } = await run('python3', [RUNNER, options.file, options.handler, payload, String(startAt), String(options.ioDelay ?? 0.05)], {
    timeout: 60_000,
  });
  return JSON.parse(stdout) as InvocationResult;
}

export async function runPythonHarness(options: PythonHarnessOptions): Promise<PythonHarnessResult> {
  const tag = Date.now().toString(36);
  const ids = options.events.map((_, i) => `${tag}-${String(i).padStart(3, '0')}`);
  // Long enough for every interpreter to start and load the module before the shared start time.
  const startAt = Date.now() / 1000 + 2 + options.events.length * 0.1;
  const concurrent = await Promise.all(options.events.map((event, i) => invoke(options, event, ids[i]!, startAt)));
  const alone: InvocationResult[] = [];
  for (const [i, event] of options.events.entries()) alone.push(await invoke(options, event, `${ids[i]!}-alone`, 0));
  const view = (r: InvocationResult | undefined) => JSON.stringify(r);
  const crossTalk = concurrent.flatMap((r, i) => (view(r) === view(alone[i]) ? [] : [i]));
  return { concurrent, alone, crossTalk };
}
