/**
 * @fileoverview Rule kit: classes with an instance created at module level (`const service = new
 * Service()`, in any file of the project). The fields of such an instance live as long as the
 * module and are shared by every concurrent invocation, like module-level variables.
 */
import type { CheckContext } from '../rules/define.js';

const byFiles = new WeakMap<object, Set<string>>();

/** `file#Class` for every class with an instance created at module level somewhere in the project. */
export function classesInstantiatedAtModuleLevel(ctx: Pick<CheckContext, 'files' | 'graph'>): Set<string> {
  const cached = byFiles.get(ctx.files);
  if (cached) return cached;
  const out = new Set<string>();
  ctx.files.forEach((summary, f) => {
    for (const b of Object.values(summary.bindings)) {
      if (!b.ctor) continue;
      for (const t of ctx.graph.resolveRef(f, b.ctor)) if (t.name !== undefined) out.add(`${t.file}#${t.name}`);
    }
  });
  byFiles.set(ctx.files, out);
  return out;
}
