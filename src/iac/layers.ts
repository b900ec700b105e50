/**
 * @fileoverview Which layers are libraries only. Lambda starts extensions from `/opt/extensions`,
 * so a layer whose content has no `extensions/` folder brings no extension, and an extension crash
 * (which terminates an LMI execution environment with every invocation in it) cannot come from it.
 * The content is known for layers built beside the infrastructure code: a SAM layer built as
 * dependencies (`Metadata.BuildMethod: nodejs22.x` / `python3.13`), or a content folder with the
 * runtime's library folder (`nodejs/`, `python/`) and no `extensions/`. Nothing else is guessed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** SAM's dependency build methods: they write `nodejs/node_modules` or `python/`, never `extensions/`. */
const DEPENDENCY_BUILD = /^(nodejs|python)\d/;
const LIBRARY_FOLDERS = ['nodejs', 'python', 'java', 'ruby', 'lib'];

export function isDependencyBuild(buildMethod: unknown): boolean {
  return typeof buildMethod === 'string' && DEPENDENCY_BUILD.test(buildMethod);
}

/** A layer content folder with a runtime library folder and no `extensions/`. */
export function isLibraryContent(dir: string): boolean {
  const isDir = (name: string): boolean => {
    try {
      return fs.statSync(path.join(dir, name)).isDirectory();
    } catch {
      return false;
    }
  };
  return !isDir('extensions') && LIBRARY_FOLDERS.some(isDir);
}
