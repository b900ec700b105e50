/**
 * @fileoverview The transform fixtures: `fixtures/transforms/<id>/<case>.input.<ext>` with its
 * `<case>.output.<ext>`, or a directory `<case>/input/` with `<case>/output/` for cases that span
 * several files (a helper in another module).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/transforms');

interface FixtureFile {
  /** Name inside the case (`article.mjs`, `csv.ts`). */
  name: string;
  input: string;
  output: string;
}

export interface FixtureCase {
  transform: string;
  name: string;
  multiFile: boolean;
  files: FixtureFile[];
}

export function listCases(transform: string): FixtureCase[] {
  const dir = path.join(FIXTURES, transform);
  const cases: FixtureCase[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      const inputDir = path.join(dir, entry.name, 'input');
      const files = fs
        .readdirSync(inputDir)
        .sort()
        .map((name) => ({
          name,
          input: path.join(inputDir, name),
          output: path.join(dir, entry.name, 'output', name),
        }));
      cases.push({ transform, name: entry.name, multiFile: true, files });
    } else {
      const m = /^(.*)\.input\.(\w+)$/.exec(entry.name);
      if (!m) continue;
      cases.push({
        transform,
        name: m[1]!,
        multiFile: false,
        files: [{ name: `${m[1]}.${m[2]}`, input: path.join(dir, entry.name), output: path.join(dir, `${m[1]}.output.${m[2]}`) }],
      });
    }
  }
  return cases;
}

export const TRANSFORM_IDS = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
