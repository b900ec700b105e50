/**
 * @fileoverview Rule kit: lazy initialisation of module-level variables. unsafe-shared-collection
 * records every write of a module-level `let`/`var` that runs under a guard testing a shared
 * name for absence (`if (!server) server = ...`, `if (!loaded) { config = ...; loaded = true }`,
 * `server ??= ...`, `server = server ?? ...`). The writes under one guard form one
 * initialisation when the guard tests a name written under it. It races when an `await` comes
 * between the check and a write, or after a write and before the stored object is ready
 * (`client = new Client(); await client.connect()`): concurrent cold invocations each run the
 * initialiser. global-mutable-state reads the same groups (through `factsOf`, never by importing
 * the rule) so that such writes are reported once, under unsafe-shared-collection.
 */
import type { Fact } from '../core/summary.js';
import type { TaintSources } from '../lang/js/context.js';
import type { CheckContext } from '../rules/define.js';

/** The rule whose facts the grouping reads. */
export const LAZY_INIT_RULE = 'unsafe-shared-collection';

export interface LazyWriteFact {
  k: 'lazy';
  /** The module-level variable written. */
  name: string;
  /** Start of the guard's condition (of the write itself for `x ??= v` / `x = x ?? v`). */
  guard: number;
  /** Where the code under the guard starts (an `await` from here to the write lets others in). */
  from: number;
  /** Names the guard tests for absence. */
  guardNames: string[];
  pos: number;
  end: number;
  /** An `await name.method()` follows the write under the guard. */
  prepared: boolean;
  taint?: TaintSources;
}

export interface LazyInit {
  file: number;
  fn: number;
  /** The writes, in source order. */
  writes: Array<Fact & LazyWriteFact>;
  /** An `await` lets another invocation in before the value is ready. */
  racy: boolean;
  /** Some write stores request data (the first caller's data would become everybody's). */
  requestData: boolean;
}

type Query = Pick<CheckContext, 'files' | 'awaitBetween' | 'isEventParam'>;

const groupsByFiles = new WeakMap<object, LazyInit[]>();

/** Lazy initialisations: writes grouped by guard, for guards that test a name written under them. */
export function lazyInits(facts: Iterable<{ file: number; fact: Fact & { k: string } }>, ctx: Query): LazyInit[] {
  // Two rules ask (unsafe-shared-collection and global-mutable-state) over the same files array.
  const cached = groupsByFiles.get(ctx.files);
  if (cached) return cached;
  const byGuard = new Map<string, LazyInit>();
  for (const { file, fact } of facts) {
    if (fact.k !== 'lazy') continue;
    const f = fact as Fact & LazyWriteFact;
    const key = `${file}:${f.fn}:${f.guard}`;
    let group = byGuard.get(key);
    if (!group) byGuard.set(key, (group = { file, fn: f.fn, writes: [], racy: false, requestData: false }));
    group.writes.push(f);
  }
  const result: LazyInit[] = [];
  for (const group of byGuard.values()) {
    const guardNames = new Set(group.writes[0]!.guardNames);
    if (!group.writes.some((w) => guardNames.has(w.name))) continue;
    group.writes.sort((a, b) => a.pos - b.pos);
    group.racy = group.writes.some((w) => w.prepared || ctx.awaitBetween(group.file, group.fn, w.from, w.end));
    group.requestData = group.writes.some((w) => !!w.taint?.params.some(([fn, index]) => ctx.isEventParam(group.file, fn, index)));
    result.push(group);
  }
  groupsByFiles.set(ctx.files, result);
  return result;
}

/** `file:fn:line:column` of a write, as global-mutable-state keys its own facts. */
export function writeKey(file: number, fact: Fact): string {
  return `${file}:${fact.fn}:${fact.loc.line}:${fact.loc.column}`;
}
