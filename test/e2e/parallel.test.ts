/**
 * The report must not depend on parallelism: the built CLI scans the same projects on one
 * thread and on several worker threads, and the JSON reports are compared byte for byte.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/lmi-audit.js');

async function scanJson(target: string, jobs: string): Promise<string> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-par-')), 'report.json');
  try {
    await run(process.execPath, [bin, 'scan', target, '--format', 'json', '--output', out, '--jobs', jobs, '--fail-on', 'none', '--no-progress'], {
      cwd: root,
    });
    return fs.readFileSync(out, 'utf8');
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

describe('parallel analysis', () => {
  it.each(['fixtures/projects/sample-app', 'fixtures/rules'])('gives the same report for %s with 1 and 3 threads', async (target) => {
    const single = await scanJson(target, '1');
    const parallel = await scanJson(target, '3');
    expect(JSON.parse(single).findings.length).toBeGreaterThan(0);
    expect(parallel).toBe(single);
  });

  it('summarises Python files on worker threads (the grammar loads in each worker) with the same report', async () => {
    // 200 Python files: every chunk of 64 files has some, so each thread loads the Python parser.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-par-py-'));
    try {
      for (let i = 0; i < 200; i++) {
        fs.writeFileSync(
          path.join(dir, `f${String(i).padStart(3, '0')}.py`),
          `def handler(event, context):\n    open("/tmp/f${i}.json", "w")\n    print(${i})\n`,
        );
      }
      const single = await scanJson(dir, '1');
      const parallel = await scanJson(dir, '3');
      expect(JSON.parse(single).findings.length).toBe(400);
      expect(parallel).toBe(single);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
