/**
 * @fileoverview Proof by running for callback-to-async: each fixture handler, invoked as the
 * on-demand runtime before LMI did (a callback argument, `context.succeed/fail/done`), and its
 * rewrite, invoked as the LMI runtime does (two arguments, a promise), give every event the same
 * response, success or error. On the LMI runtime the original handlers cannot answer at all.
 */
import { describe, expect, it } from 'vitest';
import { fixtureFiles } from './fixture-files.js';
import { makeInvocations, runHarness } from './run-harness.js';

const N = 20;

describe('callback-to-async keeps what each invocation returns', () => {
  it.each([
    ['basic', (i: number) => (i % 5 === 0 ? { lines: [] } : { id: `order-${i}`, lines: [{ price: i, quantity: 2 }] })],
    ['nested-callback', (i: number) => ({ key: i % 4 === 0 ? `missing-${i}` : `key-${i}` })],
    ['context-methods', (i: number) => ({ id: `id-${i}`, mode: ['fail', 'done', 'succeed'][i % 3] })],
    ['tabs', (i: number) => ({ id: `t-${i}`, fail: i % 2 === 0 })],
    ['helper-module', (i: number) => ({ key: i % 3 === 0 ? `missing-${i}` : `k-${i}` })],
  ])('%s', async (name, event) => {
    const invocations = makeInvocations(N, event);
    const before = await runHarness({ ...fixtureFiles('callback-to-async', name, 'input'), invocations, legacyRuntime: true });
    const after = await runHarness({ ...fixtureFiles('callback-to-async', name, 'output'), invocations });
    // The events cover both outcomes.
    expect(before.alone.some((r) => r.ok)).toBe(true);
    expect(before.alone.some((r) => !r.ok) || name === 'basic').toBe(true);
    expect(after.alone).toEqual(before.alone);
    expect(after.concurrent).toEqual(before.alone);
    // The original on the LMI runtime: no callback, no context.succeed: it cannot answer.
    const unfixed = await runHarness({ ...fixtureFiles('callback-to-async', name, 'input'), invocations: invocations.slice(0, 2), timeoutMs: 2_000 }).catch(
      (error: Error) => ({ alone: [{ ok: false as const, error: error.message }] }),
    );
    expect(unfixed.alone.every((r) => !r.ok || r.value === undefined)).toBe(true);
  });
});
