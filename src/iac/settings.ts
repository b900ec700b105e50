/**
 * @fileoverview A function's effective settings, with each tool's defaults applied, for the
 * infrastructure rules; and infrastructure locations as report locations.
 */
import * as path from 'node:path';
import type { Loc } from '../core/summary.js';
import type { IacFunction, IacLocation } from './types.js';

/** Seconds when `Timeout`/`timeout` is not written: 3 for CloudFormation, SAM, the CDK and Terraform, 6 for the Serverless Framework, 20 for SST (v3). */
const DEFAULT_TIMEOUT: Record<IacFunction['kind'], number> = { sam: 3, cloudformation: 3, cdk: 3, serverless: 6, terraform: 3, sst: 20 };

/**
 * MB when `MemorySize`/`memorySize`/`memory_size` is not written: 128, and 1024 for the Serverless
 * Framework and SST. A function created with a capacity provider gets 2048 (LMI's minimum) whatever wrote
 * it: aws-cdk's integration test attaches a function without `memorySize` (`addFunction`, which
 * sets no memory either) and it deploys to `Active`, as AWS's own LMI sample stacks do.
 */
const LMI_DEFAULT_MEMORY = 2048;
/** MB when memory is not written and the function is not on LMI. */
const DEFAULT_MEMORY: Record<IacFunction['kind'], number> = { sam: 128, cloudformation: 128, cdk: 128, serverless: 1024, terraform: 128, sst: 1024 };

/** The timeout the function runs with, or `undefined` when it is written but not statically known. */
export function effectiveTimeout(fn: IacFunction): number | undefined {
  if (fn.timeout !== undefined) return fn.timeout;
  return fn.unknownSettings?.includes('timeout') ? undefined : DEFAULT_TIMEOUT[fn.kind];
}

/** The memory the function runs with (and whether it is the default), or `undefined` when written but not statically known. */
export function effectiveMemory(fn: IacFunction): { mb: number; defaulted: boolean } | undefined {
  if (fn.memorySize !== undefined) return { mb: fn.memorySize, defaulted: false };
  if (fn.unknownSettings?.includes('memorySize')) return undefined;
  const mb = fn.lmi ? LMI_DEFAULT_MEMORY : DEFAULT_MEMORY[fn.kind];
  return { mb, defaulted: true };
}

/** An infrastructure location as a report location; without a column, the whole line (up to the start of the next). */
export function toLoc(location: IacLocation): Loc {
  if (location.column === undefined) return { line: location.line, column: 1, endLine: location.line + 1, endColumn: 1 };
  const column = location.column;
  return { line: location.line, column, endLine: location.line, endColumn: Math.max(location.endColumn ?? column + 1, column + 1) };
}

/** The function's own line for a setting when it writes one, else the function's definition. */
export function settingLoc(fn: IacFunction, setting: keyof NonNullable<IacFunction['settingLines']>): Loc {
  const line = fn.settingLines?.[setting];
  return toLoc({ file: fn.source.file, line: line ?? fn.source.line });
}

/** `template.yaml:27`, for messages (the file's base name: messages do not know the report's directory). */
export function describeLocation(location: IacLocation): string {
  return `${path.basename(location.file)}:${location.line}`;
}

/** Node.js default: 64 concurrent invocations per vCPU when `PerExecutionEnvironmentMaxConcurrency` is not set (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html). */
const DEFAULT_CONCURRENCY_PER_VCPU = 64;
/** `ExecutionEnvironmentMemoryGiBPerVCpu` when not set. */
const DEFAULT_GIB_PER_VCPU = 2;

/**
 * The vCPUs of an LMI function's execution environment: memory / `ExecutionEnvironmentMemoryGiBPerVCpu`
 * (2 GiB by default), at least 1; `basis` says how (`4096 MB at 2 GiB per vCPU`). `undefined` when the
 * memory is not statically known or the function is not on LMI.
 */
export function vcpusOf(fn: IacFunction): { vcpus: number; basis: string } | undefined {
  const memory = fn.lmi ? effectiveMemory(fn) : undefined;
  if (!memory) return undefined;
  const ratio = fn.lmi!.memoryGiBPerVCpu ?? DEFAULT_GIB_PER_VCPU;
  return { vcpus: Math.max(1, Math.floor(memory.mb / 1024 / ratio)), basis: `${memory.mb} MB at ${ratio} GiB per vCPU` };
}

/**
 * How many invocations one worker of an LMI function may run at once, and how that was worked
 * out. Node.js starts one worker per vCPU (`AWS_LAMBDA_NODEJS_WORKER_COUNT` overrides it); vCPUs =
 * memory / `ExecutionEnvironmentMemoryGiBPerVCpu` (2 GiB by default); the environment takes up to
 * `PerExecutionEnvironmentMaxConcurrency` invocations (64 per vCPU by default), spread over the
 * workers: per worker = ceil(environment maximum / workers). `undefined` when not statically known.
 */
export function perWorkerConcurrency(fn: IacFunction): { perWorker: number; formula: string } | undefined {
  if (!fn.lmi) return undefined;
  const memory = effectiveMemory(fn);
  const ratio = fn.lmi.memoryGiBPerVCpu ?? DEFAULT_GIB_PER_VCPU;
  const vcpus = vcpusOf(fn)?.vcpus;
  const workers = fn.nodeWorkerCount ?? vcpus;
  const configured = fn.lmi.perExecutionEnvironmentMaxConcurrency;
  const workerCount = `${workers} worker${workers === 1 ? '' : 's'}`;
  const workerText =
    fn.nodeWorkerCount !== undefined
      ? `${workerCount}, set by AWS_LAMBDA_NODEJS_WORKER_COUNT`
      : `${workerCount}, one per vCPU: ${memory?.mb} MB at ${ratio} GiB per vCPU`;
  if (configured === undefined) {
    if (fn.nodeWorkerCount === undefined) {
      return { perWorker: DEFAULT_CONCURRENCY_PER_VCPU, formula: `the default ${DEFAULT_CONCURRENCY_PER_VCPU} per vCPU, one worker per vCPU` };
    }
    if (vcpus === undefined || workers === undefined) return undefined;
    const environment = DEFAULT_CONCURRENCY_PER_VCPU * vcpus;
    return { perWorker: Math.ceil(environment / workers), formula: `${environment} (the default 64 per vCPU) over ${workerText}` };
  }
  if (workers === undefined) return undefined;
  return { perWorker: Math.ceil(configured / workers), formula: `PerExecutionEnvironmentMaxConcurrency ${configured} over ${workerText}` };
}
