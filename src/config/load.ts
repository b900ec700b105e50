/**
 * @fileoverview Finds and reads the configuration: `lmi-audit.config.json`, or the
 * `"lmi-audit"` key of a package.json, in the scanned directory or the nearest parent (the
 * search stops at a directory holding `.git`, or at the file-system root). JSON only: a
 * JavaScript configuration is refused with a message, never loaded, because scanning a
 * repository must not run its code. Every problem is a ConfigurationError naming the file and
 * the bad key (exit code 2).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../errors.js';
import type { Config, LoadedConfig } from '../types.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { validateAgainstSchema, type SchemaNode } from './validate-schema.js';
import { didYouMean } from '../util/did-you-mean.js';

const CONFIG_FILE = 'lmi-audit.config.json';
const PACKAGE_KEY = 'lmi-audit';
const CODE_CONFIG_FILES = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((ext) => `lmi-audit.config.${ext}`);

export interface LoadConfigOptions {
  /** Directory relative paths are taken from. */
  cwd: string;
  /** The scanned paths: the search starts at the first (its directory, for a file). */
  paths?: readonly string[];
  /** An explicit configuration file (`--config`): no search. */
  file?: string;
  /** Ids a `rules` key may name. */
  ruleIds: ReadonlySet<string>;
}

/**
 * The configuration a command runs under, resolved the same way for `scan` and `fix`: none for
 * `false` (`--no-config`), the named file for a string (`--config`), else the nearest one from
 * the first scanned path upward.
 */
export function resolveConfig(setting: string | false | LoadedConfig | undefined, options: Omit<LoadConfigOptions, 'file'>): LoadedConfig | undefined {
  if (setting === false) return undefined;
  if (typeof setting === 'object') return setting;
  return loadConfig({ ...options, file: setting });
}

/** The configuration that applies to the scan, or undefined when there is none. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig | undefined {
  const found = options.file !== undefined ? path.resolve(options.cwd, options.file) : findConfigFile(startDirectory(options));
  if (!found) return undefined;
  return readConfigFile(found, options.ruleIds, displayPath(options.cwd, found));
}

function startDirectory(options: LoadConfigOptions): string {
  const first = path.resolve(options.cwd, options.paths?.[0] ?? '.');
  try {
    return fs.statSync(first).isDirectory() ? first : path.dirname(first);
  } catch {
    return path.dirname(first);
  }
}

/** The nearest configuration file from `dir` upward, or undefined. */
function findConfigFile(dir: string): string | undefined {
  for (let current = path.resolve(dir); ;) {
    const json = path.join(current, CONFIG_FILE);
    if (fs.existsSync(json)) return json;
    const pkg = path.join(current, 'package.json');
    if (fs.existsSync(pkg) && packageHasKey(pkg)) return pkg;
    // Returned so that reading it refuses it with a message: silently skipping it would scan
    // with settings other than the ones the user wrote.
    const code = CODE_CONFIG_FILES.find((name) => fs.existsSync(path.join(current, name)));
    if (code) return path.join(current, code);
    if (fs.existsSync(path.join(current, '.git'))) return undefined;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function packageHasKey(file: string): boolean {
  const text = fs.readFileSync(file, 'utf8');
  // A package.json that does not mention the key is not ours to judge, even if broken.
  if (!text.includes(`"${PACKAGE_KEY}"`)) return false;
  try {
    const data = JSON.parse(stripBom(text)) as unknown;
    return typeof data === 'object' && data !== null && Object.hasOwn(data, PACKAGE_KEY);
  } catch {
    return true; // readConfigFile reports where the JSON is broken
  }
}

function readConfigFile(file: string, ruleIds: ReadonlySet<string>, shown: string): LoadedConfig {
  const base = path.basename(file);
  if (CODE_CONFIG_FILES.includes(base) || /\.[cm]?[jt]s$/.test(base)) throw refuseCodeConfig(shown);
  let text: string;
  try {
    text = stripBom(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(`${shown}: cannot read the configuration (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const where = findJsonSyntaxError(text);
    const detail = where ? `line ${where.line}, column ${where.column}: ${where.message}` : (error as Error).message;
    throw new ConfigurationError(`${shown}: invalid JSON at ${detail}`, { cause: error });
  }
  let prefix = '';
  if (base === 'package.json') {
    if (typeof data !== 'object' || data === null || !Object.hasOwn(data, PACKAGE_KEY)) {
      throw new ConfigurationError(`${shown}: has no "${PACKAGE_KEY}" key`);
    }
    data = (data as Record<string, unknown>)[PACKAGE_KEY];
    prefix = PACKAGE_KEY;
  }
  const config = validateConfig(data, ruleIds, (where, message) => {
    const key = [prefix, where].filter(Boolean).join('.');
    return new ConfigurationError(`${shown}: ${key ? `${key}: ` : ''}${message}`);
  });
  return { ...config, file, dir: path.dirname(file) };
}

/** Checks a configuration object; `error` builds the exception for a problem at a key path. */
export function validateConfig(
  data: unknown,
  ruleIds: ReadonlySet<string>,
  error: (where: string, message: string) => Error = (where, message) => new ConfigurationError(`${where ? `${where}: ` : ''}${message}`),
): Config {
  const problem = validateAgainstSchema(configSchema(), data);
  if (problem) throw error(problem.path, problem.message);
  const config = data as Config;
  for (const [id, setting] of Object.entries(config.rules ?? {})) {
    if (!ruleIds.has(id)) {
      throw error(`rules.${id}`, `unknown rule.${didYouMean(id, ruleIds)} Rules: ${[...ruleIds].sort().join(', ')}; \`lmi-audit rules\` lists them`);
    }
    const options = Array.isArray(setting) ? setting[1] : undefined;
    if (options && Object.keys(options).length > 0) throw error(`rules.${id}[1]`, `rule ${id} takes no options`);
  }
  return config;
}

let schema: SchemaNode | undefined;

/** schema/config.schema.json, found upward from this module (src/ under tests, dist/src/ when built). */
export function configSchema(): SchemaNode {
  if (schema) return schema;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'schema', 'config.schema.json');
    if (fs.existsSync(file)) return (schema = JSON.parse(fs.readFileSync(file, 'utf8')) as SchemaNode);
    if (path.dirname(dir) === dir) throw new Error('lmi-audit: schema/config.schema.json is missing from the installation');
  }
}

function refuseCodeConfig(shown: string): ConfigurationError {
  return new ConfigurationError(
    `${shown}: lmi-audit only reads JSON configuration (${CONFIG_FILE}, or the "${PACKAGE_KEY}" key of package.json) ` +
      'and never runs configuration code. Move these settings to lmi-audit.config.json.',
  );
}

function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
