// The mixed benchmark corpus (bench/mixed.ts): 20% Python files, deterministic, and lmi-audit finds
// every handler and exactly what the manifest seeded in the Python share.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateMixedCorpus, writeMixedCorpus } from '../../bench/mixed.js';
import { scan } from '../../src/index.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-mixed-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('mixed corpus', () => {
  it('is the same for the same size and seed, and 20% of its files are Python', () => {
    const a = generateMixedCorpus(500);
    const b = generateMixedCorpus(500);
    expect([...a.files]).toEqual([...b.files]);
    const sources = [...a.files.keys()].filter((f) => /\.(ts|py)$/.test(f));
    expect(sources).toHaveLength(a.manifest.files);
    expect(sources.filter((f) => f.endsWith('.py'))).toHaveLength(100);
    expect(a.manifest.python.files).toBe(100);
  });

  it('gives every handler, TypeScript and Python, and exactly the seeded Python findings', async () => {
    const dir = path.join(root, 'scan');
    const manifest = writeMixedCorpus(dir, 500);
    const report = await scan({ paths: [dir], cwd: dir });
    expect(report.errors).toEqual([]);
    expect(report.summary.functions).toBe(manifest.counts.handlers);
    expect(report.functions.filter((f) => f.file.endsWith('.py'))).toHaveLength(manifest.python.handlers);
    const py = report.findings.filter((f) => f.file.endsWith('.py'));
    const count = (ruleId: string) => py.filter((f) => f.ruleId === ruleId).length;
    expect(count('shared-tmp-path')).toBe(manifest.python.staticTmp);
    expect(count('unstructured-logging')).toBe(manifest.python.print);
    expect(py.filter((f) => f.ruleId === 'shared-db-connection' && f.severity === 'info')).toHaveLength(manifest.python.moduleConnection);
    // Module globals written by Python handlers are private to the invocation's process.
    expect(count('global-mutable-state')).toBe(0);
    expect(manifest.python.moduleGlobal).toBeGreaterThan(0);
    expect(report.findings.filter((f) => f.ruleId === 'shared-tmp-path')).toHaveLength(manifest.counts.staticTmp);
  }, 120_000);
});
