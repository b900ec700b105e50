/**
 * @fileoverview Summarise many files, on worker threads when it pays. Parsing is the floor of a
 * scan's cost (PERFORMANCE.md: ~0.55 ms per file per thread), and each worker pays ~0.3 s to
 * load TypeScript, so small projects stay on the main thread. The main thread works too, on the
 * same queue of chunks. Results land by index: the output is identical whatever the parallelism.
 */
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readAndSummarize, type FileResult } from './summarize.js';

/** Below this many files one thread is faster than paying for workers to start. */
export const PARALLEL_THRESHOLD = 1500;
const CHUNK = 64;

export interface SummarizeOptions {
  /** Threads to use, main thread included; `'auto'` decides from the file count and the cores. */
  jobs?: number | 'auto';
  onProgress?: (done: number, total: number) => void;
}

export function resolveJobs(jobs: number | 'auto' | undefined, files: number): number {
  if (typeof jobs === 'number') return Math.max(1, Math.floor(jobs));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return files < PARALLEL_THRESHOLD ? 1 : Math.max(1, Math.min(cores, 8));
}

/** The compiled worker script, or undefined when running from TypeScript sources (tests). */
function workerScript(): URL | undefined {
  const url = new URL('./worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') ? url : undefined;
}

export async function summarizeAll(files: readonly string[], options: SummarizeOptions = {}): Promise<FileResult[]> {
  const total = files.length;
  const results: FileResult[] = new Array(total);
  const jobs = Math.min(resolveJobs(options.jobs, total), Math.max(1, Math.ceil(total / CHUNK)));
  const script = workerScript();
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, total);
  };

  const chunks = Math.ceil(total / CHUNK);
  let next = 0;
  const take = (): number | undefined => (next < chunks ? next++ : undefined);
  const store = (chunk: number, chunkResults: FileResult[]) => {
    for (let i = 0; i < chunkResults.length; i++) results[chunk * CHUNK + i] = chunkResults[i]!;
    progress(chunkResults.length);
  };
  const filesOf = (chunk: number) => files.slice(chunk * CHUNK, (chunk + 1) * CHUNK);

  const workers: Worker[] = [];
  const finished: Array<Promise<void>> = [];
  if (jobs > 1 && script) {
    for (let w = 0; w < jobs - 1; w++) {
      const worker = new Worker(fileURLToPath(script));
      workers.push(worker);
      finished.push(
        new Promise<void>((resolve, reject) => {
          let inFlight = 0;
          const feed = () => {
            const chunk = take();
            if (chunk === undefined) return;
            inFlight++;
            worker.postMessage({ chunk, files: filesOf(chunk) });
          };
          worker.on('message', (m: { chunk: number; json: string }) => {
            inFlight--;
            store(m.chunk, JSON.parse(m.json) as FileResult[]);
            feed();
            if (inFlight === 0) resolve();
          });
          worker.on('error', reject);
          // Two chunks in flight: the worker starts the next one while the main thread, busy
          // with a chunk of its own, has not yet read the previous result.
          feed();
          feed();
          if (inFlight === 0) resolve(); // more workers than chunks
        }),
      );
    }
  }
  try {
    // The main thread takes chunks too, yielding between them so worker results are stored.
    for (let chunk = take(); chunk !== undefined; chunk = take()) {
      store(chunk, filesOf(chunk).map(readAndSummarize));
      if (workers.length) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(finished);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
