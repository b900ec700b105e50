/**
 * @fileoverview Makes a fixture handler loadable by Node: TypeScript files are compiled to ES
 * modules with `ts.transpileModule` (types are erased, nothing is checked), JavaScript files are
 * copied (CommonJS `.js` files under a `"type": "commonjs"` package.json), into a fresh directory under node_modules/ so that bare imports (`pg`) resolve from the
 * project. Each call gives a new directory, hence a new module instance.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HARNESS_DIR = path.join(ROOT, 'node_modules', '.lmi-audit-harness');

/** `files`: file name (relative, `.ts`/`.mjs`/`.cjs`/`.js`) -> source. Returns the directory. */
export function writeLoadableModule(files: Record<string, string>): string {
  const dir = path.join(HARNESS_DIR, `${process.pid}-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  // A `.js` file is CommonJS or ESM by the nearest package.json, which a fixture does not have:
  // a `.js` file without import/export statements is CommonJS (`require`, `exports.handler`).
  const commonjs = Object.entries(files).some(([name, source]) => name.endsWith('.js') && !/^\s*(import|export)\b/m.test(source));
  fs.writeFileSync(path.join(dir, 'package.json'), `{ "type": "${commonjs ? 'commonjs' : 'module'}" }\n`);
  for (const [name, source] of Object.entries(files)) {
    const target = path.join(dir, name.replace(/\.(m?)ts$/, '.$1js').replace(/\.cts$/, '.cjs'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (/\.(m|c)?ts$/.test(name)) {
      const out = ts.transpileModule(source, {
        fileName: name,
        compilerOptions: { module: commonjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      });
      fs.writeFileSync(target, out.outputText);
    } else {
      fs.writeFileSync(target, source);
    }
  }
  return dir;
}

/** Where a fixture's source file ends up in a loadable directory. */
export function loadablePath(dir: string, name: string): string {
  return path.join(dir, name.replace(/\.(m?)ts$/, '.$1js').replace(/\.cts$/, '.cjs'));
}

export function removeLoadableModule(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
