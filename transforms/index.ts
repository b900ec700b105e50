/**
 * @fileoverview The transform registry. Each transform is one file `transforms/<id>.ts` with
 * `meta`, `parser` and a default jscodeshift transform; a meta-test keeps ids equal to file
 * names and every `fixes` pointing at a rule that points back.
 */
import type { API, FileInfo } from 'jscodeshift';
import * as callbackToAsync from './callback-to-async.js';
import * as clientToPool from './client-to-pool.js';
import * as hoistedState from './hoisted-state.js';
import * as singleFlight from './single-flight.js';
import * as tmpPaths from './tmp-paths.js';
import type { TransformMeta, TransformOptions } from './lib/types.js';

export interface TransformModule {
  meta: TransformMeta;
  /** The jscodeshift parser for a file: `tsx` for TypeScript, `babel` for JavaScript. */
  parser: (file: string) => 'tsx' | 'babel';
  default: (file: FileInfo, api: API, options: TransformOptions) => string | undefined;
}

/**
 * In the order the fix engine applies them to one file: the pool first (its rewrite settles
 * lazy-connection findings that hoisted-state would otherwise mark), then shared loads (before
 * hoisted-state looks at the variables they fill), then paths, then state, then the handler's
 * shape (its body moves into a promise: one level deeper).
 */
export const transforms: readonly TransformModule[] = [clientToPool, singleFlight, tmpPaths, hoistedState, callbackToAsync];

export function getTransform(id: string): TransformModule | undefined {
  return transforms.find((t) => t.meta.id === id);
}

export type { TransformMeta, TransformOptions };
