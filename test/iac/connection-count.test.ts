/**
 * The connection arithmetic shared-db-connection and pool-undersized report: per copy of the module ×
 * copies per execution environment (Python processes, Node.js workers) × MaxExecutionEnvironments.
 */
import { describe, expect, it } from 'vitest';
import type { IacFunction } from '../../src/iac/index.js';
import { connectionCount, largestConnectionCount } from '../../src/iac/connection-count.js';

function fn(overrides: Partial<IacFunction>): IacFunction {
  return { logicalId: 'Fn', kind: 'sam', source: { file: '/t/template.yaml', line: 10 }, ...overrides };
}
const one = { count: 1, source: 'one connection per process' };

describe('connectionCount', () => {
  it('is undefined off LMI, and when the copies per environment are not statically known', () => {
    expect(connectionCount(fn({ memorySize: 4096 }), 'python', one)).toBeUndefined();
    expect(connectionCount(fn({ lmi: {}, unknownSettings: ['memorySize'] }), 'python', one)).toBeUndefined();
    expect(connectionCount(fn({ lmi: {}, unknownSettings: ['memorySize'] }), 'javascript', one)).toBeUndefined();
  });

  it('Python: one process per concurrent invocation, PerExecutionEnvironmentMaxConcurrency of them, times MaxExecutionEnvironments', () => {
    const count = connectionCount(
      fn({
        lmi: { perExecutionEnvironmentMaxConcurrency: 8 },
        settingLines: { capacityProvider: 14 },
        scaling: { max: 5, source: { file: '/t/template.yaml', line: 18 } },
      }),
      'python',
      { count: 10, source: '`maxconn`' },
    );
    expect(count).toEqual({
      perEnvironment: 80,
      total: 400,
      text: '10 (`maxconn`) × 8 processes (PerExecutionEnvironmentMaxConcurrency, template.yaml:14) × 5 execution environments (MaxExecutionEnvironments, template.yaml:18) = 400 connections',
    });
  });

  it('Python without a maximum: 16 processes per vCPU; without MaxExecutionEnvironments, a per-environment count only', () => {
    const count = connectionCount(fn({ lmi: { memoryGiBPerVCpu: 4 }, memorySize: 16384 }), 'python', one);
    expect(count?.perEnvironment).toBe(64);
    expect(count?.total).toBeUndefined();
    expect(count?.text).toBe(
      '1 (one connection per process) × 64 processes (the default 16 per vCPU, 4 vCPUs: 16384 MB at 4 GiB per vCPU) = 64 connections per execution environment, times the execution environments (no MaxExecutionEnvironments is set)',
    );
  });

  it('Node.js: one pool per worker thread (one per vCPU, or AWS_LAMBDA_NODEJS_WORKER_COUNT), whatever the concurrency', () => {
    const scaling = { max: 3, source: { file: '/t/template.yaml', line: 20 } };
    const perVcpu = connectionCount(fn({ lmi: { perExecutionEnvironmentMaxConcurrency: 64 }, memorySize: 8192, scaling }), 'javascript', {
      count: 10,
      source: '`max`',
    });
    expect([perVcpu?.perEnvironment, perVcpu?.total]).toEqual([40, 120]);
    expect(perVcpu?.text).toContain('4 workers (one per vCPU: 8192 MB at 2 GiB per vCPU)');
    const set = connectionCount(fn({ lmi: {}, memorySize: 8192, nodeWorkerCount: 1, scaling }), 'javascript', { count: 10, source: '`max`' });
    expect([set?.perEnvironment, set?.total]).toEqual([10, 30]);
    expect(set?.text).toContain('1 worker (AWS_LAMBDA_NODEJS_WORKER_COUNT)');
  });

  it('picks the function with the most connections', () => {
    const small = connectionCount(fn({ lmi: { perExecutionEnvironmentMaxConcurrency: 2 } }), 'python', one);
    const large = connectionCount(fn({ lmi: { perExecutionEnvironmentMaxConcurrency: 20 } }), 'python', one);
    expect(largestConnectionCount([small, undefined, large])).toBe(large);
    expect(largestConnectionCount([undefined])).toBeUndefined();
  });
});
