/**
 * @fileoverview The source files of a transform fixture case, before or after the fix, keyed
 * by the name they have in a project (`article.mjs`, not `article.input.mjs`).
 */
import * as fs from 'node:fs';
import { listCases } from '../transforms/cases.js';

export function fixtureFiles(transform: string, caseName: string, side: 'input' | 'output'): { files: Record<string, string>; entry: string } {
  const c = listCases(transform).find((x) => x.name === caseName);
  if (!c) throw new Error(`no fixture ${transform}/${caseName}`);
  const files: Record<string, string> = {};
  for (const f of c.files) files[f.name] = fs.readFileSync(side === 'input' ? f.input : f.output, 'utf8');
  const entry = c.files.find((f) => /^handler\./.test(f.name))?.name ?? c.files[0]!.name;
  return { files, entry };
}
