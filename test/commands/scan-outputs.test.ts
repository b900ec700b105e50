/**
 * @fileoverview Which report goes where: repeated `--format fmt[=file]`, `--output-<fmt> FILE`,
 * the single-format `--output`, and at most one report on stdout.
 */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectFormat, createGithubSourceLink, resolveOutputs, type FormatSpec } from '../../src/commands/scan-outputs.js';
import { UsageError } from '../../src/errors.js';

function formats(...values: string[]): FormatSpec[] {
  return values.reduce<FormatSpec[]>((list, value) => collectFormat(value, list), []);
}

describe('report outputs', () => {
  it('defaults to text on stdout', () => {
    expect(resolveOutputs({ format: [], outputs: {} })).toEqual([{ format: 'text' }]);
  });

  it('takes several formats, each with its own file, and one on stdout', () => {
    expect(resolveOutputs({ format: formats('sarif=out.sarif', 'json=out.json', 'text'), outputs: {} })).toEqual([
      { format: 'sarif', file: 'out.sarif' },
      { format: 'json', file: 'out.json' },
      { format: 'text' },
    ]);
  });

  it('adds --output-<format> files, alone or naming the file of a --format', () => {
    expect(resolveOutputs({ format: formats('text'), outputs: { sarif: 'a.sarif', markdown: 'summary.md' } })).toEqual([
      { format: 'text' },
      { format: 'sarif', file: 'a.sarif' },
      { format: 'markdown', file: 'summary.md' },
    ]);
    expect(resolveOutputs({ format: formats('sarif'), outputs: { sarif: 'a.sarif' } })).toEqual([{ format: 'sarif', file: 'a.sarif' }]);
  });

  it('keeps --output for the single format without a file', () => {
    expect(resolveOutputs({ format: formats('json'), output: 'r.json', outputs: {} })).toEqual([{ format: 'json', file: 'r.json' }]);
    expect(resolveOutputs({ format: formats('json', 'sarif=r.sarif'), output: 'r.json', outputs: {} })).toEqual([
      { format: 'json', file: 'r.json' },
      { format: 'sarif', file: 'r.sarif' },
    ]);
    expect(resolveOutputs({ format: [], output: 'r.txt', outputs: {} })).toEqual([{ format: 'text', file: 'r.txt' }]);
  });

  it.each<[string, Parameters<typeof resolveOutputs>[0], RegExp]>([
    ['two reports on stdout', { format: formats('text', 'json'), outputs: {} }, /Only one report can go to stdout \(text, json/],
    ['a format twice', { format: formats('json=a.json', 'json=b.json'), outputs: {} }, /--format json is given twice/],
    ['two files for one report', { format: formats('sarif=a.sarif'), outputs: { sarif: 'b.sarif' } }, /name two files for one report/],
    [
      '--output with every format already in a file',
      { format: formats('json=a.json'), output: 'b', outputs: {} },
      /--output needs exactly one format without a file/,
    ],
  ])('refuses %s', (_name, options, message) => {
    expect(() => resolveOutputs(options)).toThrow(UsageError);
    expect(() => resolveOutputs(options)).toThrow(message);
  });

  it('refuses an unknown format or an empty file name while parsing arguments', () => {
    expect(() => collectFormat('xml')).toThrow(InvalidArgumentError);
    expect(() => collectFormat('sarif=')).toThrow(/file name after sarif=/);
    expect(collectFormat('json=reports/a=b.json')).toEqual([{ format: 'json', file: 'reports/a=b.json' }]);
  });
});

describe('GitHub source links', () => {
  const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc123', GITHUB_WORKSPACE: '/w' };

  it('link a report path to its line at the commit, relative to the checkout', () => {
    expect(createGithubSourceLink(env, '/w')!('src/a b.ts', 3)).toBe('https://github.com/acme/shop/blob/abc123/src/a%20b.ts#L3');
    expect(createGithubSourceLink(env, '/w/services/orders')!('src/a.ts', 3)).toBe('https://github.com/acme/shop/blob/abc123/services/orders/src/a.ts#L3');
  });

  it('are off outside a workflow, and for files outside the checkout', () => {
    expect(createGithubSourceLink({}, '/w')).toBeUndefined();
    expect(createGithubSourceLink(env, '/elsewhere')).toBeUndefined();
    expect(createGithubSourceLink(env, '/w')!('../x.ts', 1)).toBeUndefined();
  });
});
