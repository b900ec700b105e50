/**
 * Effective settings with each tool's defaults, and the per-worker concurrency pool-undersized
 * compares pools with (formula in src/iac/settings.ts and the rule's docs).
 */
import { describe, expect, it } from 'vitest';
import type { IacFunction } from '../../src/iac/index.js';
import { effectiveMemory, effectiveTimeout, perWorkerConcurrency, toLoc } from '../../src/iac/settings.js';

function fn(overrides: Partial<IacFunction>): IacFunction {
  return { logicalId: 'Fn', kind: 'sam', source: { file: '/t/template.yaml', line: 1 }, ...overrides };
}

describe('effective settings', () => {
  it('applies each tool default when a setting is not written, and knows nothing when it is written but unknown', () => {
    expect(effectiveTimeout(fn({}))).toBe(3);
    expect(effectiveTimeout(fn({ kind: 'serverless' }))).toBe(6);
    expect(effectiveTimeout(fn({ timeout: 45 }))).toBe(45);
    expect(effectiveTimeout(fn({ unknownSettings: ['timeout'] }))).toBeUndefined();
    expect(effectiveMemory(fn({}))).toEqual({ mb: 128, defaulted: true });
    expect(effectiveMemory(fn({ kind: 'serverless', lmi: {} }))).toEqual({ mb: 2048, defaulted: true });
    expect(effectiveMemory(fn({ kind: 'serverless' }))).toEqual({ mb: 1024, defaulted: true });
    expect(effectiveMemory(fn({ unknownSettings: ['memorySize'] }))).toBeUndefined();
  });

  it('turns a location without a column into the whole line', () => {
    expect(toLoc({ file: 'f', line: 4 })).toEqual({ line: 4, column: 1, endLine: 5, endColumn: 1 });
    expect(toLoc({ file: 'f', line: 4, column: 3, endColumn: 9 })).toEqual({ line: 4, column: 3, endLine: 4, endColumn: 9 });
  });
});

describe('perWorkerConcurrency', () => {
  it('is undefined for functions not on LMI', () => {
    expect(perWorkerConcurrency(fn({ memorySize: 4096 }))).toBeUndefined();
  });

  it('defaults to 64 per vCPU with one worker per vCPU: 64 per worker, whatever the memory', () => {
    expect(perWorkerConcurrency(fn({ lmi: {}, memorySize: 8192 }))?.perWorker).toBe(64);
    expect(perWorkerConcurrency(fn({ lmi: {}, unknownSettings: ['memorySize'] }))?.perWorker).toBe(64);
  });

  it('spreads PerExecutionEnvironmentMaxConcurrency over memory / GiB-per-vCPU workers, rounding up', () => {
    expect(perWorkerConcurrency(fn({ lmi: { perExecutionEnvironmentMaxConcurrency: 64 }, memorySize: 4096 }))).toEqual({
      perWorker: 32,
      formula: 'PerExecutionEnvironmentMaxConcurrency 64 over 2 workers, one per vCPU: 4096 MB at 2 GiB per vCPU',
    });
    expect(perWorkerConcurrency(fn({ lmi: { perExecutionEnvironmentMaxConcurrency: 100, memoryGiBPerVCpu: 4 }, memorySize: 12288 }))?.perWorker).toBe(34);
    expect(perWorkerConcurrency(fn({ lmi: { perExecutionEnvironmentMaxConcurrency: 10 }, memorySize: 2048 }))?.perWorker).toBe(10);
  });

  it('uses AWS_LAMBDA_NODEJS_WORKER_COUNT when set', () => {
    expect(perWorkerConcurrency(fn({ lmi: { perExecutionEnvironmentMaxConcurrency: 48 }, memorySize: 8192, nodeWorkerCount: 3 }))?.perWorker).toBe(16);
    // No maximum: 64 per vCPU (4 vCPUs = 256) over 2 workers.
    expect(perWorkerConcurrency(fn({ lmi: {}, memorySize: 8192, nodeWorkerCount: 2 }))).toEqual({
      perWorker: 128,
      formula: '256 (the default 64 per vCPU) over 2 workers, set by AWS_LAMBDA_NODEJS_WORKER_COUNT',
    });
  });

  it('is unknown when the maximum is set but the worker count cannot be worked out', () => {
    expect(perWorkerConcurrency(fn({ lmi: { perExecutionEnvironmentMaxConcurrency: 64 }, unknownSettings: ['memorySize'] }))).toBeUndefined();
  });
});
