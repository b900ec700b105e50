/**
 * @fileoverview Evaluates a symbolic {@link PathValue} once the project graph is known:
 * constants imported from other files are substituted, and handler parameters become "event
 * data" (shared between requests that carry the same value).
 */
import * as path from 'node:path';
import type { ProjectGraph } from './graph.js';
import { selectProps, type PathValue } from './summary.js';

type PathKind =
  /** The same string for every invocation. */
  | 'static'
  /** Built from a value that repeats across requests (`random.randint(0, 1000)`, the clock). */
  | 'repeatable'
  /** Built from event data: the same for two requests with the same value. */
  | 'event'
  /** Under a directory made once by `mkdtemp` at module scope. */
  | 'initTemp'
  /** Unique per request (request id, random UUID, mkdtemp during the invocation). */
  | 'unique'
  | 'unknown';

export interface EvaluatedPath {
  kind: PathKind;
  /** The path as far as it is known; dynamic parts shown as `${...}`. */
  text: string;
  /** A loop index or counter the name is built with (it restarts in every invocation): its source. */
  counter?: string;
}

export interface PathEnv {
  graph: ProjectGraph;
  isEventParam(file: number, fn: number, index: number): boolean;
  /** What callers pass to a parameter (src/core/event-params.ts); none when unknown. */
  callerPaths?(file: number, fn: number, index: number): ReadonlyArray<{ file: number; value: PathValue }>;
}

const TMP = '/tmp';
const RANK: Record<PathKind, number> = { static: 0, initTemp: 1, repeatable: 2, event: 3, unknown: 4, unique: 5 };

function combine(kinds: PathKind[]): PathKind {
  let worst: PathKind = 'static';
  for (const k of kinds) if (RANK[k] > RANK[worst]) worst = k;
  return worst;
}

export function evaluatePath(env: PathEnv, file: number, value: PathValue, depth = 0): EvaluatedPath {
  if (depth > 12) return { kind: 'unknown', text: '${...}' };
  switch (value.t) {
    case 'str':
      return { kind: 'static', text: value.v };
    case 'tmpdir':
      return { kind: 'static', text: TMP };
    case 'unique':
      return { kind: 'unique', text: `\${${value.why}}` };
    case 'unknown':
      return { kind: 'unknown', text: `\${${value.text}}` };
    case 'object':
      return { kind: 'unknown', text: '${{…}}' };
    case 'setting':
      return { kind: 'static', text: `\${${value.text}}` };
    case 'repeatable':
      return { kind: 'repeatable', text: `\${${value.text}}`, ...(value.counter ? { counter: value.text } : {}) };
    case 'param': {
      // The callers' values, when they pass paths: requests that take the most shared one share its name.
      const callers = env.callerPaths?.(file, value.fn, value.index) ?? [];
      let shared: EvaluatedPath | undefined;
      for (const c of callers) {
        // `params.output_path` of a caller's `{ output_path: '/tmp/x' }`.
        const e = evaluatePath(env, c.file, selectProps(c.value, value.props), depth + 1);
        if (!shared || RANK[e.kind] < RANK[shared.kind]) shared = e;
      }
      // A whole path from the caller is shown as such; a value (an S3 key) keeps this function's words for it.
      if (shared && shared.kind !== 'unknown') return isUnderTmp(shared.text) ? shared : { kind: shared.kind, text: `\${${value.text}}` };
      return env.isEventParam(file, value.fn, value.index) ? { kind: 'event', text: `\${${value.text}}` } : { kind: 'unknown', text: `\${${value.text}}` };
    }
    case 'initTemp': {
      const prefix = evaluatePath(env, file, value.prefix, depth + 1);
      return { kind: prefix.kind === 'static' ? 'initTemp' : prefix.kind, text: `${prefix.text}XXXXXX` };
    }
    case 'choice': {
      // Requests that take the most shared option share its name: a choice of constants is a constant per option.
      // Shown as that option when it is a whole path (`/tmp/keep.txt`), else as the expression.
      const options = value.options.map((o) => evaluatePath(env, file, o, depth + 1));
      let shared = options[0];
      for (const o of options) if (shared && RANK[o.kind] < RANK[shared.kind]) shared = o;
      if (!shared) return { kind: 'unknown', text: `\${${value.text}}` };
      return { kind: shared.kind, text: isUnderTmp(shared.text) ? shared.text : `\${${value.text}}`, ...counterOf([shared]) };
    }
    case 'cat': {
      const parts = value.parts.map((p) => evaluatePath(env, file, p, depth + 1));
      return { kind: combine(parts.map((p) => p.kind)), text: parts.map((p) => p.text).join(''), ...counterOf(parts) };
    }
    case 'join': {
      const parts = value.parts.map((p) => evaluatePath(env, file, p, depth + 1));
      const texts = parts.map((p) => p.text);
      let kind = combine(parts.map((p) => p.kind));
      if (value.resolve && texts.length && !texts.some((t) => t.startsWith('/'))) kind = combine([kind, 'unknown']);
      const text = texts.length ? (value.resolve ? path.posix.resolve('/', ...texts) : path.posix.join(...texts)) : '.';
      return { kind, text, ...counterOf(parts) };
    }
    case 'ref': {
      for (const target of env.graph.resolveRef(file, value.ref)) {
        const binding = env.graph.binding({ ...target, path: [] });
        if (!binding) continue;
        const [head] = target.path;
        const member = head !== undefined && binding.members && Object.hasOwn(binding.members, head) ? binding.members[head] : undefined;
        const pv = head === undefined ? binding.path : (member as { path?: PathValue } | undefined)?.path;
        if (pv && (binding.kind === 'const' || binding.kind === 'export' || head !== undefined)) {
          return evaluatePath(env, target.file, pv, depth + 1);
        }
      }
      return { kind: 'unknown', text: `\${${value.ref.name}${value.ref.path.map((p) => `.${p}`).join('')}}` };
    }
  }
}

/** The first loop counter among the parts, as an `EvaluatedPath` field. */
function counterOf(parts: EvaluatedPath[]): { counter?: string } {
  const counter = parts.find((p) => p.counter !== undefined)?.counter;
  return counter === undefined ? {} : { counter };
}

/** Is the (evaluated) path inside the shared /tmp? */
export function isUnderTmp(text: string): boolean {
  return text === TMP || text.startsWith(`${TMP}/`);
}
