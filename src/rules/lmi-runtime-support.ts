/**
 * @fileoverview lmi-runtime-support: LMI functions that LMI cannot run as configured (runtime,
 * memory, memory per vCPU, concurrency, log format, scaling limits, event sources), that publish
 * no version, or that get a capacity provider after they were created.
 *
 * Checklist item: `lifecycle`. The item is about the platform a function runs on (init, extensions,
 * LMI-aware dependency versions); the runtime version and the function's creation are the same kind
 * of platform fact, and none of the three correctness items or the event-source item fits. The
 * deployment itself fails on most of these, so the findings are errors (the gate fails) even though
 * the item weighs little in the score.
 */
import * as path from 'node:path';
import type { IacFunction } from '../iac/index.js';
import { runtimeFamily } from '../iac/handler-path.js';
import { effectiveMemory, settingLoc, toLoc } from '../iac/settings.js';
import { defineRule } from './define.js';

type MessageId =
  | 'unsupportedRuntime'
  | 'memoryTooLow'
  | 'memoryTooHigh'
  | 'memoryPerVCpu'
  | 'maxConcurrencyRange'
  | 'nodeConcurrencyPerVCpu'
  | 'logFormat'
  | 'noPublishedVersion'
  | 'scalingMinZero'
  | 'scalingMinAboveMax'
  | 'unsupportedEventSource'
  | 'lmiAddedToExisting';

/** The runtimes LMI supports (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html); update as the page lists more. */
const SUPPORTED_RUNTIMES = new Set(['nodejs22.x', 'nodejs24.x', 'python3.13', 'python3.14', 'java21', 'java25', 'dotnet8', 'dotnet10', 'provided.al2023']);
const SUPPORTED_LIST = 'nodejs22.x, nodejs24.x, python3.13, python3.14, java21, java25, dotnet8, dotnet10 and provided.al2023';
/** The newest supported runtime of each family, to suggest. */
const SUGGESTION: Array<{ pattern: RegExp; runtime: string }> = [
  { pattern: /^nodejs/, runtime: 'nodejs22.x or nodejs24.x' },
  { pattern: /^python/, runtime: 'python3.13 or python3.14' },
  { pattern: /^java/, runtime: 'java21 or java25' },
  { pattern: /^dotnet/, runtime: 'dotnet8 or dotnet10' },
  { pattern: /^provided/, runtime: 'provided.al2023' },
];
/** Memory of an LMI function (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html). */
const MIN_MEMORY_MB = 2048;
const MAX_MEMORY_MB = 32768;
/** Memory-to-vCPU ratios LMI offers (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-scaling.html). */
const GIB_PER_VCPU = new Set([2, 4, 8]);
/** `PerExecutionEnvironmentMaxConcurrency` range (docs.aws.amazon.com/lambda/latest/api/API_LambdaManagedInstancesCapacityProviderConfig.html). */
const MAX_CONCURRENCY = { min: 1, max: 1600 };
/** Node.js default concurrency per vCPU (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html). */
const NODE_DEFAULT_PER_VCPU = 64;
/** `MaxExecutionEnvironments` when only the minimum is written (SAM `FunctionScalingConfig` docs: both default to 3). */
const DEFAULT_MAX_ENVIRONMENTS = 3;
/** Services event source mappings of LMI functions cannot poll (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances.html). */
const UNSUPPORTED_SOURCES: Record<string, string> = { mq: 'Amazon MQ', documentdb: 'Amazon DocumentDB' };

/** `undefined` when supported or unknown; else the runtime to move to. */
function unsupportedRuntime(runtime: string): string | undefined {
  if (runtime.includes('${') || SUPPORTED_RUNTIMES.has(runtime)) return undefined;
  return SUGGESTION.find((family) => family.pattern.test(runtime))?.runtime ?? `a runtime LMI supports (${SUPPORTED_LIST})`;
}

export default defineRule<MessageId>({
  id: 'lmi-runtime-support',
  checklist: 'lifecycle',
  severity: 'error',
  fix: null,
  docs: {
    summary:
      'LMI functions that LMI cannot run as configured (runtime, memory, memory per vCPU, concurrency, log format, scaling, event sources), that publish no version, or that get a capacity provider after creation.',
    why:
      'Each check is a limit AWS documents for Lambda Managed Instances. Runtimes: nodejs22.x, nodejs24.x, python3.13, ' +
      'python3.14, java21, java25, dotnet8, dotnet10 and provided.al2023 ' +
      '(docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html). Memory: 2048 to 32768 MB per function, ' +
      'at 2, 4 or 8 GiB per vCPU (`ExecutionEnvironmentMemoryGiBPerVCpu`; ' +
      'docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-scaling.html); a memory size that is not written is ' +
      "not reported, because a function created with a capacity provider gets 2048 MB, not the on-demand 128 MB (aws-cdk's " +
      "integration test attaches a function that sets no memory and it deploys to Active; so do AWS's sample stacks). " +
      '`PerExecutionEnvironmentMaxConcurrency` ' +
      'is 1 to 1600 (docs.aws.amazon.com/lambda/latest/api/API_LambdaManagedInstancesCapacityProviderConfig.html); for ' +
      'Node.js, more than the default 64 per vCPU crowds the event loop of each worker thread ' +
      '(docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html), reported as `info`. LMI writes ' +
      'logs as JSON: `LoggingConfig.LogFormat: Text` is not available. LMI invokes published versions (`$LATEST.PUBLISHED` or a ' +
      'numbered version), so infrastructure code that publishes none leaves nothing to invoke; a warning, because a ' +
      'pipeline may publish outside the infrastructure code. `FunctionScalingConfig` keeps `MinExecutionEnvironments` ' +
      'environments running; a minimum of 0 is only valid with a maximum of 0 (the function deactivated), and the minimum ' +
      'cannot exceed the maximum (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-scaling.html, ' +
      'docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-functionscalingconfig.html). ' +
      'Event source mappings of LMI functions poll SQS, Kinesis, DynamoDB Streams, Amazon MSK and self-managed Kafka; ' +
      'Amazon MQ and Amazon DocumentDB are not supported (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances.html). ' +
      'A capacity provider "needs to be specified during the first function deployment. It can\'t be added or removed after ' +
      'the function resource has been created" (SAM `CapacityProviderConfig` docs): a function that already exists has to be ' +
      'replaced. That last check reads the previous build output beside the infrastructure code (`.aws-sam/build`, ' +
      '`.serverless`, `cdk.out`), which is the only record of the deployed state lmi-audit can see without calling AWS; it is a ' +
      'warning, because the build may never have been deployed. Each setting is read where the reader sees it: SAM, ' +
      'CloudFormation and Terraform for all of them; serverless.yml for runtime, memory, the capacity provider settings, ' +
      '`provider.logs.lambda.logFormat` and event sources; CDK for runtime, memory, the capacity provider settings and event sources.',
    bad: [
      '# SAM',
      '  Worker:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs20.x           # reported: not an LMI runtime',
      '      MemorySize: 1024              # reported: LMI needs 2048 MB or more',
      '      LoggingConfig:',
      '        LogFormat: Text             # reported: LMI logs are JSON',
      '      FunctionScalingConfig:        # reported: a minimum of 0 needs a maximum of 0',
      '        MinExecutionEnvironments: 0',
      '        MaxExecutionEnvironments: 10',
      '      CapacityProviderConfig:',
      '        Arn: !GetAtt Fleet.Arn',
      '        ExecutionEnvironmentMemoryGiBPerVCpu: 3   # reported: 2, 4 or 8',
      '      Events:',
      '        Broker:                     # reported: Amazon MQ is not an LMI event source',
      '          Type: MQ',
      '',
      '# Terraform',
      'resource "aws_lambda_function" "worker" {   # reported: no publish / publish_to',
      '  capacity_provider_config { ... }',
      '}',
      '',
      '// CDK',
      "const fn = new lambda.Function(this, 'Worker', { runtime: lambda.Runtime.NODEJS_20_X, memorySize: 1024, ... });",
      'fleet.addFunction(fn); // the runtime and memory lines are reported',
    ].join('\n'),
    good: [
      '# SAM',
      '  WorkerV2:                         # a new logical id: CloudFormation creates a new function on LMI',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      MemorySize: 4096',
      '      AutoPublishAlias: live',
      '      CapacityProviderConfig:',
      '        Arn: !GetAtt Fleet.Arn',
      '        ExecutionEnvironmentMemoryGiBPerVCpu: 2',
      '        PerExecutionEnvironmentMaxConcurrency: 64',
      '',
      '# Terraform',
      'resource "aws_lambda_function" "worker" {',
      '  publish_to = "LATEST_PUBLISHED"',
      '  capacity_provider_config { ... }',
      '}',
      '',
      '# Not reported: functions without a capacity provider (on-demand Lambda runs every runtime it lists).',
    ].join('\n'),
    howToFix:
      'Move the function to a supported runtime and give it 2048 to 32768 MB at 2, 4 or 8 GiB per vCPU, with a ' +
      '`PerExecutionEnvironmentMaxConcurrency` of 1 to 1600. Drop `LogFormat: Text`. Publish a version (SAM ' +
      '`AutoPublishAlias`, CloudFormation `PublishToLatestPublished` or an `AWS::Lambda::Version`, Terraform `publish_to = ' +
      '"LATEST_PUBLISHED"` or `publish = true`). Give `FunctionScalingConfig` a minimum of at least 1 (or 0 with a maximum of 0 ' +
      'to deactivate the function) that is not above the maximum. Move Amazon MQ and DocumentDB sources to a function that ' +
      'stays on on-demand Lambda, or bridge them through SQS. To move an existing function to LMI, create a new one: change ' +
      'its logical id (SAM/CloudFormation), function key (serverless.yml), construct id (CDK) or resource name (Terraform), and ' +
      'its function name if it sets one, then move the event sources over.',
    whenNotToUse: 'Never for functions on LMI; the check does not apply to other functions.',
  },
  messages: {
    unsupportedRuntime:
      '`{{function}}` is attached to a capacity provider but runs `{{runtime}}`, which Lambda Managed Instances does not ' +
      'support: the deployment fails (LMI runs ' +
      SUPPORTED_LIST +
      '). Move it to {{suggestion}}.',
    memoryTooLow:
      '`{{function}}` is attached to a capacity provider with {{memory}} MB of memory: LMI functions need at ' +
      'least 2048 MB, so the deployment fails. Set the memory size to 2048 MB or more.',
    memoryTooHigh:
      '`{{function}}` is attached to a capacity provider with {{memory}} MB of memory: LMI functions have at most 32768 MB, so ' +
      'the deployment fails. Set the memory size to 32768 MB or less.',
    memoryPerVCpu:
      '`{{function}}` asks for {{ratio}} GiB of memory per vCPU: LMI offers 2, 4 or 8 GiB per vCPU, so the deployment fails. ' +
      'Set `ExecutionEnvironmentMemoryGiBPerVCpu` to 2, 4 or 8.',
    maxConcurrencyRange:
      '`{{function}}` sets `PerExecutionEnvironmentMaxConcurrency` to {{value}}: LMI accepts 1 to 1600 concurrent ' +
      'invocations per execution environment, so the deployment fails. Set a value in that range.',
    nodeConcurrencyPerVCpu:
      '`{{function}}` lets {{value}} invocations share an environment of {{vcpus}} vCPU(s), {{perVCpu}} per vCPU, above the ' +
      'Node.js default of 64: every worker thread interleaves that many invocations on one event loop, so CPU-bound work ' +
      'and pools sized for fewer slow down every request. Keep it if load tests show it holds.',
    logFormat:
      '`{{function}}` sets `LogFormat` to `{{format}}`: LMI writes logs as JSON and plain text cannot be chosen, so the ' +
      'setting is rejected. Remove it or set it to `JSON`.',
    noPublishedVersion:
      '`{{function}}` is attached to a capacity provider but its infrastructure code publishes no version: LMI runs ' +
      'published versions only, so nothing can be invoked until one is published. Publish one ({{fix}}).',
    scalingMinZero:
      '`{{function}}` keeps a minimum of 0 execution environments with a maximum of {{max}}: a minimum of 0 is only valid ' +
      'with a maximum of 0 (the function deactivated), so the configuration is rejected. Set the minimum to 1 or more.',
    scalingMinAboveMax:
      '`{{function}}` asks for at least {{min}} execution environments but at most {{max}}: the minimum cannot exceed the ' +
      'maximum, so the configuration is rejected. Lower the minimum or raise the maximum.',
    unsupportedEventSource:
      '`{{function}}` is attached to a capacity provider but is fed by an event source mapping from {{service}} ' +
      '({{source}}): LMI event source mappings poll only SQS, Kinesis, DynamoDB Streams, Amazon MSK and self-managed Kafka. ' +
      'Keep this source on a function that stays on on-demand Lambda, or bridge it through an SQS queue.',
    lmiAddedToExisting:
      '`{{function}}` gets a capacity provider, but the last build ({{evidence}}) has the same function without one: a ' +
      'capacity provider can only be set when a function is created, so it cannot be added to the deployed function in ' +
      'place. Recreate it: give it a new {{idKind}} (and a new function name, if one is set) and move its event sources.' +
      '{{repoint}}{{shifting}}',
  },
  visitors: {},
  // Runtime, memory, scaling and event sources are the same checks for every language.
  appliesTo: (fn) => fn.iac !== undefined,
  check(ctx) {
    for (const fn of ctx.infra) {
      if (!fn.lmi) continue;
      const functionIds = ctx.functionIdsOf(fn);
      const base = { handlers: [], functionIds, file: fn.source.file } as const;
      const name = { function: fn.logicalId };
      if (fn.runtime !== undefined) {
        const suggestion = unsupportedRuntime(fn.runtime);
        if (suggestion !== undefined) {
          ctx.report({ ...base, loc: settingLoc(fn, 'runtime'), messageId: 'unsupportedRuntime', data: { ...name, runtime: fn.runtime, suggestion } });
        }
      }
      const memory = effectiveMemory(fn);
      if (memory && memory.mb < MIN_MEMORY_MB) {
        ctx.report({
          ...base,
          loc: settingLoc(fn, 'memorySize'),
          messageId: 'memoryTooLow',
          data: { ...name, memory: String(memory.mb) },
        });
      } else if (memory && memory.mb > MAX_MEMORY_MB) {
        ctx.report({ ...base, loc: settingLoc(fn, 'memorySize'), messageId: 'memoryTooHigh', data: { ...name, memory: String(memory.mb) } });
      }
      const ratio = fn.lmi.memoryGiBPerVCpu;
      if (ratio !== undefined && !GIB_PER_VCPU.has(ratio)) {
        ctx.report({ ...base, loc: settingLoc(fn, 'capacityProvider'), messageId: 'memoryPerVCpu', data: { ...name, ratio: String(ratio) } });
      }
      const concurrency = fn.lmi.perExecutionEnvironmentMaxConcurrency;
      if (concurrency !== undefined && (concurrency < MAX_CONCURRENCY.min || concurrency > MAX_CONCURRENCY.max || !Number.isInteger(concurrency))) {
        ctx.report({ ...base, loc: settingLoc(fn, 'capacityProvider'), messageId: 'maxConcurrencyRange', data: { ...name, value: String(concurrency) } });
      } else if (concurrency !== undefined && memory && runtimeFamily(fn.runtime) === 'node') {
        const vcpus = Math.max(1, Math.floor(memory.mb / 1024 / (ratio !== undefined && GIB_PER_VCPU.has(ratio) ? ratio : 2)));
        const perVCpu = concurrency / vcpus;
        if (perVCpu > NODE_DEFAULT_PER_VCPU) {
          ctx.report({
            ...base,
            loc: settingLoc(fn, 'capacityProvider'),
            messageId: 'nodeConcurrencyPerVCpu',
            severity: 'info',
            data: { ...name, value: String(concurrency), vcpus: String(vcpus), perVCpu: String(Math.round(perVCpu * 10) / 10) },
          });
        }
      }
      if (fn.logFormat !== undefined && fn.logFormat.toUpperCase() !== 'JSON') {
        ctx.report({ ...base, loc: settingLoc(fn, 'logFormat'), messageId: 'logFormat', data: { ...name, format: fn.logFormat } });
      }
      if (fn.publishesVersion === false) {
        const line = fn.settingLines?.publish ?? fn.settingLines?.capacityProvider;
        ctx.report({
          ...base,
          loc: toLoc({ file: fn.source.file, line: line ?? fn.source.line }),
          messageId: 'noPublishedVersion',
          severity: 'warning',
          data: { ...name, fix: PUBLISH_FIX[fn.kind] },
        });
      }
      if (fn.scaling) {
        const { min, max } = fn.scaling;
        const effectiveMax = max ?? DEFAULT_MAX_ENVIRONMENTS;
        if (min === 0 && effectiveMax !== 0) {
          ctx.report({
            ...base,
            file: fn.scaling.source.file,
            loc: toLoc(fn.scaling.source),
            messageId: 'scalingMinZero',
            data: { ...name, max: String(effectiveMax) },
          });
        } else if (min !== undefined && max !== undefined && min > max) {
          ctx.report({
            ...base,
            file: fn.scaling.source.file,
            loc: toLoc(fn.scaling.source),
            messageId: 'scalingMinAboveMax',
            data: { ...name, min: String(min), max: String(max) },
          });
        }
      }
      for (const event of fn.events ?? []) {
        const service = event.service !== undefined ? UNSUPPORTED_SOURCES[event.service] : undefined;
        if (service === undefined) continue;
        ctx.report({
          ...base,
          file: event.source.file,
          loc: toLoc(event.source),
          messageId: 'unsupportedEventSource',
          data: { ...name, service, source: `\`${event.name ?? event.target ?? event.type}\`` },
        });
      }
      if (fn.lmiAddedToExisting) {
        ctx.report({
          ...base,
          loc: settingLoc(fn, 'capacityProvider'),
          messageId: 'lmiAddedToExisting',
          severity: 'warning',
          data: { ...name, evidence: relativeEvidence(fn), idKind: ID_KIND[fn.kind], ...repointing(fn.lmiAddedToExisting) },
        });
      }
    }
  },
});

/** How each tool publishes a version. */
const PUBLISH_FIX: Record<IacFunction['kind'], string> = {
  sam: '`AutoPublishAlias`',
  cloudformation: '`PublishToLatestPublished: true` or an `AWS::Lambda::Version`',
  serverless: 'leave `versionFunctions` on',
  cdk: '`fn.currentVersion` or a `lambda.Version`',
  terraform: '`publish_to = "LATEST_PUBLISHED"` or `publish = true`',
  sst: '`versioning: true` on the Function',
};

const ID_KIND: Record<IacFunction['kind'], string> = {
  sam: 'logical id',
  cloudformation: 'logical id',
  serverless: 'function key',
  cdk: 'construct id',
  terraform: 'resource name',
  sst: 'component name',
};

/** What the recreated function's message adds: the resources to re-point, and traffic shifting that cannot span the two. */
function repointing(added: NonNullable<IacFunction['lmiAddedToExisting']>): { repoint: string; shifting: string } {
  const list = added.referencedBy;
  const names = list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  return {
    repoint: list.length === 0 ? '' : ` Re-point what references it here at the new function: ${names}.`,
    shifting:
      added.trafficShifting === undefined
        ? ''
        : ` ${added.trafficShifting.charAt(0).toUpperCase()}${added.trafficShifting.slice(1)} shifts traffic only between versions of ` +
          'one function, and a weighted alias cannot span an LMI and an on-demand version: it will not move traffic gradually ' +
          'from the old function to the new one. Cut over by moving the event sources (or the callers) instead.',
  };
}

/** The evidence file relative to the infrastructure file's directory (`.aws-sam/build/template.yaml`, `../cdk.out/App.template.json`). */
function relativeEvidence(fn: IacFunction): string {
  return path.relative(path.dirname(fn.source.file), fn.lmiAddedToExisting!.evidence).split(path.sep).join('/');
}
