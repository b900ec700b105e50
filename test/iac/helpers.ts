import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readInfrastructure, type IacResult } from '../../src/iac/index.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/iac');

const INFRA = /^(template\.(ya?ml|json)|.+\.template\.[^.]+|serverless\.(ya?ml|json))$/i;
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** Discovers a fixture project's infrastructure and source files the way the scanner does, and reads it. */
export function readFixture(...names: string[]): IacResult {
  const files = names.flatMap((name) => walk(path.join(FIXTURES, name)));
  return readInfrastructure({
    infraFiles: files.filter((file) => INFRA.test(path.basename(file))),
    sourceFiles: files.filter((file) => SOURCE.test(file)),
    readFile: (file) => fs.readFileSync(file, 'utf8'),
  });
}

/** Makes absolute fixture paths relative to `fixtures/iac/<name>` for readable assertions. */
export function relative(name: string, file: string): string {
  return path.relative(path.join(FIXTURES, name), file).split(path.sep).join('/');
}

/**
 * Makes paths relative for readable assertions. The lines of individual settings (`settingLines`)
 * are left out: the reader tests that care about them (wiring.test.ts) check them on purpose.
 */
export function simplify(name: string, result: IacResult) {
  return result.functions.map(({ settingLines: _lines, ...fn }) => ({
    ...fn,
    source: { file: relative(name, fn.source.file), line: fn.source.line },
    ...(fn.codeFile !== undefined ? { codeFile: relative(name, fn.codeFile) } : {}),
  }));
}
