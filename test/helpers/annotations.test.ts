/**
 * @fileoverview Tests of the annotation reader, and a sanity pass over the real fixtures: every
 * annotation they carry is well-formed and every fixture source parses. (Whether the analyser
 * agrees with them is test/rules/fixtures.test.ts.)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readExpectations } from './annotations.js';

const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/', import.meta.url));

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-annotations-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(relative: string, text: string): string {
  const file = path.join(dir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('readExpectations', () => {
  it('applies a standalone annotation to the next line', () => {
    write('handler.ts', ['let x = 0;', '// expect: global-mutable-state', 'x = 1;'].join('\n'));
    expect(readExpectations(dir)).toEqual([{ file: 'handler.ts', line: 3, ruleId: 'global-mutable-state', kind: 'expect' }]);
  });

  it('applies a trailing annotation to its own line', () => {
    write('handler.ts', ['let x = 0;', 'x = 1; // expect: global-mutable-state', 'x = 2;'].join('\n'));
    expect(readExpectations(dir)).toEqual([{ file: 'handler.ts', line: 2, ruleId: 'global-mutable-state', kind: 'expect' }]);
  });

  it('reads several ids, optional severities and `ok` annotations', () => {
    write(
      'a.mjs',
      [
        '// expect: shared-tmp-path, global-mutable-state',
        'a();',
        '  // expect: shared-db-connection (info)',
        '  b();',
        'c(); // ok: unsafe-shared-collection',
        'd(); //expect:unstructured-logging(warning) , shared-tmp-path (error)',
      ].join('\n'),
    );
    expect(readExpectations(dir)).toEqual([
      { file: 'a.mjs', line: 2, ruleId: 'global-mutable-state', kind: 'expect' },
      { file: 'a.mjs', line: 2, ruleId: 'shared-tmp-path', kind: 'expect' },
      { file: 'a.mjs', line: 4, ruleId: 'shared-db-connection', severity: 'info', kind: 'expect' },
      { file: 'a.mjs', line: 5, ruleId: 'unsafe-shared-collection', kind: 'ok' },
      { file: 'a.mjs', line: 6, ruleId: 'shared-tmp-path', severity: 'error', kind: 'expect' },
      { file: 'a.mjs', line: 6, ruleId: 'unstructured-logging', severity: 'warning', kind: 'expect' },
    ]);
  });

  it('skips stacked annotation lines to find the annotated line', () => {
    write('db.ts', ['if (!client) {', '  // expect: shared-db-connection', '  // ok: global-mutable-state', '  client = new Client();', '}'].join('\n'));
    expect(readExpectations(dir)).toEqual([
      { file: 'db.ts', line: 4, ruleId: 'global-mutable-state', kind: 'ok' },
      { file: 'db.ts', line: 4, ruleId: 'shared-db-connection', kind: 'expect' },
    ]);
  });

  it('does not mistake URLs or ordinary comments for annotations', () => {
    write(
      'a.ts',
      [
        "const url = 'https://example.com/expect: nothing';",
        '// expected: nothing here',
        '// this line is ok: not an annotation either',
        "fetch('http://x'); // expect: unstructured-logging",
      ].join('\n'),
    );
    expect(readExpectations(dir)).toEqual([{ file: 'a.ts', line: 4, ruleId: 'unstructured-logging', kind: 'expect' }]);
  });

  it('handles CRLF line endings', () => {
    write('a.cjs', ['x = 1;', '// expect: global-mutable-state', 'y = 2;'].join('\r\n'));
    expect(readExpectations(dir)).toEqual([{ file: 'a.cjs', line: 3, ruleId: 'global-mutable-state', kind: 'expect' }]);
  });

  it('walks nested directories, relative paths with `/`, source extensions only', () => {
    write('handler.ts', 'a(); // expect: shared-tmp-path');
    write('lib/store/state.js', 'b(); // expect: global-mutable-state');
    write('lib/x.tsx', 'c(); // ok: global-mutable-state');
    write('lib/y.jsx', 'd(); // ok: global-mutable-state');
    write('lib/z.cjs', 'e(); // ok: global-mutable-state');
    write('handler.py', 'x = 1  # ok: global-mutable-state\nf() // expect: global-mutable-state');
    write('README.md', 'g(); // expect: global-mutable-state');
    write('node_modules/pg/index.js', 'h(); // expect: global-mutable-state');
    expect(readExpectations(dir).map((e) => `${e.file}:${e.line}:${e.kind}`)).toEqual([
      // Python comments are `#`: the `//` on line 2 is not an annotation there.
      'handler.py:1:ok',
      'handler.ts:1:expect',
      'lib/store/state.js:1:expect',
      'lib/x.tsx:1:ok',
      'lib/y.jsx:1:ok',
      'lib/z.cjs:1:ok',
    ]);
  });

  it('reads `#` annotations in YAML files (templates, serverless.yml), standalone and trailing', () => {
    write(
      'template.yaml',
      [
        'Resources:',
        '  # a plain comment',
        '  # expect: event-source-backpressure (warning)',
        '  Queue:',
        '    Type: AWS::SQS::Queue # ok: lifecycle',
        "    Url: 'http://x // expect: lifecycle'",
      ].join('\n'),
    );
    write('bad/serverless.yml', '# expect: lifecycle\n# a comment\nfunctions: {}');
    expect(readExpectations(path.join(dir, 'template.yaml'))).toEqual([
      { file: 'template.yaml', line: 4, ruleId: 'event-source-backpressure', severity: 'warning', kind: 'expect' },
      { file: 'template.yaml', line: 5, ruleId: 'lifecycle', kind: 'ok' },
    ]);
    expect(() => readExpectations(path.join(dir, 'bad'))).toThrow(/serverless\.yml:1: annotation is followed by a comment/);
  });

  it('reads a single file, with paths relative to its directory', () => {
    const file = write('cases/one.ts', '\n// ok: shared-tmp-path\nwrite();');
    write('cases/two.ts', 'other(); // expect: shared-tmp-path');
    expect(readExpectations(file)).toEqual([{ file: 'one.ts', line: 3, ruleId: 'shared-tmp-path', kind: 'ok' }]);
  });

  it('returns nothing for a directory without annotations', () => {
    write('handler.py', 'def handler(event, context):\n    return {}\n');
    write('handler.ts', 'export const handler = async () => ({});\n');
    expect(readExpectations(dir)).toEqual([]);
  });

  it.each([
    ['an empty list', 'a(); // expect:'],
    ['an unknown severity', 'a(); // expect: shared-tmp-path (fatal)'],
    ['a severity on `ok`', 'a(); // ok: shared-tmp-path (error)'],
    ['an unreadable id', 'a(); // expect: Shared Tmp Path'],
    ['an annotation at the end of the file', 'a();\n// expect: shared-tmp-path'],
    ['an annotation followed by a blank line', '// expect: shared-tmp-path\n\na();'],
    ['an annotation followed by a comment', '// expect: shared-tmp-path\n// writes the file\na();'],
    ['`expect` and `ok` of one rule on one line', '// ok: shared-tmp-path\na(); // expect: shared-tmp-path'],
  ])('throws on %s', (_, text) => {
    write('bad.ts', text);
    expect(() => readExpectations(dir)).toThrow(/bad\.ts:\d+/);
  });
});

describe('the fixtures', () => {
  it('carry only well-formed annotations', () => {
    expect(() => readExpectations(FIXTURES_DIR)).not.toThrow();
    expect(readExpectations(FIXTURES_DIR).length).toBeGreaterThan(0);
  });

  it('parse without syntax errors', () => {
    const broken: string[] = [];
    const walk = (current: string): void => {
      for (const entry of readdirSync(current, { withFileTypes: true })) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(?:[cm]?[jt]s|[jt]sx)$/.test(entry.name)) {
          const result = ts.transpileModule(readFileSync(full, 'utf8'), {
            fileName: full,
            reportDiagnostics: true,
            compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, allowJs: true },
          });
          for (const diagnostic of result.diagnostics ?? []) {
            if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
            const where = diagnostic.start ?? 0;
            const line = diagnostic.file ? diagnostic.file.getLineAndCharacterOfPosition(where).line + 1 : 0;
            broken.push(`${path.relative(FIXTURES_DIR, full)}:${line} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
          }
        }
      }
    };
    walk(FIXTURES_DIR);
    expect(broken).toEqual([]);
  });
});
