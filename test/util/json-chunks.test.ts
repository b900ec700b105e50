import { describe, expect, it } from 'vitest';
import { batched, jsonChunks } from '../../src/util/json-chunks.js';

const join = (value: unknown, depth: number) => [...jsonChunks(value, depth)].join('');

describe('jsonChunks', () => {
  const samples: unknown[] = [
    { a: 1, b: [1, 2, { c: 'x\ny', d: [] }], e: {}, f: undefined, g: null, h: () => 1, i: [undefined, () => 1] },
    [],
    {},
    [[[]], [{}], 'deep'],
    { date: new Date(0), nested: { toJSON: () => ({ replaced: true }) } },
    { '1': 'integer keys first', z: 0, '0': 'like JSON.stringify' },
    'a string',
    42,
    null,
  ];

  it.each([0, 1, 2, 3, 6])('equals JSON.stringify(value, null, 2) at depth %i', (depth) => {
    for (const value of samples) expect(join(value, depth)).toBe(JSON.stringify(value, null, 2));
  });

  it('never holds the whole text: each chunk is at most one item of the streamed arrays', () => {
    const report = { findings: Array.from({ length: 2000 }, (_, i) => ({ id: i, message: `finding ${i}`, functions: ['a', 'b'] })) };
    const chunks = [...jsonChunks(report, 2)];
    const whole = JSON.stringify(report, null, 2);
    expect(chunks.join('')).toBe(whole);
    const longest = Math.max(...chunks.map((c) => c.length));
    expect(longest).toBeLessThan(200);
    expect(longest * 100).toBeLessThan(whole.length);
  });

  it('batches small chunks into pieces of the asked size, losing nothing', () => {
    const chunks = Array.from({ length: 1000 }, (_, i) => `chunk-${i};`);
    const pieces = [...batched(chunks, 100)];
    expect(pieces.join('')).toBe(chunks.join(''));
    expect(pieces.length).toBeLessThan(150);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(100);
  });
});
