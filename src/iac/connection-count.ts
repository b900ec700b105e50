/**
 * @fileoverview How many database connections an LMI function can hold open, for the connection
 * notes of shared-db-connection and pool-undersized: connections = what one copy of the module
 * keeps open (a pool's size; 1 for a single connection) × copies per execution environment ×
 * execution environments. A copy is what loads the module once:
 * - Python: one process per concurrent invocation, as many as `PerExecutionEnvironmentMaxConcurrency`
 *   (16 per vCPU by default; docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-python-runtime.html);
 * - Node.js: one worker thread per vCPU, or `AWS_LAMBDA_NODEJS_WORKER_COUNT`; a worker's concurrent
 *   invocations share its copy (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html).
 * Execution environments: `MaxExecutionEnvironments` when the infrastructure code sets it; without
 * it the total has no bound the code states, and only the per-environment count is given.
 */
import type { IacFunction } from './types.js';
import { describeLocation, vcpusOf } from './settings.js';

/** Python's default `PerExecutionEnvironmentMaxConcurrency`, per vCPU (the Python runtime page above). */
const PYTHON_DEFAULT_PER_VCPU = 16;

export interface ConnectionCount {
  /** Connections one execution environment holds at most. */
  perEnvironment: number;
  /** With `MaxExecutionEnvironments`: connections the function holds at most. */
  total?: number;
  /** The arithmetic, each number with where it came from: `10 (pool max) × 4 processes (...) × 3 execution environments (...) = 120 connections`. */
  text: string;
}

/**
 * @param perCopy connections one copy of the module keeps open, and what says so (`pool \`maxconn\``, `one connection`)
 * @returns `undefined` when the function is not on LMI or its copies per environment are not statically known
 */
export function connectionCount(fn: IacFunction, language: 'python' | 'javascript', perCopy: { count: number; source: string }): ConnectionCount | undefined {
  if (!fn.lmi) return undefined;
  const copies = language === 'python' ? pythonProcesses(fn) : nodeWorkers(fn);
  if (!copies) return undefined;
  const perEnvironment = perCopy.count * copies.count;
  let text = `${perCopy.count} (${perCopy.source}) × ${copies.text}`;
  const max = fn.scaling?.max;
  if (max === undefined) {
    text += ` = ${perEnvironment} connection${perEnvironment === 1 ? '' : 's'} per execution environment, times the execution environments (no MaxExecutionEnvironments is set)`;
    return { perEnvironment, text };
  }
  const total = perEnvironment * max;
  text += ` × ${max} execution environment${max === 1 ? '' : 's'} (MaxExecutionEnvironments, ${describeLocation(fn.scaling!.source)}) = ${total} connection${total === 1 ? '' : 's'}`;
  return { perEnvironment, total, text };
}

/** Of several functions, the count with the most connections (a total beats a per-environment count). */
export function largestConnectionCount(counts: ReadonlyArray<ConnectionCount | undefined>): ConnectionCount | undefined {
  let best: ConnectionCount | undefined;
  for (const count of counts) {
    if (!count) continue;
    if (!best || (count.total ?? count.perEnvironment) > (best.total ?? best.perEnvironment)) best = count;
  }
  return best;
}

function pythonProcesses(fn: IacFunction): { count: number; text: string } | undefined {
  const configured = fn.lmi!.perExecutionEnvironmentMaxConcurrency;
  if (configured !== undefined) {
    const where = describeLocation({ file: fn.source.file, line: fn.settingLines?.capacityProvider ?? fn.source.line });
    return { count: configured, text: `${plural(configured, 'process', 'processes')} (PerExecutionEnvironmentMaxConcurrency, ${where})` };
  }
  const vcpus = vcpusOf(fn);
  if (!vcpus) return undefined;
  const count = PYTHON_DEFAULT_PER_VCPU * vcpus.vcpus;
  return {
    count,
    text: `${plural(count, 'process', 'processes')} (the default ${PYTHON_DEFAULT_PER_VCPU} per vCPU, ${plural(vcpus.vcpus, 'vCPU', 'vCPUs')}: ${vcpus.basis})`,
  };
}

function nodeWorkers(fn: IacFunction): { count: number; text: string } | undefined {
  if (fn.nodeWorkerCount !== undefined) {
    return { count: fn.nodeWorkerCount, text: `${plural(fn.nodeWorkerCount, 'worker', 'workers')} (AWS_LAMBDA_NODEJS_WORKER_COUNT)` };
  }
  const vcpus = vcpusOf(fn);
  if (!vcpus) return undefined;
  return { count: vcpus.vcpus, text: `${plural(vcpus.vcpus, 'worker', 'workers')} (one per vCPU: ${vcpus.basis})` };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
