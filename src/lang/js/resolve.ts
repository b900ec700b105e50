/**
 * @fileoverview Resolves import specifiers to the project's own source files: relative paths
 * (with the ESM `.js` -> `.ts` mapping and `index` files) and tsconfig/jsconfig `paths` and
 * `baseUrl` aliases (following `extends`). Only files the scan discovered resolve: packages in
 * `node_modules` are outside the project and stay unresolved. Config files are read as JSON
 * (comments allowed), never executed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from '../../ts.js';
import type { ScanError } from '../../types.js';
import { MemoizedResolver, type ModuleResolver } from '../../core/graph.js';
import { LayerFiles } from './layers.js';
import { LocalPackages } from './local-packages.js';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};
const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

interface AliasConfig {
  /** Directory `paths` substitutions are relative to (baseUrl, else the declaring config's directory). */
  pathsBase?: string;
  paths?: Record<string, string[]>;
  baseUrl?: string;
}

export class JsModuleResolver extends MemoizedResolver implements ModuleResolver {
  readonly errors: ScanError[] = [];
  private readonly configByDir = new Map<string, AliasConfig | null>();

  private readonly packages: LocalPackages;
  private readonly layers: LayerFiles;

  /**
   * @param files the summarised source files: the only files an import resolves to
   * @param packageJsons the project's package.json files, for its own packages imported by name
   */
  constructor(
    private readonly files: ReadonlySet<string>,
    packageJsons: readonly string[] = [],
  ) {
    super();
    this.packages = new LocalPackages(packageJsons, (base) => this.probe(base));
    this.layers = new LayerFiles(files, candidatePaths);
  }

  protected resolveUncached(dir: string, specifier: string): string | undefined {
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      return this.probe(path.resolve(dir, specifier));
    }
    if (path.isAbsolute(specifier)) return this.probe(specifier) ?? this.layers.resolve(specifier);
    if (specifier.startsWith('node:')) return undefined;
    return this.aliased(dir, specifier) ?? this.packages.resolve(specifier);
  }

  /** A tsconfig/jsconfig `paths` or `baseUrl` alias. */
  private aliased(dir: string, specifier: string): string | undefined {
    const config = this.configFor(dir);
    if (!config) return undefined;
    if (config.paths) {
      for (const [pattern, targets] of Object.entries(config.paths)) {
        const star = pattern.indexOf('*');
        let captured: string | undefined;
        if (star === -1) {
          if (pattern !== specifier) continue;
          captured = '';
        } else {
          const prefix = pattern.slice(0, star);
          const suffix = pattern.slice(star + 1);
          if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix) || specifier.length < prefix.length + suffix.length) continue;
          captured = specifier.slice(prefix.length, specifier.length - suffix.length);
        }
        for (const target of targets) {
          const found = this.probe(path.resolve(config.pathsBase!, target.replace('*', captured)));
          if (found) return found;
        }
      }
    }
    if (config.baseUrl) return this.probe(path.resolve(config.baseUrl, specifier));
    return undefined;
  }

  private probe(base: string): string | undefined {
    return candidatePaths(base).find((candidate) => this.files.has(candidate));
  }

  /** The alias settings of the nearest tsconfig/jsconfig above `dir` (cached per directory). */
  private configFor(dir: string): AliasConfig | undefined {
    const cached = this.configByDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let result: AliasConfig | undefined;
    for (const name of CONFIG_NAMES) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) {
        result = this.readConfig(file, new Set()) ?? {};
        break;
      }
    }
    if (!result) {
      const parent = path.dirname(dir);
      result = parent !== dir ? this.configFor(parent) : undefined;
    }
    this.configByDir.set(dir, result ?? null);
    return result;
  }

  private readConfig(file: string, seen: Set<string>): AliasConfig | undefined {
    if (seen.has(file)) return undefined;
    seen.add(file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      this.errors.push({ file, message: `cannot read config: ${(error as Error).message}` });
      return undefined;
    }
    const parsed = ts.parseConfigFileTextToJson(file, text);
    if (parsed.error || typeof parsed.config !== 'object' || parsed.config === null) {
      const message = parsed.error ? ts.flattenDiagnosticMessageText(parsed.error.messageText, ' ') : 'not an object';
      this.errors.push({ file, message: `invalid config, path aliases ignored: ${message}` });
      return undefined;
    }
    const dir = path.dirname(file);
    const config = parsed.config as { extends?: string | string[]; compilerOptions?: { paths?: unknown; baseUrl?: unknown } };
    let result: AliasConfig = {};
    const parents = typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends : [];
    for (const parent of parents) {
      if (typeof parent !== 'string') continue;
      const parentFile = findExtendedConfig(dir, parent);
      const inherited = parentFile ? this.readConfig(parentFile, seen) : undefined;
      if (inherited) result = { ...result, ...inherited };
    }
    const options = config.compilerOptions ?? {};
    if (typeof options.baseUrl === 'string') {
      result.baseUrl = path.resolve(dir, options.baseUrl);
      if (result.paths && !result.pathsBase) result.pathsBase = result.baseUrl;
    }
    if (options.paths && typeof options.paths === 'object') {
      const paths: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(options.paths as Record<string, unknown>)) {
        if (Array.isArray(v)) paths[k] = v.filter((x): x is string => typeof x === 'string');
      }
      result.paths = paths;
      result.pathsBase = result.baseUrl ?? dir;
    }
    return result;
  }
}

/** The files a module path may stand for, in the order Node.js and TypeScript try them: itself, its TypeScript source (`.js` -> `.ts`), an added extension, an `index` file. */
function candidatePaths(base: string): string[] {
  const candidates = [base];
  const ext = path.extname(base);
  const mapped = JS_TO_TS[ext];
  if (mapped) {
    const stem = base.slice(0, -ext.length);
    for (const m of mapped) candidates.push(stem + m);
  }
  for (const e of EXTENSIONS) candidates.push(base + e);
  for (const e of EXTENSIONS) candidates.push(path.join(base, `index${e}`));
  return candidates;
}

function findExtendedConfig(dir: string, spec: string): string | undefined {
  const candidates: string[] = [];
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    const p = path.resolve(dir, spec);
    candidates.push(p, `${p}.json`);
  } else {
    for (let d = dir; ; d = path.dirname(d)) {
      const p = path.join(d, 'node_modules', spec);
      candidates.push(p, `${p}.json`, path.join(p, 'tsconfig.json'));
      if (path.dirname(d) === d) break;
    }
  }
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}
