/**
 * @fileoverview Worker thread entry: summarises the chunks of files the main thread sends
 * (src/analysis/parallel.ts). Results travel as one JSON string per chunk: summaries are plain
 * JSON data, and parsing JSON on the main thread costs about half of what structured-clone
 * deserialisation does there.
 */
import { parentPort } from 'node:worker_threads';
import { prepare, readAndSummarize } from './summarizer.js';

const post = (message: { chunk: number; files: string[] }) => {
  parentPort!.postMessage({ chunk: message.chunk, json: JSON.stringify(message.files.map(readAndSummarize)) });
};

parentPort!.on('message', (message: { chunk: number; files: string[] }) => {
  // The Python grammar loads once, on the first chunk with a .py file; chunks without one (all of
  // a JavaScript-only scan) are answered at once, as before.
  if (!message.files.some((f) => f.endsWith('.py'))) {
    post(message);
    return;
  }
  prepare(message.files).then(
    () => post(message),
    (error: unknown) => {
      throw error;
    },
  );
});
