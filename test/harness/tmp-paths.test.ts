/**
 * @fileoverview Proof by running for tmp-paths: 50 concurrent invocations of a handler that
 * writes a static /tmp file and reads it back after an await. Before the fix every invocation
 * reads the file of whichever wrote last; after it, each reads its own.
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureFiles } from './fixture-files.js';
import { makeInvocations, runHarness } from './run-harness.js';

const N = 50;

describe('tmp-paths under 50 concurrent invocations', () => {
  afterAll(() => {
    // What the unfixed handlers leave behind.
    fs.rmSync('/tmp/data.json', { force: true });
    fs.rmSync('/tmp/work', { recursive: true, force: true });
    fs.rmSync('/tmp/monthly-report.csv', { force: true });
    for (const f of fs.readdirSync('/tmp')) if (/^monthly-report-.+\.csv$/.test(f)) fs.rmSync(`/tmp/${f}`, { force: true });
  });

  it('helper-argument: the path passed to a helper gets the same unique name; behaviour alone is unchanged', async () => {
    const invocations = makeInvocations(N, (i) => ({
      account: `acct-${i}`,
      rows: [
        [`r${i}`, `${i}`],
        ['x', 'y'],
      ],
    }));
    const before = await runHarness({ ...fixtureFiles('tmp-paths', 'helper-argument', 'input'), invocations });
    const after = await runHarness({ ...fixtureFiles('tmp-paths', 'helper-argument', 'output'), invocations });
    expect(before.alone.every((r, i) => r.ok && (r.value as { summary: string }).summary === `acct-${i}: r${i},${i}`)).toBe(true);
    console.info(`tmp-paths/helper-argument: cross-talk ${before.crossTalk.length}/${N} before the fix, ${after.crossTalk.length}/${N} after`);
    expect(before.crossTalk.length).toBeGreaterThanOrEqual(N / 2);
    expect(after.crossTalk).toEqual([]);
    // The fix changes nothing an invocation alone returns (a fix that broke the helper's path
    // would fail here with ENOENT).
    expect(after.alone).toEqual(before.alone);
  });

  it("article: before the fix, responses carry another request's /tmp file; after it, none do", async () => {
    const invocations = makeInvocations(N, (i) => ({ payload: { order: `order-${i}`, lines: i } }));
    const before = await runHarness({ ...fixtureFiles('tmp-paths', 'article', 'input'), invocations });
    const after = await runHarness({ ...fixtureFiles('tmp-paths', 'article', 'output'), invocations });
    // The baseline is right: alone, each invocation gets its own payload back.
    expect(before.alone.map((r) => r.ok && r.value)).toEqual(invocations.map((inv) => (inv.event as { payload: unknown }).payload));
    console.info(`tmp-paths/article: cross-talk ${before.crossTalk.length}/${N} before the fix, ${after.crossTalk.length}/${N} after`);
    expect(before.crossTalk.length).toBeGreaterThanOrEqual(N / 2);
    expect(after.crossTalk).toEqual([]);
    expect(after.alone, 'the fix changed what an invocation alone returns').toEqual(before.alone);
    expect(after.concurrent.every((r) => r.ok)).toBe(true);
  });

  it('work-dir: a shared work directory mixes requests; an mkdtemp directory per request does not', async () => {
    const invocations = makeInvocations(N, (i) => ({ userId: `user-${i}`, lines: [`a-${i}`, `b-${i}`, `c-${i}`] }));
    const before = await runHarness({ ...fixtureFiles('tmp-paths', 'work-dir', 'input'), invocations });
    const after = await runHarness({ ...fixtureFiles('tmp-paths', 'work-dir', 'output'), invocations });
    expect(before.alone.every((r, i) => r.ok && (r.value as { first: string }).first === `c-${i}`)).toBe(true);
    console.info(`tmp-paths/work-dir: cross-talk ${before.crossTalk.length}/${N} before the fix, ${after.crossTalk.length}/${N} after`);
    expect(before.crossTalk.length).toBeGreaterThanOrEqual(N / 2);
    expect(after.crossTalk).toEqual([]);
    expect(after.alone, 'the fix changed what an invocation alone returns').toEqual(before.alone);
    // The fixed handler removes its directory: nothing of it is left in /tmp.
    expect(
      fs
        .readdirSync('/tmp')
        .filter((f) => /^work-/.test(f) && fs.statSync(`/tmp/${f}`).isDirectory() && fs.readdirSync(`/tmp/${f}`).some((x) => x === 'input.txt')),
    ).toEqual([]);
  });
});
