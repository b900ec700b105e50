import { describe, expect, it } from 'vitest';
import { resolveHandler, runtimeFamily } from '../../src/iac/handler-path.js';

const existing =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);

describe('resolveHandler', () => {
  it('splits at the last dot and tries the source extensions in order', () => {
    expect(resolveHandler({ handler: 'src/app.main', codeRoot: '/p', runtime: 'nodejs22.x', fileExists: existing('/p/src/app.js', '/p/src/app.ts') })).toEqual({
      codeFile: '/p/src/app.ts',
      exportName: 'main',
    });
    for (const extension of ['.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs']) {
      expect(resolveHandler({ handler: 'app.main', codeRoot: '/p', runtime: 'nodejs22.x', fileExists: existing(`/p/app${extension}`) }).codeFile).toBe(
        `/p/app${extension}`,
      );
    }
  });

  it('does not imply index files', () => {
    expect(resolveHandler({ handler: 'handlers.main', codeRoot: '/p', runtime: 'nodejs22.x', fileExists: existing('/p/handlers/index.ts') })).toEqual({
      exportName: 'main',
    });
  });

  it('uses .py (and dotted packages) for Python runtimes only', () => {
    const files = existing('/p/app.ts', '/p/app.py', '/p/pkg/mod.py');
    expect(resolveHandler({ handler: 'app.main', codeRoot: '/p', runtime: 'python3.13', fileExists: files }).codeFile).toBe('/p/app.py');
    expect(resolveHandler({ handler: 'pkg.mod.run', codeRoot: '/p', runtime: 'python3.13', fileExists: files })).toEqual({
      codeFile: '/p/pkg/mod.py',
      exportName: 'run',
    });
    expect(resolveHandler({ handler: 'app.main', codeRoot: '/p', runtime: 'nodejs22.x', fileExists: existing('/p/app.py') }).codeFile).toBeUndefined();
    // Runtime unknown: JS first, then Python.
    expect(resolveHandler({ handler: 'app.main', codeRoot: '/p', fileExists: existing('/p/app.py') }).codeFile).toBe('/p/app.py');
  });

  it('falls back to the Node.js runtime split (first dot of the file name) for nested handler paths', () => {
    expect(resolveHandler({ handler: 'lib/orders.handlers.create', codeRoot: '/p', runtime: 'nodejs22.x', fileExists: existing('/p/lib/orders.js') })).toEqual({
      codeFile: '/p/lib/orders.js',
      exportName: 'handlers',
    });
    expect(
      resolveHandler({ handler: 'lib/orders.handlers.create', codeRoot: '/p', runtime: 'nodejs22.x', fileExists: existing('/p/lib/orders.handlers.ts') }),
    ).toEqual({ codeFile: '/p/lib/orders.handlers.ts', exportName: 'create' });
  });

  it('returns nothing usable for malformed handlers, and no file for other runtimes', () => {
    const none = existing();
    expect(resolveHandler({ handler: 'main', codeRoot: '/p', runtime: 'nodejs22.x', fileExists: none })).toEqual({});
    expect(resolveHandler({ handler: 'src/.main', codeRoot: '/p', runtime: 'nodejs22.x', fileExists: none })).toEqual({});
    expect(resolveHandler({ handler: 'app.', codeRoot: '/p', runtime: 'nodejs22.x', fileExists: none })).toEqual({});
    expect(resolveHandler({ handler: '${file(x.yml):h}', codeRoot: '/p', fileExists: none })).toEqual({});
    expect(resolveHandler({ handler: undefined, codeRoot: '/p', fileExists: none })).toEqual({});
    expect(resolveHandler({ handler: 'com.example.Handler::handleRequest', codeRoot: '/p', runtime: 'java21', fileExists: () => true })).toEqual({});
    expect(resolveHandler({ handler: 'app.main', codeRoot: undefined, runtime: 'nodejs22.x', fileExists: () => true })).toEqual({ exportName: 'main' });
  });

  it('classifies runtimes', () => {
    expect(runtimeFamily('nodejs22.x')).toBe('node');
    expect(runtimeFamily('python3.13')).toBe('python');
    expect(runtimeFamily(undefined)).toBe('unknown');
    expect(runtimeFamily('${self:custom.runtime}')).toBe('unknown');
    expect(runtimeFamily('provided.al2023')).toBe('other');
  });
});
