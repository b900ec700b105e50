/**
 * @fileoverview Proof by running. Loads a handler module once in a worker thread and fires many
 * invocations at it concurrently, with distinct events and contexts (a unique awsRequestId
 * each), as the LMI Node.js runtime does on one worker; then runs every event again, alone and
 * in order, on a fresh instance of the module (what on-demand Lambda does). Each concurrent
 * response that differs from its response alone is cross-talk: another invocation's data leaked
 * into it (a wrong user, another request's /tmp file, another transaction's rows).
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { loadablePath, removeLoadableModule, writeLoadableModule } from './load-fixture.js';

export interface Invocation {
  event: unknown;
  context: { awsRequestId: string; functionName: string; [key: string]: unknown };
}

type InvocationResult = { ok: true; value: unknown } | { ok: false; error: string };

export interface HarnessResult {
  concurrent: InvocationResult[];
  alone: InvocationResult[];
  /** Indexes whose concurrent response differs from the response alone. */
  crossTalk: number[];
}

export interface HarnessOptions {
  /** Fixture files (name -> source) and which one holds the handler. */
  files: Record<string, string>;
  entry: string;
  exportName?: string;
  invocations: Invocation[];
  /** Give up on a run after this long (a deadlock is a failure, not a hang). */
  timeoutMs?: number;
  /** What of a response to compare (drop values that differ by design, such as generated ids). */
  compare?: (value: unknown) => unknown;
  /** Invoke as the on-demand runtime before LMI did: a `callback` argument and `context.succeed/fail/done`. */
  legacyRuntime?: boolean;
  /** Runs before each of the two runs: what one run leaves behind (a /tmp file) is not seen by the other. */
  reset?: () => void;
}

export async function runHarness(options: HarnessOptions): Promise<HarnessResult> {
  const dirs = [writeLoadableModule(options.files), writeLoadableModule(options.files)];
  try {
    options.reset?.();
    const concurrent = await runInWorker(loadablePath(dirs[0]!, options.entry), options, 'concurrent');
    options.reset?.();
    const alone = await runInWorker(loadablePath(dirs[1]!, options.entry), options, 'sequential');
    const view = (r: InvocationResult | undefined) => JSON.stringify(r?.ok && options.compare ? { ok: true, value: options.compare(r.value) } : r);
    const crossTalk = concurrent.flatMap((r, i) => (view(r) === view(alone[i]) ? [] : [i]));
    return { concurrent, alone, crossTalk };
  } finally {
    for (const dir of dirs) removeLoadableModule(dir);
  }
}

function runInWorker(entry: string, options: HarnessOptions, mode: 'concurrent' | 'sequential'): Promise<InvocationResult[]> {
  const worker = new Worker(path.join(import.meta.dirname, 'invoke-worker.mjs'), {
    workerData: { entry, exportName: options.exportName ?? 'handler', invocations: options.invocations, mode, legacyRuntime: options.legacyRuntime === true },
  });
  const timeoutMs = options.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<InvocationResult[]>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${mode} run of ${entry} did not finish within ${timeoutMs} ms`)), timeoutMs);
    worker.once('message', (results: InvocationResult[]) => resolve(results));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before answering`)));
  }).finally(() => {
    clearTimeout(timer);
    // Terminating the worker also closes what the module opened (database sockets, timers).
    void worker.terminate();
  });
}

/** Distinct events and contexts: invocation `i` of a run gets its own request id. */
export function makeInvocations(count: number, event: (i: number) => unknown, run = Date.now().toString(36)): Invocation[] {
  return Array.from({ length: count }, (_, i) => ({
    event: event(i),
    context: { awsRequestId: `${run}-${String(i).padStart(3, '0')}`, functionName: 'harness' },
  }));
}
