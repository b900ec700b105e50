/**
 * @fileoverview Rule kit: check-then-act on a module-level collection. unsafe-shared-collection
 * records, for each function, the collections a condition reads (`cache.has(k)`) and the writes
 * to them (`cache.set(k, v)`); a write that follows a check of the same collection with an
 * `await` in between is a race. global-mutable-state reads the same pairing (through the
 * engine's `factsOf`, never by importing the rule) so that such a write is reported once.
 */
import type { Fact, Ref } from '../core/summary.js';
import type { CheckContext } from '../rules/define.js';

/** The rule whose facts the pairing reads. */
export const CHECK_THEN_ACT_RULE = 'unsafe-shared-collection';

export interface CollectionFact {
  k: 'check' | 'write';
  ref: Ref;
  text: string;
  pos: number;
  end: number;
  /** The written value was awaited from a promise every invocation shares (a single-flight load). */
  joined?: boolean;
  /** `cache[key] = v` with a computed key: an entry per key, not one slot for everyone. */
  keyed?: boolean;
  /** The key's source text, for `cache[key]`, `cache.get(key)`, `cache.has(key)` and `cache[key] = v`. */
  key?: string;
}

type AwaitQuery = Pick<CheckContext, 'files' | 'awaitBetween'>;

export function refKey(ref: Ref): string {
  return `${ref.name}.${ref.path.join('.')}`;
}

interface Pairing {
  file: number;
  fact: Fact & CollectionFact;
}

interface Pairings {
  /** Writes that follow a check of the same collection with an `await` in between: races. */
  racy: Pairing[];
  /**
   * Keyed writes (`cache[key] = v`) that follow a lookup of the same key in the same collection with
   * no `await` in between: a memo cache filled in one go (`const hit = cache[k]; if (hit) return hit; cache[k] = parse(k)`).
   * No invocation can run between the lookup and the store, and each entry belongs to its key.
   */
  memo: Pairing[];
}

const pairings = new WeakMap<object, Pairings>();

function pairingsOf(facts: Iterable<{ file: number; fact: Fact & { k: string } }>, ctx: AwaitQuery): Pairings {
  // Two rules ask (this one and global-mutable-state); both get the same files array.
  const cached = pairings.get(ctx.files);
  if (cached) return cached;
  const result = computePairings(facts, ctx);
  pairings.set(ctx.files, result);
  return result;
}

/** Writes that follow a check of the same collection, in the same function, with an `await` in between. */
export function pairChecksAndWrites(facts: Iterable<{ file: number; fact: Fact & { k: string } }>, ctx: AwaitQuery): Pairing[] {
  return pairingsOf(facts, ctx).racy;
}

function computePairings(facts: Iterable<{ file: number; fact: Fact & { k: string } }>, ctx: AwaitQuery): Pairings {
  const checks = new Map<string, Array<Fact & CollectionFact>>();
  const writes: Pairing[] = [];
  for (const { file, fact } of facts) {
    // The same rule records lazy initialisations of variables (src/kit/lazy-init.ts).
    if (fact.k !== 'check' && fact.k !== 'write') continue;
    const f = fact as Fact & CollectionFact;
    if (f.k === 'check') {
      const key = `${file}:${f.fn}:${refKey(f.ref)}`;
      let list = checks.get(key);
      if (!list) checks.set(key, (list = []));
      list.push(f);
    } else writes.push({ file, fact: f });
  }
  const racy: Pairing[] = [];
  const memo: Pairing[] = [];
  for (const w of writes) {
    const { file, fact } = w;
    const earlier = (checks.get(`${file}:${fact.fn}:${refKey(fact.ref)}`) ?? []).filter((c) => c.pos < fact.pos);
    if (earlier.length === 0) continue;
    if (earlier.some((c) => ctx.awaitBetween(file, fact.fn, c.end, fact.end))) {
      if (!fact.joined) racy.push(w);
    } else if (fact.keyed && earlier.some((c) => c.key !== undefined && c.key === fact.key)) memo.push(w);
  }
  return { racy, memo };
}

const keyOf = ({ file, fact }: Pairing) => `${file}:${fact.fn}:${fact.loc.line}:${fact.loc.column}`;

/** `file:fn:line:column` of the paired writes (unsafe-shared-collection reports them; global-mutable-state does not report them twice). */
export function checkThenActWrites(facts: Iterable<{ file: number; fact: Fact & { k: string } }>, ctx: AwaitQuery): Set<string> {
  return new Set(pairChecksAndWrites(facts, ctx).map(keyOf));
}

/** `file:fn:line:column` of the keyed writes of memo caches filled with no `await` after the lookup (see `Pairings.memo`). */
export function memoCacheWrites(facts: Iterable<{ file: number; fact: Fact & { k: string } }>, ctx: AwaitQuery): Set<string> {
  return new Set(pairingsOf(facts, ctx).memo.map(keyOf));
}
