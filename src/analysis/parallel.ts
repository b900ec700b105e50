/**
 * @fileoverview Summarise many files, on worker threads when it pays. Parsing is the floor of a
 * scan's cost (the `floor` of `npm run bench`: ~0.5 ms per file per thread), and each worker pays ~0.4 s to
 * load TypeScript, so small projects stay on the main thread (workers.ts starts workers early
 * for the CLI). The main thread works too, on the same queue of chunks. Results land by index:
 * the output is identical whatever the parallelism.
 */
import type { Worker } from 'node:worker_threads';
import type { FileResult } from './summarize.js';
import { CHUNK, isStopped, resolveJobs, spawnWorker } from './workers.js';

export interface SummarizeOptions {
  /** Summarises a file on the main thread (the workers use src/scan-worker.ts, with the same rules). */
  readAndSummarize: (file: string, withHash?: boolean) => FileResult;
  /** Return the hash of each file's text with its summary (for the cache). */
  hash?: boolean;
  /** Threads to use, main thread included; `'auto'` decides from the file count and the cores. */
  jobs?: number | 'auto';
  onProgress?: (done: number, total: number) => void;
  /** Workers started earlier (`prestartWorkers`): used first, and terminated like the others. */
  workers?: readonly Worker[];
}

export async function summarizeAll(files: readonly string[], options: SummarizeOptions): Promise<FileResult[]> {
  const total = files.length;
  const results: FileResult[] = new Array(total);
  const jobs = Math.min(resolveJobs(options.jobs, total), Math.max(1, Math.ceil(total / CHUNK)));
  const prestarted = [...(options.workers ?? [])];
  const hash = options.hash ?? false;
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
  const nextWorker = (): Worker | undefined => {
    for (let w = prestarted.shift(); w; w = prestarted.shift()) {
      if (!isStopped(w)) return w;
    }
    return spawnWorker();
  };
  for (let w = 0; w < jobs - 1; w++) {
    const worker = nextWorker();
    if (!worker) break; // running from TypeScript sources: no worker script
    workers.push(worker);
    finished.push(
      new Promise<void>((resolve, reject) => {
        let inFlight = 0;
        const feed = () => {
          const chunk = take();
          if (chunk === undefined) return;
          inFlight++;
          worker.postMessage({ chunk, files: filesOf(chunk), hash });
        };
        worker.on('message', (m: { chunk: number; json: string }) => {
          inFlight--;
          store(m.chunk, JSON.parse(m.json) as FileResult[]);
          feed();
          if (inFlight === 0) resolve();
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (inFlight > 0) reject(new Error(`a worker thread stopped (exit code ${code}) with files still to analyse`));
        });
        // Two chunks in flight: the worker starts the next one while the main thread, busy
        // with a chunk of its own, has not yet read the previous result.
        feed();
        feed();
        if (inFlight === 0) resolve(); // more workers than chunks
      }),
    );
  }
  try {
    // The main thread takes chunks too, yielding between them so worker results are stored.
    for (let chunk = take(); chunk !== undefined; chunk = take()) {
      store(
        chunk,
        filesOf(chunk).map((file) => options.readAndSummarize(file, hash)),
      );
      if (workers.length) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(finished);
  } finally {
    // Prestarted workers this scan did not need (fewer files than expected) end here too.
    await Promise.all([...workers, ...prestarted].map((w) => w.terminate()));
  }
  return results;
}
