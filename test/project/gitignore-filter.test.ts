import ignore from 'ignore';
import { describe, expect, it } from 'vitest';
import { NameFilter, readRule, type FilterRule } from '../../src/project/gitignore-filter.js';

function filterOf(patterns: string[], forDirectories = false, ignoreCase = false): NameFilter | null {
  const rules: FilterRule[] = [];
  for (const pattern of patterns) {
    const rule = readRule(pattern, forDirectories);
    if (rule === null) return null;
    if (rule !== undefined) rules.push(rule);
  }
  return new NameFilter(rules, ignoreCase);
}

describe('the .gitignore pre-check', () => {
  it('rejects what no rule can match, by name, extension, prefix, pattern and parent', () => {
    const filter = filterOf(['coverage', '*.log', '*.tar.gz', '*~', 'npm-debug.log*', '*.py[cod]', 'dist/*', '**/builds/*', '!keep.ts', 'out/'])!;
    const through = (parent: string, name: string) => filter.mayMatch(parent, name);
    expect(through('src', 'coverage')).toBe(true);
    expect(through('src', 'x.log')).toBe(true);
    expect(through('src', 'x.tar.gz')).toBe(true);
    expect(through('src', 'x.gz')).toBe(false);
    expect(through('src', 'notes.txt~')).toBe(true);
    expect(through('src', 'npm-debug.log.1')).toBe(true);
    expect(through('src', 'app.pyc')).toBe(true);
    expect(through('src', 'app.py')).toBe(false);
    expect(through('dist', 'index.js')).toBe(true);
    expect(through('src', 'index.js')).toBe(false);
    expect(through('builds', 'x.ts')).toBe(true);
    expect(through('src', 'keep.ts')).toBe(false); // a negation ignores nothing
    expect(through('src', 'out')).toBe(false); // a directory-only rule, asked for a file
    expect(filterOf(['out/'], true)!.mayMatch('src', 'out')).toBe(true);
    expect(filterOf(['x[.ts'])).toBeNull(); // unterminated: can't tell
    // `a/**` reaches below `a/keep/` when `!a/keep/` takes that directory back: any parent.
    expect(filterOf(['a/**'])!.mayMatch('keep', 'x.ts')).toBe(true);
  });

  it('folds case where the file system does', () => {
    expect(filterOf(['*.LOG', 'Cover'], false, true)!.mayMatch('', 'a.log')).toBe(true);
    expect(filterOf(['*.LOG', 'Cover'], false, true)!.mayMatch('', 'cover')).toBe(true);
    expect(filterOf(['*.LOG'], false, false)!.mayMatch('', 'a.log')).toBe(false);
  });

  // The contract: whatever `ignore` ignores directly in a directory it does not exclude, the
  // pre-check lets through. Random rules and names from a small alphabet, so they meet often.
  it('lets through everything `ignore` ignores, on 50,000 random rules and entries', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(items: readonly T[]) => items[random(items.length)]!;
    const pieces = ['a', 'b', '.', 'x', '*', '**', '?', '[ab]', '[!a]', '\\a', '-'];
    const segment = () => Array.from({ length: 1 + random(3) }, () => pick(pieces)).join('');
    const name = () => Array.from({ length: 1 + random(4) }, () => pick(['a', 'b', '.', 'x', '-'])).join('');
    let checked = 0;
    for (let i = 0; i < 50_000; i++) {
      const segments = Array.from({ length: 1 + random(3) }, segment);
      let pattern = `${pick(['', '', '/', '**/'])}${segments.join('/')}${pick(['', '', '/'])}`;
      if (pattern.replaceAll('/', '') === '') pattern = 'a';
      const forDirectories = random(2) === 1;
      const ig = ignore().add(pattern);
      const parent = name();
      const entry = name();
      const dir = `r/${parent}/`;
      if (ig.ignores('r/') || ig.ignores(dir)) continue;
      if (!ig.ignores(`${dir}${entry}${forDirectories ? '/' : ''}`)) continue;
      checked++;
      const filter = filterOf([pattern], forDirectories);
      if (filter) expect(filter.mayMatch(parent, entry), `${pattern} on ${dir}${entry}`).toBe(true);
    }
    expect(checked).toBeGreaterThan(400);
  });
});
