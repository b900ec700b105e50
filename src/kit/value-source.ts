/**
 * @fileoverview Rule kit: what a per-invocation value written to shared state is made of, in the
 * words a message may use. Only a value derived from the parameters that receive the
 * invocation's event or context is "request data"; a helper's parameter is whatever its callers
 * pass in, and an awaited result (an SDK call, `fetch`, SSM, Secrets Manager) differs between
 * invocations without being request data. A message says which, and never more.
 */
import type { TaintSources } from '../lang/js/context.js';
import type { CheckContext } from '../rules/define.js';

export type ValueSource = 'request' | 'argument' | 'awaited' | 'caught';

type SourceQuery = Pick<CheckContext, 'files' | 'isEventParam'>;

/** The strongest source of a tainted value: request data first, then a helper's parameter, an awaited result, a caught error. */
export function getValueSource(ctx: SourceQuery, file: number, taint: TaintSources | undefined): { source: ValueSource; fn?: string } | undefined {
  if (!taint) return undefined;
  if (taint.params.some(([fn, index]) => ctx.isEventParam(file, fn, index))) return { source: 'request' };
  const param = taint.params[0];
  if (param) {
    const fn = ctx.files[file]!.functions[param[0]];
    const name = fn && fn.name !== '<anonymous>' ? `\`${fn.name}\`` : `the function at line ${fn?.line ?? '?'}`;
    return { source: 'argument', fn: name };
  }
  if (taint.awaited) return { source: 'awaited' };
  if (taint.caught) return { source: 'caught' };
  return undefined;
}

/** A phrase for the `{{source}}` slot of a message. */
export function describeValueSource(source: { source: ValueSource; fn?: string }): string {
  switch (source.source) {
    case 'request':
      return "request data (the invocation's event or context)";
    case 'argument':
      return `a parameter of ${source.fn} (whatever its callers pass in)`;
    case 'awaited':
      return 'an awaited result (I/O such as an SDK call, `fetch` or SSM, not derived from the event or context; it can still differ between invocations)';
    case 'caught':
      return 'a caught error';
  }
}
