/**
 * Dependency versions: the package.json nearest a code file, locked versions, and the lowest
 * version a range allows (what a fresh install may still resolve to).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareVersions, lowestVersion, nearestPackageJson, readManifest } from '../../src/iac/packages.js';

describe('lowestVersion', () => {
  it.each([
    ['^2.28.1', '2.28.1'],
    ['~3.500.0', '3.500.0'],
    ['3.933.0', '3.933.0'],
    ['>=3.400.0 <4', '3.400.0'],
    ['1.2.x', '1.2.0'],
    ['2', '2.0.0'],
    ['v3.1.0', '3.1.0'],
    ['^3.900.0 || ^2.1.0', '2.1.0'],
    ['=3.0.1', '3.0.1'],
  ])('%s -> %s', (range, version) => {
    expect(lowestVersion(range)).toBe(version);
  });

  it.each(['*', 'latest', 'workspace:*', 'github:aws/aws-sdk-js-v3', 'file:../sdk', '<3.0.0', ''])('%s -> unknown', (range) => {
    expect(lowestVersion(range)).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it('compares numerically, ignoring pre-release suffixes', () => {
    expect(compareVersions('3.933.0', '3.1000.0')).toBeLessThan(0);
    expect(compareVersions('2.29.0', '2.29.0')).toBe(0);
    expect(compareVersions('2.29.0-beta.1', '2.29.0')).toBe(0);
    expect(compareVersions('10.0.0', '9.9.9')).toBeGreaterThan(0);
  });
});

describe('nearestPackageJson and readManifest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-packages-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('picks the deepest package.json whose directory contains the file, and none outside them', () => {
    const manifests = [path.join(dir, 'package.json'), path.join(dir, 'services/orders/package.json'), path.join(dir, 'services/ordersx/package.json')];
    expect(nearestPackageJson(path.join(dir, 'services/orders/src/handler.ts'), manifests)).toBe(manifests[1]);
    expect(nearestPackageJson(path.join(dir, 'services/users/handler.ts'), manifests)).toBe(manifests[0]);
    expect(nearestPackageJson('/elsewhere/handler.ts', manifests)).toBeUndefined();
  });

  it('reads dependencies and optionalDependencies with their lines, and lockfile v1 versions', () => {
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ dependencies: { 'aws-sdk': '^2.1.0' }, optionalDependencies: { pg: '^8.0.0' }, devDependencies: { vitest: '^4.0.0' } }, null, 2),
    );
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 1, dependencies: { 'aws-sdk': { version: '2.1692.0' } } }));
    expect(readManifest(path.join(dir, 'package.json'))).toEqual({
      file: path.join(dir, 'package.json'),
      dependencies: [
        { name: 'aws-sdk', range: '^2.1.0', locked: '2.1692.0', line: 3, column: 5, endColumn: 24 },
        { name: 'pg', range: '^8.0.0', line: 6, column: 5, endColumn: 19 },
      ],
    });
  });

  it('returns undefined for a package.json it cannot parse', () => {
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ "dependencies": ');
    expect(readManifest(path.join(dir, 'broken.json'))).toBeUndefined();
    expect(readManifest(path.join(dir, 'missing.json'))).toBeUndefined();
  });
});
