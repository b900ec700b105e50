/**
 * @fileoverview Rule kit: classes with an instance created at module level (`const service = new
 * Service()`, in any file of the project), and classes a framework instantiates once and injects
 * everywhere (`ModuleBinding.singleton`: NestJS providers and controllers of the default scope).
 * The fields of such an instance live as long as the module and are shared by every concurrent
 * invocation, like module-level variables.
 */
import type { CheckContext } from '../rules/define.js';

const byFiles = new WeakMap<object, Set<string>>();

/** `file#Class` for every class with an instance created at module level somewhere in the project. */
export function classesInstantiatedAtModuleLevel(ctx: Pick<CheckContext, 'files' | 'graph'>): Set<string> {
  const cached = byFiles.get(ctx.files);
  if (cached) return cached;
  const out = new Set<string>();
  ctx.files.forEach((summary, f) => {
    for (const [name, b] of Object.entries(summary.bindings)) {
      if (b.singleton) out.add(`${f}#${name}`);
      if (!b.ctor) continue;
      for (const t of ctx.graph.resolveRef(f, b.ctor)) if (t.name !== undefined) out.add(`${t.file}#${t.name}`);
    }
  });
  byFiles.set(ctx.files, out);
  return out;
}
