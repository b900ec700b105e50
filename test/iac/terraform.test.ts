/**
 * The Terraform reader (src/iac/terraform.ts) on fixtures/iac/terraform-basic: one root module in
 * two files (functions/), and a module with a file that does not parse (broken/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTerraformFiles, readInfrastructure, type IacResult } from '../../src/iac/index.js';
import { FIXTURES, relative, simplify } from './helpers.js';

const NAME = 'terraform-basic';
const DIR = path.join(FIXTURES, NAME);
const readFile = (file: string): string => fs.readFileSync(file, 'utf8');

async function readTerraformFixture(files: string[]): Promise<IacResult> {
  const infraFiles = files.map((file) => path.join(DIR, file));
  return readInfrastructure({
    infraFiles,
    terraform: await parseTerraformFiles(infraFiles, readFile),
    sourceFiles: [path.join(DIR, 'functions/src/api.ts')],
    readFile,
  });
}

describe('Terraform root modules (fixtures/iac/terraform-basic)', () => {
  let result: IacResult;
  beforeAll(async () => {
    result = await readTerraformFixture(['functions/lambda.tf', 'functions/schedules.tf', 'broken/main.tf', 'broken/bad.tf']);
  });
  const at = (file: string, line: number) => ({ file: path.join(DIR, file), line });

  it('reports a file that does not parse, with its line, and reads the rest of its module', () => {
    expect(result.errors.map((error) => ({ ...error, file: relative(NAME, error.file) }))).toEqual([
      {
        file: 'broken/bad.tf',
        message: expect.stringMatching(/^Terraform parse error: Invalid multi-line string; /),
        line: 3,
        column: 30,
      },
    ]);
    expect(simplify(NAME, result).find((fn) => fn.source.file === 'broken/main.tf')).toEqual({
      logicalId: 'aws_lambda_function.good',
      kind: 'terraform',
      source: { file: 'broken/main.tf', line: 1 },
      runtime: 'nodejs22.x',
      handler: 'app.main',
      exportName: 'main',
      publishesVersion: false,
    });
  });

  it('reads a function on LMI with its settings, its code through the archive_file output_path, and what wires it across files', () => {
    const api = result.functions.find((fn) => fn.logicalId === 'aws_lambda_function.api')!;
    expect(simplify(NAME, { functions: [api], errors: [] })[0]).toEqual({
      logicalId: 'aws_lambda_function.api',
      kind: 'terraform',
      source: { file: 'functions/lambda.tf', line: 15 },
      runtime: 'nodejs24.x',
      handler: 'api.main',
      timeout: 10,
      // `var.memory` has no default.
      unknownSettings: ['memorySize'],
      layers: ['arn:aws:lambda:us-east-1:123456789012:layer:agent:3', 'aws_lambda_layer_version.shared.arn'],
      lmi: { capacityProvider: 'aws_lambda_capacity_provider.fleet', perExecutionEnvironmentMaxConcurrency: 128, memoryGiBPerVCpu: 8 },
      logFormat: 'Text',
      publishesVersion: false,
      nodeWorkerCount: 2,
      deadLetterQueue: 'aws_sqs_queue.dlq.arn',
      codeFile: 'functions/src/api.ts',
      exportName: 'main',
      events: [
        {
          kind: 'stream',
          type: 'aws_lambda_event_source_mapping',
          name: 'aws_lambda_event_source_mapping.stream',
          source: at('functions/lambda.tf', 73),
          service: 'kinesis',
          target: 'aws_kinesis_stream.events.arn',
          bisectBatchOnFunctionError: true,
          maximumRetryAttempts: 3,
          onFailure: 'aws_sqs_queue.dlq.arn',
        },
        // Matched by the function's ARN written out.
        {
          kind: 'other',
          type: 'aws_lambda_event_source_mapping',
          name: 'aws_lambda_event_source_mapping.broker',
          source: at('functions/lambda.tf', 85),
          service: 'mq',
          target: 'aws_mq_broker.orders.arn',
        },
        {
          kind: 'other',
          type: 'aws_lambda_event_source_mapping',
          name: 'aws_lambda_event_source_mapping.kafka',
          source: at('functions/lambda.tf', 91),
          service: 'kafka',
        },
        {
          kind: 'sns',
          type: 'aws_sns_topic_subscription',
          name: 'aws_sns_topic_subscription.api',
          source: at('functions/lambda.tf', 99),
          target: 'aws_sns_topic.events.arn',
        },
        { kind: 'api', type: 'aws_lambda_function_url', name: 'aws_lambda_function_url.api', source: at('functions/lambda.tf', 105) },
        {
          kind: 'schedule',
          type: 'aws_cloudwatch_event_target',
          name: 'aws_cloudwatch_event_target.nightly',
          source: at('functions/schedules.tf', 5),
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
          target: 'cron(0 3 * * ? *)',
        },
        {
          kind: 's3',
          type: 'aws_s3_bucket_notification',
          name: 'aws_s3_bucket_notification.uploads',
          source: at('functions/schedules.tf', 16),
          target: 'aws_s3_bucket.uploads.id',
        },
      ],
      // Through the alias `aws_lambda_alias.live`.
      asyncConfig: { source: at('functions/lambda.tf', 62), maximumRetryAttempts: 1, maximumEventAgeInSeconds: 600, onFailure: 'aws_sqs_queue.dlq.arn' },
      // `var.max_environments` defaults to 0.
      scaling: { source: at('functions/lambda.tf', 56), min: 0, max: 0 },
    });
    expect(api.settingLines).toEqual({ runtime: 19, memorySize: 20, layers: 22, capacityProvider: 24, logFormat: 33 });
  });

  it('finds the code through a `resource "archive_file"`, and leaves layers named by an expression unknown', () => {
    expect(simplify(NAME, result).find((fn) => fn.logicalId === 'aws_lambda_function.jobs')).toEqual({
      logicalId: 'aws_lambda_function.jobs',
      kind: 'terraform',
      source: { file: 'functions/schedules.tf', line: 29 },
      runtime: 'python3.14',
      handler: 'jobs.handler',
      codeFile: 'functions/src/jobs.py',
      exportName: 'handler',
      publishesVersion: false,
    });
  });

  it('reads an image function without a code file, and `publish = false` as not publishing', () => {
    expect(simplify(NAME, result).find((fn) => fn.logicalId === 'aws_lambda_function.image')).toEqual({
      logicalId: 'aws_lambda_function.image',
      kind: 'terraform',
      source: { file: 'functions/lambda.tf', line: 110 },
      publishesVersion: false,
    });
  });

  it('reports a .tf file that was not parsed ahead instead of guessing', () => {
    const file = path.join(DIR, 'broken/main.tf');
    const unparsed = readInfrastructure({ infraFiles: [file], sourceFiles: [], readFile });
    expect(unparsed.functions).toEqual([]);
    expect(unparsed.errors).toEqual([{ file, message: expect.stringMatching(/^could not read infrastructure: Terraform files are parsed before the read/) }]);
  });

  it('parses nothing when there is no .tf file', async () => {
    expect((await parseTerraformFiles([path.join(DIR, 'template.yaml')], readFile)).size).toBe(0);
  });
});
