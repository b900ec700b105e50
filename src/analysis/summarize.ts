/**
 * @fileoverview Read and summarise one file with the given rules' visitors. The engine never
 * imports the rule registry: the composition roots (src/summarizer.ts, used by the scan and its
 * worker threads) hand it the rules, so a file gives the same summary wherever it is analysed.
 * The front-end is chosen by extension: `.py` files go to the Python walk (src/lang/python/),
 * everything else to the JavaScript/TypeScript one.
 */
import * as fs from 'node:fs';
import { emptyFileSummary, type FileSummary } from '../core/summary.js';
import { contentHash } from './cache.js';
import type { RuleVisitors } from '../lang/js/context.js';
import { compileVisitors, summarizeFile } from '../lang/js/walker.js';
import type { PyRuleVisitors } from '../lang/python/context.js';
import type { ScanError } from '../types.js';

/** Is this a file for the Python front-end? */
function isPythonFile(file: string): boolean {
  return file.endsWith('.py');
}

/** A summary, with the hash of the text it was made from when asked (for the cache, src/analysis/cache.ts). */
export type FileResult = { summary: FileSummary; hash?: string } | { error: ScanError };

export interface Summarizer {
  /**
   * Load what the front-ends of these files need before they can be summarised synchronously
   * (the Python grammar, ~50 ms once per thread; nothing for JavaScript-only lists).
   */
  prepare(files: readonly string[]): Promise<void>;
  /** Summarise source text; an internal failure on one file becomes an error on that file, never a crash. */
  summarizeSource(file: string, text: string): FileSummary;
  readAndSummarize(file: string, withHash?: boolean): FileResult;
}

export function createSummarizer(rules: ReadonlyArray<RuleVisitors & PyRuleVisitors>): Summarizer {
  let visitorTable: ReturnType<typeof compileVisitors> | undefined;
  // The Python front-end (its walk and tree-sitter) loads in `prepare`, only for lists with a .py file.
  let python: { summarize: (file: string, text: string) => FileSummary } | undefined;
  const summarizeSource = (file: string, text: string): FileSummary => {
    try {
      if (isPythonFile(file)) {
        if (!python) throw new Error('the Python parser was not loaded before the walk');
        return python.summarize(file, text);
      }
      return summarizeFile(file, text, (visitorTable ??= compileVisitors(rules)));
    } catch (error) {
      const reason = error instanceof RangeError ? 'the code is nested too deeply' : (error as Error).message;
      return { ...emptyFileSummary(file), parseError: { message: `lmi-audit could not analyse this file: ${reason}`, line: 1, column: 1 } };
    }
  };
  const readAndSummarize = (file: string, withHash = false): FileResult => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      return { error: { file, message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` } };
    }
    const summary = summarizeSource(file, text);
    return withHash ? { summary, hash: contentHash(text) } : { summary };
  };
  const prepare = async (files: readonly string[]): Promise<void> => {
    if (python || !files.some(isPythonFile)) return;
    const [{ compilePythonVisitors }, { initPythonParser }, { summarizePythonFile }] = await Promise.all([
      import('../lang/python/context.js'),
      import('../lang/python/parser.js'),
      import('../lang/python/walker.js'),
    ]);
    await initPythonParser();
    const table = compilePythonVisitors(rules);
    python ??= { summarize: (file, text) => summarizePythonFile(file, text, table) };
  };
  return { prepare, summarizeSource, readAndSummarize };
}
