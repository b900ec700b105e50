/**
 * @fileoverview event-source-backpressure: event sources that lose or duplicate work when LMI
 * rejects invocations. Read from infrastructure code (SAM/CloudFormation, serverless.yml, CDK, Terraform).
 */
import type { IacEventSource, IacFunction, IacQueue } from '../iac/index.js';
import { describeLocation, effectiveTimeout, toLoc } from '../iac/settings.js';
import { defineRule } from './define.js';

type MessageId = 'sqsVisibilityTimeout' | 'sqsNoRedrive' | 'sqsLowMaxReceiveCount' | 'asyncNoFailureHandling' | 'streamNoFailureHandling';

/** SQS's own default when a queue does not set `VisibilityTimeout`. */
const SQS_DEFAULT_VISIBILITY_TIMEOUT = 30;
/** AWS's guidance for event source mappings: visibility timeout at least 6 × the function timeout (AWS's LMI scaling and event source mapping guidance). */
const VISIBILITY_FACTOR = 6;
/** Below this, receives of throttled batches alone can move good messages to the DLQ (AWS guidance: at least 5). */
const MIN_MAX_RECEIVE_COUNT = 5;

const ASYNC_KINDS = new Set(['sns', 's3', 'eventbridge', 'schedule']);

/** How each tool spells the settings a fix needs. */
const SPELLING: Record<IacFunction['kind'], { asyncFix: string; streamFix: string; redrive: string; visibility: string }> = {
  sam: {
    asyncFix:
      '`EventInvokeConfig` with `MaximumRetryAttempts`/`MaximumEventAgeInSeconds` and a `DestinationConfig.OnFailure` destination (or a `DeadLetterQueue`)',
    streamFix: '`MaximumRetryAttempts` or `MaximumRecordAgeInSeconds`, `BisectBatchOnFunctionError: true` and a `DestinationConfig.OnFailure` destination',
    redrive: '`RedrivePolicy` with `deadLetterTargetArn`',
    visibility: '`VisibilityTimeout`',
  },
  cloudformation: {
    asyncFix:
      '`AWS::Lambda::EventInvokeConfig` with `MaximumRetryAttempts`/`MaximumEventAgeInSeconds` and a `DestinationConfig.OnFailure` destination (or a `DeadLetterConfig`)',
    streamFix: '`MaximumRetryAttempts` or `MaximumRecordAgeInSeconds`, `BisectBatchOnFunctionError: true` and a `DestinationConfig.OnFailure` destination',
    redrive: '`RedrivePolicy` with `deadLetterTargetArn`',
    visibility: '`VisibilityTimeout`',
  },
  serverless: {
    asyncFix: '`destinations.onFailure` (or `onError`) and `maximumRetryAttempts`/`maximumEventAge` on the function',
    streamFix: '`maximumRetryAttempts` or `maximumRecordAgeInSeconds`, `bisectBatchOnFunctionError: true` and `destinations.onFailure` on the stream event',
    redrive: '`RedrivePolicy` with `deadLetterTargetArn`',
    visibility: '`VisibilityTimeout`',
  },
  cdk: {
    asyncFix: '`onFailure` (or `deadLetterQueue`) and `retryAttempts`/`maxEventAge` on the function (or `configureAsyncInvoke`)',
    streamFix: '`retryAttempts` or `maxRecordAge`, `bisectBatchOnError: true` and `onFailure: new SqsDlq(...)` on the event source',
    redrive: '`deadLetterQueue: { queue, maxReceiveCount }`',
    visibility: '`visibilityTimeout`',
  },
  sst: {
    asyncFix:
      'an on-failure destination and `maximumRetryAttempts`/`maximumEventAgeInSeconds` for the function (an `aws.lambda.FunctionEventInvokeConfig` beside the SST component)',
    streamFix:
      '`maximumRetryAttempts` or `maximumRecordAgeInSeconds`, `bisectBatchOnFunctionError: true` and a `destinationConfig.onFailure` on the subscription (`transform.eventSourceMapping`)',
    redrive: '`dlq` on the Queue',
    visibility: '`visibilityTimeout` on the Queue',
  },
  terraform: {
    asyncFix:
      'an `aws_lambda_function_event_invoke_config` with `maximum_retry_attempts`/`maximum_event_age_in_seconds` and `destination_config { on_failure { ... } }` (or a `dead_letter_config`)',
    streamFix:
      '`maximum_retry_attempts` or `maximum_record_age_in_seconds`, `bisect_batch_on_function_error = true` and `destination_config { on_failure { ... } }` on the `aws_lambda_event_source_mapping`',
    redrive: '`redrive_policy = jsonencode({ deadLetterTargetArn = ..., maxReceiveCount = 5 })`',
    visibility: '`visibility_timeout_seconds`',
  },
};

export default defineRule<MessageId>({
  id: 'event-source-backpressure',
  checklist: 'event-source-backpressure',
  severity: 'error',
  fix: null,
  docs: {
    summary:
      'Event sources that lose or duplicate work when LMI rejects invocations: short SQS visibility timeouts, queues without a DLQ, async and stream sources without failure handling (errors on LMI, warnings otherwise).',
    why:
      'On LMI, when every worker of every execution environment is busy, new invocations are rejected (HTTP 429) instead of ' +
      'scaling out at once; scaling takes minutes (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-scaling.html). The event source has to absorb that. An SQS message ' +
      'whose invocation is throttled or slow becomes visible again after the visibility timeout and is processed twice unless the ' +
      'timeout is at least 6 × the function timeout (AWS guidance, also cfn-lint E3505 and cdk-nag); without a redrive policy, ' +
      'poison messages are retried until they expire. Asynchronous sources (S3, SNS, EventBridge, schedules) are retried from ' +
      "Lambda's internal queue only until the event's maximum age, then dropped silently unless there is an on-failure " +
      'destination or a dead-letter queue. Stream sources (Kinesis, DynamoDB) retry a failing batch until its records expire, ' +
      'blocking the shard. Findings are errors for functions that run on LMI (a capacity provider is configured) and warnings ' +
      'for the others (they matter once the function moves).',
    bad: [
      '# SAM',
      'Resources:',
      '  Queue:                            # reported: no RedrivePolicy',
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      '      VisibilityTimeout: 30',
      '  Worker:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Timeout: 30',
      '      CapacityProviderConfig: { Arn: !GetAtt Fleet.Arn }',
      '      Events:',
      '        Jobs:                        # reported: 30 s < 6 x 30 s',
      '          Type: SQS',
      '          Properties: { Queue: !GetAtt Queue.Arn }',
      '        Uploads:                     # reported: no destination, no retry configuration',
      '          Type: S3',
      '          Properties: { Bucket: !Ref Bucket, Events: s3:ObjectCreated:* }',
      '',
      '// CDK',
      "const queue = new sqs.Queue(this, 'Jobs'); // reported: no DLQ",
      "const fn = new NodejsFunction(this, 'Worker', { timeout: Duration.seconds(30) });",
      'fn.addEventSource(new SqsEventSource(queue)); // reported: default visibility timeout 30 s < 6 x 30 s',
    ].join('\n'),
    good: [
      '# SAM',
      '  Queue:',
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      '      VisibilityTimeout: 180',
      '      RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 5 }',
      '  Worker:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Timeout: 30',
      '      EventInvokeConfig:',
      '        MaximumRetryAttempts: 2',
      '        MaximumEventAgeInSeconds: 3600',
      '        DestinationConfig: { OnFailure: { Type: SQS, Destination: !GetAtt Dlq.Arn } }',
      '',
      '// CDK',
      "const dlq = new sqs.Queue(this, 'JobsDlq');",
      "const queue = new sqs.Queue(this, 'Jobs', { visibilityTimeout: Duration.seconds(180), deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });",
      'fn.addEventSource(new SqsEventSource(queue, { batchSize: 10 }));',
      '',
      '# Not reported: API Gateway, function URLs and ALB (the caller sees the 429 and must retry with backoff),',
      '# queues and streams defined outside the scanned template or CDK file (their settings are unknown).',
    ].join('\n'),
    howToFix:
      'SQS: set the queue visibility timeout to at least 6 × the function timeout and give the queue a redrive policy to a ' +
      "dead-letter queue with `maxReceiveCount` of 5 or more. Async sources: configure the function's asynchronous invocation " +
      '(retry attempts and maximum event age) and an on-failure destination or dead-letter queue. Streams: limit retries ' +
      '(`MaximumRetryAttempts` / `MaximumRecordAgeInSeconds`), bisect failing batches and send failures to an on-failure destination.',
    whenNotToUse:
      'Sources where losing or repeating an event is acceptable (best-effort notifications, idempotent sweeps that run again ' +
      'anyway), or when the failure handling is configured outside the scanned infrastructure code.',
  },
  messages: {
    sqsVisibilityTimeout:
      'The visibility timeout of queue `{{queue}}` ({{visibility}} s{{defaulted}}, {{queueAt}}) is under 6 × the timeout of ' +
      '`{{function}}` ({{timeout}} s): when LMI throttles the function or an invocation runs long, the message becomes visible ' +
      'again and is processed twice. Set {{setting}} to at least {{required}} s.',
    sqsNoRedrive:
      'Queue `{{queue}}`, polled by {{functions}}, has no redrive policy: messages whose invocations keep ' +
      'failing or being throttled on LMI are retried until they expire, and poison messages are never set aside. Add a ' +
      'redrive policy to a dead-letter queue ({{setting}}), with `maxReceiveCount` of at least 5.',
    sqsLowMaxReceiveCount:
      'Queue `{{queue}}`, polled by {{functions}}, moves messages to its dead-letter queue after {{count}} receive(s): on LMI a throttled ' +
      'invocation also counts as a receive, so good messages land in the DLQ during a traffic burst. Raise `maxReceiveCount` ' +
      'to at least 5.',
    asyncNoFailureHandling:
      '`{{function}}` is invoked asynchronously by {{source}} but has no on-failure destination or dead-letter queue and no ' +
      'retry configuration: events whose invocations LMI rejects (HTTP 429 while every worker is busy) are retried only until ' +
      'they expire, then dropped silently. Add {{fix}}.',
    streamNoFailureHandling:
      '`{{function}}` reads the stream {{source}} with no on-failure destination, no batch bisection and no retry limit: a ' +
      'batch that fails or is throttled on LMI is retried until its records expire, blocking the shard. Set {{fix}}.',
  },
  visitors: {},
  appliesTo: (fn) => fn.iac !== undefined,
  check(ctx) {
    // Redrive settings belong to the queue: one finding on the queue for all the functions polling it.
    const queues = new Map<string, { queue: IacQueue; names: string[]; ids: string[]; lmi: boolean; kind: IacFunction['kind'] }>();
    for (const fn of ctx.infra) {
      const functionIds = ctx.functionIdsOf(fn);
      const severity = fn.lmi ? 'error' : 'warning';
      const spelling = SPELLING[fn.kind];
      const report = (event: IacEventSource, messageId: MessageId, data: Record<string, string>): void =>
        ctx.report({
          file: event.source.file,
          loc: toLoc(event.source),
          messageId,
          data: { function: fn.logicalId, ...data },
          handlers: [],
          functionIds,
          severity,
        });

      for (const event of fn.events ?? []) {
        if (event.kind === 'sqs' && event.queue) {
          const queue = event.queue;
          const queueData = { queue: queue.id, queueAt: describeLocation(queue.source) };
          const timeout = effectiveTimeout(fn);
          const visibility = queue.visibilityTimeoutUnknown ? undefined : (queue.visibilityTimeout ?? SQS_DEFAULT_VISIBILITY_TIMEOUT);
          if (timeout !== undefined && visibility !== undefined && visibility < VISIBILITY_FACTOR * timeout) {
            report(event, 'sqsVisibilityTimeout', {
              ...queueData,
              visibility: String(visibility),
              defaulted: queue.visibilityTimeout === undefined ? ', the SQS default' : '',
              timeout: `${timeout}${fn.timeout === undefined ? ', the default' : ''}`,
              required: String(VISIBILITY_FACTOR * timeout),
              setting: spelling.visibility,
            });
          }
          const key = `${queue.source.file}:${queue.source.line}:${queue.id}`;
          let entry = queues.get(key);
          if (!entry) queues.set(key, (entry = { queue, names: [], ids: [], lmi: false, kind: fn.kind }));
          if (!entry.names.includes(`\`${fn.logicalId}\``)) entry.names.push(`\`${fn.logicalId}\``);
          entry.ids.push(...functionIds);
          entry.lmi ||= fn.lmi !== undefined;
        } else if (ASYNC_KINDS.has(event.kind)) {
          const hasDestination = fn.deadLetterQueue !== undefined || fn.asyncConfig?.onFailure !== undefined || event.deadLetterQueue !== undefined;
          const hasRetryConfig =
            fn.asyncConfig?.maximumRetryAttempts !== undefined || fn.asyncConfig?.maximumEventAgeInSeconds !== undefined || event.retryPolicy !== undefined;
          if (!hasDestination && !hasRetryConfig) {
            report(event, 'asyncNoFailureHandling', { source: describeSource(event), fix: spelling.asyncFix });
          }
        } else if (event.kind === 'stream') {
          const limited =
            (event.maximumRetryAttempts !== undefined && event.maximumRetryAttempts !== -1) ||
            (event.maximumRecordAgeInSeconds !== undefined && event.maximumRecordAgeInSeconds !== -1);
          if (event.onFailure === undefined && event.bisectBatchOnFunctionError !== true && !limited) {
            report(event, 'streamNoFailureHandling', { source: describeSource(event), fix: spelling.streamFix });
          }
        }
      }
    }
    for (const { queue, names, ids, lmi, kind } of queues.values()) {
      const base = {
        file: queue.source.file,
        loc: toLoc(queue.source),
        handlers: [],
        functionIds: [...new Set(ids)],
        severity: lmi ? 'error' : 'warning',
      } as const;
      const data = { queue: queue.id, functions: names.join(', ') };
      if (!queue.redrive?.deadLetterTarget) {
        ctx.report({ ...base, messageId: 'sqsNoRedrive', data: { ...data, setting: SPELLING[kind].redrive } });
      } else if (queue.redrive.maxReceiveCount !== undefined && queue.redrive.maxReceiveCount < MIN_MAX_RECEIVE_COUNT) {
        ctx.report({ ...base, messageId: 'sqsLowMaxReceiveCount', data: { ...data, count: String(queue.redrive.maxReceiveCount) } });
      }
    }
  },
});

/** `the S3 event \`Uploads\``, `` `Orders` ``. */
function describeSource(event: IacEventSource): string {
  const what: Record<string, string> = { sns: 'SNS', s3: 'S3', eventbridge: 'EventBridge', schedule: 'a schedule', stream: '' };
  const label = event.name ?? event.target;
  if (event.kind === 'stream') return `\`${(event.target ?? label ?? event.type).replace(/\.(Arn|StreamArn)$/, '')}\``;
  const kind = what[event.kind] ?? event.type;
  return label === undefined ? kind : `${kind} (\`${label}\`)`;
}
