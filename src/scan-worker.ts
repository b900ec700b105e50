/**
 * @fileoverview Worker thread entry: summarises the chunks of files the main thread sends
 * (src/analysis/parallel.ts). Results travel as one JSON string per chunk: summaries are plain
 * JSON data, and parsing JSON on the main thread costs about half of what structured-clone
 * deserialisation does there.
 */
import { parentPort } from 'node:worker_threads';
import { readAndSummarize } from './summarizer.js';

parentPort!.on('message', (message: { chunk: number; files: string[] }) => {
  parentPort!.postMessage({ chunk: message.chunk, json: JSON.stringify(message.files.map(readAndSummarize)) });
});
