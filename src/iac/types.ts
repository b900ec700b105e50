/**
 * @fileoverview The function model read from infrastructure code (SAM/CloudFormation templates,
 * serverless.yml, CDK apps): which code file and export is each Lambda's handler, and its basic
 * settings. Later the model grows event sources, queues and dead-letter queues.
 */
import type { ScanError } from '../types.js';

export type IacKind = 'sam' | 'cloudformation' | 'serverless' | 'cdk';

/** The Lambda Managed Instances settings of a function that names a capacity provider. */
export interface IacLmiConfig {
  /** The capacity provider as written: an ARN, a name, a logical id (`!Ref X` -> `X`) or a CDK construct id. */
  capacityProvider?: string;
  perExecutionEnvironmentMaxConcurrency?: number;
  memoryGiBPerVCpu?: number;
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
  /** The handler's export (function) name, e.g. `main`. */
  exportName?: string;
  /** MB, when statically known. */
  memorySize?: number;
  /** Seconds, when statically known. */
  timeout?: number;
  /** Layer references as strings (best effort: ARNs, `!Ref X` -> `X`, CDK source text). */
  layers?: string[];
  /** Present when the function is attached to a capacity provider. */
  lmi?: IacLmiConfig;
}

export interface IacResult {
  functions: IacFunction[];
  /** Files that could not be read or parsed (absolute paths). */
  errors: ScanError[];
}

export interface ReadInfrastructureInput {
  /** template.yaml/yml/json, *.template.*, serverless.yml/yaml (absolute paths). */
  infraFiles: string[];
  /** Absolute paths of every JS/TS source of the scan; CDK apps are among them. */
  sourceFiles: string[];
  readFile: (absPath: string) => string;
}

/** What every reader gets: file access and a place to report problems. */
export interface ReaderContext {
  readFile: (absPath: string) => string;
  /** True when the path is an existing file (a scanned source file, or on disk). */
  fileExists: (absPath: string) => boolean;
  errors: ScanError[];
}
