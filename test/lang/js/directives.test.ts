/**
 * @fileoverview `lmi-audit-ignore*` comments as the walk collects them: only real comments that
 * start with the directive, their rule ids and reason, and the lines each one covers.
 */
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { collectDirectives } from '../../../src/lang/js/directives.js';
import { summarizeSource } from '../../../src/summarizer.js';

function directivesOf(lines: string[]) {
  const text = lines.join('\n');
  return collectDirectives(ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
}

describe('collectDirectives', () => {
  it('reads the three directives, their rule ids and reason', () => {
    const directives = directivesOf([
      '/* lmi-audit-ignore-file shared-tmp-path -- lock files */',
      '// lmi-audit-ignore-next-line global-mutable-state, shared-tmp-path -- two rules',
      'state = 1;',
      'other(); // lmi-audit-ignore shared-tmp-path  --   spaced   reason ',
    ]);
    expect(directives.map(({ kind, rules, reason }) => ({ kind, rules, reason }))).toEqual([
      { kind: 'file', rules: ['shared-tmp-path'], reason: 'lock files' },
      { kind: 'next-line', rules: ['global-mutable-state', 'shared-tmp-path'], reason: 'two rules' },
      { kind: 'line', rules: ['shared-tmp-path'], reason: 'spaced reason' },
    ]);
    expect(directives[1]!.loc).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 81 });
    expect(directives[1]!.lines).toEqual([[3, 3]]);
    expect(directives[2]!.lines).toEqual([[4, 4]]);
  });

  it('keeps a missing rule id or reason visible, and names an unknown directive', () => {
    const directives = directivesOf([
      '// lmi-audit-ignore-next-line',
      'a();',
      '// lmi-audit-ignore-next-line shared-tmp-path --',
      'b();',
      '// lmi-audit-ignore-line shared-tmp-path -- typo',
      'c();',
    ]);
    expect(directives.map(({ kind, name, rules, reason }) => ({ kind, name, rules, reason }))).toEqual([
      { kind: 'next-line', name: 'lmi-audit-ignore-next-line', rules: [], reason: undefined },
      { kind: 'next-line', name: 'lmi-audit-ignore-next-line', rules: ['shared-tmp-path'], reason: undefined },
      { kind: 'unknown', name: 'lmi-audit-ignore-line', rules: ['shared-tmp-path'], reason: 'typo' },
    ]);
  });

  it('ignores the marker in strings, templates, regular expressions and prose comments', () => {
    expect(
      directivesOf([
        "const a = 'lmi-audit-ignore shared-tmp-path -- no';",
        'const b = `lmi-audit-ignore ${a} -- no`;',
        'const c = /lmi-audit-ignore/;',
        '// see lmi-audit-ignore in the README',
      ]),
    ).toEqual([]);
  });

  it('reads JSDoc-style block comments over several lines', () => {
    const [directive] = directivesOf(['/**', ' * lmi-audit-ignore-next-line shared-tmp-path --', ' *   a long', ' *   reason', ' */', 'f();']);
    expect(directive).toMatchObject({ kind: 'next-line', rules: ['shared-tmp-path'], reason: 'a long reason', lines: [[6, 6]] });
  });

  it('covers a whole multi-line statement from a comment above (or on) its first line', () => {
    const lines = [
      '// lmi-audit-ignore-next-line shared-tmp-path -- above', // 1
      'await Promise.all([', // 2
      '  a(),', // 3
      "  writeFile('/tmp/x', data),", // 4
      ']);', // 5
      'const client = new Client({ // lmi-audit-ignore shared-db-connection -- same line', // 6
      '  connectionString: url,', // 7
      '});', // 8
    ];
    const [above, same] = directivesOf(lines);
    expect(above!.lines).toEqual([[2, 5]]);
    expect(same!.lines).toEqual([[6, 8]]);
  });

  it('does not cover the statements nested in a function, class or block that starts on its line', () => {
    const [fn, cls] = directivesOf([
      '// lmi-audit-ignore-next-line global-mutable-state -- the declaration only', // 1
      'export const handler = async (event) => {', // 2
      '  state = event;', // 3
      '  await run(() => {', // 4
      '    more();', // 5
      '  });', // 6
      '};', // 7
      '// lmi-audit-ignore-next-line unsafe-shared-collection -- the class line', // 8
      'class Cache {', // 9
      '  private map = new Map();', // 10
      '  get(k) {', // 11
      '    return this.map.get(k);', // 12
      '  }', // 13
      '}', // 14
    ]);
    expect(fn!.lines).toEqual([
      [2, 2],
      [7, 7],
    ]);
    expect(cls!.lines).toEqual([
      [9, 9],
      [14, 14],
    ]);
  });

  it('skips blank lines and other comments to the next code, and covers nothing at the end of the file', () => {
    const [skipping, last] = directivesOf([
      '// lmi-audit-ignore-next-line shared-tmp-path -- skips', // 1
      '', // 2
      '// eslint-disable-next-line no-console', // 3
      'f();', // 4
      '// lmi-audit-ignore-next-line shared-tmp-path -- nothing after', // 5
    ]);
    expect(skipping!.lines).toEqual([[4, 4]]);
    expect(last!.lines).toEqual([]);
  });
});

describe('the walk', () => {
  it('records directives only for files that contain the marker', () => {
    expect(summarizeSource('/a.ts', 'export const handler = () => 1;\n').directives).toBeUndefined();
    const summary = summarizeSource('/b.ts', '// lmi-audit-ignore-next-line shared-tmp-path -- x\nexport const handler = () => 1;\n');
    expect(summary.directives).toHaveLength(1);
  });
});
