/**
 * @fileoverview Serverless Framework service files (serverless.yml/yaml/json): `functions.<name>`
 * with `provider` defaults, their `events`, `destinations`, `onError` and `url`, and the
 * CloudFormation `resources.Resources` section (the queues that `sqs` events name, alarms).
 * Variables (`${self:...}`, `${env:...}`, `${opt:...}`, `${file(...)}`) are never resolved: they
 * stay strings, and numbers written with them are unknown.
 */
import * as path from 'node:path';
import { applyHandler, assignNumbers, lmiConfig, parseTemplateFile } from './cloudformation.js';
import { resolveHandler } from './handler-path.js';
import { markLmiAddedToExisting, normalizeServerlessName } from './previous-build.js';
import { destinationOf, locate, queueOf, resolveResource, type ResourceScope } from './references.js';
import { addEvent, assignDefined, polledServiceOfArn, readTemplateWiring } from './template-wiring.js';
import type { IacEventKind, IacEventSource, IacFunction, IacPolledService, InfrastructureReader, ReaderContext } from './types.js';
import { asNumber, asObject, asString, isObject, referenceList, referenceToString, type PlainObject } from './values.js';

/** Event keys -> the service their event source mapping polls (`stream` is Kinesis or DynamoDB, by ARN). */
const POLLED: Record<string, IacPolledService> = { sqs: 'sqs', msk: 'msk', kafka: 'kafka', activemq: 'mq', rabbitmq: 'mq' };

/** Event keys -> kind. Kafka, MQ and CloudWatch Logs sources are not judged. */
const EVENT_KINDS: Record<string, IacEventKind> = {
  sqs: 'sqs',
  sns: 'sns',
  s3: 's3',
  eventBridge: 'eventbridge',
  cloudwatchEvent: 'eventbridge',
  schedule: 'schedule',
  stream: 'stream',
  http: 'api',
  httpApi: 'api',
  alb: 'api',
  websocket: 'api',
};

function isServerlessFile(file: string): boolean {
  return /^serverless\.(ya?ml|json)$/i.test(path.basename(file));
}

/** Serverless Framework `serverless.yml` / `.yaml` / `.json`, parsed as data. */
export const serverlessReader: InfrastructureReader = {
  name: 'Serverless Framework',
  reads: 'infrastructure',
  accepts: (file) => isServerlessFile(file),
  read: (file, ctx) => readServerless(file, ctx),
};

function readServerless(file: string, ctx: ReaderContext): IacFunction[] {
  const document = parseTemplateFile(file, ctx.readFile(file));
  if (document.errors.length > 0) {
    for (const error of document.errors) ctx.errors.push({ file, ...error });
    return [];
  }
  const body = asObject(document.value);
  if (!body) return [];
  for (const problem of document.warnings) ctx.errors.push({ file, ...problem });
  const provider = asObject(body.provider) ?? {};
  // A service for another cloud (`provider: { name: google }`, `provider: azure`): no Lambda function, nothing to report.
  const providerName = typeof body.provider === 'string' ? body.provider : asString(provider.name);
  if (providerName !== undefined && providerName !== 'aws') {
    ctx.otherClouds?.push(path.dirname(file));
    return [];
  }
  const serviceDir = path.dirname(file);
  const resourcesSection = asObject(body.resources);
  const scope: ResourceScope = {
    file,
    document,
    resources: asObject(resourcesSection?.Resources) ?? {},
    parameters: asObject(resourcesSection?.Parameters) ?? {},
    resourcesPath: ['resources', 'Resources'],
    where: 'resources.Resources',
    json: /\.json$/i.test(file),
    errors: ctx.errors,
  };

  // `functions` is a map, or a list of maps (merged), possibly with `${file(...)}` entries we cannot follow.
  const entries: { name: string; definition: unknown; keyPath: (string | number)[] }[] = [];
  if (isObject(body.functions)) {
    for (const [name, definition] of Object.entries(body.functions)) entries.push({ name, definition, keyPath: ['functions', name] });
  } else if (Array.isArray(body.functions)) {
    body.functions.forEach((group, index) => {
      if (!isObject(group)) return;
      for (const [name, definition] of Object.entries(group)) entries.push({ name, definition, keyPath: ['functions', index, name] });
    });
  }

  const functions: IacFunction[] = [];
  for (const { name, definition, keyPath } of entries) {
    const props: PlainObject = asObject(definition) ?? {};
    const line = document.lineOf(keyPath) ?? 1;
    const fn: IacFunction = { logicalId: name, kind: 'serverless', source: { file, line } };
    const runtime = asString(props.runtime ?? provider.runtime);
    const handler = asString(props.handler);
    if (runtime !== undefined) fn.runtime = runtime;
    if (handler !== undefined) fn.handler = handler;
    assignNumbers(fn, asNumber(props.memorySize ?? provider.memorySize), asNumber(props.timeout ?? provider.timeout));
    const layers = referenceList(props.layers ?? provider.layers);
    if (layers) fn.layers = layers;

    const capacity = props.capacityProvider;
    if (capacity !== undefined && capacity !== null && capacity !== false) {
      if (isObject(capacity)) {
        fn.lmi = lmiConfig(referenceToString(capacity.name ?? capacity.arn), asNumber(capacity.maxConcurrency), asNumber(capacity.memoryPerVCpu));
      } else {
        fn.lmi = lmiConfig(referenceToString(capacity), undefined, undefined);
      }
    }

    // `provider.logs.lambda.logFormat` (Serverless Framework v4).
    const logFormat = asString(asObject(asObject(provider.logs)?.lambda)?.logFormat);
    if (logFormat !== undefined) fn.logFormat = logFormat;

    const codeRoot = props.image !== undefined ? undefined : serviceDir;
    applyHandler(fn, resolveHandler({ handler, codeRoot, runtime, fileExists: ctx.fileExists }));
    assignSettingFacts(document, fn, props, provider, keyPath);
    readEvents(scope, fn, props, keyPath);
    readFailureHandling(scope, fn, props, keyPath);
    functions.push(fn);
  }
  // Alarms and other wiring written as CloudFormation, keyed by the logical ids the framework generates.
  readTemplateWiring(scope, new Map(functions.map((fn) => [`${normalizeServerlessName(fn.logicalId)}LambdaFunction`, fn])));
  markLmiAddedToExisting(file, functions, { resources: scope.resources });
  return functions;
}

function assignSettingFacts(
  document: { lineOf(keyPath: readonly (string | number)[]): number | undefined },
  fn: IacFunction,
  props: PlainObject,
  provider: PlainObject,
  keyPath: (string | number)[],
): void {
  const unknown: NonNullable<IacFunction['unknownSettings']> = [];
  if (fn.runtime?.includes('${')) unknown.push('runtime');
  const memory = props.memorySize ?? provider.memorySize;
  if (memory !== undefined && asNumber(memory) === undefined) unknown.push('memorySize');
  const timeout = props.timeout ?? provider.timeout;
  if (timeout !== undefined && asNumber(timeout) === undefined) unknown.push('timeout');
  if (unknown.length > 0) fn.unknownSettings = unknown;
  const lines: NonNullable<IacFunction['settingLines']> = {};
  const keys = { runtime: 'runtime', memorySize: 'memorySize', layers: 'layers', capacityProvider: 'capacityProvider' } as const;
  for (const [name, key] of Object.entries(keys) as [keyof typeof keys, string][]) {
    const line = props[key] !== undefined ? document.lineOf([...keyPath, key]) : undefined;
    if (line !== undefined) lines[name] = line;
  }
  if (Object.keys(lines).length > 0) fn.settingLines = lines;
  const environment = { ...asObject(provider.environment), ...asObject(props.environment) };
  const workers = asNumber(environment.AWS_LAMBDA_NODEJS_WORKER_COUNT);
  if (workers !== undefined) fn.nodeWorkerCount = workers;
}

function readEvents(scope: ResourceScope, fn: IacFunction, props: PlainObject, keyPath: (string | number)[]): void {
  if (props.url !== undefined && props.url !== false) {
    addEvent(fn, { kind: 'api', type: 'url', source: locate(scope, [...keyPath, 'url'], keyPath) });
  }
  if (!Array.isArray(props.events)) return;
  props.events.forEach((entry, index) => {
    const definition = asObject(entry);
    const type = definition ? Object.keys(definition)[0] : undefined;
    if (!definition || type === undefined) return;
    const eventPath = [...keyPath, 'events', index];
    const value = definition[type];
    const settings = asObject(value) ?? {};
    const event: IacEventSource = { kind: EVENT_KINDS[type] ?? 'other', type, source: locate(scope, eventPath, keyPath) };
    const service =
      POLLED[type] ??
      (type === 'stream'
        ? (polledServiceOfArn(referenceToString(isObject(value) && !isIntrinsic(value) ? settings.arn : value)) ??
          (settings.type === 'dynamodb' ? 'dynamodb' : settings.type === 'kinesis' ? 'kinesis' : undefined))
        : undefined);
    if (service !== undefined) event.service = service;
    const settingsPath = [...eventPath, type];
    switch (event.kind) {
      case 'sqs': {
        const arn = isObject(value) && !isIntrinsic(value) ? settings.arn : value;
        const target = referenceToString(arn);
        if (target !== undefined) event.target = target;
        assignDefined(event, { batchSize: asNumber(settings.batchSize), maximumBatchingWindow: asNumber(settings.maximumBatchingWindow) });
        const resolved = resolveResource(scope, arn, isObject(value) && !isIntrinsic(value) ? [...settingsPath, 'arn'] : settingsPath);
        const queue = resolved ? queueOf(scope, resolved.id, resolved.resource) : undefined;
        if (queue) event.queue = queue;
        break;
      }
      case 'sns': {
        const target = referenceToString(isObject(value) && !isIntrinsic(value) ? (settings.arn ?? settings.topicName) : value);
        if (target !== undefined) event.target = target;
        const redrive = asObject(settings.redrivePolicy);
        if (redrive) {
          const dlq = redrive.deadLetterTargetArn ?? redrive.deadLetterTargetRef ?? redrive.deadLetterTargetImport;
          const key = redrive.deadLetterTargetArn !== undefined ? 'deadLetterTargetArn' : 'deadLetterTargetRef';
          if (redrive.deadLetterTargetRef !== undefined) resolveResource(scope, { Ref: redrive.deadLetterTargetRef }, [...settingsPath, 'redrivePolicy', key]);
          else destinationOf(scope, dlq, [...settingsPath, 'redrivePolicy', key]);
          const text = referenceToString(dlq);
          if (text !== undefined) event.deadLetterQueue = text;
        }
        break;
      }
      case 's3': {
        const target = referenceToString(isObject(value) ? settings.bucket : value);
        if (target !== undefined) event.target = target;
        break;
      }
      case 'eventbridge':
      case 'schedule': {
        if (type === 'eventBridge' && settings.schedule !== undefined) event.kind = 'schedule';
        const target = referenceToString(type === 'schedule' ? (isObject(value) ? settings.rate : value) : (settings.schedule ?? settings.eventBus));
        if (target !== undefined) event.target = Array.isArray(target) ? String(target) : target;
        if (settings.deadLetterQueueArn !== undefined) {
          const dlq = destinationOf(scope, settings.deadLetterQueueArn, [...settingsPath, 'deadLetterQueueArn']);
          if (dlq !== undefined) event.deadLetterQueue = dlq;
        }
        const retry = asObject(settings.retryPolicy);
        if (retry) {
          event.retryPolicy = {};
          assignDefined(event.retryPolicy, {
            maximumRetryAttempts: asNumber(retry.maximumRetryAttempts),
            maximumEventAgeInSeconds: asNumber(retry.maximumEventAge),
          });
        }
        break;
      }
      case 'stream': {
        const arn = isObject(value) && !isIntrinsic(value) ? settings.arn : value;
        const target = referenceToString(arn);
        if (target !== undefined) event.target = target;
        resolveResource(scope, arn, isObject(value) && !isIntrinsic(value) ? [...settingsPath, 'arn'] : settingsPath);
        const bisect = settings.bisectBatchOnFunctionError;
        assignDefined(event, {
          batchSize: asNumber(settings.batchSize),
          maximumBatchingWindow: asNumber(settings.maximumBatchingWindow),
          bisectBatchOnFunctionError: typeof bisect === 'boolean' ? bisect : undefined,
          maximumRetryAttempts: asNumber(settings.maximumRetryAttempts),
          maximumRecordAgeInSeconds: asNumber(settings.maximumRecordAgeInSeconds),
        });
        const onFailure = asObject(settings.destinations)?.onFailure;
        if (onFailure !== undefined) {
          const destination = destinationOf(scope, asObject(onFailure) && !isIntrinsic(onFailure) ? { Arn: asObject(onFailure)!.arn } : onFailure, [
            ...settingsPath,
            'destinations',
            'onFailure',
          ]);
          if (destination !== undefined) event.onFailure = destination;
        }
        break;
      }
    }
    addEvent(fn, event);
  });
}

/** `destinations`, `maximumRetryAttempts`/`maximumEventAge` (async invocation config) and `onError` (the function's DLQ). */
function readFailureHandling(scope: ResourceScope, fn: IacFunction, props: PlainObject, keyPath: (string | number)[]): void {
  const destinations = asObject(props.destinations);
  const retries = asNumber(props.maximumRetryAttempts);
  const age = asNumber(props.maximumEventAge);
  if (destinations || retries !== undefined || age !== undefined) {
    const key = destinations ? 'destinations' : retries !== undefined ? 'maximumRetryAttempts' : 'maximumEventAge';
    fn.asyncConfig = { source: locate(scope, [...keyPath, key], keyPath) };
    assignDefined(fn.asyncConfig, { maximumRetryAttempts: retries, maximumEventAgeInSeconds: age });
    for (const outcome of ['onFailure', 'onSuccess'] as const) {
      const value = destinations?.[outcome];
      if (value === undefined) continue;
      // `onFailure: arn` or `{ arn, type }`; a bare function name is another function of the service.
      const target = asObject(value) && !isIntrinsic(value) ? asObject(value)!.arn : value;
      const destination = destinationOf(scope, target, [...keyPath, 'destinations', outcome]);
      if (destination !== undefined) fn.asyncConfig[outcome] = destination;
    }
  }
  if (props.onError !== undefined) {
    const dlq = destinationOf(scope, props.onError, [...keyPath, 'onError']);
    if (dlq !== undefined) fn.deadLetterQueue = dlq;
  }
}

/** `{ Ref: X }`, `{ 'Fn::GetAtt': ... }` and the other one-key intrinsic objects. */
function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}
