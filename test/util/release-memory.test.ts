import * as v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { releaseMemory } from '../../src/util/release-memory.js';

const used = () => v8.getHeapStatistics().used_heap_size;

describe('releaseMemory', () => {
  it('collects garbage above the threshold, and leaves the heap alone below it', () => {
    let garbage: unknown[] | undefined = Array.from({ length: 400_000 }, (_, i) => ({ i, text: `item ${i}` }));
    const full = used();
    garbage = undefined;
    releaseMemory(Number.MAX_SAFE_INTEGER); // below the threshold: nothing happens
    expect(used()).toBeGreaterThan(full - 10 * 2 ** 20);
    releaseMemory(0);
    expect(garbage).toBeUndefined();
    expect(used()).toBeLessThan(full - 20 * 2 ** 20);
  });
});
