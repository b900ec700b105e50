/**
 * @fileoverview Worker thread entry: summarises the chunks of files the main thread sends.
 */
import { parentPort } from 'node:worker_threads';
import { readAndSummarize } from './summarize.js';

parentPort!.on('message', (message: { chunk: number; files: string[] }) => {
  parentPort!.postMessage({ chunk: message.chunk, results: message.files.map(readAndSummarize) });
});
