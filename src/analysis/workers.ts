/**
 * @fileoverview Starting the worker threads that summarise files, kept free of the TypeScript
 * compiler so the CLI can start workers before it loads the analyser itself.
 *
 * A worker spends ~0.4 s loading the compiler before its first file. Started after discovery
 * (as `summarizeAll` does on its own), that is 0.4 s in which one core parses alone. The CLI
 * instead asks {@link prestartWorkers} first: a quick, bounded look at the tree says whether the
 * project is big enough to want workers, and if so they load the compiler while the main
 * thread loads it too and discovers the files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { classifyFile, SKIPPED_DIRECTORIES } from '../project/files.js';

/** Below this many files one thread is faster than paying for workers to start. */
const PARALLEL_THRESHOLD = 1500;
/** Files per message to and from a worker. */
export const CHUNK = 64;

export function resolveJobs(jobs: number | 'auto' | undefined, files: number): number {
  if (typeof jobs === 'number') return Math.max(1, Math.floor(jobs));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return files < PARALLEL_THRESHOLD ? 1 : Math.max(1, Math.min(cores, 8));
}

/** The compiled worker script, or undefined when running from TypeScript sources (tests). */
function workerScript(): string | undefined {
  return import.meta.url.endsWith('.js') ? fileURLToPath(new URL('../scan-worker.js', import.meta.url)) : undefined;
}

/** Workers that have stopped (crashed while loading, or terminated): never handed work. */
const stopped = new WeakSet<Worker>();

/** A summarising worker thread, or undefined where there is no compiled worker script. */
export function spawnWorker(): Worker | undefined {
  const script = workerScript();
  if (!script) return undefined;
  const worker = new Worker(script);
  worker.once('exit', () => stopped.add(worker));
  // An error before anyone listens (a prestarted worker failing to load) must not throw as an
  // unhandled 'error' event: the worker exits, and whoever uses it sees it stopped.
  worker.on('error', () => {});
  return worker;
}

export function isStopped(worker: Worker): boolean {
  return stopped.has(worker);
}

/** Directories the estimate may list before it gives up (a huge tree with few sources). */
const ESTIMATE_DIRECTORY_LIMIT = 2_000;

/**
 * Source files under `paths`, counted until `enough` (or until the directory budget runs out):
 * no .gitignore, no symlinks, no reading of files. An estimate, only used to decide early.
 */
export function countSourcesUpTo(paths: readonly string[], cwd: string, enough: number): number {
  let count = 0;
  let directories = 0;
  const pending = paths.map((p) => path.resolve(cwd, p));
  while (pending.length > 0 && count < enough && directories < ESTIMATE_DIRECTORY_LIMIT) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // a file, or unreadable: discovery will say so
    }
    directories++;
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(path.join(dir, entry.name));
      } else if (entry.isFile() && classifyFile(entry.name) === 'source') {
        count++;
      }
    }
  }
  return count;
}

/**
 * Workers for a scan of `paths`, started now if the project looks big enough to use them
 * (none otherwise). Hand them to `scan` (`ScanOptions.workers`), which uses and terminates them.
 */
export function prestartWorkers(paths: readonly string[], cwd: string, jobs: number | 'auto' | undefined): Worker[] {
  if (jobs === 1 || !workerScript()) return [];
  const wanted = typeof jobs === 'number' ? jobs * CHUNK : PARALLEL_THRESHOLD;
  const count = countSourcesUpTo(paths, cwd, wanted);
  // As many threads as summarizeAll will use: never more than there are chunks of files.
  const threads = Math.min(resolveJobs(jobs, count), Math.ceil(count / CHUNK));
  const workers: Worker[] = [];
  for (let i = 1; i < threads; i++) workers.push(spawnWorker()!);
  return workers;
}
