/**
 * @fileoverview Proof by running for shared-tmp-path on Python: the article's broken sample
 * (fixtures/rules/shared-tmp-path/python-article-broken.py, a static /tmp/result.json written
 * and read back) and its fixed sample (the request id in the name, `os.remove` in `finally`) run
 * in N concurrent python3 processes sharing one /tmp, as LMI runs Python. The rule reports the
 * first and not the second; running them shows why: responses of the first carry another
 * request's file, the second's never do, and alone both return what they were given.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPythonHarness } from './run-python-harness.js';

const N = 12;
const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/rules/shared-tmp-path');

describe(`shared-tmp-path (Python) under ${N} concurrent processes sharing /tmp`, () => {
  // What the broken handler leaves behind.
  afterAll(() => fs.rmSync('/tmp/result.json', { force: true }));

  it("the broken sample's responses carry another request's file; the fixed sample's never do", async () => {
    const events = Array.from({ length: N }, (_, i) => ({ payload: { order: `order-${i}`, lines: i } }));
    const before = await runPythonHarness({ file: path.join(FIXTURES, 'python-article-broken.py'), handler: 'handler', events });
    const after = await runPythonHarness({ file: path.join(FIXTURES, 'python-article-fixed.py'), handler: 'handler', events });
    // Alone, each invocation gets its own payload back, before and after.
    expect(before.alone).toEqual(events.map((e) => ({ ok: true, value: e.payload })));
    expect(after.alone).toEqual(before.alone);
    console.info(`shared-tmp-path/python-article: cross-talk ${before.crossTalk.length}/${N} before the fix, ${after.crossTalk.length}/${N} after`);
    expect(before.crossTalk.length).toBeGreaterThanOrEqual(N / 2);
    expect(after.crossTalk).toEqual([]);
    // The fixed handler removes its file: none of its names is left in /tmp.
    expect(fs.readdirSync('/tmp').filter((f) => /^result-.+-\d{3}\.json$/.test(f))).toEqual([]);
  }, 120_000);
});
