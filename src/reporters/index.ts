/**
 * @fileoverview The reporter registry: `--format <name>` picks one of these.
 */
import { reportJson } from './json.js';
import { reportText } from './text.js';
import type { Reporter } from './types.js';

export type { Reporter, ReporterContext } from './types.js';

export type ReporterName = 'text' | 'json';

export const reporters: Record<ReporterName, Reporter> = {
  text: reportText,
  json: reportJson,
};

export const REPORTER_NAMES = Object.keys(reporters) as ReporterName[];
