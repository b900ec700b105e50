import { describe, expect, it } from 'vitest';
import { readFixture, simplify } from './helpers.js';

describe('CDK construct wrappers (fixtures/iac/cdk-wrappers)', () => {
  const result = readFixture('cdk-wrappers');
  const functions = simplify('cdk-wrappers', result);
  const byId = (id: string) => functions.find((fn) => fn.logicalId === id);

  it('declares one function per call of a wrapper, at the call, and drops the construct inside the wrapper', () => {
    expect(result.errors).toEqual([]);
    expect(functions.map((fn) => [fn.source.file, fn.source.line, fn.logicalId, fn.codeFile])).toEqual([
      // FakeFactory names no code file for the call (a handler without a module): it stays as it was read.
      ['lib/factory.ts', 28, 'id', undefined],
      // lib/odd.ts: a self-referencing object and a recursive wrapper with a self-referencing default neither hang nor throw.
      ['lib/odd.ts', 10, 'id', undefined],
      ['lib/stack.ts', 15, 'OrdersFn', 'src/orders.ts'],
      ['lib/stack.ts', 21, 'Scheduler', 'app/scheduler/main.py'],
      ['lib/stack.ts', 31, 'Billing', 'src/billing.js'],
      ['lib/stack.ts', 32, 'Refunds', 'src/refunds.js'],
      ['lib/stack.ts', 37, 'Mailer', 'src/mailer.ts'],
    ]);
  });

  it('a construct class imported by default: the call props reach through `props.function`, spread over the class defaults', () => {
    expect(byId('OrdersFn')).toMatchObject({
      runtime: 'nodejs22.x',
      memorySize: 2048,
      timeout: 10,
      exportName: 'handler',
      // Wiring on the call's result (`new ApiFunction(...).function`) is read in the caller's file.
      events: [{ kind: 'sqs', type: 'SqsEventSource', queue: { id: 'Jobs' } }],
    });
  });

  it('a factory method called on an interface: the implementation that names the code wins', () => {
    expect(byId('Scheduler')).toMatchObject({ runtime: 'python3.12', handler: 'lambda_handler', exportName: 'lambda_handler' });
  });

  it('a nested function: positional arguments, a default parameter, a template literal of a parameter', () => {
    expect(byId('Billing')).toMatchObject({ runtime: 'nodejs20.x', handler: 'billing.handler', exportName: 'handler' });
    expect(byId('Refunds')).toMatchObject({ runtime: 'nodejs22.x', handler: 'refunds.handler', exportName: 'handler' });
  });

  it('an arrow function with destructured parameters', () => {
    expect(byId('Mailer')).toMatchObject({ runtime: 'nodejs22.x', exportName: 'handler' });
  });

  it('a test file declares nothing', () => {
    expect(functions.filter((fn) => fn.source.file.startsWith('test/'))).toEqual([]);
    expect(byId('ProbeFn')).toBeUndefined();
    expect(byId('Direct')).toBeUndefined();
  });
});
