// The dense benchmark corpus (bench/dense.ts) is deterministic, and lmi-audit finds every handler
// and exactly the static /tmp writes the handlers reach, as its manifest counts them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDenseCorpus } from '../../bench/dense.js';
import { scan } from '../../src/index.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-dense-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const read = (dir: string) => {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out[child] = fs.readFileSync(path.join(dir, child), 'utf8');
    }
  };
  walk('');
  return out;
};

describe('dense corpus', () => {
  it('is the same for the same size', () => {
    writeDenseCorpus(path.join(root, 'a'), 300);
    writeDenseCorpus(path.join(root, 'b'), 300);
    expect(read(path.join(root, 'a'))).toEqual(read(path.join(root, 'b')));
  });

  it('gives every handler and exactly the reached /tmp writes', async () => {
    const dir = path.join(root, 'scan');
    const manifest = writeDenseCorpus(dir, 400);
    const report = await scan({ paths: [dir], cwd: dir });
    expect(report.errors).toEqual([]);
    expect(report.summary.functions).toBe(manifest.counts.handlers);
    expect(report.findings.filter((f) => f.ruleId === 'shared-tmp-path')).toHaveLength(manifest.counts.staticTmp);
    // Dense: more findings than files.
    expect(report.findings.length).toBeGreaterThan(manifest.files * 5);
  }, 120_000);
});
