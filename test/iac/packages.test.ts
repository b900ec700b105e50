/**
 * Dependency versions: the package.json nearest a code file, and the version its lockfile (beside
 * it or at its workspace root) installs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nearestPackageJson, readManifest } from '../../src/iac/packages.js';

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
        { name: 'aws-sdk', range: '^2.1.0', locked: '2.1692.0', lockfile: path.join(dir, 'package-lock.json'), line: 3, column: 5, endColumn: 24 },
        { name: 'pg', range: '^8.0.0', line: 6, column: 5, endColumn: 19 },
      ],
    });
  });

  it('returns undefined for a package.json it cannot parse', () => {
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ "dependencies": ');
    expect(readManifest(path.join(dir, 'broken.json'))).toBeUndefined();
    expect(readManifest(path.join(dir, 'missing.json'))).toBeUndefined();
  });

  it('uses the lockfile of a workspace root only for its members', () => {
    const root = path.join(dir, 'mono');
    fs.mkdirSync(path.join(root, 'packages/api'), { recursive: true });
    fs.mkdirSync(path.join(root, 'tools/seed'), { recursive: true });
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ workspaces: ['packages/*'] }));
    fs.writeFileSync(
      path.join(root, 'package-lock.json'),
      JSON.stringify({
        lockfileVersion: 3,
        packages: { 'node_modules/@aws-sdk/client-s3': { version: '3.600.0' }, 'packages/api/node_modules/@aws-sdk/client-s3': { version: '3.940.0' } },
      }),
    );
    for (const member of ['packages/api', 'tools/seed']) {
      fs.writeFileSync(path.join(root, member, 'package.json'), JSON.stringify({ dependencies: { '@aws-sdk/client-s3': '^3.200.0' } }));
    }
    // The workspace's own nested copy wins over the hoisted one.
    expect(readManifest(path.join(root, 'packages/api/package.json'))?.dependencies[0]).toMatchObject({
      locked: '3.940.0',
      lockfile: path.join(root, 'package-lock.json'),
    });
    // Not a member of the workspace: the root's lockfile does not install it.
    expect(readManifest(path.join(root, 'tools/seed/package.json'))?.dependencies[0]?.locked).toBeUndefined();
  });

  it('reads pnpm v5 importers (string versions with peer suffixes) and ignores a lockfile it cannot parse', () => {
    const pnpm = path.join(dir, 'pnpm5');
    fs.mkdirSync(pnpm, { recursive: true });
    fs.writeFileSync(path.join(pnpm, 'package.json'), JSON.stringify({ dependencies: { '@aws-sdk/client-s3': '^3.200.0' } }));
    fs.writeFileSync(path.join(pnpm, 'pnpm-lock.yaml'), "lockfileVersion: 5.4\ndependencies:\n  '@aws-sdk/client-s3': 3.610.0_peer@1.0.0\n");
    expect(readManifest(path.join(pnpm, 'package.json'))?.dependencies[0]?.locked).toBe('3.610.0');
    fs.writeFileSync(path.join(pnpm, 'pnpm-lock.yaml'), 'lockfileVersion: [unclosed\n');
    expect(readManifest(path.join(pnpm, 'package.json'))?.dependencies[0]?.locked).toBeUndefined();
  });
});
