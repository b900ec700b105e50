/**
 * @fileoverview The summariser every scan uses: the engine's (src/analysis/summarize.ts) with
 * the registry's rules. A composition root, like src/scan.ts: the engine itself never imports
 * the registry (test/meta.test.ts keeps it so).
 */
import { createSummarizer } from './analysis/summarize.js';
import { rules } from './rules/index.js';

export const { prepare, summarizeSource, readAndSummarize } = createSummarizer(rules);

/** What decides a summary besides the file, the tool's version and its build: the registered rules, whose visitors record the facts (src/analysis/cache.ts). */
export const summaryCacheKey = { rules: rules.map((r) => r.id) };
