/**
 * @fileoverview Proof by running for Python: LMI runs one Python process per concurrent
 * invocation, all in one execution environment with one /tmp. This starts N processes of
 * `python3` (test/harness/invoke-python.py), each loading the handler module and invoking it
 * once, all released together by a barrier once every one has loaded, with its own event and `aws_request_id`; then runs every event
 * again alone, one process after the other (on-demand Lambda). A concurrent response that
 * differs from its response alone is cross-talk: another invocation's /tmp file leaked into it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

async function invoke(options: PythonHarnessOptions, event: unknown, requestId: string, barrier: string): Promise<InvocationResult> {
  const payload = JSON.stringify({ event, request_id: requestId });
  const { stdout } = await run('python3', [RUNNER, options.file, options.handler, payload, barrier, String(options.ioDelay ?? 0.05)], {
    timeout: 60_000,
  });
  return JSON.parse(stdout) as InvocationResult;
}

export async function runPythonHarness(options: PythonHarnessOptions): Promise<PythonHarnessResult> {
  const tag = Date.now().toString(36);
  const ids = options.events.map((_, i) => `${tag}-${String(i).padStart(3, '0')}`);
  // Not a start time: on a loaded machine some interpreters start after it and run alone. The
  // barrier folder (outside /tmp, which handlers may empty) releases them when all have loaded.
  const barriers = path.join(import.meta.dirname, '..', '..', 'test-results', 'barriers');
  mkdirSync(barriers, { recursive: true });
  const folder = mkdtempSync(path.join(barriers, 'python-'));
  let concurrent: InvocationResult[];
  try {
    const barrier = `${folder}:${options.events.length}`;
    concurrent = await Promise.all(options.events.map((event, i) => invoke(options, event, ids[i]!, barrier)));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const alone: InvocationResult[] = [];
  for (const [i, event] of options.events.entries()) alone.push(await invoke(options, event, `${ids[i]!}-alone`, '-'));
  const view = (r: InvocationResult | undefined) => JSON.stringify(r);
  const crossTalk = concurrent.flatMap((r, i) => (view(r) === view(alone[i]) ? [] : [i]));
  return { concurrent, alone, crossTalk };
}
