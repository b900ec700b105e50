/**
 * @fileoverview The project graph, built from file summaries alone. It resolves what a name in
 * one file refers to (through imports, re-exports, barrels, namespaces, CommonJS modules,
 * object literals and class instances) and computes, for a handler, every function its
 * invocation can reach and every module-level binding that code touches. Resolution is lazy
 * (only what handlers reach is resolved) and memoised.
 */
import * as path from 'node:path';
import { forwardedParameter, parameterOf, type CallOf, type FileSummary, type ModuleBinding, type Ref, type ValueSummary } from './summary.js';

/**
 * A front-end's module resolution with its memo: specifiers resolve per directory, so the
 * answer for (directory, specifier) is computed once.
 */
export abstract class MemoizedResolver {
  private readonly memo = new Map<string, string | null>();

  resolve(fromFile: string, specifier: string): string | undefined {
    const dir = path.dirname(fromFile);
    const key = `${dir}\0${specifier}`;
    const cached = this.memo.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const result = this.resolveUncached(dir, specifier);
    this.memo.set(key, result ?? null);
    return result;
  }

  protected abstract resolveUncached(dir: string, specifier: string): string | undefined;
}

/** Resolves an import specifier of a file to another summarised file (a front-end's module rules). */
export interface ModuleResolver {
  resolve(fromFile: string, specifier: string): string | undefined;
  /**
   * A module reached as a name of another module that does not bind it: a Python package's
   * submodule (`from . import db`, `import pkg.db` then `pkg.db.x`). Optional: JavaScript has none.
   */
  member?(moduleFile: string, name: string): string | undefined;
}

/** Own-property lookup: summaries are plain records, and `constructor`/`toString` are valid names. */
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A module-level binding (`name`) of a file, or the whole module (`name` undefined), with a property path. */
export interface Target {
  file: number;
  name?: string;
  path: string[];
}

interface Resolved {
  fns: Array<[number, number]>;
  /**
   * Functions called while the value was computed, at init (`const ready = init()`): their
   * bodies do not run per invocation, but the functions they return or store may.
   */
  initFns: Array<[number, number]>;
  bindings: string[];
  logContext: boolean;
  /** Callbacks registered on a web framework app the value uses (route callbacks): invocation code, not entry points. */
  callbacks: Array<[number, number]>;
  /** Entries only: the functions among `fns` that made the handler at init (factories, wrappers). */
  factories?: Array<[number, number]>;
}

function emptyResolved(): Resolved {
  return { fns: [], initFns: [], bindings: [], logContext: false, callbacks: [] };
}

export interface Reach {
  /** Functions the invocation can run, as `[file, fn]`. */
  functions: Map<number, Set<number>>;
  /** Module-level bindings the invocation code refers to, as `file#name`. */
  bindings: Set<string>;
  /** Some reached code, or the handler's wrapper, binds a logger to the request context. */
  logContext: boolean;
}

const MAX_DEPTH = 24;

export class ProjectGraph {
  readonly index = new Map<string, number>();
  private readonly children: number[][][] = [];
  private readonly specifierCache: Array<Map<string, number | null>> = [];
  private readonly refCache: Array<Map<string, Resolved>> = [];
  /** What each function's references resolve to: the same for every handler that reaches it. */
  private readonly fnUses: Array<Array<Resolved | undefined>> = [];
  /** The same for the functions each one only calls. */
  private readonly fnCalls: Array<Array<Resolved | undefined>> = [];
  /** Routes registered on apps of other files (see `routesRegisteredOn`). */
  private foreignRoutes?: Map<string, Array<[number, ValueSummary]>>;
  /** The classes whose objects callers pass to each parameter, by `file:fn:parameter` (see `parameterClasses`). */
  private passedClasses?: Map<string, Target[]>;

  constructor(
    readonly files: readonly FileSummary[],
    private readonly resolver: ModuleResolver,
  ) {
    files.forEach((f, i) => {
      this.index.set(f.file, i);
      const kids: number[][] = f.functions.map(() => []);
      f.functions.forEach((fn, j) => {
        if (fn.parent >= 0) kids[fn.parent]!.push(j);
      });
      this.children.push(kids);
      this.specifierCache.push(new Map());
      this.refCache.push(new Map());
      this.fnUses.push(new Array(f.functions.length));
      this.fnCalls.push(new Array(f.functions.length));
    });
  }

  resolveSpecifier(file: number, specifier: string): number | undefined {
    const cache = this.specifierCache[file]!;
    const hit = cache.get(specifier);
    if (hit !== undefined) return hit ?? undefined;
    const resolved = this.resolver.resolve(this.files[file]!.file, specifier);
    const idx = resolved === undefined ? undefined : this.index.get(resolved);
    cache.set(specifier, idx ?? null);
    return idx;
  }

  binding(target: Target): ModuleBinding | undefined {
    return target.name === undefined ? undefined : own(this.files[target.file]!.bindings, target.name);
  }

  /** What `ref`, written in `file` (inside a member of `owner`, for `this`), refers to. */
  resolveRef(file: number, ref: Ref, owner?: string, depth = 0): Target[] {
    if (depth > MAX_DEPTH) return [];
    const summary = this.files[file]!;
    if (ref.name === 'this') return owner ? [{ file, name: owner, path: ref.path }] : [];
    if (own(summary.bindings, ref.name)) return [{ file, name: ref.name, path: ref.path }];
    const imp = own(summary.imports, ref.name);
    if (!imp) return [];
    return this.resolveImport(file, imp.specifier, imp.imported, ref.path, depth + 1);
  }

  private resolveImport(file: number, specifier: string, imported: string, path: string[], depth: number): Target[] {
    const target = this.resolveSpecifier(file, specifier);
    if (target === undefined) return [];
    if (imported === '*') {
      return path.length ? this.resolveExportOrMember(target, path[0]!, path.slice(1), depth + 1) : [{ file: target, path: [] }];
    }
    return this.resolveExportOrMember(target, imported, path, depth + 1);
  }

  /** Export `name` of `file`, else its submodule `name` (when the resolver knows submodules). */
  private resolveExportOrMember(file: number, name: string, path: string[], depth: number): Target[] {
    const found = this.resolveExport(file, name, path, depth);
    if (found.length || !this.resolver.member) return found;
    const memberFile = this.resolver.member(this.files[file]!.file, name);
    const index = memberFile === undefined ? undefined : this.index.get(memberFile);
    if (index === undefined) return [];
    return path.length ? this.resolveExportOrMember(index, path[0]!, path.slice(1), depth + 1) : [{ file: index, path: [] }];
  }

  /** What export `name` of `file` is. */
  resolveExport(file: number, name: string, path: string[], depth = 0): Target[] {
    if (depth > MAX_DEPTH) return [];
    const summary = this.files[file]!;
    const local = own(summary.exports, name);
    if (local !== undefined) return this.resolveRef(file, { name: local, path }, undefined, depth + 1);
    for (const re of summary.reexports) {
      if (re.exported === name) return this.resolveImport(file, re.specifier, re.imported, path, depth + 1);
    }
    if (name === 'default' && summary.commonjs) {
      return path.length ? this.resolveExport(file, path[0]!, path.slice(1), depth + 1) : [{ file, path: [] }];
    }
    // `module.exports = Service`: `require('./svc').count` is a property of that value (a static member).
    if (summary.commonjs && own(summary.exports, 'default') !== undefined) return this.resolveExport(file, 'default', [name, ...path], depth + 1);
    for (const spec of summary.starExports) {
      if (name === 'default') break;
      const found = this.resolveImport(file, spec, name, path, depth + 1);
      if (found.length) return found;
    }
    return [];
  }

  /** The functions a target can run when called or used, and the bindings it stands for. */
  private expand(target: Target, out: Resolved, seen: Set<string>, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const summary = this.files[target.file]!;
    if (target.name === undefined) {
      // A whole module used as a value: any of its exports may run.
      if (target.path.length) {
        for (const t of this.resolveExport(target.file, target.path[0]!, target.path.slice(1), depth + 1)) {
          this.expand(t, out, seen, depth + 1);
        }
        return;
      }
      const key = `${target.file}#*`;
      if (seen.has(key)) return;
      seen.add(key);
      for (const exported of Object.keys(summary.exports)) {
        for (const t of this.resolveExport(target.file, exported, [], depth + 1)) this.expand(t, out, seen, depth + 1);
      }
      return;
    }
    const key = `${target.file}#${target.name}.${target.path.join('.')}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.bindings.push(`${target.file}#${target.name}`);
    const binding = own(summary.bindings, target.name);
    if (!binding) return;
    const [head, ...rest] = target.path;
    if (head !== undefined) {
      const member = own(binding.members, head);
      if (member) {
        this.expandValue(target.file, member, rest, out, seen, depth);
        return;
      }
      if (binding.ctor) {
        // An instance: `svc.handle` is a method of the class.
        for (const cls of this.resolveRef(target.file, binding.ctor, undefined, depth + 1)) {
          this.expand({ file: cls.file, name: cls.name, path: [...cls.path, head, ...rest] }, out, seen, depth + 1);
        }
      }
      if (binding.init === 'class' || binding.init === 'object') return;
      // An unknown object (`const api = createApi()`): whatever its value is made of may run.
      this.expandValue(target.file, binding.value, [], out, seen, depth);
      return;
    }
    this.expandValue(target.file, binding.value, [], out, seen, depth);
    if (binding.app) {
      for (const [file, routes] of this.routesRegisteredOn(`${target.file}#${target.name}`)) {
        this.expandValue(file, { fns: [], refs: [], routes }, [], out, seen, depth);
      }
    }
    if (binding.init === 'class') {
      const ctor = own(binding.members, 'constructor');
      if (ctor) this.expandValue(target.file, ctor, [], out, seen, depth);
    } else if (binding.members) {
      for (const member of Object.values(binding.members)) this.expandValue(target.file, member, [], out, seen, depth);
    }
  }

  private expandValue(file: number, value: ValueSummary, path: string[], out: Resolved, seen: Set<string>, depth: number): void {
    if (value.logContext) out.logContext = true;
    if (value.routes) {
      // Route callbacks run for each request the app serves: everything they stand for is invocation code.
      const routes = emptyResolved();
      this.expandValue(file, value.routes, [], routes, seen, depth + 1);
      if (routes.logContext) out.logContext = true;
      out.bindings.push(...routes.bindings);
      out.callbacks.push(...routes.fns, ...routes.callbacks);
      out.initFns.push(...routes.initFns);
    }
    for (const fn of value.fns) out.fns.push([file, fn]);
    for (const ref of value.refs) {
      for (const t of this.resolveRef(file, { name: ref.name, path: [...ref.path, ...path] }, undefined, depth + 1)) {
        this.expand(t, out, seen, depth + 1);
      }
    }
    if (!value.calls) return;
    // `const ready = init()`: what `init` stands for ran once, at init.
    const called = emptyResolved();
    for (const ref of value.calls) {
      for (const t of this.resolveRef(file, ref, undefined, depth + 1)) this.expand(t, called, seen, depth + 1);
    }
    if (called.logContext) out.logContext = true;
    out.bindings.push(...called.bindings);
    // `serverlessExpress({ app: app.callback() })`: the app's routes still run per request.
    out.callbacks.push(...called.callbacks);
    out.initFns.push(...called.fns, ...called.initFns);
  }

  /** Functions and bindings a reference stands for (memoised per file). */
  resolveUse(file: number, ref: Ref, owner?: string): Resolved {
    // Most references are a bare name outside any class: the name itself is the key (no string
    // to build and hash); names never contain NUL, so the composite keys cannot collide with it.
    const key = owner === undefined && ref.path.length === 0 ? ref.name : `\0${owner ?? ''}|${ref.name}|${ref.path.join('.')}`;
    const cache = this.refCache[file]!;
    let hit = cache.get(key);
    if (!hit) {
      hit = emptyResolved();
      for (const t of this.resolveRef(file, ref, owner)) this.expand(t, hit, new Set(), 0);
      cache.set(key, hit);
    }
    return hit;
  }

  /** Everything function `fn` of `file` refers to (`calls`: only calls), merged over its references (memoised). */
  private usesOf(file: number, fnIndex: number, calls = false): Resolved {
    const memo = (calls ? this.fnCalls : this.fnUses)[file]!;
    const cached = memo[fnIndex];
    if (cached) return cached;
    const fn = this.files[file]!.functions[fnIndex]!;
    const merged = emptyResolved();
    const add = (use: Resolved) => {
      if (use.logContext) merged.logContext = true;
      merged.bindings.push(...use.bindings);
      merged.fns.push(...use.fns);
      merged.initFns.push(...use.initFns);
      merged.callbacks.push(...use.callbacks);
    };
    for (const ref of (calls ? fn.calls : fn.refs) ?? []) add(this.resolveUse(file, ref, fn.owner));
    if (!calls) for (const { index, member } of fn.parameterMembers ?? []) add(this.memberOfParameter(file, fnIndex, index, member));
    memo[fnIndex] = merged;
    return merged;
  }

  /** What member `member` of parameter `index` of function `fn` stands for: that method of each class callers pass there. */
  private memberOfParameter(file: number, fn: number, index: number, member: string): Resolved {
    const out = emptyResolved();
    const seen = new Set<string>();
    for (const cls of this.parameterClasses(file, fn, index)) this.expand({ file: cls.file, name: cls.name, path: [...cls.path, member] }, out, seen, 0);
    return out;
  }

  /** The functions a call of `caller` (of `file`) can run: its callee's, or a method of a parameter's classes. */
  resolveCall(file: number, caller: number, call: CallOf<unknown>): Array<[number, number]> {
    if (!call.onParam) return this.resolveUse(file, call.ref, this.files[file]!.functions[caller]!.owner).fns;
    const [fn, index] = call.onParam;
    return this.memberOfParameter(file, fn, index, call.ref.name).fns;
  }

  /**
   * The classes whose objects reach parameter `index` of function `fn`: passed by a caller
   * (`process_record(record, parser)`), or passed on from a parameter of the caller that holds
   * them. One pass over the projects' calls that pass objects, then to a fixed point.
   */
  parameterClasses(file: number, fn: number, index: number): readonly Target[] {
    if (!this.passedClasses) this.passedClasses = this.findPassedClasses();
    return this.passedClasses.get(`${file}:${fn}:${index}`) ?? [];
  }

  private findPassedClasses(): Map<string, Target[]> {
    const classes = new Map<string, Target[]>();
    const addAll = (key: string, targets: readonly Target[]): boolean => {
      let list = classes.get(key);
      if (!list) classes.set(key, (list = []));
      let grew = false;
      for (const t of targets) {
        if (t.name === undefined || list.some((u) => u.file === t.file && u.name === t.name && u.path.join('.') === t.path.join('.'))) continue;
        list.push(t);
        grew = true;
      }
      return grew;
    };
    // Objects passed on from a parameter: copied from that parameter's list until nothing grows.
    const forwards: Array<{ from: string; to: string }> = [];
    this.files.forEach((summary, file) => {
      summary.functions.forEach((caller) => {
        // A callee that is itself a method of a parameter's classes is not followed (one level).
        for (const call of caller.instanceArgs ?? []) {
          if (call.onParam) continue;
          for (const [tf, tfn] of this.resolveUse(file, call.ref, caller.owner).fns) {
            for (const arg of call.args)
              addAll(`${tf}:${tfn}:${parameterOf(this.files[tf]!.functions[tfn]!, arg.index)}`, this.resolveRef(file, arg.cls, caller.owner));
          }
        }
        for (const call of caller.passes ?? []) {
          if (call.onParam) continue;
          const passed = call.args.flatMap((arg) => {
            const from = forwardedParameter(arg);
            return from ? [{ from: `${file}:${from[0]}:${from[1]}`, index: arg.index }] : [];
          });
          if (passed.length === 0) continue;
          for (const [tf, tfn] of this.resolveUse(file, call.ref, caller.owner).fns) {
            for (const { from, index } of passed) forwards.push({ from, to: `${tf}:${tfn}:${parameterOf(this.files[tf]!.functions[tfn]!, index)}` });
          }
        }
      });
    });
    for (let grew = forwards.length > 0; grew;) {
      grew = false;
      for (const { from, to } of forwards) if (addAll(to, classes.get(from) ?? [])) grew = true;
    }
    return classes;
  }

  /** The functions an export stands for (the entry points of a handler). */
  resolveEntry(file: number, exportName: string): Resolved {
    const out = emptyResolved();
    const seen = new Set<string>();
    for (const t of this.resolveExport(file, exportName, [])) this.expand(t, out, seen, 0);
    // `export const handler = makeHandler(deps)`: the factory is the entry (what it returns is the
    // handler); its own body ran at init (`factories`).
    out.factories = [...out.initFns];
    out.fns.push(...out.initFns);
    out.initFns = [];
    return out;
  }

  /** Routes other files registered on app `file#name` (`app.get('/x', fn)` after importing it), built once. */
  private routesRegisteredOn(key: string): ReadonlyArray<[number, ValueSummary]> {
    if (!this.foreignRoutes) {
      const byApp = new Map<string, Array<[number, ValueSummary]>>();
      this.files.forEach((summary, file) => {
        for (const [local, routes] of Object.entries(summary.importedRoutes ?? {})) {
          // `const app = require('./app')` of a module whose `module.exports = app`: the whole module is its default export.
          const targets = this.resolveRef(file, { name: local, path: [] }).flatMap((t) =>
            t.name === undefined && t.path.length === 0 ? this.resolveExport(t.file, 'default', []) : [t],
          );
          for (const t of targets) {
            if (t.name === undefined || t.path.length > 0) continue;
            const appKey = `${t.file}#${t.name}`;
            let list = byApp.get(appKey);
            if (!list) byApp.set(appKey, (list = []));
            list.push([file, routes]);
          }
        }
      });
      this.foreignRoutes = byApp;
    }
    return this.foreignRoutes.get(key) ?? [];
  }

  /**
   * The wrappers a method's decorators install: the functions written inside the decorator
   * (`@log`), or inside what the decorator factory returns (`@tracer.capture()`). The decorator
   * and its factory ran when the class was defined; they are not followed.
   */
  private decoratorWrappers(file: number, decorators: ValueSummary): Array<[number, number]> {
    const resolved = emptyResolved();
    this.expandValue(file, decorators, [], resolved, new Set(), 0);
    const inside = (fns: ReadonlyArray<[number, number]>) => fns.flatMap(([f, fn]) => this.childrenOf(f, fn).map((child): [number, number] => [f, child]));
    return [...inside(resolved.fns), ...inside(inside(resolved.initFns))];
  }

  /** The functions written directly inside function `fn` of `file` (what a factory returns is one of them). */
  childrenOf(file: number, fn: number): readonly number[] {
    return this.children[file]![fn] ?? [];
  }

  /**
   * Everything an invocation entering at `entries` can run and touch; `made` are functions that
   * ran at init to make the handler (a factory, a wrapper): only what they return or store runs
   * per invocation.
   */
  reach(entries: ReadonlyArray<[number, number]>, initialLogContext = false, made: ReadonlyArray<[number, number]> = []): Reach {
    const functions = new Map<number, Set<number>>();
    const bindings = new Set<string>();
    let logContext = initialLogContext;
    // Functions that only ran at init (called by a module-level value the invocation uses): their
    // bodies are not invocation code, but the callbacks inside them and what they return may be.
    const initOnly = new Set<string>();
    const queue: Array<[number, number, boolean]> = [];
    const push = (file: number, fn: number) => {
      let set = functions.get(file);
      if (!set) functions.set(file, (set = new Set()));
      if (set.has(fn)) return;
      set.add(fn);
      queue.push([file, fn, false]);
    };
    const pushInit = (file: number, fn: number) => {
      const key = `${file}:${fn}`;
      if (initOnly.has(key) || functions.get(file)?.has(fn)) return;
      initOnly.add(key);
      queue.push([file, fn, true]);
    };
    for (const [file, fn] of entries) push(file, fn);
    for (const [file, fn] of made) pushInit(file, fn);
    while (queue.length) {
      const [file, fnIndex, atInit] = queue.pop()!;
      if (atInit && functions.get(file)?.has(fnIndex)) continue;
      const fn = this.files[file]!.functions[fnIndex]!;
      if (fn.logContext) logContext = true;
      // Callbacks written inside invocation code run during the invocation too.
      for (const child of this.children[file]![fnIndex]!) push(file, child);
      if (fn.decorators && !atInit) for (const [f, i] of this.decoratorWrappers(file, fn.decorators)) push(f, i);
      const use = this.usesOf(file, fnIndex);
      const calls = this.usesOf(file, fnIndex, true);
      for (const u of [use, calls]) {
        if (u.logContext) logContext = true;
        for (const b of u.bindings) bindings.add(b);
        for (const [f, i] of u.initFns) pushInit(f, i);
      }
      for (const [f, i] of use.fns) push(f, i);
      for (const [f, i] of calls.fns) (atInit ? pushInit : push)(f, i);
      for (const [f, i] of [...use.callbacks, ...calls.callbacks]) push(f, i);
    }
    return { functions, bindings, logContext };
  }
}
