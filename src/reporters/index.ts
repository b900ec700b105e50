/**
 * @fileoverview The reporter registry: `--format <name>` picks one of these.
 */
import { reportGithub } from './github.js';
import { reportJson } from './json.js';
import { reportMarkdown } from './markdown.js';
import { reportSarif } from './sarif.js';
import { reportText } from './text.js';
import type { Reporter } from './types.js';

export type { FindingFix, Reporter, ReporterContext } from './types.js';

export type ReporterName = 'text' | 'json' | 'sarif' | 'github' | 'markdown';

export const reporters: Record<ReporterName, Reporter> = {
  text: reportText,
  json: reportJson,
  sarif: reportSarif,
  github: reportGithub,
  markdown: reportMarkdown,
};

export const REPORTER_NAMES = Object.keys(reporters) as ReporterName[];
