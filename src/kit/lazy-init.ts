/**
 * @fileoverview Rule kit: lazy initialisation of module-level variables and of fields of shared
 * objects. unsafe-shared-collection records every write of a module-level `let`/`var` (or of a
 * field: `this.client`, `Db.pool`) that runs under a guard testing a shared name for absence
 * (`if (!server) server = ...`, `if (!loaded) { config = ...; loaded = true }`, `server ??= ...`,
 * `server = server ?? ...`, `if (!this.client) this.client = ...`). The writes under one guard form one
 * initialisation when the guard tests a name written under it. It races when an `await` comes
 * between the check and a write, or after a write and before the stored object is ready
 * (`client = new Client(); await client.connect()`): concurrent cold invocations each run the
 * initialiser. global-mutable-state reads the same groups (through `factsOf`, never by importing
 * the rule) so that such writes are reported once, under unsafe-shared-collection.
 */
import type { Fact, Ref } from '../core/summary.js';
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
  /** The value is awaited from a promise every invocation shares (`x = await (xPending ??= init())`). */
  joined?: boolean;
  taint?: TaintSources;
  /**
   * A field rather than a variable (`this.client`, `Db.pool`, `state.config`; `name` is that
   * text): shared when its object is (a module-level object, a class's static side, an instance
   * created at module level), which the rule decides once the project is known.
   */
  field?: { ref: Ref; static?: boolean };
}

/** A write of a module-level variable under no guard of its own function. */
export interface UnguardedWriteFact {
  k: 'unguarded';
  name: string;
  pos: number;
  end: number;
  taint?: TaintSources;
}

/** A call of a module-level function of the file, under a guard testing `guardNames`. */
export interface GuardedCallFact {
  k: 'guardedCall';
  callee: string;
  guard: number;
  guardNames: string[];
  /**
   * The guard tests the state of a module-level client (`!client.isConnected()`), not a name
   * the initialiser writes: the called function initialises when it also uses that client
   * (`await client.connect()`).
   */
  state?: boolean;
}

/**
 * A function whose promise is stored, synchronously, in a module-level slot: `pending ??= init()`,
 * `pending ||= (async () => { ... })()`, `pending = init()` under `if (!pending)`. Every caller
 * that finds the slot filled waits for the same run, so the writes the function makes run once
 * for all of them: an initialisation, not a race (the single-flight form).
 */
export interface FlightFact {
  k: 'flight';
  /** A module-level function called by name. */
  callee?: string;
  /** An immediately invoked function expression: its first line (in the function recording the fact). */
  line?: number;
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
  const unguarded: Array<{ file: number; fact: Fact & UnguardedWriteFact }> = [];
  const calls: Array<{ file: number; fact: Fact & GuardedCallFact }> = [];
  const flights = new Set<string>();
  for (const { file, fact } of facts) {
    if (fact.k === 'flight') for (const fn of flightFunctions(file, fact as Fact & FlightFact, ctx)) flights.add(`${file}:${fn}`);
    if (fact.k === 'unguarded') unguarded.push({ file, fact: fact as Fact & UnguardedWriteFact });
    if (fact.k === 'guardedCall') calls.push({ file, fact: fact as Fact & GuardedCallFact });
    if (fact.k !== 'lazy') continue;
    const f = fact as Fact & LazyWriteFact;
    const key = `${file}:${f.fn}:${f.guard}`;
    let group = byGuard.get(key);
    if (!group) byGuard.set(key, (group = { file, fn: f.fn, writes: [], racy: false, requestData: false }));
    group.writes.push(f);
  }
  const result: LazyInit[] = [];
  // Writes in single-flight initialisers: one group per function, never racy.
  const once = new Map<string, LazyInit>();
  for (const { file, fact } of unguarded) {
    const key = `${file}:${fact.fn}`;
    if (!flights.has(key)) continue;
    let group = once.get(key);
    if (!group) once.set(key, (group = { file, fn: fact.fn, writes: [], racy: false, requestData: false }));
    group.writes.push({ ...fact, k: 'lazy', guard: -1, from: -1, guardNames: [fact.name], prepared: false });
  }
  result.push(...once.values());
  for (const init of initialisersCalledUnderGuards(unguarded, calls, ctx)) {
    if (flights.has(`${init.file}:${init.fn}`)) init.racy = false;
    result.push(init);
  }
  for (const group of byGuard.values()) {
    if (flights.has(`${group.file}:${group.fn}`)) group.racy = false;
    const guardNames = new Set(group.writes[0]!.guardNames);
    if (!group.writes.some((w) => guardNames.has(w.name))) continue;
    group.writes.sort((a, b) => a.pos - b.pos);
    // A write that awaits a shared promise races only on an `await` before it.
    group.racy = group.writes.some((w) => w.prepared || ctx.awaitBetween(group.file, group.fn, w.from, w.joined ? w.pos : w.end));
    group.requestData = group.writes.some((w) => !!w.taint?.params.some(([fn, index]) => ctx.isEventParam(group.file, fn, index)));
    result.push(group);
  }
  groupsByFiles.set(ctx.files, result);
  return result;
}

/**
 * Functions that initialise a variable their caller guards: `if (app) return app(event);
 * return setup(event);` with `async function setup() { await connect(); app = create(); }`.
 * The writes of the guarded names in the called function form the initialisation; it races when
 * the called function awaits before a write.
 */
function initialisersCalledUnderGuards(
  unguarded: Array<{ file: number; fact: Fact & UnguardedWriteFact }>,
  calls: Array<{ file: number; fact: Fact & GuardedCallFact }>,
  ctx: Query,
): LazyInit[] {
  if (calls.length === 0) return [];
  const out = new Map<string, LazyInit>();
  for (const { file, fact: call } of calls) {
    const functions = ctx.files[file]!.functions;
    const target = functions.findIndex((f) => f.parent === -1 && f.name === call.callee);
    if (target < 0 || target === call.fn) continue;
    const names = new Set(call.guardNames);
    const key = `${file}:${target}`;
    if (out.has(key)) continue;
    // Every module-level variable the initialiser sets is part of it (`pgConfig` beside `pgPool`),
    // once it sets a name the guard tests.
    const writes = unguarded.filter(({ file: f, fact: w }) => f === file && w.fn === target).map(({ fact: w }) => w);
    const fn = functions[target]!;
    const initialises = call.state
      ? [...fn.refs, ...(fn.calls ?? [])].some((r) => names.has(r.name) && r.path.length > 0)
      : writes.some((w) => names.has(w.name));
    if (writes.length === 0 || !initialises) continue;
    writes.sort((a, b) => a.pos - b.pos);
    const awaits = functions[target]!.awaits;
    out.set(key, {
      file,
      fn: target,
      writes: writes.map((w) => ({ ...w, k: 'lazy' as const, guard: -1, from: -1, guardNames: [...names], prepared: false })),
      racy: writes.some((w) => awaits.some((a) => a < w.pos)),
      requestData: writes.some((w) => !!w.taint?.params.some(([fn, index]) => ctx.isEventParam(file, fn, index))),
    });
  }
  return [...out.values()];
}

/** The functions a flight fact names: a module-level function by name, or the IIFE on its line. */
function flightFunctions(file: number, fact: Fact & FlightFact, ctx: Query): number[] {
  const functions = ctx.files[file]!.functions;
  const out: number[] = [];
  functions.forEach((f, i) => {
    if (fact.callee !== undefined ? f.parent === -1 && f.name === fact.callee : f.parent === fact.fn && f.line === fact.line) out.push(i);
  });
  return out;
}

/** `file:fn:line:column` of a write, as global-mutable-state keys its own facts. */
export function writeKey(file: number, fact: Fact): string {
  return `${file}:${fact.fn}:${fact.loc.line}:${fact.loc.column}`;
}
