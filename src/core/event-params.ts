/**
 * @fileoverview What helpers' parameters hold, followed through the calls that pass values on
 * ({@link FunctionSummary.passes}), once per scan after the graph:
 *
 * - which parameters carry event data: a handler's `event` and `context`, and the parameters of
 *   the helpers that get them or values read off them (`download(record.s3.object.key)` makes
 *   `download`'s first parameter event data);
 * - which /tmp paths callers pass (`upload(bucket, key, '/tmp/report.csv')`): the path the
 *   helper's file-system call really uses is its callers' value.
 *
 * Only calls in code some handler runs count: a script or test that calls the helper with a fixed
 * path says nothing about the invocations.
 */
import type { ProjectGraph } from './graph.js';
import { parameterOf, type FileSummary, type PathValue } from './summary.js';

export interface PassedValues {
  /** Keys `file:fn:index` of the parameters that carry event data. */
  eventParams: Set<string>;
  /** `file:fn:index` -> the path values callers pass to that parameter, each in the caller's file. */
  callerPaths: Map<string, Array<{ file: number; value: PathValue }>>;
}

export function findPassedValues(
  summaries: readonly FileSummary[],
  graph: ProjectGraph,
  entries: ReadonlySet<string>,
  reached: (file: number, fn: number) => boolean,
): PassedValues {
  const eventParams = new Set<string>();
  const queue: Array<[number, number]> = [];
  const add = (file: number, fn: number, index: number) => {
    const key = `${file}:${fn}:${index}`;
    if (eventParams.has(key)) return;
    eventParams.add(key);
    queue.push([file, fn]);
  };
  for (const key of entries) {
    const colon = key.indexOf(':');
    const file = Number(key.slice(0, colon));
    const fn = Number(key.slice(colon + 1));
    add(file, fn, 0);
    add(file, fn, 1);
  }
  // A function whose parameter gained event data: its calls, and those of the functions written inside it (closures see its parameters).
  while (queue.length) {
    const [file, fn] = queue.pop()!;
    const functions = summaries[file]!.functions;
    const stack = [fn];
    while (stack.length) {
      const g = stack.pop()!;
      stack.push(...graph.childrenOf(file, g));
      const caller = functions[g]!;
      for (const pass of caller.passes ?? []) {
        for (const arg of pass.args) {
          if (!arg.params.some(([pf, pi]) => pf === fn && eventParams.has(`${file}:${pf}:${pi}`))) continue;
          for (const [tf, tfn] of graph.resolveCall(file, g, pass)) add(tf, tfn, parameterOf(summaries[tf]!.functions[tfn]!, arg.index));
        }
      }
    }
  }
  const callerPaths = new Map<string, Array<{ file: number; value: PathValue }>>();
  summaries.forEach((summary, file) => {
    summary.functions.forEach((caller, fn) => {
      if (!caller.passes || !reached(file, fn)) return;
      for (const pass of caller.passes) {
        const withPath = pass.args.filter((a) => a.path);
        if (withPath.length === 0) continue;
        for (const [tf, tfn] of graph.resolveCall(file, fn, pass)) {
          for (const arg of withPath) {
            const key = `${tf}:${tfn}:${parameterOf(summaries[tf]!.functions[tfn]!, arg.index)}`;
            let list = callerPaths.get(key);
            if (!list) callerPaths.set(key, (list = []));
            list.push({ file, value: arg.path! });
          }
        }
      }
    });
  });
  return { eventParams, callerPaths };
}
