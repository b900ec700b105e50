/**
 * @fileoverview The infrastructure reader registry. A file is read by the first reader of its
 * kind that accepts it, so the catch-all (CloudFormation, which reads every template discovery
 * classified as one) comes last among the infrastructure readers. Adding a reader: its file in
 * src/iac/ exporting an {@link InfrastructureReader}, and one line here.
 */
import { cdkReader } from './cdk.js';
import { cloudFormationReader } from './cloudformation.js';
import { serverlessReader } from './serverless.js';
import { sstReader } from './sst.js';
import { terraformReader } from './terraform.js';
import type { InfrastructureReader } from './types.js';

export const readers: readonly InfrastructureReader[] = [serverlessReader, terraformReader, cloudFormationReader, cdkReader, sstReader];
