/**
 * @fileoverview Resolves Python imports to the project's own `.py` files: relative imports
 * (`from .db import conn`, `from .. import util`) from the importing file's package, absolute
 * ones (`import helpers`, `from pkg.mod import x`) from the importing file's directory and the
 * directories above it (Lambda puts the code root on `sys.path`, and the handler usually sits
 * there). A package is its `__init__.py`. Only files the scan discovered resolve: installed
 * packages and the standard library stay unresolved.
 */
import * as path from 'node:path';
import { MemoizedResolver, type ModuleResolver } from '../../core/graph.js';

export class PyModuleResolver extends MemoizedResolver implements ModuleResolver {
  constructor(private readonly files: ReadonlySet<string>) {
    super();
  }

  /** The submodule `name` of the package whose `__init__.py` is `moduleFile` (`from . import db`). */
  member(moduleFile: string, name: string): string | undefined {
    if (path.basename(moduleFile) !== '__init__.py' || !/^[A-Za-z_]\w*$/.test(name)) return undefined;
    return this.probe(path.join(path.dirname(moduleFile), name));
  }

  protected resolveUncached(dir: string, specifier: string): string | undefined {
    const dots = /^\.*/.exec(specifier)![0].length;
    const parts = specifier
      .slice(dots)
      .split('.')
      .filter((p) => p.length > 0);
    if (dots > 0) {
      let base = dir;
      for (let i = 1; i < dots; i++) base = path.dirname(base);
      return parts.length ? this.probe(path.join(base, ...parts)) : this.probePackage(base);
    }
    if (!parts.length) return undefined;
    for (let d = dir; ; d = path.dirname(d)) {
      const found = this.probe(path.join(d, ...parts));
      if (found) return found;
      if (path.dirname(d) === d) return undefined;
    }
  }

  private probe(base: string): string | undefined {
    if (this.files.has(`${base}.py`)) return `${base}.py`;
    return this.probePackage(base);
  }

  private probePackage(dir: string): string | undefined {
    const init = path.join(dir, '__init__.py');
    return this.files.has(init) ? init : undefined;
  }
}
