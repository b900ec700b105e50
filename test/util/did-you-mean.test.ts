import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean } from '../../src/util/did-you-mean.js';

const RULES = ['global-mutable-state', 'shared-tmp-path', 'shared-db-connection', 'pool-undersized'];

describe('closestMatch', () => {
  it.each([
    ['shared-tmp-paths', 'shared-tmp-path'], // one edit
    ['shared-tmp-pth', 'shared-tmp-path'],
    ['SHARED-DB-CONNECTION', 'shared-db-connection'], // case
    ['shared-tmp', 'shared-tmp-path'], // a prefix
    ['pool-undersize', 'pool-undersized'],
  ])('%s -> %s', (input, expected) => {
    expect(closestMatch(input, RULES)).toBe(expected);
  });

  it.each([['no-such-rule'], ['db'], ['shared'], ['']])('suggests nothing for %j', (input) => {
    expect(closestMatch(input, RULES)).toBeUndefined();
  });

  it('never turns one short word into another', () => {
    expect(closestMatch('json', ['text', 'sarif'])).toBeUndefined();
    expect(closestMatch('jsn', ['text', 'json', 'sarif'])).toBe('json');
  });

  it('formats the hint for a message', () => {
    expect(didYouMean('tmp-path', ['tmp-paths', 'hoisted-state'])).toBe(' Did you mean `tmp-paths`?');
    expect(didYouMean('zzz', ['tmp-paths'])).toBe('');
  });
});
