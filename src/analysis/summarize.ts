/**
 * @fileoverview Read and summarise one file with every rule's visitors. Shared by the main
 * thread and the worker threads, so a file gives the same summary wherever it is analysed.
 */
import * as fs from 'node:fs';
import { rules } from '../rules/index.js';
import type { ScanError } from '../types.js';
import type { FileSummary } from './summary.js';
import { compileVisitors, summarizeFile } from './walker.js';

let visitorTable: ReturnType<typeof compileVisitors> | undefined;

function ruleVisitors(): ReturnType<typeof compileVisitors> {
  return (visitorTable ??= compileVisitors(rules.map((r) => r.visitors)));
}

export type FileResult = { summary: FileSummary } | { error: ScanError };

/** Summarise source text; an internal failure on one file becomes an error on that file, never a crash. */
export function summarizeSource(file: string, text: string): FileSummary {
  try {
    return summarizeFile(file, text, ruleVisitors());
  } catch (error) {
    const reason = error instanceof RangeError ? 'the code is nested too deeply' : (error as Error).message;
    return {
      file,
      parseError: { message: `lmi-audit could not analyse this file: ${reason}`, line: 1, column: 1 },
      imports: {},
      exports: {},
      reexports: [],
      starExports: [],
      commonjs: false,
      bindings: {},
      functions: [],
      facts: {},
    };
  }
}

export function readAndSummarize(file: string): FileResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { error: { file, message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` } };
  }
  return { summary: summarizeSource(file, text) };
}
