/**
 * The CLI decides whether to start worker threads early from a bounded count of source files
 * (src/analysis/workers.ts). The count must see what discovery would, and stop when it has
 * seen enough. (That prestarted workers are used and terminated is covered end to end by
 * test/e2e/parallel.test.ts, which runs the built CLI with several threads.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countSourcesUpTo, prestartWorkers } from '../../src/analysis/workers.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-workers-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function write(rel: string): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'export {};\n');
}

describe('countSourcesUpTo', () => {
  for (let i = 0; i < 5; i++) write(`src/a${i}.ts`);
  write('src/deep/b.mjs');
  write('src/types.d.ts'); // declarations are not analysed
  write('src/readme.md');
  write('node_modules/pkg/index.js'); // never descended into
  write('dist/out.js');

  it('counts the source files discovery would analyse', () => {
    expect(countSourcesUpTo(['.'], root, 1000)).toBe(6);
    expect(countSourcesUpTo(['src/deep'], root, 1000)).toBe(1);
  });

  it('stops once it has seen enough', () => {
    expect(countSourcesUpTo(['.'], root, 3)).toBeGreaterThanOrEqual(3);
    expect(countSourcesUpTo(['.'], root, 3)).toBeLessThan(6);
  });

  it('treats missing paths and files as nothing to count', () => {
    expect(countSourcesUpTo(['missing', 'src/a0.ts'], root, 1000)).toBe(0);
  });

  it('starts no workers for one thread or a small project', () => {
    expect(prestartWorkers(['.'], root, 1)).toEqual([]);
    expect(prestartWorkers(['.'], root, 'auto')).toEqual([]);
  });
});
