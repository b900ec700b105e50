/**
 * @fileoverview Proof by running for hoisted-state: 50 concurrent invocations of handlers that
 * keep per-request data in module-level state. Before the fix, after the first await every
 * invocation sees the data of the one that wrote last; after it, each sees its own.
 */
import { describe, expect, it } from 'vitest';
import { fixtureFiles } from './fixture-files.js';
import { makeInvocations, runHarness } from './run-harness.js';

const N = 50;

const cases: Array<{ name: string; event: (i: number) => unknown; expectAlone: (value: unknown, i: number) => boolean }> = [
  {
    name: 'article',
    event: (i) => ({ userId: `user-${i}`, data: { n: i } }),
    expectAlone: (v, i) => (v as { user: string }).user === `user-${i}`,
  },
  {
    name: 'helper-param',
    event: (i) => ({ userId: `user-${i}`, admin: i % 7 === 0, documentId: `doc-${(i * 3) % N}` }),
    expectAlone: (v, i) => (v as { user: string }).user === `user-${i}`,
  },
  {
    name: 'object-record',
    event: (i) => ({ userId: `user-${i}`, locale: i % 2 ? 'de' : 'fr' }),
    expectAlone: (v, i) => (v as { text: string }).text === `user-${i}/${i % 2 ? 'de' : 'fr'}`,
  },
  {
    name: 'commonjs',
    event: (i) => ({ invoiceId: `inv-${i}`, total: i * 10 }),
    expectAlone: (v, i) => (v as { invoice: string }).invoice === `inv-${i}:${i * 10}`,
  },
];

describe('hoisted-state under 50 concurrent invocations', () => {
  it.each(cases)("$name: before the fix responses carry another user's data; after it, none do", async ({ name, event, expectAlone }) => {
    const invocations = makeInvocations(N, event);
    const before = await runHarness({ ...fixtureFiles('hoisted-state', name, 'input'), invocations });
    const after = await runHarness({ ...fixtureFiles('hoisted-state', name, 'output'), invocations });
    expect(
      before.alone.every((r, i) => r.ok && expectAlone(r.value, i)),
      JSON.stringify(before.alone.slice(0, 3)),
    ).toBe(true);
    console.info(`hoisted-state/${name}: cross-talk ${before.crossTalk.length}/${N} before the fix, ${after.crossTalk.length}/${N} after`);
    expect(before.crossTalk.length).toBeGreaterThanOrEqual(N / 2);
    expect(after.crossTalk).toEqual([]);
    expect(after.alone, 'the fix changed what an invocation alone returns').toEqual(before.alone);
    expect(after.concurrent.every((r) => r.ok)).toBe(true);
  });
});
