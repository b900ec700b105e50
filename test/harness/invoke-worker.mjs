// Runs inside a worker thread: loads one handler module ONCE and invokes it the way the LMI
// Node.js runtime does on one worker, many invocations interleaving on one module instance
// (`concurrent`), or one after the other (`sequential`, the on-demand baseline). Plain JS:
// workers load files directly, without the test runner's TypeScript support.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

const { entry, exportName, invocations, mode, legacyRuntime } = workerData;
const mod = await import(pathToFileURL(entry).href);
const handler = mod[exportName] ?? mod.default?.[exportName];
if (typeof handler !== 'function') throw new Error(`${entry} has no function export \`${exportName}\``);

const describe = (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

const invokeAsync = async ({ event, context }) => {
  try {
    return { ok: true, value: await handler(event, { ...context, getRemainingTimeInMillis: () => 30_000 }) };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
};

// The on-demand Node.js runtime before LMI: a third `callback` argument and
// `context.succeed/fail/done` settle the invocation (the first call wins), as does a promise.
const invokeLegacy = ({ event, context }) =>
  new Promise((settle) => {
    let settled = false;
    const done = (error, value) => {
      if (settled) return;
      settled = true;
      settle(error ? { ok: false, error: describe(error) } : { ok: true, value });
    };
    const legacyContext = {
      ...context,
      getRemainingTimeInMillis: () => 30_000,
      callbackWaitsForEmptyEventLoop: true,
      succeed: (value) => done(null, value),
      fail: (error) => done(error ?? new Error('failed')),
      done: (error, value) => done(error, value),
    };
    try {
      const result = handler(event, legacyContext, done);
      if (result && typeof result.then === 'function')
        result.then(
          (value) => done(null, value),
          (error) => done(error),
        );
    } catch (error) {
      done(error);
    }
  });

const invoke = legacyRuntime ? invokeLegacy : invokeAsync;

let results;
if (mode === 'concurrent') {
  // Every invocation starts (runs to its first await) before any of them continues.
  results = await Promise.all(invocations.map(invoke));
} else {
  results = [];
  for (const invocation of invocations) results.push(await invoke(invocation));
}
parentPort.postMessage(JSON.parse(JSON.stringify(results)));
