/**
 * @fileoverview The project root of a scanned path: the nearest directory upward with
 * infrastructure code or a project marker, never above a repository root (`.git`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findContextRoots, findProjectRoot } from '../../src/project/root.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-root-')));
  temps.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const isDir = (p: string) => fs.statSync(p).isDirectory();

describe('findProjectRoot', () => {
  it.each([
    ['template.yaml', ''],
    ['stack.template.json', '{}'],
    ['serverless.yml', 'service: x'],
    ['cdk.json', '{}'],
    ['pnpm-workspace.yaml', 'packages: []'],
    ['package.json', '{ "workspaces": ["packages/*"] }'],
  ])('stops at the nearest directory with %s', (marker, text) => {
    const root = tree({ [`app/${marker}`]: text, 'app/functions/orders/index.js': '', 'template.yaml': '' });
    expect(findProjectRoot(path.join(root, 'app/functions/orders'))).toBe(path.join(root, 'app'));
  });

  it('passes over a package.json without workspaces (every function folder has one)', () => {
    const root = tree({ 'template.yaml': '', 'functions/orders/package.json': '{ "name": "orders" }', 'functions/orders/index.js': '' });
    expect(findProjectRoot(path.join(root, 'functions/orders'))).toBe(root);
  });

  it('never looks above a repository root', () => {
    const root = tree({ 'template.yaml': '', 'repo/.git/HEAD': '', 'repo/src/index.js': '' });
    expect(findProjectRoot(path.join(root, 'repo/src'))).toBe(path.join(root, 'repo'));
  });

  it('is the scanned directory itself when it has a marker', () => {
    const root = tree({ 'template.yaml': '', 'src/template.yaml': '' });
    expect(findProjectRoot(path.join(root, 'src'))).toBe(path.join(root, 'src'));
  });
});

describe('findContextRoots', () => {
  it('returns the roots the scanned paths do not cover, without nesting', () => {
    const root = tree({ 'template.yaml': '', 'a/x.js': '', 'b/y.js': '', 'b/c/z.js': '' });
    expect(findContextRoots([path.join(root, 'a'), path.join(root, 'b/c/z.js')], isDir)).toEqual([root]);
  });

  it('returns nothing when a scanned directory is the root or holds it', () => {
    const root = tree({ 'template.yaml': '', 'a/x.js': '' });
    expect(findContextRoots([root], isDir)).toEqual([]);
    expect(findContextRoots([root, path.join(root, 'a')], isDir)).toEqual([]);
  });
});
