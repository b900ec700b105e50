/**
 * @fileoverview Proof by running for single-flight: 50 concurrent cold invocations of handlers
 * that fill a lazily initialised variable or a Map cache after an `await`. Before the fix every
 * invocation that arrives while the first load runs starts its own (the app is built 50 times,
 * a tenant's settings are loaded 10 times and the last load wins); after it, they all wait for
 * the one load, and each response equals the response that invocation gives alone.
 */
import { describe, expect, it } from 'vitest';
import { fixtureFiles } from './fixture-files.js';
import { makeInvocations, runHarness } from './run-harness.js';

const N = 50;

const cases: Array<{ name: string; event: (i: number) => unknown; loadsAlone: (value: unknown) => boolean }> = [
  {
    name: 'lazy-server',
    event: (i) => ({ path: `/orders/${i}` }),
    loadsAlone: (v) => (v as { built: number }).built === 1,
  },
  {
    name: 'nest-bootstrap',
    event: (i) => ({ path: `/users/${i}` }),
    loadsAlone: (v) => (v as { created: number }).created === 1,
  },
  {
    name: 'map-cache',
    event: (i) => ({ tenant: `tenant-${i % 5}` }),
    loadsAlone: (v) => (v as { loads: number }).loads === 1,
  },
];

describe('single-flight under 50 concurrent invocations', () => {
  it.each(cases)('$name: before the fix concurrent misses each load; after it, one load serves them all', async ({ name, event, loadsAlone }) => {
    const invocations = makeInvocations(N, event);
    const before = await runHarness({ ...fixtureFiles('single-flight', name, 'input'), invocations });
    const after = await runHarness({ ...fixtureFiles('single-flight', name, 'output'), invocations });
    expect(
      before.alone.every((r) => r.ok && loadsAlone(r.value)),
      JSON.stringify(before.alone.slice(0, 3)),
    ).toBe(true);
    console.info(`single-flight/${name}: cross-talk ${before.crossTalk.length}/${N} before the fix, ${after.crossTalk.length}/${N} after`);
    expect(before.crossTalk.length).toBeGreaterThanOrEqual(N / 2);
    expect(after.crossTalk).toEqual([]);
    expect(after.alone, 'the fix changed what an invocation alone returns').toEqual(before.alone);
    expect(after.concurrent.every((r) => r.ok && loadsAlone(r.value))).toBe(true);
  });
});

describe('single-flight keeps retrying a failed initialisation', () => {
  it('flaky-init: alone, the first invocation fails and the next one initialises, before and after the fix', async () => {
    const invocations = makeInvocations(10, (i) => ({ id: i }));
    const before = await runHarness({ ...fixtureFiles('single-flight', 'flaky-init', 'input'), invocations });
    const after = await runHarness({ ...fixtureFiles('single-flight', 'flaky-init', 'output'), invocations });
    expect(before.alone[0]).toEqual({ ok: false, error: expect.stringContaining('throttled') });
    expect(before.alone.slice(1).every((r) => r.ok && (r.value as { token: string }).token === 'token-2')).toBe(true);
    expect(after.alone).toEqual(before.alone);
    // Concurrently, the invocations that waited for the failed attempt share its error (they
    // would each have made an attempt of their own); none is left with a half-set token.
    expect(after.concurrent.every((r) => (r.ok ? (r.value as { token: string }).token === 'token-2' : r.error.includes('throttled')))).toBe(true);
  });
});
