/**
 * @fileoverview A full garbage collection between the analysis and the report, for big scans.
 *
 * When the analysis ends, its summaries, graph and reaches (most of the heap: ~500 MB of ~700 MB
 * on the dense 10k benchmark) are garbage, but V8 collects the old generation only once it grows
 * past a limit it set from the analysis' own peak. The report's strings are then allocated on
 * top of the garbage, and the process peaks at 1.3 GB instead of 0.87 GB. One collection at that
 * point costs ~70 ms there. `gc` is reached as Jest's leak detector does (the flag, then a new
 * context, which gets the `gc` global); it is asked for only above {@link THRESHOLD}, so a
 * normal scan changes nothing in the process that runs it.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** Heap in use above which the collection pays for itself. */
const THRESHOLD = 384 * 2 ** 20;

let gc: (() => void) | null | undefined;

/** Collect garbage now if more than `threshold` bytes of heap are in use (a no-op where `gc` cannot be had). */
export function releaseMemory(threshold = THRESHOLD): void {
  if (v8.getHeapStatistics().used_heap_size < threshold) return;
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
