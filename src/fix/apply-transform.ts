/**
 * @fileoverview Runs one transform on one source text in-process, the way jscodeshift's runner
 * would: the transform gets `{ jscodeshift, j, stats, report }` with the parser its `parser`
 * export chooses for the file. Notes it reports are collected instead of printed.
 */
import jscodeshift from 'jscodeshift';
import type { TransformModule } from '../../transforms/index.js';
import type { TransformOptions } from '../../transforms/lib/types.js';

export interface TransformRun {
  /** The new source, or the input when the transform changed nothing. */
  output: string;
  changed: boolean;
  notes: string[];
}

export function applyTransform(transform: TransformModule, file: { path: string; source: string }, options: TransformOptions = {}): TransformRun {
  const notes: string[] = [];
  const j = jscodeshift.withParser(transform.parser(file.path));
  const api = {
    jscodeshift: j,
    j,
    stats: () => undefined,
    report: (note: string) => {
      notes.push(note);
    },
  };
  const result = transform.default({ path: file.path, source: file.source }, api, options);
  const output = typeof result === 'string' ? result : file.source;
  return { output, changed: output !== file.source, notes };
}
