/**
 * @fileoverview Filtering the handler lists findings report without losing their sharing.
 * `handlersReaching` gives one array per function, and every finding of that function shares
 * it: the report's later steps (sorted ids, report paths, the JSON writer) work once per
 * distinct array. A plain `.filter()` per fact makes a new array for every finding instead (the
 * dense benchmark: 63,000 logging findings, 8,113 distinct lists).
 */
import type { HandlerInfo } from '../rules/define.js';

/**
 * `list.filter(keep)`, answered once per list: the list itself when every handler is kept.
 * `keep` must give the same answer for a handler for as long as the filter is used.
 */
export function sharedFilter(keep: (handler: HandlerInfo) => boolean): (list: readonly HandlerInfo[]) => HandlerInfo[] {
  const memo = new WeakMap<readonly HandlerInfo[], { length: number; kept: HandlerInfo[] }>();
  return (list) => {
    const known = memo.get(list);
    // A list grown since it was filtered is filtered again.
    if (known && known.length === list.length) return known.kept;
    const kept = list.every(keep) ? (list as HandlerInfo[]) : list.filter(keep);
    memo.set(list, { length: list.length, kept });
    return kept;
  };
}
