/**
 * @fileoverview Rule kit: class members that only ever run on an object under construction. In a
 * constructor `this` is the new object: when `new X()` runs during an invocation, that object is
 * the invocation's own; when it runs at module level, it runs at init. Either way its writes to
 * `this` are not shared by concurrent invocations, even when some other instance of the class is
 * module-level state. The same holds for a method the constructor calls on `this`
 * (`this.setOptions(options)`) when nothing else in the project calls it: a call on a module-level
 * instance during an invocation (`logger.setOptions(...)`) writes the shared object.
 */
import type { Ref, ValueSummary } from '../core/summary.js';
import type { CheckContext } from '../rules/define.js';

type Ctx = Pick<CheckContext, 'files' | 'graph'>;

const byFiles = new WeakMap<object, Set<string>>();

/**
 * `file:fn` of each class constructor, and of each method of a module-level class that is only
 * called as `this.method()` from such functions of its own class. Functions written inside them
 * (an arrow stored on `this` and called later) are not included: they may run on the shared
 * instance long after construction.
 */
export function functionsRunOnlyOnNewInstances(ctx: Ctx): Set<string> {
  const cached = byFiles.get(ctx.files);
  if (cached) return cached;
  const out = new Set<string>();
  // Methods by `file#Class.member` -> the function indices the member is made of.
  const candidates = new Map<string, { file: number; owner: string; member: string; fns: number[] }>();
  ctx.files.forEach((summary, file) => {
    summary.functions.forEach((fn, index) => {
      if (fn.owner === undefined || fn.name !== 'constructor') return;
      const binding = ctx.graph.binding({ file, name: fn.owner, path: [] });
      if (binding?.init !== 'class') return;
      out.add(`${file}:${index}`);
    });
  });
  if (out.size === 0) {
    byFiles.set(ctx.files, out);
    return out;
  }
  // Members the constructors (or, transitively, the methods they call) call on `this`.
  const queue = [...out];
  while (queue.length) {
    const [fileText, fnText] = queue.pop()!.split(':');
    const file = Number(fileText);
    const fn = ctx.files[file]!.functions[Number(fnText)]!;
    const owner = fn.owner!;
    const binding = ctx.graph.binding({ file, name: owner, path: [] });
    // `this.m(...)` is recorded as a reference of path `[m]`; `this.m.bind(this)` is not a call.
    for (const ref of fn.refs) {
      if (ref.name !== 'this' || ref.path.length !== 1) continue;
      const member = ref.path[0]!;
      const key = `${file}#${owner}.${member}`;
      if (member === 'constructor' || candidates.has(key)) continue;
      const fns = binding?.members?.[member]?.fns ?? [];
      // Only methods: a property holding an arrow function is that function, not a member call.
      const methods = fns.filter((i) => ctx.files[file]!.functions[i]!.owner === owner && ctx.files[file]!.functions[i]!.name.endsWith(`.${member}`));
      if (methods.length === 0) continue;
      candidates.set(key, { file, owner, member, fns: methods });
      for (const i of methods) queue.push(`${file}:${i}`);
    }
  }
  if (candidates.size === 0) {
    byFiles.set(ctx.files, out);
    return out;
  }
  // A candidate stays construction-only while every reference to it is a `this.member()` call
  // from a constructor or another construction-only member of the same class. Removing one may
  // disqualify the members only it called: repeat until nothing changes.
  const referrers = referrersOf(ctx, new Set([...candidates.values()].map((c) => c.member)));
  const alive = new Set(candidates.keys());
  const isConstruction = (file: number, fn: number, owner: string): boolean => {
    const f = ctx.files[file]!.functions[fn];
    if (!f || f.owner !== owner) return false;
    if (f.name === 'constructor') return true;
    const member = f.name.slice(f.name.lastIndexOf('.') + 1);
    return alive.has(`${file}#${owner}.${member}`);
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const key of alive) {
      const c = candidates.get(key)!;
      const targets = new Set(c.fns.map((i) => `${c.file}:${i}`));
      const foreign = (referrers.get(c.member) ?? []).some((r) => {
        const hits = r.resolve().some(([f, i]) => targets.has(`${f}:${i}`));
        if (!hits) return false;
        return !(r.fn !== undefined && r.file === c.file && r.ref.name === 'this' && r.called && isConstruction(r.file, r.fn, c.owner));
      });
      if (foreign) {
        alive.delete(key);
        changed = true;
      }
    }
  }
  for (const key of alive) for (const i of candidates.get(key)!.fns) out.add(`${candidates.get(key)!.file}:${i}`);
  byFiles.set(ctx.files, out);
  return out;
}

interface Referrer {
  file: number;
  /** The function the reference is written in; undefined at module level. */
  fn?: number;
  ref: Ref;
  called: boolean;
  /** The functions the reference stands for. */
  resolve(): ReadonlyArray<readonly [number, number]>;
}

/** Every reference in the project whose property chain names one of `members`, by member name. */
function referrersOf(ctx: Ctx, members: Set<string>): Map<string, Referrer[]> {
  const out = new Map<string, Referrer[]>();
  const add = (file: number, fn: number | undefined, owner: string | undefined, ref: Ref, called: boolean) => {
    for (const name of ref.path) {
      if (!members.has(name)) continue;
      let list = out.get(name);
      if (!list) out.set(name, (list = []));
      list.push({ file, ...(fn !== undefined ? { fn } : {}), ref, called, resolve: () => ctx.graph.resolveUse(file, ref, owner).fns });
    }
  };
  const addValue = (file: number, owner: string | undefined, value: ValueSummary | undefined) => {
    if (!value) return;
    for (const ref of value.refs) add(file, undefined, owner, ref, false);
    for (const ref of value.calls ?? []) add(file, undefined, owner, ref, true);
    addValue(file, owner, value.routes);
  };
  ctx.files.forEach((summary, file) => {
    summary.functions.forEach((fn, index) => {
      for (const ref of fn.refs) add(file, index, fn.owner, ref, ref.name === 'this' && ref.path.length === 1);
      for (const ref of fn.calls ?? []) add(file, index, fn.owner, ref, true);
      addValue(file, undefined, fn.decorators);
    });
    for (const [name, binding] of Object.entries(summary.bindings)) {
      addValue(file, undefined, binding.value);
      for (const member of Object.values(binding.members ?? {}))
        addValue(file, binding.init === 'class' || binding.init === 'object' ? name : undefined, member);
    }
    for (const routes of Object.values(summary.importedRoutes ?? {})) addValue(file, undefined, routes);
  });
  return out;
}
