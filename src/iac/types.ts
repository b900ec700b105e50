/**
 * @fileoverview The function model read from infrastructure code (SAM/CloudFormation templates,
 * serverless.yml, CDK apps, Terraform root modules): which code file and export is each Lambda's handler, its settings,
 * its event sources (with the SQS queue behind them when the same template or CDK file defines
 * it), its asynchronous invocation configuration and the alarms watching its init.
 */
import type { ScanError } from '../types.js';

type IacKind = 'sam' | 'cloudformation' | 'serverless' | 'cdk' | 'terraform' | 'sst';

/** The Lambda Managed Instances settings of a function that names a capacity provider. */
export interface IacLmiConfig {
  /** The capacity provider as written: an ARN, a name, a logical id (`!Ref X` -> `X`) or a CDK construct id. */
  capacityProvider?: string;
  perExecutionEnvironmentMaxConcurrency?: number;
  memoryGiBPerVCpu?: number;
}

/** A place in an infrastructure file: absolute path, 1-based line (and column when known). */
export interface IacLocation {
  file: string;
  line: number;
  column?: number;
  /** Just past the end of the flagged text on `line`. */
  endColumn?: number;
}

/**
 * What invokes the function. `sqs` and `stream` are polled by an event source mapping; `sns`,
 * `s3`, `eventbridge` and `schedule` invoke asynchronously; `api` is synchronous (API Gateway,
 * function URLs, ALB); `other` is anything else (Kafka, MQ, IoT, Cognito, ...).
 */
export type IacEventKind = 'sqs' | 'sns' | 's3' | 'eventbridge' | 'schedule' | 'stream' | 'api' | 'other';

/** An SQS queue defined in the same template / serverless resources / CDK file as the function. */
export interface IacQueue {
  /** Logical id (templates) or construct id (CDK). */
  id: string;
  source: IacLocation;
  /** Seconds, when set and statically known (SQS defaults to 30 when it is not set). */
  visibilityTimeout?: number;
  /** `VisibilityTimeout` is written but its value is not statically known. */
  visibilityTimeoutUnknown?: boolean;
  /** The redrive policy (dead-letter queue and maxReceiveCount), when the queue has one. */
  redrive?: { deadLetterTarget?: string; maxReceiveCount?: number };
}

export interface IacEventSource {
  kind: IacEventKind;
  /** As written: SAM event `Type` (`SQS`), serverless event key (`sqs`), CFN resource type, CDK class. */
  type: string;
  /** SAM event name, resource logical id or CDK construct id, when there is one. */
  name?: string;
  /** Where the event source is declared. */
  source: IacLocation;
  /** The source resource as written (queue/stream/topic ARN or reference, bucket, schedule expression). */
  target?: string;
  batchSize?: number;
  maximumBatchingWindow?: number;
  bisectBatchOnFunctionError?: boolean;
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  /** Stream on-failure destination (`DestinationConfig.OnFailure`). */
  onFailure?: string;
  /** A dead-letter queue of the source itself (EventBridge/Scheduler target, SNS subscription redrive policy). */
  deadLetterQueue?: string;
  /** A retry policy of the source itself (EventBridge/Scheduler target `RetryPolicy`). */
  retryPolicy?: { maximumRetryAttempts?: number; maximumEventAgeInSeconds?: number };
  /** The SQS queue, resolved when the same template / CDK file / Terraform module defines it. */
  queue?: IacQueue;
  /**
   * The service an event source mapping polls, when the reader can tell (from the event type, the
   * resource the source ARN names, or the ARN itself).
   */
  service?: IacPolledService;
}

/** What an event source mapping can poll (docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html). */
export type IacPolledService = 'sqs' | 'kinesis' | 'dynamodb' | 'msk' | 'kafka' | 'mq' | 'documentdb';

/** Asynchronous invocation settings (SAM `EventInvokeConfig`, `AWS::Lambda::EventInvokeConfig`, serverless `destinations`, CDK `onFailure`). */
export interface IacAsyncConfig {
  source: IacLocation;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onFailure?: string;
  onSuccess?: string;
}

/** A CloudWatch alarm on the function's init duration or cold starts (best effort: matched by metric and names). */
export interface IacAlarm {
  id: string;
  source: IacLocation;
  /** The metric name or expression that made it an init/cold-start alarm. */
  metric: string;
}

/** Where one line of inline code starts in the infrastructure file. */
export interface IacInlineLine {
  line: number;
  /** The file's column of the code line's first character. */
  column: number;
  /** `false` when columns inside the line are not known (a JSON string with escapes, a folded or joined string): every column maps to `column`. */
  exact?: false;
}

/** Inline code read from infrastructure code: its text, and where each of its lines is written. */
export interface IacInlineSource {
  text: string;
  /** Per line of `text` (index 0 is line 1); lines past the end map to the last entry. */
  lines: IacInlineLine[];
}

export interface IacFunction {
  /** CFN/SAM logical id, serverless function key, or CDK construct id. */
  logicalId: string;
  kind: IacKind;
  /** Absolute path of the infrastructure file and 1-based line of the function definition. */
  source: { file: string; line: number };
  /** `nodejs22.x`, `python3.13`, ... (Globals / provider defaults applied; CDK `Runtime.NODEJS_22_X` -> `nodejs22.x`). */
  runtime?: string;
  /** The handler string as written, e.g. `src/app.main`. */
  handler?: string;
  /** Absolute path of the handler's code file, set only when it exists on disk. */
  codeFile?: string;
  /**
   * Where the code is when it is not in the repository: an S3 object (`CodeUri: s3://…`,
   * `Code: { S3Bucket, S3Key }`), shown in the error that says the function is not analysed.
   */
  remoteCode?: string;
  /** The code is written in the infrastructure code (`InlineCode`, `Code.ZipFile`, CDK `Code.fromInline`): not a file of the project. */
  inlineCode?: 'InlineCode' | 'ZipFile' | 'Code.fromInline';
  /** The inline code's text, when the reader could read it as a literal: the scan analyses it as a virtual source (src/project/virtual-sources.ts). */
  inlineSource?: IacInlineSource;
  /** Why the inline code is not analysed (built from values only known at deploy time), for the scan's error on the function. */
  inlineProblem?: string;
  /** The handler's export (function) name, e.g. `main`. */
  exportName?: string;
  /** MB, when statically known. */
  memorySize?: number;
  /** Seconds, when statically known. */
  timeout?: number;
  /** Layer references as strings (best effort: ARNs, `!Ref X` -> `X`, CDK source text). */
  layers?: string[];
  /** Those of `layers` the infrastructure code shows to bring libraries only, no extension (src/iac/layers.ts). */
  libraryLayers?: string[];
  /** Present when the function is attached to a capacity provider. */
  lmi?: IacLmiConfig;
  /** Settings written in the infrastructure code whose value is not statically known (`${self:x}`, a parameter without default). */
  unknownSettings?: Array<'runtime' | 'memorySize' | 'timeout'>;
  /** Lines (in `source.file`) of settings written on the function itself (not inherited from Globals/provider). */
  settingLines?: { runtime?: number; memorySize?: number; layers?: number; capacityProvider?: number; logFormat?: number; publish?: number };
  /** `LoggingConfig.LogFormat` (`JSON` or `Text`) as written; `undefined` when not set or not statically known. */
  logFormat?: string;
  /**
   * Whether the infrastructure code publishes a version of the function (LMI runs published
   * versions only): `true` for SAM `AutoPublishAlias`, CloudFormation `PublishToLatestPublished` or an
   * `AWS::Lambda::Version` of it, Terraform `publish = true` or `publish_to`; `false` when the reader
   * knows it does not; `undefined` when the reader cannot tell (the Serverless Framework and the CDK
   * publish versions on their own).
   */
  publishesVersion?: boolean;
  /** `FunctionScalingConfig` (CloudFormation/SAM) or `aws_lambda_function_scaling_config` (Terraform). */
  scaling?: { min?: number; max?: number; source: IacLocation };
  /** `AWS_LAMBDA_NODEJS_WORKER_COUNT` when the function's environment sets it to a number. */
  nodeWorkerCount?: number;
  /** Event sources, in the order written. */
  events?: IacEventSource[];
  /** Asynchronous invocation configuration (retries, destinations). */
  asyncConfig?: IacAsyncConfig;
  /** The function's own dead-letter queue (SAM `DeadLetterQueue`, CFN `DeadLetterConfig`, serverless `onError`, CDK `deadLetterQueue`). */
  deadLetterQueue?: string;
  /** CloudWatch alarms on init duration / cold starts that watch this function. */
  alarms?: IacAlarm[];
  /**
   * The function runs on LMI here, but the last build output beside the infrastructure code
   * (`.aws-sam/build`, `.serverless`, `cdk.out`) has the same function without a capacity provider:
   * the capacity provider can only be set when a function is created.
   */
  lmiAddedToExisting?: {
    evidence: string;
    /** Resources written beside the function that reference it and must be re-pointed at the new one (`` `OrdersMapping` (AWS::Lambda::EventSourceMapping) ``). */
    referencedBy: string[];
    /** What shifts traffic between versions of the function (a weighted alias cannot span an LMI and an on-demand version). */
    trafficShifting?: string;
  };
}

export interface IacResult {
  functions: IacFunction[];
  /** Files that could not be read or parsed (absolute paths). */
  errors: ScanError[];
  /** Directories of serverless.yml services for another cloud: no handler is inferred in them. */
  otherClouds?: string[];
}

export interface ReadInfrastructureInput {
  /** template.yaml/yml/json, *.template.*, serverless.yml/yaml, *.tf (absolute paths). */
  infraFiles: string[];
  /**
   * Terraform files parsed ahead of the read (the HCL parser is asynchronous: see
   * `parseTerraformFiles`). A `.tf` file missing from it is reported as not read.
   */
  terraform?: ReadonlyMap<string, ParsedTerraformFile>;
  /** Absolute paths of every JS/TS source of the scan; CDK apps are among them. */
  sourceFiles: string[];
  /**
   * The sources that may be CDK apps, when the caller already knows (the scan's walk records
   * each file's imports). Without it every source is read and tested for a CDK import.
   */
  cdkCandidates?: string[];
  readFile: (absPath: string) => string;
}

/**
 * An infrastructure reader: one file in src/iac/, registered in src/iac/readers.ts. It reads
 * either infrastructure files (templates, serverless.yml) or source files (CDK apps) into the
 * one function model; the first registered reader that accepts a file reads it.
 */
export interface InfrastructureReader {
  /** Shown in errors and docs. */
  name: string;
  /** Which of the scan's files it reads. */
  reads: 'infrastructure' | 'source';
  /** Does it read this file? `text` reads the file (once) for readers that need its content. */
  accepts(file: string, text: () => string): boolean;
  read(file: string, ctx: ReaderContext, text: () => string): IacFunction[];
  /**
   * Runs once every file is read, on every reader's functions: a reader that resolves across
   * files (CDK construct wrappers) replaces here what one file alone could not know.
   */
  finish?(functions: IacFunction[], ctx: ReaderContext): IacFunction[];
}

/** What every reader gets: file access and a place to report problems. */
export interface ReaderContext {
  readFile: (absPath: string) => string;
  /** True when the path is an existing file (a scanned source file, or on disk). */
  fileExists: (absPath: string) => boolean;
  errors: ScanError[];
  /** Directories of services for another cloud (a serverless.yml with `provider.name: google`): their code is no Lambda handler. */
  otherClouds?: string[];
  /** Terraform files parsed ahead of the read, by absolute path. */
  terraform?: ReadonlyMap<string, ParsedTerraformFile>;
}

/** A `.tf` file as the HCL parser returned it (blocks are lists of objects; expressions stay `${...}` strings). */
export interface ParsedTerraformFile {
  file: string;
  text: string;
  body?: Record<string, unknown>;
  error?: { message: string; line?: number; column?: number };
}
