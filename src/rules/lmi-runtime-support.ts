/**
 * @fileoverview lmi-runtime-support: LMI functions that LMI cannot run as configured (runtime,
 * memory), or that get a capacity provider after they were created.
 *
 * Checklist item: `lifecycle`. The item is about the platform a function runs on (init, extensions,
 * LMI-aware dependency versions); the runtime version and the function's creation are the same kind
 * of platform fact, and none of the three correctness items or the event-source item fits. The
 * deployment itself fails on most of these, so the findings are errors (the gate fails) even though
 * the item weighs little in the score.
 */
import * as path from 'node:path';
import type { IacFunction } from '../iac/index.js';
import { effectiveMemory, settingLoc } from '../iac/settings.js';
import { defineRule } from './define.js';

type MessageId = 'unsupportedRuntime' | 'memoryTooLow' | 'lmiAddedToExisting';

/** Runtimes with LMI support, by family: the lowest version (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html). */
const SUPPORTED: Array<{ pattern: RegExp; minimum: number[]; latest: string }> = [
  { pattern: /^nodejs(\d+)\.x$/, minimum: [22], latest: 'nodejs22.x or later' },
  { pattern: /^python(\d+)\.(\d+)$/, minimum: [3, 13], latest: 'python3.13 or later' },
  { pattern: /^java(\d+)$/, minimum: [21], latest: 'java21 or later' },
  { pattern: /^dotnet(\d+)$/, minimum: [8], latest: 'dotnet8 or later' },
];
const MIN_MEMORY_MB = 2048;

/** `undefined` when supported or unknown; else the runtime to move to. */
function unsupportedRuntime(runtime: string): string | undefined {
  if (runtime.includes('${')) return undefined;
  if (runtime === 'provided.al2023') return undefined;
  if (/^provided/.test(runtime)) return 'provided.al2023';
  for (const family of SUPPORTED) {
    const match = family.pattern.exec(runtime);
    if (!match) continue;
    const version = match.slice(1).map(Number);
    for (let i = 0; i < family.minimum.length; i++) {
      if (version[i]! > family.minimum[i]!) return undefined;
      if (version[i]! < family.minimum[i]!) return family.latest;
    }
    return undefined;
  }
  return 'a runtime LMI supports (Node.js 22+, Python 3.13+, Java 21+, .NET 8+, provided.al2023)';
}

export default defineRule<MessageId>({
  id: 'lmi-runtime-support',
  checklist: 'lifecycle',
  severity: 'error',
  fix: null,
  docs: {
    summary:
      'LMI functions on a runtime LMI does not support or with less than 2048 MB of memory, and capacity providers added to functions created without one.',
    why:
      'LMI runs Node.js 22 and later, Python 3.13 and later, Java 21+, .NET 8+ and provided.al2023, and needs at least 2048 MB ' +
      'of memory per function (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html). A ' +
      'capacity provider "needs to be specified during the first function deployment. It can\'t be added or removed after the ' +
      'function resource has been created" (SAM `CapacityProviderConfig` docs): a function that already exists has to be ' +
      'replaced. That last check reads the previous build output beside the infrastructure code (`.aws-sam/build`, ' +
      '`.serverless`, `cdk.out`), which is the only record of the deployed state lmi-audit can see without calling AWS; it is a ' +
      'warning, because the build may never have been deployed.',
    bad: [
      '# SAM',
      '  Worker:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs20.x           # reported: LMI needs Node.js 22+',
      '      MemorySize: 1024              # reported: LMI needs 2048 MB or more',
      '      CapacityProviderConfig:',
      '        Arn: !GetAtt Fleet.Arn',
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
      '      MemorySize: 2048',
      '      CapacityProviderConfig:',
      '        Arn: !GetAtt Fleet.Arn',
      '',
      '# Not reported: functions without a capacity provider (on-demand Lambda runs every runtime it lists).',
    ].join('\n'),
    howToFix:
      'Move the function to a supported runtime (nodejs22.x or later, python3.13 or later, ...) and give it at least 2048 MB. ' +
      'To move an existing function to LMI, create a new one: change its logical id (SAM/CloudFormation), function key ' +
      '(serverless.yml) or construct id (CDK), and its `FunctionName` if it sets one, then move the event sources over.',
    whenNotToUse: 'Never for functions on LMI; the check does not apply to other functions.',
  },
  messages: {
    unsupportedRuntime:
      '`{{function}}` is attached to a capacity provider but runs `{{runtime}}`, which Lambda Managed Instances does not ' +
      'support: the deployment fails (LMI runs Node.js 22+, Python 3.13+, Java 21+, .NET 8+ and provided.al2023). Move it ' +
      'to {{suggestion}}.',
    memoryTooLow:
      '`{{function}}` is attached to a capacity provider with {{memory}} MB of memory{{defaulted}}: LMI functions need at ' +
      'least 2048 MB, so the deployment fails. Set the memory size to 2048 MB or more.',
    lmiAddedToExisting:
      '`{{function}}` gets a capacity provider, but the last build ({{evidence}}) has the same function without one: a ' +
      'capacity provider can only be set when a function is created, so it cannot be added to the deployed function in ' +
      'place. Recreate it: give it a new {{idKind}} (and a new function name, if one is set) and move its event sources.',
  },
  visitors: {},
  appliesTo: (fn) => fn.iac !== undefined,
  check(ctx) {
    for (const fn of ctx.infra) {
      if (!fn.lmi) continue;
      const functionIds = ctx.functionIdsOf(fn);
      const base = { handlers: [], functionIds, file: fn.source.file } as const;
      if (fn.runtime !== undefined) {
        const suggestion = unsupportedRuntime(fn.runtime);
        if (suggestion !== undefined) {
          ctx.report({ ...base, loc: settingLoc(fn, 'runtime'), messageId: 'unsupportedRuntime', data: { function: fn.logicalId, runtime: fn.runtime, suggestion } });
        }
      }
      const memory = effectiveMemory(fn);
      if (memory && memory.mb < MIN_MEMORY_MB) {
        ctx.report({
          ...base,
          loc: settingLoc(fn, memory.defaulted ? 'capacityProvider' : 'memorySize'),
          messageId: 'memoryTooLow',
          data: { function: fn.logicalId, memory: String(memory.mb), defaulted: memory.defaulted ? ' (the default: no memory size is set)' : '' },
        });
      }
      if (fn.lmiAddedToExisting) {
        ctx.report({
          ...base,
          loc: settingLoc(fn, 'capacityProvider'),
          messageId: 'lmiAddedToExisting',
          severity: 'warning',
          data: { function: fn.logicalId, evidence: relativeEvidence(fn), idKind: ID_KIND[fn.kind] },
        });
      }
    }
  },
});

const ID_KIND: Record<IacFunction['kind'], string> = {
  sam: 'logical id',
  cloudformation: 'logical id',
  serverless: 'function key',
  cdk: 'construct id',
  terraform: 'resource name',
};

/** The evidence file relative to the infrastructure file's directory (`.aws-sam/build/template.yaml`, `../cdk.out/App.template.json`). */
function relativeEvidence(fn: IacFunction): string {
  return path.relative(path.dirname(fn.source.file), fn.lmiAddedToExisting!.evidence).split(path.sep).join('/');
}
