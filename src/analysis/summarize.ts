/**
 * @fileoverview Read and summarise one file with the given rules' visitors. The engine never
 * imports the rule registry: the composition roots (src/summarizer.ts, used by the scan and its
 * worker threads) hand it the rules, so a file gives the same summary wherever it is analysed.
 */
import * as fs from 'node:fs';
import type { FileSummary } from '../core/summary.js';
import type { RuleVisitors } from '../lang/js/context.js';
import { compileVisitors, summarizeFile } from '../lang/js/walker.js';
import type { ScanError } from '../types.js';

export type FileResult = { summary: FileSummary } | { error: ScanError };

export interface Summarizer {
  /** Summarise source text; an internal failure on one file becomes an error on that file, never a crash. */
  summarizeSource(file: string, text: string): FileSummary;
  readAndSummarize(file: string): FileResult;
}

export function createSummarizer(rules: readonly RuleVisitors[]): Summarizer {
  let visitorTable: ReturnType<typeof compileVisitors> | undefined;
  const summarizeSource = (file: string, text: string): FileSummary => {
    try {
      return summarizeFile(file, text, (visitorTable ??= compileVisitors(rules)));
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
  };
  const readAndSummarize = (file: string): FileResult => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      return { error: { file, message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` } };
    }
    return { summary: summarizeSource(file, text) };
  };
  return { summarizeSource, readAndSummarize };
}
