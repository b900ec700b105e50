/**
 * @fileoverview Bare import specifiers that name a package of the project itself: a workspace
 * package of a monorepo (npm/yarn/pnpm workspaces, lerna) imported as `@org/db` or
 * `@org/db/sub`. Lambda bundles such a package with the function (it is the function's code),
 * so the graph follows it like a relative import. Packages are found by the `name` of the
 * package.json files discovery listed; a name two of them share resolves to neither. The entry is read from `exports`, `main`/`module`/`types`, then `src/index`
 * and `index`; a target in build output the scan skips (`lib/x.js` with its source `lib/x.ts`,
 * `dist/index.js` with `src/index.ts`) maps back to its source. package.json is read as JSON,
 * never executed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface LocalPackage {
  dir: string;
  manifest: Record<string, unknown>;
}

/** Conditions of an `exports` entry, in the order that finds source before declarations. */
const CONDITIONS = ['source', 'lambda', 'node', 'import', 'require', 'module', 'default', 'types'];
/** First folders of a build output whose source sits in `src/` (or beside it, as `tsc` without outDir leaves it). */
const BUILD_FOLDERS = new Set(['dist', 'build', 'lib', 'out', 'cjs', 'esm']);

export class LocalPackages {
  private byName?: Map<string, LocalPackage | null>;

  /**
   * @param packageJsons the project's package.json files (discovery's list: none under node_modules)
   * @param probe the file a path names (with the extension and `index` rules of the resolver)
   */
  constructor(
    private readonly packageJsons: readonly string[],
    private readonly probe: (base: string) => string | undefined,
  ) {}

  /** The project file a bare specifier names, when its package is one of the project's. */
  resolve(specifier: string): string | undefined {
    const { name, subpath } = splitSpecifier(specifier);
    if (!name) return undefined;
    const found = this.index().get(name);
    if (!found) return undefined;
    return subpath === '.' ? this.entry(found) : this.subpathEntry(found, subpath);
  }

  private entry(pkg: LocalPackage): string | undefined {
    const fromExports = this.exportTarget(pkg, '.');
    if (fromExports) return fromExports;
    const { manifest } = pkg;
    for (const field of ['source', 'module', 'main', 'types', 'typings']) {
      const value = manifest[field];
      if (typeof value === 'string') {
        const found = this.target(pkg.dir, value);
        if (found) return found;
      }
    }
    return this.probe(path.join(pkg.dir, 'src', 'index')) ?? this.probe(path.join(pkg.dir, 'index'));
  }

  private subpathEntry(pkg: LocalPackage, subpath: string): string | undefined {
    return this.exportTarget(pkg, subpath) ?? this.target(pkg.dir, subpath) ?? this.probe(path.join(pkg.dir, 'src', subpath));
  }

  /** `exports` for `.` or `./sub`: a string, a conditions object, a subpath map, `./*` patterns. */
  private exportTarget(pkg: LocalPackage, subpath: string): string | undefined {
    const exportsField = pkg.manifest.exports;
    if (exportsField === undefined || exportsField === null) return undefined;
    const isSubpathMap = typeof exportsField === 'object' && !Array.isArray(exportsField) && Object.keys(exportsField).some((k) => k.startsWith('.'));
    if (!isSubpathMap) return subpath === '.' ? this.conditionTarget(pkg.dir, exportsField, '') : undefined;
    const map = exportsField as Record<string, unknown>;
    if (Object.hasOwn(map, subpath)) return this.conditionTarget(pkg.dir, map[subpath], '');
    for (const [key, value] of Object.entries(map)) {
      const star = key.indexOf('*');
      if (star === -1) continue;
      const prefix = key.slice(0, star);
      const suffix = key.slice(star + 1);
      if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length) {
        const found = this.conditionTarget(pkg.dir, value, subpath.slice(prefix.length, subpath.length - suffix.length));
        if (found) return found;
      }
    }
    return undefined;
  }

  private conditionTarget(dir: string, value: unknown, captured: string): string | undefined {
    if (typeof value === 'string') return this.target(dir, value.replaceAll('*', captured));
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = this.conditionTarget(dir, item, captured);
        if (found) return found;
      }
      return undefined;
    }
    if (typeof value !== 'object' || value === null) return undefined;
    const conditions = value as Record<string, unknown>;
    const order = [...CONDITIONS.filter((c) => Object.hasOwn(conditions, c)), ...Object.keys(conditions).filter((c) => !CONDITIONS.includes(c))];
    for (const condition of order) {
      const found = this.conditionTarget(dir, conditions[condition], captured);
      if (found) return found;
    }
    return undefined;
  }

  /** A target path of the manifest, or its source when it names build output the scan skips. */
  private target(dir: string, target: string): string | undefined {
    const relative = path.normalize(target.replace(/\.d\.(m|c)?ts$/, '')).replace(/^[/\\]+/, '');
    if (relative.startsWith('..')) return undefined;
    // `lib/x.js` compiled beside its `lib/x.ts`: findings belong in the source people edit.
    const source = relative.replace(/\.(m|c)?js$/, (ext) => `.${ext.length === 4 ? ext[1] : ''}ts`);
    const direct = (source !== relative ? this.probe(path.join(dir, source)) : undefined) ?? this.probe(path.join(dir, relative));
    if (direct) return direct;
    const [first, ...rest] = relative.split(path.sep);
    if (!first || !BUILD_FOLDERS.has(first) || rest.length === 0) return undefined;
    return this.probe(path.join(dir, 'src', ...rest)) ?? this.probe(path.join(dir, ...rest));
  }

  /** The project's packages by name, read once, on the first bare specifier no alias resolves. */
  private index(): Map<string, LocalPackage | null> {
    if (this.byName) return this.byName;
    const byName = new Map<string, LocalPackage | null>();
    for (const file of this.packageJsons) {
      const manifest = readManifest(file);
      const name = manifest?.name;
      if (typeof name !== 'string' || name === '') continue;
      byName.set(name, byName.has(name) ? null : { dir: path.dirname(file), manifest: manifest! });
    }
    this.byName = byName;
    return byName;
  }
}

/** `@org/pkg/a/b` -> `@org/pkg` and `./a/b`; `pkg` -> `pkg` and `.`. */
function splitSpecifier(specifier: string): { name?: string; subpath: string } {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':') || specifier.includes('\\')) return { subpath: '.' };
  const parts = specifier.split('/');
  const size = specifier.startsWith('@') ? 2 : 1;
  if (parts.length < size || parts.slice(0, size).some((p) => p === '')) return { subpath: '.' };
  const rest = parts.slice(size);
  return { name: parts.slice(0, size).join('/'), subpath: rest.length ? `./${rest.join('/')}` : '.' };
}

function readManifest(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // a broken package.json names no package; the dependency reader reports it
  }
}
