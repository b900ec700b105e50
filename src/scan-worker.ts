/**
 * @fileoverview Worker thread entry: summarises the chunks of files the main thread sends
 * (src/analysis/parallel.ts). Results travel as one JSON string per chunk: summaries are plain
 * JSON data, and parsing JSON on the main thread costs about half of what structured-clone
 * deserialisation does there.
 */
import { parentPort } from 'node:worker_threads';
import { prepare, readAndSummarize } from './summarizer.js';

interface Message {
  chunk: number;
  files: string[];
  /** Send the hash of each file's text too (the scan keeps a cache). */
  hash: boolean;
}

const post = (message: Message) => {
  parentPort!.postMessage({ chunk: message.chunk, json: JSON.stringify(message.files.map((file) => readAndSummarize(file, message.hash))) });
};

parentPort!.on('message', (message: Message) => {
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
