/**
 * Worker threads send summaries back as JSON (src/scan-worker.ts): a summary must survive a
 * JSON round trip unchanged, or a big project (summarised on workers) would be analysed
 * differently from a small one (summarised on the main thread).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeSource } from '../../src/summarizer.js';

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.[mc]?[jt]sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Values JSON cannot carry (NaN, Infinity, Map, Set, functions), with where they sit. */
function nonJson(value: unknown, at = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${at} = ${value}`];
  if (typeof value === 'function' || typeof value === 'bigint' || typeof value === 'symbol') return [`${at} is a ${typeof value}`];
  if (value === null || typeof value !== 'object') return [];
  if (value instanceof Map || value instanceof Set) return [`${at} is a ${value.constructor.name}`];
  return Object.entries(value).flatMap(([k, v]) => nonJson(v, `${at}.${k}`));
}

describe('file summaries as JSON', () => {
  const files = [...sourceFiles(path.join(root, 'fixtures/rules')), ...sourceFiles(path.join(root, 'fixtures/projects'))];

  it('covers the rule and project fixtures', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('survive a JSON round trip unchanged', () => {
    for (const file of files) {
      const summary = summarizeSource(file, fs.readFileSync(file, 'utf8'));
      expect(nonJson(summary), file).toEqual([]);
      expect(JSON.parse(JSON.stringify(summary)), file).toEqual(summary);
    }
  });

  it('never carry NaN or Infinity from a numeric literal', () => {
    const summary = summarizeSource('pool.ts', "import { Pool } from 'pg';\nexport const pool = new Pool({ max: 1e999 });\n");
    expect(nonJson(summary)).toEqual([]);
    expect(summary.facts['pool-undersized']).toHaveLength(1);
  });
});
