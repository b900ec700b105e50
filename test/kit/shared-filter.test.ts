import { describe, expect, it } from 'vitest';
import { sharedFilter } from '../../src/kit/shared-filter.js';
import type { HandlerInfo } from '../../src/rules/define.js';

const handler = (index: number, logContext: boolean): HandlerInfo =>
  ({ index, id: `h${index}.ts#handler`, file: index, reach: { functions: new Map(), bindings: new Set(), logContext } }) as HandlerInfo;

describe('sharedFilter', () => {
  const a = handler(0, false);
  const b = handler(1, true);
  const c = handler(2, false);

  it('gives the list itself when every handler is kept, and one array per list otherwise', () => {
    const withoutLogContext = sharedFilter((h) => !h.reach.logContext);
    const plain = [a, c];
    const mixed = [a, b, c];
    expect(withoutLogContext(plain)).toBe(plain);
    const once = withoutLogContext(mixed);
    expect(once).toEqual([a, c]);
    expect(withoutLogContext(mixed)).toBe(once); // asked again: the same array, so findings share it
    expect(withoutLogContext([a, b, c])).not.toBe(once); // another list with the same handlers: its own answer
    expect(mixed).toEqual([a, b, c]); // the input is never changed
  });

  it('filters a list again when it has grown', () => {
    const keepEven = sharedFilter((h) => h.index % 2 === 0);
    const list = [a, b];
    expect(keepEven(list)).toEqual([a]);
    list.push(c);
    expect(keepEven(list)).toEqual([a, c]);
  });
});
