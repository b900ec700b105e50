/**
 * @fileoverview Import specifiers the JavaScript resolver maps to project files beyond relative
 * paths: the project's own workspace packages by name, and Lambda layer code by its `/opt` path.
 * Each case builds a small tree in a temporary directory; the resolver reads package.json files,
 * never runs anything.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsModuleResolver } from '../../../src/lang/js/resolve.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** Writes `files` (path -> text, objects as JSON) under a new temporary root; returns a resolver over the source files and the root. */
function project(files: Record<string, string | object>): { resolve: (from: string, specifier: string) => string | undefined; root: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-resolve-'));
  roots.push(root);
  const sources = new Set<string>();
  const packageJsons: string[] = [];
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content));
    if (file.endsWith('package.json')) packageJsons.push(full);
    else sources.add(full);
  }
  const resolver = new JsModuleResolver(sources, packageJsons);
  return {
    root,
    resolve: (from, specifier) => {
      const found = resolver.resolve(path.join(root, from), specifier);
      return found === undefined ? undefined : path.relative(root, found);
    },
  };
}

describe('workspace packages imported by name', () => {
  it('resolve main, then the source of build output the repository does not hold', () => {
    const { resolve } = project({
      'packages/db/package.json': { name: '@acme/db', main: 'dist/index.js' },
      'packages/db/src/index.ts': 'export {}',
      'packages/legacy/package.json': { name: 'legacy', main: 'lib/legacy.js' },
      'packages/legacy/lib/legacy.ts': 'export {}',
      'packages/built/package.json': { name: 'built', main: 'lib/built.mjs' },
      'packages/built/lib/built.mjs': '',
      'packages/built/lib/built.mts': '',
      'packages/plain/package.json': { name: 'plain' },
      'packages/plain/index.js': '',
      'svc/handler.ts': '',
    });
    expect(resolve('svc/handler.ts', '@acme/db')).toBe('packages/db/src/index.ts');
    expect(resolve('svc/handler.ts', 'legacy')).toBe('packages/legacy/lib/legacy.ts');
    // Compiled output beside its source: the source people edit.
    expect(resolve('svc/handler.ts', 'built')).toBe('packages/built/lib/built.mts');
    expect(resolve('svc/handler.ts', 'plain')).toBe('packages/plain/index.js');
  });

  it('follow exports: conditions, subpaths, patterns and arrays; declarations only as a last resort', () => {
    const { resolve } = project({
      'packages/text/package.json': {
        name: '@acme/text',
        exports: {
          '.': { types: './src/index.d.ts', import: './src/index.mjs' },
          './format': ['./missing.js', './src/format.mjs'],
          './util/*': './src/util/*.mjs',
        },
      },
      'packages/text/src/index.mjs': '',
      'packages/text/src/format.mjs': '',
      'packages/text/src/util/pad.mjs': '',
      'svc/handler.mjs': '',
    });
    expect(resolve('svc/handler.mjs', '@acme/text')).toBe('packages/text/src/index.mjs');
    expect(resolve('svc/handler.mjs', '@acme/text/format')).toBe('packages/text/src/format.mjs');
    expect(resolve('svc/handler.mjs', '@acme/text/util/pad')).toBe('packages/text/src/util/pad.mjs');
    expect(resolve('svc/handler.mjs', '@acme/text/nothing')).toBeUndefined();
  });

  it('leave packages that are not the project’s, a name two package.json files share, and targets outside the package unresolved', () => {
    const { resolve } = project({
      'a/package.json': { name: 'dup' },
      'a/index.js': '',
      'b/package.json': { name: 'dup' },
      'b/index.js': '',
      'c/package.json': { name: 'escape', main: '../a/index.js' },
      'c/x.js': '',
      'svc/handler.js': '',
    });
    expect(resolve('svc/handler.js', 'pg')).toBeUndefined();
    expect(resolve('svc/handler.js', 'dup')).toBeUndefined();
    expect(resolve('svc/handler.js', 'escape')).toBeUndefined();
  });

  it('ignore a package.json that is not valid JSON', () => {
    const { resolve } = project({ 'svc/handler.js': '', 'pkg/index.js': '', 'pkg/package.json': '{ "name": "broken", ' });
    expect(resolve('svc/handler.js', 'broken')).toBeUndefined();
  });
});

describe('layer code imported from /opt', () => {
  it('resolve the one project file whose path ends with what follows /opt/', () => {
    const { resolve } = project({
      'layer/src/nodejs/config.mjs': '',
      'src/layers/common/util.ts': '',
      'common-layer/lib/request.js': '',
      'fn/app.mjs': '',
    });
    expect(resolve('fn/app.mjs', '/opt/nodejs/config.mjs')).toBe('layer/src/nodejs/config.mjs');
    expect(resolve('fn/app.mjs', '/opt/common/util')).toBe('src/layers/common/util.ts');
    expect(resolve('fn/app.mjs', '/opt/lib/request')).toBe('common-layer/lib/request.js');
  });

  it('try the path without nodejs/ and nodejs/node_modules/, which a build step may add', () => {
    const { resolve } = project({ 'layers/shared/tenant.js': '', 'layers/shared/format/index.js': '', 'fn/app.js': '' });
    expect(resolve('fn/app.js', '/opt/nodejs/tenant.js')).toBe('layers/shared/tenant.js');
    expect(resolve('fn/app.js', '/opt/nodejs/node_modules/format')).toBe('layers/shared/format/index.js');
  });

  it('prefer the candidate under a folder named like a layer, and resolve none between two of them', () => {
    const one = project({ 'my-layer/lib/db.js': '', 'test/lib/db.js': '', 'fn/app.js': '' });
    expect(one.resolve('fn/app.js', '/opt/lib/db.js')).toBe('my-layer/lib/db.js');
    const two = project({ 'a-layer/lib/db.js': '', 'b-layer/lib/db.js': '', 'fn/app.js': '' });
    expect(two.resolve('fn/app.js', '/opt/lib/db.js')).toBeUndefined();
    expect(two.resolve('fn/app.js', '/opt/../etc/passwd')).toBeUndefined();
  });
});
