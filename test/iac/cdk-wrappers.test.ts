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
      ['lib/factory.ts', 34, 'id', undefined],
      // lib/odd.ts: a self-referencing object and a recursive wrapper with a self-referencing default neither hang nor throw.
      ['lib/odd.ts', 10, 'id', undefined],
      // Archive's call of ApiFunction names its code: declared there once, not again for Daily and Weekly.
      ['lib/pipeline.ts', 23, 'InnerFn', 'src/mailer.ts'],
      ['lib/stack.ts', 17, 'OrdersFn', 'src/orders.ts'],
      ['lib/stack.ts', 23, 'Scheduler', 'app/scheduler/main.py'],
      ['lib/stack.ts', 33, 'Billing', 'src/billing.js'],
      ['lib/stack.ts', 34, 'Refunds', 'src/refunds.js'],
      ['lib/stack.ts', 39, 'Mailer', 'src/mailer.ts'],
      ['lib/stack.ts', 45, 'Bundled', 'src/bundled.js'],
      // The helper's path holds no `bundled.js`: not the code's directory.
      ['lib/stack.ts', 46, 'Elsewhere', undefined],
      // Two wrappers deep (constructor -> private method), declared at the outer call.
      ['lib/stack.ts', 52, 'Stage', 'src/billing.js'],
      // Its own file names its code: it stays there, once, for both calls.
      ['lib/static.ts', 9, 'Fn', 'src/refunds.js'],
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
    // The factory's own file wires a schedule to what it makes: the call's function has it.
    expect(byId('Scheduler')!.events?.map((event) => [event.kind, event.source.file.endsWith('lib/factory.ts')])).toEqual([['schedule', true]]);
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
