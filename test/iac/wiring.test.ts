/**
 * What invokes each function, as the readers model it: event sources with their settings, the SQS
 * queue resolved in the same template / CDK file, asynchronous invocation configuration,
 * dead-letter queues, init/cold-start alarms, setting lines, and missing references as errors.
 * JSON templates cannot carry fixture annotations, so they are asserted here exactly.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { readInfrastructure, type IacFunction, type IacResult } from '../../src/iac/index.js';
import { normalizeServerlessName } from '../../src/iac/previous-build.js';
import { referencedResource } from '../../src/iac/references.js';
import { FIXTURES, readFixture } from './helpers.js';

const RULE_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/rules');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : walk(full);
    return [full];
  });
}

/** Reads a directory the way the scanner does (infrastructure files and JS/TS sources). */
function readDir(dir: string): IacResult {
  const files = walk(dir);
  return readInfrastructure({
    infraFiles: files.filter((file) => /^(template\.(ya?ml|json)|serverless\.ya?ml)$/.test(path.basename(file))),
    sourceFiles: files.filter((file) => /\.(ts|js|mjs|cjs)$/.test(file)),
    readFile: (file) => fs.readFileSync(file, 'utf8'),
  });
}

/** Replaces `dir/` in every string of a value, for readable assertions. */
function relativize<T>(value: T, dir: string): T {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'string' ? v.split(`${dir}/`).join('') : v))) as T;
}

function byId(result: IacResult, id: string): IacFunction {
  const fn = result.functions.find((candidate) => candidate.logicalId === id);
  if (!fn) throw new Error(`no function ${id}`);
  return fn;
}

describe('SAM template in JSON (fixtures/iac/wiring-json)', () => {
  const dir = path.join(FIXTURES, 'wiring-json');
  const result = relativize(readFixture('wiring-json'), dir);

  it('reports a reference to a missing resource in its long form, at the key that holds it', () => {
    expect(result.errors).toEqual([
      { file: 'template.json', line: 37, column: 53, message: '{ "Fn::GetAtt": ["GhostQueue", "Arn"] }: no resource GhostQueue in this template' },
    ]);
  });

  it('models events, the resolved queue, Globals DLQ, EventInvokeConfig, the worker count and the alarm', () => {
    expect(result.functions).toEqual([
      {
        logicalId: 'Worker',
        kind: 'sam',
        source: { file: 'template.json', line: 24 },
        runtime: 'nodejs22.x',
        handler: 'worker.handler',
        memorySize: 4096,
        timeout: 20,
        settingLines: { memorySize: 28, capacityProvider: 30 },
        nodeWorkerCount: 1,
        lmi: { capacityProvider: 'arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet', perExecutionEnvironmentMaxConcurrency: 40 },
        codeFile: 'src/worker.ts',
        exportName: 'handler',
        events: [
          {
            kind: 'sqs',
            type: 'SQS',
            name: 'Jobs',
            source: { file: 'template.json', line: 36, column: 11, endColumn: 115 },
            service: 'sqs',
            target: 'Jobs.Arn',
            batchSize: 5,
            queue: {
              id: 'Jobs',
              source: { file: 'template.json', line: 17, column: 5, endColumn: 14 },
              visibilityTimeout: 120, // { Ref: Visibility } -> its Default
              redrive: { deadLetterTarget: 'Dlq.Arn', maxReceiveCount: 3 },
            },
          },
          // The queue does not exist: no queue model, and an error entry.
          {
            kind: 'sqs',
            type: 'SQS',
            name: 'Ghost',
            source: { file: 'template.json', line: 37, column: 11, endColumn: 106 },
            service: 'sqs',
            target: 'GhostQueue.Arn',
          },
          {
            kind: 'stream',
            type: 'Kinesis',
            name: 'Clicks',
            source: { file: 'template.json', line: 38, column: 11, endColumn: 22 },
            service: 'kinesis',
            target: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
            bisectBatchOnFunctionError: true,
            maximumRecordAgeInSeconds: 3600,
            onFailure: '${Dlq.Arn}',
          },
        ],
        asyncConfig: {
          source: { file: 'template.json', line: 31, column: 9, endColumn: 31 },
          maximumRetryAttempts: 1,
          onFailure: 'Dlq.Arn',
        },
        deadLetterQueue: 'Dlq.Arn',
        alarms: [{ id: 'WorkerColdStarts', source: { file: 'template.json', line: 51, column: 5, endColumn: 26 }, metric: 'ColdStarts' }],
      },
    ]);
  });
});

describe('SAM events (fixtures/rules/event-source-backpressure/sam-events)', () => {
  const dir = path.join(RULE_FIXTURES, 'event-source-backpressure/sam-events');
  const result = relativize(readDir(dir), dir);

  it('reads every event type with its kind, and resolves !GetAtt and !Ref queues', () => {
    expect(byId(result, 'LmiWorker').events?.map((e) => [e.name, e.kind, e.queue?.id])).toEqual([
      ['Jobs', 'sqs', 'ShortQueue'],
      ['NewObjects', 's3', undefined],
      ['ClickStream', 'stream', undefined],
      ['Api', 'api', undefined],
    ]);
    expect(byId(result, 'OnDemandWorker').events?.[0]?.queue).toEqual({
      id: 'DefaultQueue',
      source: { file: 'template.yaml', line: 28, column: 3, endColumn: 16 },
      redrive: { deadLetterTarget: 'Dlq.Arn', maxReceiveCount: 1 },
    });
  });

  it('reads schedule retry policies, EventInvokeConfig and stream failure settings', () => {
    expect(byId(result, 'OnDemandWorker').events?.[1]).toMatchObject({
      kind: 'schedule',
      target: 'rate(1 day)',
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
    });
    const good = byId(result, 'GoodWorker');
    expect(good.asyncConfig).toMatchObject({ maximumRetryAttempts: 2, onFailure: 'Dlq.Arn' });
    expect(good.events?.find((e) => e.name === 'ClickStream')).toMatchObject({
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 3,
      onFailure: 'Dlq.Arn',
    });
    // A queue of another stack: kept as written, not resolved, not an error.
    expect(good.events?.find((e) => e.name === 'Imported')).toMatchObject({ kind: 'sqs', target: 'shared-jobs-queue-arn' });
    expect(good.events?.find((e) => e.name === 'Imported')?.queue).toBeUndefined();
  });

  it('records one error for the missing queue, in the short form, and reads the rest', () => {
    expect(result.errors).toEqual([
      { file: 'template.yaml', line: 158, column: 13, message: '!GetAtt MissingQueue.Arn: no resource MissingQueue in this template' },
    ]);
    expect(result.functions.map((fn) => fn.logicalId)).toEqual(['LmiWorker', 'OnDemandWorker', 'GoodWorker', 'PyWorker']);
  });
});

describe('CloudFormation wiring resources (fixtures/rules/event-source-backpressure/cfn-resources)', () => {
  const dir = path.join(RULE_FIXTURES, 'event-source-backpressure/cfn-resources');
  const result = relativize(readDir(dir), dir);

  it('attaches event source mappings, rule targets and subscriptions to the function they name', () => {
    expect(result.errors).toEqual([]);
    expect(byId(result, 'Orders').events?.map((e) => [e.type, e.kind, e.name])).toEqual([
      ['AWS::Lambda::EventSourceMapping', 'sqs', 'OrdersMapping'],
      ['AWS::Lambda::EventSourceMapping', 'stream', 'OrdersStreamMapping'],
      ['AWS::Events::Rule', 'eventbridge', 'OrdersEvents'],
      ['AWS::SNS::Subscription', 'sns', 'OrdersSubscription'],
    ]);
    expect(byId(result, 'Audit').events?.map((e) => [e.type, e.kind])).toEqual([
      ['AWS::Events::Rule', 'eventbridge'],
      ['AWS::Scheduler::Schedule', 'schedule'],
    ]);
  });

  it('reads a queue whose timeout is a parameter and whose redrive policy is a JSON string', () => {
    expect(byId(result, 'Orders').events?.[0]?.queue).toMatchObject({
      visibilityTimeout: 900,
      redrive: { deadLetterTarget: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq', maxReceiveCount: 10 },
    });
    expect(byId(result, 'Orders').events?.[1]).toMatchObject({ maximumRetryAttempts: -1 });
    expect(byId(result, 'Audit').deadLetterQueue).toBe('AuditDlq.Arn');
  });
});

describe('serverless.yml events (fixtures/rules/event-source-backpressure/serverless-events)', () => {
  const dir = path.join(RULE_FIXTURES, 'event-source-backpressure/serverless-events');
  const result = relativize(readDir(dir), dir);

  it('resolves sqs arns against resources.Resources (short and long form) and leaves variables alone', () => {
    expect(result.errors).toEqual([]);
    expect(byId(result, 'worker').events?.map((e) => [e.type, e.kind, e.queue?.id, e.queue?.visibilityTimeout])).toEqual([
      ['sqs', 'sqs', 'JobsQueue', undefined],
      ['eventBridge', 'eventbridge', undefined, undefined],
      ['stream', 'stream', undefined, undefined],
      ['httpApi', 'api', undefined, undefined],
      ['sqs', 'sqs', 'GoodQueue', 120],
    ]);
    expect(byId(result, 'reporter').events?.at(-1)).toMatchObject({ kind: 'sqs', target: '${self:custom.queueArn}' });
  });

  it('reads destinations and stream failure settings', () => {
    const reporter = byId(result, 'reporter');
    expect(reporter.asyncConfig).toEqual({
      source: { file: 'serverless.yml', line: 41, column: 5, endColumn: 18 },
      onFailure: 'arn:aws:sqs:us-east-1:123456789012:reporter-failures',
    });
    expect(reporter.events?.[3]).toMatchObject({ kind: 'stream', maximumRetryAttempts: 3, onFailure: 'arn:aws:sqs:us-east-1:123456789012:stream-failures' });
  });
});

describe('CDK wiring (fixtures/rules/event-source-backpressure/cdk-events)', () => {
  const dir = path.join(RULE_FIXTURES, 'event-source-backpressure/cdk-events');
  const result = relativize(readDir(dir), dir);

  it('reads addEventSource, the events prop and EventBridge targets, with the queues this file creates', () => {
    expect(result.errors).toEqual([]);
    const worker = byId(result, 'Worker');
    expect(worker.events?.map((e) => [e.type, e.kind, e.source.line])).toEqual([
      ['SqsEventSource', 'sqs', 35],
      ['SqsEventSource', 'sqs', 36],
      ['S3EventSource', 's3', 37],
      ['LambdaFunction', 'eventbridge', 60],
      ['LambdaFunction', 'eventbridge', 61],
    ]);
    expect(worker.events?.[0]?.queue).toEqual({
      id: 'ShortQueue',
      source: { file: 'lib/stack.ts', line: 19, column: 24, endColumn: 102 },
      visibilityTimeout: 60,
    });
    expect(worker.events?.[1]?.queue).toMatchObject({ id: 'GoodQueue', visibilityTimeout: 180, redrive: { deadLetterTarget: 'JobsDlq', maxReceiveCount: 5 } });
    expect(worker.events?.[4]).toMatchObject({ deadLetterQueue: 'JobsDlq', retryPolicy: { maximumRetryAttempts: 2 } });
    expect(worker.lmi).toEqual({ capacityProvider: 'Fleet', perExecutionEnvironmentMaxConcurrency: 32 });
  });

  it('reads function-level onFailure/retryAttempts and stream options, and tells schedule rules apart', () => {
    const reporter = byId(result, 'Reporter');
    expect(reporter.asyncConfig).toMatchObject({ maximumRetryAttempts: 1, onFailure: 'SqsDestination(JobsDlq)' });
    expect(reporter.events?.map((e) => [e.type, e.kind])).toEqual([
      ['DynamoEventSource', 'stream'],
      ['DynamoEventSource', 'stream'],
      ['LambdaFunction', 'schedule'],
    ]);
    expect(reporter.events?.[1]).toMatchObject({ maximumRetryAttempts: 3, onFailure: 'SqsDlq(JobsDlq)' });
  });
});

describe('alarms and layers (fixtures/rules/lifecycle)', () => {
  it('CloudFormation: an alarm naming a function watches it; one naming none watches the template', () => {
    const dir = path.join(RULE_FIXTURES, 'lifecycle/sam-layers-alarms');
    const result = readDir(dir);
    expect(result.functions.map((fn) => [fn.logicalId, fn.alarms?.map((a) => a.id)])).toEqual([
      ['OrdersFunction', ['OrdersInitAlarm', 'ColdStartAlarm']],
      ['ReportsFunction', ['ColdStartAlarm']],
      ['LegacyFunction', ['ColdStartAlarm', 'LegacyInitAlarm']],
      ['ReportsWithLibrariesFunction', ['ColdStartAlarm']],
      ['ReportsWithAgentFunction', ['ColdStartAlarm']],
    ]);
    expect(byId(result, 'OrdersFunction').settingLines).toEqual({ layers: 25, capacityProvider: 22 });
    // What the template shows of each layer's content (src/iac/layers.ts): dependencies built by SAM, a library folder.
    expect(result.functions.map((fn) => [fn.logicalId, fn.libraryLayers])).toEqual([
      ['OrdersFunction', undefined],
      ['ReportsFunction', undefined],
      ['LegacyFunction', undefined],
      ['ReportsWithLibrariesFunction', ['DependenciesLayer', 'LibraryLayer']],
      ['ReportsWithAgentFunction', ['LibraryLayer']],
    ]);
  });

  it('CDK: alarms on metrics that name a function, through a const', () => {
    const dir = path.join(RULE_FIXTURES, 'lifecycle/cdk-layers-alarms');
    const result = readDir(dir);
    expect(result.functions.map((fn) => [fn.logicalId, fn.alarms?.map((a) => [a.id, a.metric])])).toEqual([
      ['Api', [['ApiColdStarts', 'ColdStart']]],
      ['Batch', undefined],
    ]);
  });
});

describe('previous build output', () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-previous-'));
  afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

  it('SAM: .aws-sam/build marks functions that had no capacity provider', () => {
    const dir = path.join(RULE_FIXTURES, 'lmi-runtime-support/sam-recreated');
    const result = readDir(dir);
    expect(result.functions.map((fn) => [fn.logicalId, fn.lmiAddedToExisting?.evidence.slice(dir.length + 1)])).toEqual([
      ['OrdersFunction', '.aws-sam/build/template.yaml'],
      ['ReportsFunctionV2', undefined],
      ['UsersFunction', undefined],
    ]);
    // What must be re-pointed at the recreated function: the resources that reference it (a `!Sub` with
    // more around the reference included), and the gradual deployment that cannot span LMI and on-demand.
    expect(result.functions[0]!.lmiAddedToExisting).toMatchObject({
      referencedBy: ['`OrdersInvokePermission` (AWS::Lambda::Permission)', '`OrdersUrl` (AWS::Lambda::Url)'],
      trafficShifting: '`DeploymentPreference`',
    });
  });

  it('CloudFormation: an alias with a RoutingConfig on the recreated function is traffic shifting that cannot span the two', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-alias-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const fn = (lmi: boolean) => ({
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: 'nodejs22.x', Handler: 'app.handler', MemorySize: 2048, ...(lmi ? { CapacityProviderConfig: {} } : {}) },
    });
    const resources = {
      Worker: fn(true),
      Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Worker' }, RoutingConfig: { AdditionalVersionWeights: [] } } },
      Mapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: { FunctionName: { 'Fn::GetAtt': ['Worker', 'Arn'] }, EventSourceArn: 'arn:aws:sqs:us-east-1:1:q' },
      },
      Unrelated: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'Worker' } },
    };
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ Resources: resources }));
    fs.mkdirSync(path.join(dir, '.aws-sam/build'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.aws-sam/build/template.json'), JSON.stringify({ Resources: { Worker: fn(false) } }));
    expect(readDir(dir).functions[0]!.lmiAddedToExisting).toEqual({
      evidence: path.join(dir, '.aws-sam/build/template.json'),
      referencedBy: ['`Live` (AWS::Lambda::Alias)', '`Mapping` (AWS::Lambda::EventSourceMapping)'],
      trafficShifting: 'the `RoutingConfig` of `Live`',
    });
  });

  it('serverless: .serverless/cloudformation-template-update-stack.json, by the generated logical id', () => {
    fs.mkdirSync(path.join(temp, '.serverless'));
    fs.writeFileSync(
      path.join(temp, 'serverless.yml'),
      [
        'service: s',
        'provider: { name: aws, runtime: nodejs22.x, memorySize: 2048 }',
        'functions:',
        '  send-mail: { handler: app.handler, capacityProvider: fleet }',
        '  other: { handler: app.handler, capacityProvider: fleet }',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(temp, '.serverless/cloudformation-template-update-stack.json'),
      JSON.stringify({ Resources: { SendDashmailLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x' } } } }),
    );
    const result = readDir(temp);
    expect(result.functions.map((fn) => [fn.logicalId, fn.lmiAddedToExisting !== undefined])).toEqual([
      ['send-mail', true],
      ['other', false],
    ]);
    expect(normalizeServerlessName('send_mail-v2')).toBe('SendUnderscoremailDashv2');
  });
});

describe('referencedResource', () => {
  it('names the resource of Ref, GetAtt (both shapes) and whole-string Sub, and nothing else', () => {
    expect(referencedResource({ Ref: 'Queue' }, false)).toEqual({ id: 'Queue', text: '!Ref Queue' });
    expect(referencedResource({ 'Fn::GetAtt': ['Queue', 'Arn'] }, false)).toEqual({ id: 'Queue', attribute: 'Arn', text: '!GetAtt Queue.Arn' });
    expect(referencedResource({ 'Fn::GetAtt': 'Queue.Arn' }, true)).toEqual({
      id: 'Queue',
      attribute: 'Arn',
      text: '{ "Fn::GetAtt": ["Queue", "Arn"] }',
    });
    expect(referencedResource({ 'Fn::Sub': '${Queue.Arn}' }, false)).toMatchObject({ id: 'Queue', attribute: 'Arn' });
    expect(referencedResource({ 'Fn::Sub': 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs' }, false)).toBeUndefined();
    expect(referencedResource('arn:aws:sqs:us-east-1:123456789012:jobs', false)).toBeUndefined();
    expect(referencedResource({ 'Fn::ImportValue': 'jobs-arn' }, false)).toBeUndefined();
  });
});

describe('odd shapes', () => {
  it('never throws on unexpected values: the file keeps its functions, only missing references become errors', () => {
    const files: Record<string, string> = {
      '/virtual-wiring/template.yaml': [
        'Resources:',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Handler: app.handler',
        '      Runtime: nodejs22.x',
        '      EventInvokeConfig: 5',
        '      DeadLetterQueue: [a]',
        '      Events:',
        '        A: null',
        '        B: { Type: SQS }',
        '        C: { Type: SQS, Properties: { Queue: 42 } }',
        '        D: { Type: Kinesis, Properties: { DestinationConfig: { OnFailure: 7 } } }',
        '        E: { Type: EventBridgeRule, Properties: { DeadLetterConfig: null, RetryPolicy: [] } }',
        '        F: [1, 2]',
        '  Q:',
        '    Type: AWS::SQS::Queue',
        "    Properties: { RedrivePolicy: '{not json', VisibilityTimeout: !If [c, 1, 2] }",
        '  R:',
        '    Type: AWS::Events::Rule',
        '    Properties: { Targets: [null, 3, { Arn: !GetAtt Fn.Arn, DeadLetterConfig: { Arn: !GetAtt Nope.Arn } }] }',
        '  A:',
        '    Type: AWS::CloudWatch::Alarm',
        "    Properties: { MetricName: [InitDuration], Metrics: [null, { Expression: 'ColdStart * 2' }] }",
        '  S:',
        '    Type: AWS::Scheduler::Schedule',
        '    Properties: { Target: 5 }',
        '',
      ].join('\n'),
      '/virtual-wiring/serverless.yml': [
        'service: x',
        'provider: { name: aws, runtime: nodejs22.x }',
        'functions:',
        '  a:',
        '    handler: app.handler',
        '    destinations: { onFailure: { arn: !GetAtt Missing.Arn } }',
        '    onError: 5',
        '    events: [sqs, null, { sqs: null }, { sqs: { arn: null } }, { stream: { arn: 5, destinations: { onFailure: null } } }, { eventBridge: null }, { weird: 1 }]',
        'resources: 5',
        '',
      ].join('\n'),
      '/virtual-wiring/stack.ts': [
        "import * as cdk from 'aws-cdk-lib';",
        "import * as sqs from 'aws-cdk-lib/aws-sqs';",
        "import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';",
        "const q = new sqs.Queue(this, 'Q', { visibilityTimeout: cdk.Duration.seconds(x), deadLetterQueue: dlq });",
        "const fn = new cdk.aws_lambda.Function(this, 'F', { events: [new SqsEventSource(), ...more], environment: env });",
        'fn.addEventSource(new SqsEventSource(q, opts));',
        'fn.addEventSource();',
        'fn.configureAsyncInvoke();',
        "fn.addEventSourceMapping('M', { eventSourceArn: q.queueArn });",
        'new cdk.aws_cloudwatch.Alarm(this);',
        "fn.metric('ColdStart').createAlarm();",
        '',
      ].join('\n'),
    };
    const result = readInfrastructure({
      infraFiles: ['/virtual-wiring/template.yaml', '/virtual-wiring/serverless.yml'],
      sourceFiles: ['/virtual-wiring/stack.ts'],
      readFile: (file) => files[file]!,
    });
    expect(result.errors.map((e) => `${path.basename(e.file)}:${e.line} ${e.message}`)).toEqual([
      'serverless.yml:6 !GetAtt Missing.Arn: no resource Missing in resources.Resources',
      'template.yaml:21 !GetAtt Nope.Arn: no resource Nope in this template',
    ]);
    expect(result.functions.map((fn) => [fn.logicalId, fn.events?.map((e) => e.kind)])).toEqual([
      ['a', ['sqs', 'sqs', 'stream', 'eventbridge', 'other']],
      ['F', ['sqs', 'sqs', 'sqs']],
      ['Fn', ['sqs', 'sqs', 'stream', 'eventbridge', 'eventbridge']],
    ]);
    const cdkFn = byId(result, 'F');
    expect(cdkFn.events?.[1]?.queue).toEqual({ id: 'Q', source: expect.any(Object), visibilityTimeoutUnknown: true, redrive: {} });
    expect(cdkFn.alarms?.map((alarm) => alarm.metric)).toEqual(['ColdStart']);
    expect(byId(result, 'Fn').alarms?.map((alarm) => alarm.metric)).toEqual(['ColdStart * 2']);
  });
});
