/**
 * @fileoverview What invokes each function of a SAM/CloudFormation template, and how failures
 * are handled: SAM `Events` (with the SQS queue they poll resolved inside the template),
 * `FunctionUrlConfig`, `EventInvokeConfig` and `DeadLetterQueue` (with `Globals`), the
 * CloudFormation resources that wire a function from the outside (`AWS::Lambda::EventSourceMapping`,
 * `AWS::Lambda::EventInvokeConfig`, SNS subscriptions, EventBridge rules, Scheduler schedules, S3
 * notifications, function URLs), and CloudWatch alarms on init duration or cold starts.
 *
 * The same code reads the CloudFormation `resources.Resources` section of a serverless.yml.
 */
import type { IacAlarm, IacAsyncConfig, IacEventKind, IacEventSource, IacFunction, IacPolledService } from './types.js';
import {
  collectReferences,
  destinationOf,
  locate,
  queueOf,
  referencedResource,
  resolveResource,
  withParameterDefault,
  type ResourceScope,
} from './references.js';
import { asNumber, asObject, asString, isObject, referenceToString, type PlainObject } from './values.js';

const SAM_FUNCTION = 'AWS::Serverless::Function';
const CFN_FUNCTION = 'AWS::Lambda::Function';

/** SAM event `Type` -> kind. Kafka, MQ and DocumentDB mappings have their own failure handling and are not judged. */
const SAM_EVENT_KINDS: Record<string, IacEventKind> = {
  SQS: 'sqs',
  SNS: 'sns',
  S3: 's3',
  EventBridgeRule: 'eventbridge',
  CloudWatchEvent: 'eventbridge',
  Schedule: 'schedule',
  ScheduleV2: 'schedule',
  Kinesis: 'stream',
  DynamoDB: 'stream',
  Api: 'api',
  HttpApi: 'api',
};

/** SAM event `Type` -> the service its event source mapping polls. */
const SAM_POLLED: Record<string, IacPolledService> = {
  SQS: 'sqs',
  Kinesis: 'kinesis',
  DynamoDB: 'dynamodb',
  MSK: 'msk',
  SelfManagedKafka: 'kafka',
  MQ: 'mq',
  DocumentDB: 'documentdb',
};

/** Resource types an `AWS::Lambda::EventSourceMapping` may poll -> service. */
const POLLED_RESOURCES: Record<string, IacPolledService> = {
  'AWS::SQS::Queue': 'sqs',
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::MSK::Cluster': 'msk',
  'AWS::MSK::ServerlessCluster': 'msk',
  'AWS::AmazonMQ::Broker': 'mq',
  'AWS::DocDB::DBCluster': 'documentdb',
  'AWS::DocDBElastic::Cluster': 'documentdb',
};

/** The service an event source ARN names (`arn:aws:mq:...` -> `mq`); DocumentDB clusters have `rds` ARNs. */
export function polledServiceOfArn(arn: string | undefined): IacPolledService | undefined {
  const service = arn === undefined ? undefined : /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];
  const services: Record<string, IacPolledService> = {
    sqs: 'sqs',
    kinesis: 'kinesis',
    dynamodb: 'dynamodb',
    kafka: 'msk',
    mq: 'mq',
    rds: 'documentdb',
    'docdb-elastic': 'documentdb',
  };
  return service === undefined ? undefined : services[service];
}

/** Metric names and expressions that watch init duration or cold starts. */
const INIT_METRIC = /init[ _-]?duration|cold[ _-]?start/i;

/** Reads the wiring of every function in `functions` (logical id -> function) from the scope's resources. */
export function readTemplateWiring(scope: ResourceScope, functions: Map<string, IacFunction>, globals: PlainObject = {}): void {
  for (const [id, value] of Object.entries(scope.resources)) {
    const resource = asObject(value);
    if (!resource) continue;
    const props = asObject(resource.Properties) ?? {};
    const path = [...scope.resourcesPath, id];
    const fn = functions.get(id);
    switch (resource.Type) {
      case SAM_FUNCTION:
        if (fn) readSamFunction(scope, fn, props, path, globals);
        break;
      case CFN_FUNCTION:
        if (fn) readDeadLetterConfig(scope, fn, props.DeadLetterConfig, [...path, 'Properties', 'DeadLetterConfig']);
        break;
      case 'AWS::Lambda::EventSourceMapping':
        readEventSourceMapping(scope, functions, id, props, path);
        break;
      case 'AWS::Lambda::EventInvokeConfig': {
        const target = functionOf(scope, functions, props.FunctionName);
        if (target) target.asyncConfig = asyncConfigOf(scope, props, path);
        break;
      }
      case 'AWS::Lambda::Url': {
        const target = functionOf(scope, functions, props.TargetFunctionArn);
        if (target) addEvent(target, { kind: 'api', type: 'AWS::Lambda::Url', name: id, source: locate(scope, path) });
        break;
      }
      case 'AWS::SNS::Subscription':
        if (props.Protocol === 'lambda') readSnsSubscription(scope, functions, id, props, path);
        break;
      case 'AWS::SNS::Topic':
        asArray(props.Subscription).forEach((subscription, index) => {
          const sub = asObject(subscription);
          if (sub?.Protocol !== 'lambda') return;
          const target = functionOf(scope, functions, sub.Endpoint);
          if (target) {
            addEvent(target, { kind: 'sns', type: 'AWS::SNS::Topic', name: id, source: locate(scope, [...path, 'Properties', 'Subscription', index], path) });
          }
        });
        break;
      case 'AWS::Events::Rule':
        asArray(props.Targets).forEach((targetValue, index) => {
          const target = asObject(targetValue);
          const fnTarget = target ? functionOf(scope, functions, target.Arn) : undefined;
          if (!target || !fnTarget) return;
          const targetPath = [...path, 'Properties', 'Targets', index];
          const event: IacEventSource = {
            kind: props.ScheduleExpression !== undefined ? 'schedule' : 'eventbridge',
            type: 'AWS::Events::Rule',
            name: id,
            source: locate(scope, targetPath, path),
          };
          const expression = referenceToString(props.ScheduleExpression);
          if (expression !== undefined) event.target = expression;
          applyTargetFailureHandling(scope, event, target, targetPath);
          addEvent(fnTarget, event);
        });
        break;
      case 'AWS::Scheduler::Schedule': {
        const target = asObject(props.Target);
        const fnTarget = target ? functionOf(scope, functions, target.Arn) : undefined;
        if (!target || !fnTarget) break;
        const event: IacEventSource = { kind: 'schedule', type: 'AWS::Scheduler::Schedule', name: id, source: locate(scope, path) };
        const expression = referenceToString(props.ScheduleExpression);
        if (expression !== undefined) event.target = expression;
        applyTargetFailureHandling(scope, event, target, [...path, 'Properties', 'Target']);
        addEvent(fnTarget, event);
        break;
      }
      case 'AWS::S3::Bucket': {
        const notifications = asObject(props.NotificationConfiguration);
        asArray(notifications?.LambdaConfigurations).forEach((configuration, index) => {
          const fnTarget = functionOf(scope, functions, asObject(configuration)?.Function);
          if (!fnTarget) return;
          const source = locate(scope, [...path, 'Properties', 'NotificationConfiguration', 'LambdaConfigurations', index], path);
          addEvent(fnTarget, { kind: 's3', type: 'AWS::S3::Bucket', name: id, target: id, source });
        });
        break;
      }
      case 'AWS::CloudWatch::Alarm':
        readAlarm(scope, functions, id, props, path);
        break;
    }
  }
}

// --- SAM functions ----------------------------------------------------------------------------

function readSamFunction(scope: ResourceScope, fn: IacFunction, props: PlainObject, path: (string | number)[], globals: PlainObject): void {
  const events = asObject(props.Events);
  if (events) {
    for (const [name, value] of Object.entries(events)) {
      const event = asObject(value);
      if (event) addEvent(fn, samEvent(scope, name, event, [...path, 'Properties', 'Events', name]));
    }
  }
  if (isObject(props.FunctionUrlConfig)) {
    addEvent(fn, { kind: 'api', type: 'FunctionUrlConfig', source: locate(scope, [...path, 'Properties', 'FunctionUrlConfig'], path) });
  }
  // SAM copies these from Globals.Function when the function does not set them.
  const invoke = props.EventInvokeConfig !== undefined ? props.EventInvokeConfig : globals.EventInvokeConfig;
  const invokePath = props.EventInvokeConfig !== undefined ? [...path, 'Properties', 'EventInvokeConfig'] : ['Globals', 'Function', 'EventInvokeConfig'];
  if (isObject(invoke)) fn.asyncConfig = asyncConfigOf(scope, invoke, invokePath, path);
  const dlq = props.DeadLetterQueue !== undefined ? props.DeadLetterQueue : globals.DeadLetterQueue;
  const dlqPath = props.DeadLetterQueue !== undefined ? [...path, 'Properties', 'DeadLetterQueue'] : ['Globals', 'Function', 'DeadLetterQueue'];
  const dlqObject = asObject(dlq);
  if (dlqObject) {
    const target = destinationOf(scope, { TargetArn: dlqObject.TargetArn, Type: dlqObject.Type }, dlqPath);
    if (target !== undefined) fn.deadLetterQueue = target;
  }
}

function samEvent(scope: ResourceScope, name: string, event: PlainObject, path: (string | number)[]): IacEventSource {
  const type = asString(event.Type) ?? 'unknown';
  const props = asObject(event.Properties) ?? {};
  const propsPath = [...path, 'Properties'];
  let kind: IacEventKind = SAM_EVENT_KINDS[type] ?? 'other';
  // An SNS subscription through SAM's own SQS queue is polled, not invoked asynchronously.
  if (type === 'SNS' && props.SqsSubscription !== undefined && props.SqsSubscription !== false) kind = 'other';
  const source: IacEventSource = { kind, type, name, source: locate(scope, path) };
  if (SAM_POLLED[type] !== undefined) source.service = SAM_POLLED[type];
  const number = (key: string): number | undefined => asNumber(withParameterDefault(scope, props[key]));
  switch (kind) {
    case 'sqs': {
      const target = referenceToString(props.Queue);
      if (target !== undefined) source.target = target;
      assignDefined(source, { batchSize: number('BatchSize'), maximumBatchingWindow: number('MaximumBatchingWindowInSeconds') });
      const resolved = resolveResource(scope, props.Queue, [...propsPath, 'Queue']);
      const queue = resolved ? queueOf(scope, resolved.id, resolved.resource) : undefined;
      if (queue) source.queue = queue;
      break;
    }
    case 'sns': {
      const target = referenceToString(props.Topic);
      if (target !== undefined) source.target = target;
      const redrive = asObject(props.RedrivePolicy);
      if (redrive) {
        const dlq = destinationOf(scope, { Arn: redrive.deadLetterTargetArn }, [...propsPath, 'RedrivePolicy']);
        if (dlq !== undefined) source.deadLetterQueue = dlq;
      }
      break;
    }
    case 's3': {
      const target = referenceToString(props.Bucket);
      if (target !== undefined) source.target = target;
      break;
    }
    case 'eventbridge':
    case 'schedule': {
      const target = referenceToString(props.Schedule ?? props.ScheduleExpression ?? props.EventBusName);
      if (target !== undefined) source.target = target;
      applyTargetFailureHandling(scope, source, props, propsPath);
      break;
    }
    case 'stream': {
      const target = referenceToString(props.Stream);
      if (target !== undefined) source.target = target;
      resolveResource(scope, props.Stream, [...propsPath, 'Stream']);
      applyStreamSettings(scope, source, props, propsPath);
      break;
    }
  }
  return source;
}

// --- CloudFormation resources -----------------------------------------------------------------

function readEventSourceMapping(scope: ResourceScope, functions: Map<string, IacFunction>, id: string, props: PlainObject, path: (string | number)[]): void {
  const fn = functionOf(scope, functions, props.FunctionName);
  if (!fn) return;
  const propsPath = [...path, 'Properties'];
  const resolved = resolveResource(scope, props.EventSourceArn, [...propsPath, 'EventSourceArn']);
  const arn = referenceToString(props.EventSourceArn) ?? '';
  let kind: IacEventKind = 'other';
  const type = resolved?.resource.Type;
  if (type === 'AWS::SQS::Queue' || /^arn:[^:]+:sqs:/.test(arn)) kind = 'sqs';
  else if (type === 'AWS::Kinesis::Stream' || type === 'AWS::DynamoDB::Table' || /^arn:[^:]+:(kinesis|dynamodb):/.test(arn)) kind = 'stream';
  const event: IacEventSource = { kind, type: 'AWS::Lambda::EventSourceMapping', name: id, source: locate(scope, path) };
  if (arn) event.target = arn;
  const service =
    (typeof type === 'string' ? POLLED_RESOURCES[type] : undefined) ??
    polledServiceOfArn(arn) ??
    (props.SelfManagedEventSource !== undefined ? 'kafka' : props.AmazonManagedKafkaEventSourceConfig !== undefined ? 'msk' : undefined);
  if (service !== undefined) event.service = service;
  assignDefined(event, {
    batchSize: asNumber(withParameterDefault(scope, props.BatchSize)),
    maximumBatchingWindow: asNumber(withParameterDefault(scope, props.MaximumBatchingWindowInSeconds)),
  });
  if (kind === 'sqs' && resolved) {
    const queue = queueOf(scope, resolved.id, resolved.resource);
    if (queue) event.queue = queue;
  }
  if (kind === 'stream') applyStreamSettings(scope, event, props, propsPath);
  addEvent(fn, event);
}

function readSnsSubscription(scope: ResourceScope, functions: Map<string, IacFunction>, id: string, props: PlainObject, path: (string | number)[]): void {
  const fn = functionOf(scope, functions, props.Endpoint);
  if (!fn) return;
  const event: IacEventSource = { kind: 'sns', type: 'AWS::SNS::Subscription', name: id, source: locate(scope, path) };
  const topic = referenceToString(props.TopicArn);
  if (topic !== undefined) event.target = topic;
  let redrive: unknown = props.RedrivePolicy;
  if (typeof redrive === 'string') {
    try {
      redrive = JSON.parse(redrive);
    } catch {
      redrive = undefined;
    }
  }
  const policy = asObject(redrive);
  if (policy) {
    const dlq = destinationOf(scope, { Arn: policy.deadLetterTargetArn }, [...path, 'Properties', 'RedrivePolicy']);
    if (dlq !== undefined) event.deadLetterQueue = dlq;
  }
  addEvent(fn, event);
}

function readDeadLetterConfig(scope: ResourceScope, fn: IacFunction, value: unknown, path: (string | number)[]): void {
  const config = asObject(value);
  if (!config) return;
  const target = destinationOf(scope, { TargetArn: config.TargetArn }, path);
  if (target !== undefined) fn.deadLetterQueue = target;
}

function readAlarm(scope: ResourceScope, functions: Map<string, IacFunction>, id: string, props: PlainObject, path: (string | number)[]): void {
  const metric = initMetricOf(props);
  if (metric === undefined) return;
  const alarm: IacAlarm = { id, source: locate(scope, path), metric };
  // The functions the alarm names (dimensions, metric math); an alarm naming none watches the whole stack.
  const named = new Set<IacFunction>();
  collectReferences(props, (reference) => {
    const fn = functions.get(reference);
    if (fn) named.add(fn);
  });
  const watched = named.size > 0 ? [...named] : [...functions.values()];
  for (const fn of watched) (fn.alarms ??= []).push(alarm);
}

/** The metric name (or expression) of an alarm when it watches init duration or cold starts. */
function initMetricOf(props: PlainObject): string | undefined {
  const names: string[] = [];
  const metricName = asString(props.MetricName);
  if (metricName) names.push(metricName);
  for (const query of asArray(props.Metrics)) {
    const q = asObject(query);
    const stat = asObject(asObject(q?.MetricStat)?.Metric);
    const name = asString(stat?.MetricName);
    if (name) names.push(name);
    const expression = asString(q?.Expression);
    if (expression) names.push(expression);
  }
  const match = names.find((name) => INIT_METRIC.test(name));
  if (match) return match;
  // Alarm names and descriptions as a last resort ("Cold starts above 5%").
  const label = [props.AlarmName, props.AlarmDescription].map(referenceToString).find((text) => text !== undefined && INIT_METRIC.test(text));
  return label !== undefined ? (metricName ?? label) : undefined;
}

// --- shared -----------------------------------------------------------------------------------

/** Async invocation config from SAM `EventInvokeConfig` or `AWS::Lambda::EventInvokeConfig` properties. */
function asyncConfigOf(scope: ResourceScope, props: PlainObject, path: (string | number)[], fallback: (string | number)[] = path): IacAsyncConfig {
  const propsPath = path[path.length - 1] === 'EventInvokeConfig' ? path : [...path, 'Properties'];
  const config: IacAsyncConfig = { source: locate(scope, path, fallback) };
  assignDefined(config, {
    maximumRetryAttempts: asNumber(withParameterDefault(scope, props.MaximumRetryAttempts)),
    maximumEventAgeInSeconds: asNumber(withParameterDefault(scope, props.MaximumEventAgeInSeconds)),
  });
  const destinations = asObject(props.DestinationConfig);
  const destinationsPath = [...propsPath, 'DestinationConfig'];
  if (destinations?.OnFailure !== undefined) {
    const onFailure = destinationOf(scope, destinations.OnFailure, [...destinationsPath, 'OnFailure']);
    if (onFailure !== undefined) config.onFailure = onFailure;
  }
  if (destinations?.OnSuccess !== undefined) {
    const onSuccess = destinationOf(scope, destinations.OnSuccess, [...destinationsPath, 'OnSuccess']);
    if (onSuccess !== undefined) config.onSuccess = onSuccess;
  }
  return config;
}

/** EventBridge / Scheduler target settings: `DeadLetterConfig` and `RetryPolicy`. */
function applyTargetFailureHandling(scope: ResourceScope, event: IacEventSource, target: PlainObject, path: (string | number)[]): void {
  const dlq = asObject(target.DeadLetterConfig);
  if (dlq) {
    const arn = destinationOf(scope, dlq, [...path, 'DeadLetterConfig']);
    // SAM `DeadLetterConfig: { Type: SQS }` creates the queue.
    event.deadLetterQueue = arn ?? 'SQS';
  }
  const retry = asObject(target.RetryPolicy);
  if (retry) {
    event.retryPolicy = {};
    assignDefined(event.retryPolicy, {
      maximumRetryAttempts: asNumber(withParameterDefault(scope, retry.MaximumRetryAttempts)),
      maximumEventAgeInSeconds: asNumber(withParameterDefault(scope, retry.MaximumEventAgeInSeconds)),
    });
  }
}

function applyStreamSettings(scope: ResourceScope, event: IacEventSource, props: PlainObject, propsPath: (string | number)[]): void {
  const bisect = props.BisectBatchOnFunctionError;
  assignDefined(event, {
    batchSize: asNumber(withParameterDefault(scope, props.BatchSize)),
    maximumBatchingWindow: asNumber(withParameterDefault(scope, props.MaximumBatchingWindowInSeconds)),
    bisectBatchOnFunctionError: bisect === true || bisect === 'true' ? true : bisect === false || bisect === 'false' ? false : undefined,
    maximumRetryAttempts: asNumber(withParameterDefault(scope, props.MaximumRetryAttempts)),
    maximumRecordAgeInSeconds: asNumber(withParameterDefault(scope, props.MaximumRecordAgeInSeconds)),
  });
  const onFailure = asObject(props.DestinationConfig)?.OnFailure;
  if (onFailure !== undefined) {
    const destination = destinationOf(scope, onFailure, [...propsPath, 'DestinationConfig', 'OnFailure']);
    if (destination !== undefined) event.onFailure = destination;
  }
}

/** The function of this template a `FunctionName` / `Endpoint` / target `Arn` names (never reported when missing: SAM aliases and versions are generated). */
function functionOf(scope: ResourceScope, functions: Map<string, IacFunction>, value: unknown): IacFunction | undefined {
  const reference = referencedResource(value, scope.json);
  return reference ? functions.get(reference.id) : undefined;
}

export function addEvent(fn: IacFunction, event: IacEventSource): void {
  (fn.events ??= []).push(event);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Copies the defined values of `values` onto `target`. */
export function assignDefined<T extends object>(target: T, values: Partial<T>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
}
