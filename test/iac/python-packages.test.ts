/**
 * Python dependency versions: PEP 440 and Poetry constraints as semver ranges, the manifests
 * nearest a code file, what requirements.txt and pyproject.toml declare for deployment, and the
 * version poetry.lock or uv.lock installs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { nearestPythonManifests, normalizePythonName, readPythonManifest } from '../../src/iac/python-packages.js';
import { toSemverRange, toSemverVersion } from '../../src/iac/python-version-range.js';

describe('toSemverVersion', () => {
  it.each([
    ['3.23', '3.23.0'],
    ['3.23.0', '3.23.0'],
    ['3.23.0.1', '3.23.0'],
    ['3.23.0.post2', '3.23.0'],
    ['3.23.0rc1', '3.23.0-rc1'],
    ['3.23.0b2', '3.23.0-b2'],
    ['3.23.0.dev4', '3.23.0'],
    ['v3', '3.0.0'],
  ])('%s -> %s', (input, output) => {
    expect(toSemverVersion(input)).toBe(output);
  });

  it('reads no epoch or word', () => {
    expect(toSemverVersion('1!2.0')).toBeUndefined();
    expect(toSemverVersion('latest')).toBeUndefined();
  });
});

describe('toSemverRange: does the constraint allow the 3.23.0 floor or later?', () => {
  const reaches = (constraint: string, poetry = false): boolean | undefined => {
    const range = toSemverRange(constraint, poetry);
    return range === undefined ? undefined : !semver.gtr('3.23.0', range);
  };

  it.each([
    // PEP 440
    ['==3.22.0', false],
    ['==3.23.0', true],
    ['==3.22.*', false],
    ['==3.*', true],
    ['>=3.0', true],
    ['>=3.0,<3.23', false],
    ['>=3.0, <=3.23.0', true],
    ['<3.23.0', false],
    ['>3.22.1', true],
    ['~=3.20', true],
    ['~=3.20.0', false],
    ['~=3.23.0', true],
    ['!=3.22.0', true],
    ['>=3.0,!=3.23.0,<3.24', true],
    ['', true],
  ])('PEP 440 %j reaches it: %s', (constraint, expected) => {
    expect(reaches(constraint)).toBe(expected);
  });

  it.each([
    ['^3.10', true],
    ['^2.30', false],
    ['~3.22', false],
    ['~3', true],
    ['3.22.0', false],
    ['*', true],
    ['^2.0 || ^3.0', true],
    ['>=3.0,<3.20', false],
  ])('Poetry %j reaches it: %s', (constraint, expected) => {
    expect(reaches(constraint, true)).toBe(expected);
  });

  it('reads no Poetry operator in PEP 440, no arbitrary string and no one-number compatible release', () => {
    expect(toSemverRange('^3.0')).toBeUndefined();
    expect(toSemverRange('3.0')).toBeUndefined();
    expect(toSemverRange('===foobar')).toBeUndefined();
    expect(toSemverRange('~=3')).toBeUndefined();
    expect(toSemverRange('>=3.*')).toBeUndefined();
  });
});

describe('readPythonManifest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-py-packages-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (relative: string, text: string): string => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };

  it('normalises names as PyPI does', () => {
    expect(normalizePythonName('AWS_Lambda.Powertools')).toBe('aws-lambda-powertools');
  });

  it('picks every manifest of the deepest directory that holds one', () => {
    const manifests = [path.join(dir, 'requirements.txt'), path.join(dir, 'svc/pyproject.toml'), path.join(dir, 'svc/requirements.txt')];
    expect(nearestPythonManifests(path.join(dir, 'svc/src/app.py'), manifests)).toEqual(manifests.slice(1));
    expect(nearestPythonManifests(path.join(dir, 'other/app.py'), manifests)).toEqual(manifests.slice(0, 1));
    expect(nearestPythonManifests('/elsewhere/app.py', manifests)).toEqual([]);
  });

  it('reads requirement lines with their columns: continuations, hashes, markers, extras; pins are what is installed', () => {
    const file = write(
      'req/requirements.txt',
      [
        '# a comment',
        '--extra-index-url https://example.invalid/simple',
        '-r base.txt',
        '-e ./local',
        './wheels/thing.whl',
        'boto3 >= 1.34  # inline comment',
        'aws-lambda-powertools[tracer]==3.5.0 \\',
        '    --hash=sha256:abc',
        'attrs (>=23) ; python_version >= "3.9"',
        'pkg @ https://example.invalid/pkg.zip',
      ].join('\n'),
    );
    expect(readPythonManifest(file)).toEqual({
      file,
      dependencies: [
        { name: 'boto3', range: '>= 1.34', compareRange: '>=1.34.0', line: 6, column: 1, endColumn: 14 },
        {
          name: 'aws-lambda-powertools',
          range: '==3.5.0',
          compareRange: '3.5.0',
          locked: '3.5.0',
          lockfile: file,
          line: 7,
          column: 1,
          endColumn: 37,
        },
        { name: 'attrs', range: '>=23', compareRange: '>=23.0.0', line: 9, column: 1, endColumn: 39 },
        { name: 'pkg', range: '@ https://example.invalid/pkg.zip', compareRange: null, line: 10, column: 1, endColumn: 38 },
      ],
    });
  });

  it('reads [project] dependencies and [tool.poetry.dependencies], not extras, groups or dev dependencies', () => {
    const file = write(
      'proj/pyproject.toml',
      [
        '[project]',
        'name = "x"',
        'dependencies = [',
        '  "aws-lambda-powertools>=3.0",',
        ']',
        '[project.optional-dependencies]',
        'extra = ["requests"]',
        '[dependency-groups]',
        'dev = ["pytest"]',
        '[tool.poetry.dependencies]',
        'python = "^3.13"',
        'boto3 = { version = "^1.34", extras = ["crt"] }',
        'shared = { path = "../shared" }',
        '[tool.poetry.group.dev.dependencies]',
        'black = "*"',
        '[tool.poetry.dependencies.httpx]',
        'version = "~0.27"',
        '[tool.uv]',
        'dev-dependencies = ["ruff"]',
      ].join('\n'),
    );
    expect(readPythonManifest(file)?.dependencies).toEqual([
      { name: 'aws-lambda-powertools', range: '>=3.0', compareRange: '>=3.0.0', line: 4, column: 3, endColumn: 31 },
      { name: 'boto3', range: '^1.34', compareRange: '^1.34', line: 12, column: 1, endColumn: 48 },
      { name: 'shared', range: 'path = ../shared', compareRange: null, line: 13, column: 1, endColumn: 32 },
      { name: 'httpx', range: '~0.27', compareRange: '~0.27', line: 16, column: 27, endColumn: 33 },
    ]);
  });

  it('takes the version poetry.lock or uv.lock installs; the lowest of a forked uv resolution', () => {
    const poetry = write('p/pyproject.toml', '[tool.poetry.dependencies]\naws-lambda-powertools = "^3.0"\n');
    write('p/poetry.lock', '[[package]]\nname = "aws-lambda-powertools"\nversion = "3.24.0"\n');
    expect(readPythonManifest(poetry)?.dependencies[0]).toMatchObject({ locked: '3.24.0', lockfile: path.join(dir, 'p/poetry.lock') });

    write('ws/pyproject.toml', '[tool.uv.workspace]\nmembers = ["apps/*"]\n');
    write(
      'ws/uv.lock',
      ['[[package]]', 'name = "aws-lambda-powertools"', 'version = "3.24.0"', '[[package]]', 'name = "aws_lambda_powertools"', 'version = "3.9.1"'].join('\n'),
    );
    const member = write('ws/apps/api/pyproject.toml', '[project]\ndependencies = ["aws-lambda-powertools"]\n');
    expect(readPythonManifest(member)?.dependencies[0]).toMatchObject({ range: '*', locked: '3.9.1', lockfile: path.join(dir, 'ws/uv.lock') });
    // Not a member: the workspace's lockfile does not install it.
    const outsider = write('ws/tools/seed/pyproject.toml', '[project]\ndependencies = ["aws-lambda-powertools"]\n');
    expect(readPythonManifest(outsider)?.dependencies[0]).not.toHaveProperty('locked');
  });

  it('returns undefined for TOML it cannot parse, and ignores a broken lockfile', () => {
    expect(readPythonManifest(write('bad/pyproject.toml', '[project\n'))).toBeUndefined();
    expect(readPythonManifest(path.join(dir, 'missing/requirements.txt'))).toBeUndefined();
    const file = write('badlock/pyproject.toml', '[project]\ndependencies = ["aws-lambda-powertools==3.0.0"]\n');
    write('badlock/uv.lock', '[[package]\n');
    expect(readPythonManifest(file)?.dependencies[0]).not.toHaveProperty('locked');
  });
});
