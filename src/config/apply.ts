/**
 * @fileoverview What a loaded configuration changes in a scan: which files are scanned, each
 * rule's severity (or `off`), and which exports of unnamed files are handlers. Globs are
 * picomatch globs relative to the configuration's directory; a plain directory path also
 * matches everything under it (`src/legacy` is `src/legacy/**` too), as in .gitignore.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { SEVERITY_RANK } from '../scoring/index.js';
import type { LoadedConfig, Severity } from '../types.js';

/** A predicate on absolute file paths, or undefined when the configuration selects every file. */
export function createFileSelector(config: LoadedConfig | undefined): ((file: string) => boolean) | undefined {
  if (!config || (!config.include?.length && !config.exclude?.length)) return undefined;
  const include = config.include?.length ? compile(config.include) : undefined;
  const exclude = config.exclude?.length ? compile(config.exclude) : undefined;
  return (file) => {
    const relative = relativeTo(config.dir, file);
    if (include && !include(relative)) return false;
    return !exclude?.(relative);
  };
}

/** The configured severity of a rule, `off`, or undefined (the rule's own). */
export function getConfiguredSeverity(config: LoadedConfig | undefined, ruleId: string): Severity | 'off' | undefined {
  if (!config?.rules || !Object.hasOwn(config.rules, ruleId)) return undefined;
  const setting = config.rules[ruleId]!;
  return Array.isArray(setting) ? setting[0] : setting;
}

/**
 * A finding's severity under the configuration: the configured one replaces the rule's default,
 * and a note the rule reports below its default stays a note (never raised above the setting).
 */
export function getEffectiveSeverity(reported: Severity, ruleDefault: Severity, configured: Severity | undefined): Severity {
  if (configured === undefined) return reported;
  if (reported === ruleDefault) return configured;
  return SEVERITY_RANK[reported] < SEVERITY_RANK[configured] ? reported : configured;
}

export interface HandlerOverrides {
  /** The configured handler exports of a file (absolute path), or undefined. */
  exportsOf(file: string): string[] | undefined;
  /** Keys that name one file (no glob characters), to report the ones that match nothing. */
  literalKeys: Array<{ key: string; file: string }>;
}

export function createHandlerOverrides(config: LoadedConfig | undefined): HandlerOverrides | undefined {
  if (!config?.handlers || Object.keys(config.handlers).length === 0) return undefined;
  const entries = Object.entries(config.handlers).map(([key, names]) => ({ key, names, match: compile([key]) }));
  return {
    exportsOf(file) {
      const relative = relativeTo(config.dir, file);
      const names = entries.filter((entry) => entry.match(relative)).flatMap((entry) => entry.names);
      return names.length > 0 ? [...new Set(names)] : undefined;
    },
    literalKeys: entries.filter((entry) => !picomatch.scan(entry.key).isGlob).map((entry) => ({ key: entry.key, file: path.resolve(config.dir, entry.key) })),
  };
}

function compile(globs: readonly string[]): (relative: string) => boolean {
  const patterns = globs.flatMap((glob) => {
    const clean = glob.replace(/^\.\//, '').replace(/\/+$/, '');
    return [clean, `${clean}/**`];
  });
  return picomatch(patterns, { dot: true });
}

function relativeTo(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}
