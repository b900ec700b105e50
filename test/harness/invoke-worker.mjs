// Runs inside a worker thread: loads one handler module ONCE and invokes it the way the LMI
// Node.js runtime does on one worker, many invocations interleaving on one module instance
// (`concurrent`), or one after the other (`sequential`, the on-demand baseline). Plain JS:
// workers load files directly, without the test runner's TypeScript support.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

const { entry, exportName, invocations, mode } = workerData;
const mod = await import(pathToFileURL(entry).href);
const handler = mod[exportName] ?? mod.default?.[exportName];
if (typeof handler !== 'function') throw new Error(`${entry} has no function export \`${exportName}\``);

const invoke = async ({ event, context }) => {
  try {
    return { ok: true, value: await handler(event, { ...context, getRemainingTimeInMillis: () => 30_000 }) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
};

let results;
if (mode === 'concurrent') {
  // Every invocation starts (runs to its first await) before any of them continues.
  results = await Promise.all(invocations.map(invoke));
} else {
  results = [];
  for (const invocation of invocations) results.push(await invoke(invocation));
}
parentPort.postMessage(JSON.parse(JSON.stringify(results)));
