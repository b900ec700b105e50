import { afterEach, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discoverFiles, formatBytes, rebaseGitignore, SKIPPED_DIRECTORIES, type Discovery } from '../../src/project/files.js';
import { UsageError } from '../../src/errors.js';

const isRoot = process.getuid?.() === 0;
const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const temps: string[] = [];

/** Entries: file contents (string or Buffer), `{ link }` for a symlink, `{ dir: true }` for an empty directory. */
type Spec = Record<string, string | Buffer | { link: string } | { dir: true }>;

async function makeTree(spec: Spec = {}): Promise<string> {
  const root = await fs.promises.realpath(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lmi-files-')));
  temps.push(root);
  await writeTree(root, spec);
  return root;
}

async function writeTree(root: string, spec: Spec): Promise<void> {
  const entries = Object.entries(spec);
  const dirs = new Set(entries.map(([name]) => path.dirname(path.join(root, name))));
  for (const dir of dirs) await fs.promises.mkdir(dir, { recursive: true });
  await Promise.all(
    entries.map(async ([name, content]) => {
      const file = path.join(root, name);
      if (typeof content === 'string' || Buffer.isBuffer(content)) await fs.promises.writeFile(file, content);
      else if ('link' in content) await fs.promises.symlink(content.link, file);
      else await fs.promises.mkdir(file, { recursive: true });
    }),
  );
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of temps.splice(0)) {
    await restorePermissions(dir);
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
});

async function restorePermissions(dir: string): Promise<void> {
  try {
    await fs.promises.chmod(dir, 0o755);
    for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await restorePermissions(full);
      else if (entry.isFile()) await fs.promises.chmod(full, 0o644);
    }
  } catch {
    // best effort
  }
}

/** The discovery with paths relative to `root` (posix), for readable assertions. */
function rel(root: string, d: Discovery) {
  const r = (p: string) => path.relative(root, p).split(path.sep).join('/');
  return {
    sources: d.sources.map((f) => r(f.path)),
    infra: d.infra.map((f) => r(f.path)),
    tsconfigs: d.tsconfigs.map(r),
    packageJsons: d.packageJsons.map(r),
    python: d.python.map(r),
    errors: d.errors.map((e) => ({ file: r(e.file), message: e.message })),
  };
}

async function scan(root: string, paths: string[] = [], options: Partial<Parameters<typeof discoverFiles>[1]> = {}) {
  return rel(root, await discoverFiles(paths, { cwd: root, ...options }));
}

describe('classification', () => {
  it('sorts files into sources, infra, tsconfigs, package.json files and Python', async () => {
    const root = await makeTree({
      'src/handler.ts': 'export const handler = async () => 1;\n',
      'src/view.tsx': 'x',
      'src/a.mts': 'x',
      'src/b.cts': 'x',
      'src/c.js': 'x',
      'src/d.mjs': 'x',
      'src/e.cjs': 'x',
      'src/f.jsx': 'x',
      'src/types.d.ts': 'declare const x: number;',
      'src/more.d.mts': 'x',
      'src/styles.d.css.ts': 'x',
      'src/README.md': 'x',
      'src/data.json': '{}',
      'template.yaml': 'Resources: {}',
      'infra/app.template.json': '{}',
      'infra/other.template.yml': 'x',
      'infra/template.yml': 'x',
      'infra/templates.yaml': 'x',
      'serverless.yml': 'service: x',
      'svc/serverless.yaml': 'service: y',
      'tf/main.tf': 'x',
      'tf/terraform.tfvars': 'x',
      'tf/main.tf.json': '{}',
      'tf/.terraform/modules/lambda/main.tf': 'x',
      'tf/.terraform/modules/lambda/package.py': 'x',
      'samconfig.toml': 'x',
      'samconfig.yaml': 'x',
      'tsconfig.json': '{}',
      'tsconfig.build.json': '{}',
      'web/jsconfig.json': '{}',
      'package.json': '{}',
      'svc/package.json': '{}',
      'py/app.py': 'def handler(e, c): pass',
      'py/app.pyc': Buffer.from([0, 1, 2]),
    });
    expect(await scan(root)).toEqual({
      sources: ['src/a.mts', 'src/b.cts', 'src/c.js', 'src/d.mjs', 'src/e.cjs', 'src/f.jsx', 'src/handler.ts', 'src/view.tsx'],
      infra: [
        'infra/app.template.json',
        'infra/other.template.yml',
        'infra/template.yml',
        'serverless.yml',
        'svc/serverless.yaml',
        'template.yaml',
        'tf/main.tf',
        // Terraform's JSON syntax is infrastructure too.
        'tf/main.tf.json',
      ],
      tsconfigs: ['tsconfig.json', 'web/jsconfig.json'],
      packageJsons: ['package.json', 'svc/package.json'],
      python: ['py/app.py'],
      errors: [],
    });
  });

  it('reports absolute normalised paths and sizes', async () => {
    const root = await makeTree({ 'src/handler.ts': 'abcdef', 'template.yaml': 'abc' });
    const d = await discoverFiles(['./src/../'], { cwd: root });
    expect(d.sources).toEqual([{ path: path.join(root, 'src', 'handler.ts'), size: 6 }]);
    expect(d.infra).toEqual([{ path: path.join(root, 'template.yaml'), size: 3 }]);
  });

  it('reports the full size of a file larger than the part read for the binary check', async () => {
    const root = await makeTree({ 'big.ts': 'a'.repeat(20_000) });
    const d = await discoverFiles([], { cwd: root });
    expect(d.sources).toEqual([{ path: path.join(root, 'big.ts'), size: 20_000 }]);
  });
});

describe('paths', () => {
  it('an empty paths array means cwd', async () => {
    const root = await makeTree({ 'a.ts': 'x' });
    expect((await scan(root, [])).sources).toEqual(['a.ts']);
  });

  it('an empty directory gives empty lists', async () => {
    const root = await makeTree({ 'empty/sub': { dir: true } });
    expect(await scan(root, ['empty'])).toEqual({
      sources: [],
      infra: [],
      tsconfigs: [],
      packageJsons: [],
      python: [],
      errors: [],
    });
  });

  it('a path that does not exist is a UsageError naming it', async () => {
    const root = await makeTree({ 'functions/a.ts': 'x' });
    const attempt = discoverFiles(['./functionz'], { cwd: root });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(discoverFiles(['./functionz'], { cwd: root })).rejects.toThrow(/^path not found: \.\/functionz$/);
  });

  it('a broken symlink named as a root is a UsageError', async () => {
    const root = await makeTree({ 'gone.ts': { link: 'missing.ts' } });
    await expect(discoverFiles(['gone.ts'], { cwd: root })).rejects.toThrow(UsageError);
  });

  it('an explicitly named file with an unsupported extension is a UsageError', async () => {
    const root = await makeTree({ 'notes.md': 'x', 'types.d.ts': 'x' });
    await expect(discoverFiles(['notes.md'], { cwd: root })).rejects.toThrow(UsageError);
    await expect(discoverFiles(['notes.md'], { cwd: root })).rejects.toThrow(/unsupported file type: notes\.md/);
    await expect(discoverFiles(['types.d.ts'], { cwd: root })).rejects.toThrow(UsageError);
  });

  it('accepts an explicitly named file, relative or absolute, even where a walk would skip it', async () => {
    const root = await makeTree({
      '.gitignore': 'ignored.ts\n',
      'ignored.ts': 'x',
      'dist/out.js': 'x',
      'template.yaml': 'x',
      'other.ts': 'x',
    });
    expect(await scan(root, ['ignored.ts', path.join(root, 'dist/out.js'), 'template.yaml'])).toEqual({
      sources: ['dist/out.js', 'ignored.ts'],
      infra: ['template.yaml'],
      tsconfigs: [],
      packageJsons: [],
      python: [],
      errors: [],
    });
  });

  it('lists a file reached by two roots once', async () => {
    const root = await makeTree({ 'src/a.ts': 'x', 'src/sub/b.ts': 'x', 'c.ts': 'x' });
    const expected = ['c.ts', 'src/a.ts', 'src/sub/b.ts'];
    expect((await scan(root, ['.', 'src', 'src/a.ts'])).sources).toEqual(expected);
    expect((await scan(root, ['src/a.ts', 'src/sub', '.'])).sources).toEqual(expected);
  });

  it('rejects an invalid maxFileSize', async () => {
    const root = await makeTree({ 'a.ts': 'x' });
    await expect(discoverFiles([], { cwd: root, maxFileSize: -1 })).rejects.toThrow(UsageError);
  });
});

describe('skipped directories', () => {
  it.each([...SKIPPED_DIRECTORIES])('skips %s at any depth', async (name) => {
    const root = await makeTree({
      [`${name}/top.ts`]: 'x',
      [`${name}/package.json`]: '{}',
      [`packages/app/${name}/deep.ts`]: 'x',
      'packages/app/src/kept.ts': 'x',
    });
    const result = await scan(root);
    expect(result.sources).toEqual(['packages/app/src/kept.ts']);
    expect(result.packageJsons).toEqual([]);
  });

  it('skips a symlink with a skipped name', async () => {
    const root = await makeTree({ 'real/x.ts': 'x', 'pkg/node_modules': { link: '../real' } });
    expect((await scan(root, ['pkg'])).sources).toEqual([]);
  });

  it('walks an explicitly named root inside a skipped directory, but filters its descendants', async () => {
    const root = await makeTree({
      'dist/bundle.js': 'x',
      'dist/node_modules/dep/index.js': 'x',
      'dist/sub/build/gen.js': 'x',
      'dist/sub/ok.js': 'x',
    });
    expect((await scan(root, ['dist'])).sources).toEqual(['dist/bundle.js', 'dist/sub/ok.js']);
  });
});

describe('.gitignore', () => {
  it('applies nested .gitignore files to their own subtree, with negation', async () => {
    const root = await makeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': ['# generated', '*.gen.ts', 'tmp/', 'generated/', 'vendor/', '!vendor/keep.ts', ''].join('\n'),
      'a.gen.ts': 'x',
      'local.ts': 'x',
      'anchored.ts': 'x',
      'tmp/x.ts': 'x',
      'generated/g.ts': 'x',
      'vendor/keep.ts': 'x',
      'pkg/.gitignore': ['!keep.gen.ts', 'local.ts', '/anchored.ts', '!generated/', 'deep/*.js', '!deep/main.js'].join('\r\n'),
      'pkg/keep.gen.ts': 'x',
      'pkg/other.gen.ts': 'x',
      'pkg/local.ts': 'x',
      'pkg/sub/local.ts': 'x',
      'pkg/anchored.ts': 'x',
      'pkg/sub/anchored.ts': 'x',
      'pkg/tmp/x.ts': 'x',
      'pkg/generated/g.ts': 'x',
      'pkg/deep/a.js': 'x',
      'pkg/deep/main.js': 'x',
      'pkg/deep/nested/b.js': 'x',
      'sibling/local.ts': 'x',
    });
    expect((await scan(root)).sources).toEqual([
      'anchored.ts', // `/anchored.ts` in pkg/ is pkg/anchored.ts only
      'local.ts', // pkg/.gitignore does not apply outside pkg/
      'pkg/deep/main.js', // re-included by `!deep/main.js`
      'pkg/deep/nested/b.js', // `deep/*.js` does not cross a directory
      'pkg/generated/g.ts', // `!generated/` in pkg/ overrides the root's `generated/`
      'pkg/keep.gen.ts', // deeper negation wins over the root's `*.gen.ts`
      'pkg/sub/anchored.ts',
      'sibling/local.ts',
      // vendor/keep.ts stays ignored: git cannot re-include a file whose directory is excluded
    ]);
  });

  it('does not apply .gitignore files when respectGitignore is false', async () => {
    const root = await makeTree({ '.gitignore': '*.ts\n', 'a.ts': 'x', 'sub/.gitignore': 'b.ts', 'sub/b.ts': 'x' });
    expect((await scan(root, [], { respectGitignore: false })).sources).toEqual(['a.ts', 'sub/b.ts']);
    expect((await scan(root)).sources).toEqual([]);
  });

  it('applies ancestor .gitignore files up to the repository root', async () => {
    const base = await makeTree({
      '.gitignore': 'app.ts\n', // above the repository: never applies
      'repo/.git/HEAD': 'x',
      'repo/.gitignore': ['*.secret.ts', '/packages/app/generated/', 'ignored-pkg/'].join('\n'),
      'repo/packages/.gitignore': 'scratch.ts\n',
      'repo/packages/app/app.ts': 'x',
      'repo/packages/app/key.secret.ts': 'x',
      'repo/packages/app/generated/out.ts': 'x',
      'repo/packages/app/scratch.ts': 'x',
      'repo/packages/app/src/scratch.ts': 'x',
      'repo/packages/app/src/main.ts': 'x',
      'repo/packages/app/.gitignore': '/local.ts\n', // the root's own .gitignore, rebased too
      'repo/packages/app/local.ts': 'x',
      'repo/packages/app/src/local.ts': 'x',
      'repo/ignored-pkg/x.ts': 'x',
      'repo/ignored-pkg/y.secret.ts': 'x',
    });
    const app = path.join(base, 'repo/packages/app');
    expect((await scan(app)).sources).toEqual(['app.ts', 'src/local.ts', 'src/main.ts']);
    // A root the repository ignores was named on purpose: it is walked with its own rules only.
    expect((await scan(base, ['repo/ignored-pkg'])).sources).toEqual(['repo/ignored-pkg/x.ts', 'repo/ignored-pkg/y.secret.ts']);
  });

  it('finds the repository root through a .git file (worktrees, submodules)', async () => {
    const base = await makeTree({
      'repo/.git': 'gitdir: ../elsewhere\n',
      'repo/.gitignore': 'drop.ts\n',
      'repo/pkg/drop.ts': 'x',
      'repo/pkg/keep.ts': 'x',
    });
    expect((await scan(path.join(base, 'repo/pkg'))).sources).toEqual(['keep.ts']);
  });

  // Set A keeps every rule to `*` and literals. Sets B and C have `?`, `[…]`, `\\` and `**`, which
  // the basename pre-check reads as any one character (or any run); in B a trailing `**` lets
  // every basename through it, C has no such catch-all. Set D has an unterminated class, which
  // the pre-check cannot read, so every file goes through `ignore`.
  it.skipIf(!hasGit).each([
    {
      set: 'A',
      root: ['*.log.ts', 'npm-debug*', '!npm-debug-1.js', 'only/dir/', '**/deep/z.ts', 'docs/*.ts', 'Case.ts', 'vend/', '!vend/k.ts', '/a.ts', 'gen/'],
      pkg: ['x*.ts', '!xkeep.ts', '/root-only.ts', 'sub/**/inner.ts', '!gen/', 'gen/sub/'],
    },
    {
      set: 'B',
      root: ['*.log.ts', 'npm-debug*', 'f?o.ts', '[ab]x.ts', '!ax.ts', 'gen/**', '!gen/keep/', 'only/dir/', '\\#hash.ts', 'sp\\ ace.ts', 'vend/', '!vend/k.ts'],
      pkg: ['*', '!*/', '!*.ts', 'x*.ts', '!xkeep.ts', '/root-only.ts', 'sub/**/inner.ts'],
    },
    {
      set: 'C',
      root: ['*.log.[tj]s', '[Cc]ase.ts', 'x[!k]*.ts', 'a?.ts', 'n*-d**.ts', 'f?o.ts', '\\#hash.ts', 'gen/'],
      pkg: ['[]ab]x.ts', 'r\\oot-only.ts', '!gen/', 'gen/sub/'],
    },
    {
      set: 'D',
      root: ['z[.ts', 'f?o.ts', '[ab]x.ts'],
      pkg: ['x*.ts', '!xkeep.ts'],
    },
  ])('agrees with git on a tree of tricky patterns (set $set)', async ({ root: rootRules, pkg: pkgRules }) => {
    const spec: Spec = {
      '.gitignore': rootRules.join('\n'),
      'pkg/.gitignore': pkgRules.join('\n'),
      'pkg/lib/.gitignore': ['!x1.ts', 'docs/'].join('\n'),
      'pkg/lib/sub/.gitignore': 'ab[!c].ts\n',
    };
    const names = [
      'a.ts',
      'b.log.ts',
      'npm-debug.ts',
      'npm-debug-1.js',
      'foo.ts',
      'fao.ts',
      'fooo.ts',
      'ax.ts',
      'bx.ts',
      'cx.ts',
      '#hash.ts',
      'sp ace.ts',
      'case.ts',
      'Case.ts',
      'x1.ts',
      'x2.ts',
      'xkeep.ts',
      'root-only.ts',
      'inner.ts',
      'abd.ts',
      'abc.ts',
      'data.json.js',
      'z.ts',
      'k.ts',
    ];
    const dirs = [
      '',
      'gen',
      'gen/keep',
      'gen/sub',
      'only',
      'only/dir',
      'only/dir/x',
      'a/deep',
      'docs',
      'docs/sub',
      'vend',
      'pkg',
      'pkg/gen',
      'pkg/gen/sub',
      'pkg/lib',
      'pkg/lib/docs',
      'pkg/lib/sub',
      'pkg/lib/sub/deep',
      'pkg/sub/a',
      'pkg/other/sub/q',
    ];
    for (const dir of dirs) for (const name of names) spec[dir ? `${dir}/${name}` : name] = 'x';
    const root = await makeTree(spec);
    // No global or system config: a user's core.excludesFile must not change the answer.
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    execFileSync('git', ['init', '-q'], { cwd: root, env });
    const fromGit = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '-z'], {
      cwd: root,
      env,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => /\.(ts|js)$/.test(f))
      .sort();
    const ours = (await scan(root)).sources;
    expect(ours.length).toBeGreaterThan(100);
    expect(ours.length).toBeLessThan(dirs.length * names.length - 50);
    expect(ours).toEqual(fromGit);
  });

  it('rebases nested patterns onto the repository root', () => {
    expect(
      rebaseGitignore(['# c', '', '*.js', '/top.ts', 'a/b', 'dir/', '!keep.js', '\\!bang', '\\#hash', '**/x', 'trail   ', 'a[b]'].join('\n'), 'pkg/sub'),
    ).toEqual([
      'pkg/sub/**/*.js',
      'pkg/sub/top.ts',
      'pkg/sub/a/b',
      'pkg/sub/**/dir/',
      '!pkg/sub/**/keep.js',
      'pkg/sub/**/!bang',
      'pkg/sub/**/#hash',
      'pkg/sub/**/x',
      'pkg/sub/**/trail',
      'pkg/sub/**/a[b]',
    ]);
    expect(rebaseGitignore('x\n', 'we*ird[1]')).toEqual(['we\\*ird\\[1\\]/**/x']);
    expect(rebaseGitignore('x\n/y\n', '')).toEqual(['x', '/y']);
  });
});

describe('symlinks', () => {
  it('finishes with an error entry on a directory linking to its parent', async () => {
    const root = await makeTree({
      'a/handler.ts': 'x',
      'a/loop': { link: '..' },
      'a/self': { link: '.' },
    });
    const result = await scan(root);
    expect(result.sources).toEqual(['a/handler.ts']);
    expect(result.errors).toEqual([
      { file: 'a/loop', message: `symlink loop: ${path.join(root, 'a/loop')} -> ${root} (skipped)` },
      { file: 'a/self', message: `symlink loop: ${path.join(root, 'a/self')} -> ${path.join(root, 'a')} (skipped)` },
    ]);
  });

  it('detects a cycle through two links', async () => {
    const outside = await makeTree({ back: { dir: true }, 'o.ts': 'x' });
    const root = await makeTree({ 'in.ts': 'x' });
    await fs.promises.symlink(outside, path.join(root, 'out'));
    await fs.promises.rm(path.join(outside, 'back'), { recursive: true });
    await fs.promises.symlink(root, path.join(outside, 'back'));
    const result = await scan(root);
    expect(result.sources).toEqual(['in.ts', 'out/o.ts']);
    expect(result.errors).toEqual([{ file: 'out/back', message: `symlink loop: ${path.join(root, 'out/back')} -> ${root} (skipped)` }]);
  });

  it('terminates on a self-referential symlink', async () => {
    const root = await makeTree({ me: { link: 'me' }, 'a.ts': 'x' });
    const result = await scan(root);
    expect(result.sources).toEqual(['a.ts']);
    expect(result.errors).toEqual([{ file: 'me', message: `symlink loop: ${path.join(root, 'me')} -> me (skipped)` }]);
  });

  it('follows a symlinked directory outside the tree', async () => {
    const outside = await makeTree({ 'lib/shared.ts': 'x' });
    const root = await makeTree({ 'src/a.ts': 'x', 'src/shared': { link: path.join(outside, 'lib') } });
    expect(await scan(root)).toMatchObject({ sources: ['src/a.ts', 'src/shared/shared.ts'], errors: [] });
  });

  it('silently walks a directory reached by a second link only once', async () => {
    const root = await makeTree({
      'lib/util.ts': 'x',
      'app/lib-link': { link: '../lib' },
      'zz/lib-link2': { link: '../lib' },
      'aa/lib-link3': { link: '../lib' },
    });
    const result = await scan(root);
    expect(result.sources).toEqual(['lib/util.ts']); // the real path wins over the links
    expect(result.errors).toEqual([]);
  });

  it('picks the same path for a directory reached only through links, whatever the timing', async () => {
    const outside = await makeTree({ 'lib/u.ts': 'x' });
    const root = await makeTree({
      'b/link': { link: path.join(outside, 'lib') },
      'a/link': { link: path.join(outside, 'lib') },
    });
    for (let i = 0; i < 3; i++) expect((await scan(root)).sources).toEqual(['a/link/u.ts']);
  });

  it('lists a file reached through a symlinked file once, by its real path', async () => {
    const root = await makeTree({
      'src/a.ts': 'x',
      'alias.ts': { link: 'src/a.ts' },
      'z/alias.ts': { link: '../src/a.ts' },
      'lone.ts': { link: 'src/lone-target.txt' },
      'src/lone-target.txt': 'y',
    });
    expect((await scan(root)).sources).toEqual(['lone.ts', 'src/a.ts']);
  });

  it('records a broken symlink and goes on', async () => {
    const root = await makeTree({
      'src/gone.ts': { link: 'missing.ts' },
      'src/gone-dir': { link: 'missing-dir' },
      'src/ok.ts': 'x',
      '.gitignore': 'ignored-link.ts\n',
      'ignored-link.ts': { link: 'nowhere.ts' },
    });
    const result = await scan(root);
    expect(result.sources).toEqual(['src/ok.ts']);
    expect(result.errors).toEqual([
      { file: 'src/gone-dir', message: `broken symlink: ${path.join(root, 'src/gone-dir')} -> missing-dir (skipped)` },
      { file: 'src/gone.ts', message: `broken symlink: ${path.join(root, 'src/gone.ts')} -> missing.ts (skipped)` },
    ]);
  });

  it('honours .gitignore for symlinked directories', async () => {
    const outside = await makeTree({ 'lib/u.ts': 'x' });
    const root = await makeTree({ '.gitignore': 'linked/\n', linked: { link: path.join(outside, 'lib') }, 'a.ts': 'x' });
    expect((await scan(root)).sources).toEqual(['a.ts']);
  });
});

describe('file checks', () => {
  it('skips a binary file with a source extension', async () => {
    const late = Buffer.alloc(10_000, 0x61);
    late[9_000] = 0; // a NUL after the first 8 KiB is not looked at
    const root = await makeTree({
      'bin.ts': Buffer.from([0x63, 0x6f, 0x00, 0x01, 0x02]),
      'late-nul.js': late,
      'ok.ts': 'x',
      'bin.template.json': Buffer.from([0x7b, 0x00]),
    });
    const result = await scan(root);
    expect(result.sources).toEqual(['late-nul.js', 'ok.ts']);
    expect(result.infra).toEqual([]);
    expect(result.errors).toEqual([
      { file: 'bin.template.json', message: 'skipped: binary file' },
      { file: 'bin.ts', message: 'skipped: binary file' },
    ]);
  });

  it('skips a file over the size limit, naming sizes in human units', async () => {
    const root = await makeTree({
      'huge.ts': Buffer.alloc(Math.round(3.4 * 1024 * 1024), 0x61),
      'ok.ts': 'x',
    });
    const result = await scan(root);
    expect(result.sources).toEqual(['ok.ts']);
    expect(result.errors).toEqual([{ file: 'huge.ts', message: 'skipped: 3.4 MB is over the 1 MB size limit' }]);
  });

  it('uses maxFileSize, and accepts a file of exactly that size', async () => {
    const root = await makeTree({ 'at.ts': 'a'.repeat(100), 'over.ts': 'a'.repeat(150), 'twice.ts': 'a'.repeat(2048) });
    const result = await scan(root, [], { maxFileSize: 100 });
    expect(result.sources).toEqual(['at.ts']);
    expect(result.errors).toEqual([
      { file: 'over.ts', message: 'skipped: 150 B is over the 100 B size limit' },
      { file: 'twice.ts', message: 'skipped: 2 KB is over the 100 B size limit' },
    ]);
    const close = await makeTree({ 'a.ts': 'a'.repeat(1_048_577) });
    expect((await scan(close)).errors).toEqual([{ file: 'a.ts', message: 'skipped: 1048577 B is over the 1048576 B size limit' }]);
  });

  it('formats sizes', () => {
    expect([0, 17, 1024, 1536, 1_048_576, 3.4 * 1_048_576, 5 * 1024 ** 3].map(formatBytes)).toEqual([
      '0 B',
      '17 B',
      '1 KB',
      '1.5 KB',
      '1 MB',
      '3.4 MB',
      '5 GB',
    ]);
  });

  it.skipIf(isRoot)('records unreadable files and directories (chmod 000) and goes on', async () => {
    const root = await makeTree({ 'locked/a.ts': 'x', 'secret.ts': 'x', 'ok.ts': 'x' });
    await fs.promises.chmod(path.join(root, 'locked'), 0o000);
    await fs.promises.chmod(path.join(root, 'secret.ts'), 0o000);
    const result = await scan(root);
    expect(result.sources).toEqual(['ok.ts']);
    expect(result.errors).toEqual([
      { file: 'locked', message: 'cannot read directory: permission denied (EACCES)' },
      { file: 'secret.ts', message: 'cannot read file: permission denied (EACCES)' },
    ]);
  });

  it.runIf(isRoot)('does not crash on chmod 000 files and directories when running as root', async () => {
    const root = await makeTree({ 'locked/a.ts': 'x', 'secret.ts': 'x', 'ok.ts': 'x' });
    await fs.promises.chmod(path.join(root, 'locked'), 0o000);
    await fs.promises.chmod(path.join(root, 'secret.ts'), 0o000);
    const result = await scan(root);
    // root reads everything anyway
    expect(result.sources).toEqual(['locked/a.ts', 'ok.ts', 'secret.ts']);
    expect(result.errors).toEqual([]);
  });

  it('records EACCES from readdir and open (simulated, so it runs as root too)', async () => {
    const root = await makeTree({ 'locked/a.ts': 'x', 'secret.ts': 'x', 'ok.ts': 'x' });
    const eacces = (syscall: string, file: string) =>
      Object.assign(new Error(`EACCES: permission denied, ${syscall} '${file}'`), { code: 'EACCES', syscall, path: file });
    const realReaddir = fs.promises.readdir;
    vi.spyOn(fs.promises, 'readdir').mockImplementation(((dir: fs.PathLike, options?: unknown) => {
      if (String(dir) === path.join(root, 'locked')) return Promise.reject(eacces('scandir', String(dir)));
      return (realReaddir as (d: fs.PathLike, o?: unknown) => Promise<unknown>)(dir, options);
    }) as typeof fs.promises.readdir);
    const realOpen = fs.openSync;
    vi.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      if (String(file) === path.join(root, 'secret.ts')) throw eacces('open', String(file));
      return (realOpen as (f: fs.PathLike, ...r: unknown[]) => number)(file, ...rest);
    }) as typeof fs.openSync);
    const result = await scan(root);
    expect(result.sources).toEqual(['ok.ts']);
    expect(result.errors).toEqual([
      { file: 'locked', message: 'cannot read directory: permission denied (EACCES)' },
      { file: 'secret.ts', message: 'cannot read file: permission denied (EACCES)' },
    ]);
  });
});

describe('determinism and scale', () => {
  it('gives identical output on repeated runs over a larger tree', async () => {
    const spec: Spec = { '.gitignore': '*.gen.ts\n' };
    for (let p = 0; p < 20; p++) {
      spec[`packages/p${p}/.gitignore`] = '!keep.gen.ts\n';
      spec[`packages/p${p}/package.json`] = '{}';
      for (let d = 0; d < 5; d++) {
        for (let f = 0; f < 10; f++) spec[`packages/p${p}/src/d${d}/f${f}.ts`] = 'export {};\n';
        spec[`packages/p${p}/src/d${d}/x.gen.ts`] = 'x';
        spec[`packages/p${p}/src/d${d}/keep.gen.ts`] = 'x';
      }
      spec[`packages/p${p}/shared`] = { link: '../../shared' };
    }
    spec['shared/s.ts'] = 'x';
    const root = await makeTree(spec);
    const first = await discoverFiles([], { cwd: root });
    expect(first.sources).toHaveLength(20 * 5 * 11 + 1);
    expect(first.packageJsons).toHaveLength(20);
    expect(first.errors).toEqual([]);
    const paths = first.sources.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).not.toContainEqual(expect.stringMatching(/x\.gen\.ts$/));
    for (let i = 0; i < 3; i++) expect(await discoverFiles([], { cwd: root })).toEqual(first);
  });
});
