/**
 * @fileoverview Why callback-to-async is needed, by running: the original callback handlers,
 * invoked as the LMI Node.js runtime does (two arguments, no callback, no context.succeed), never
 * answer. That their rewrites answer every event as the originals did on the on-demand runtime,
 * alone and concurrently, is proven with every other fixture in every-fixture.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { fixtureFiles } from './fixture-files.js';
import { makeInvocations, runHarness } from './run-harness.js';

describe('callback handlers on the LMI runtime', () => {
  it.each([
    ['basic', (i: number) => ({ id: `order-${i}`, lines: [{ price: i, quantity: 2 }] })],
    ['nested-callback', (i: number) => ({ key: `key-${i}` })],
    ['context-methods', (i: number) => ({ id: `id-${i}`, mode: ['fail', 'done', 'succeed'][i % 3] })],
    ['tabs', (i: number) => ({ id: `t-${i}`, fail: i % 2 === 0 })],
    ['helper-module', (i: number) => ({ key: `k-${i}` })],
  ])('%s: the original cannot answer', async (name, event) => {
    const invocations = makeInvocations(2, event);
    const unfixed = await runHarness({ ...fixtureFiles('callback-to-async', name, 'input'), invocations, timeoutMs: 2_000 }).catch((error: Error) => ({
      alone: [{ ok: false as const, error: error.message }],
    }));
    expect(unfixed.alone.every((r) => !r.ok || r.value === undefined)).toBe(true);
  });
});
