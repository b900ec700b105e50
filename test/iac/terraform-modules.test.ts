/**
 * The Terraform reader on fixtures/iac/terraform-modules: a root module (live/) that calls a local
 * child module twice (modules/queue-worker, read once per call with the call's arguments), the
 * registry's Lambda module, and a remote module; and a root module in the JSON syntax (json/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTerraformFiles, readInfrastructure, type IacResult } from '../../src/iac/index.js';
import { FIXTURES, simplify } from './helpers.js';

const NAME = 'terraform-modules';
const DIR = path.join(FIXTURES, NAME);
const readFile = (file: string): string => fs.readFileSync(file, 'utf8');
const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));

async function read(files: string[]): Promise<IacResult> {
  const infraFiles = files.filter((file) => /\.tf(\.json)?$/.test(file));
  return readInfrastructure({
    infraFiles,
    terraform: await parseTerraformFiles(infraFiles, readFile),
    sourceFiles: files.filter((file) => file.endsWith('.mjs')),
    readFile,
  });
}

describe('Terraform modules (fixtures/iac/terraform-modules)', () => {
  let result: IacResult;
  beforeAll(async () => {
    result = await read(walk(DIR));
  });

  const byId = (id: string) => result.functions.find((fn) => fn.logicalId === id);
  const rel = (file: string) => path.relative(DIR, file).split(path.sep).join('/');

  it('reads a local child module once per call, with the call arguments as its variables, declared at the call', () => {
    expect(result.errors).toEqual([]);
    expect(result.functions.map((fn) => fn.logicalId).sort()).toEqual([
      'aws_lambda_function.tick',
      'module.api',
      'module.billing.aws_lambda_function.this',
      'module.orders.aws_lambda_function.this',
    ]);
    const orders = simplify(NAME, { functions: [byId('module.orders.aws_lambda_function.this')!], errors: [] })[0]!;
    expect(orders).toMatchObject({
      source: { file: 'live/main.tf', line: 4 },
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      memorySize: 2048,
      lmi: { perExecutionEnvironmentMaxConcurrency: 32 },
      publishesVersion: true,
      codeFile: 'src/orders/index.mjs',
      exportName: 'handler',
    });
    // The child's own wiring is read in each instance.
    expect(orders.events?.map((event) => [event.name, rel(event.source.file)])).toEqual([
      ['aws_lambda_event_source_mapping.inbox', 'modules/queue-worker/main.tf'],
    ]);
    // A variable the call leaves out keeps the child's default; the code comes from this call's directory.
    expect(simplify(NAME, { functions: [byId('module.billing.aws_lambda_function.this')!], errors: [] })[0]).toMatchObject({
      source: { file: 'live/main.tf', line: 13 },
      runtime: 'nodejs20.x',
      lmi: { perExecutionEnvironmentMaxConcurrency: 8 },
      codeFile: 'src/billing/charge.mjs',
    });
  });

  it("locates a setting at the call's argument when the child writes var.<argument>, at the call otherwise", () => {
    const billing = byId('module.billing.aws_lambda_function.this')!;
    // runtime = var.runtime -> the call's `runtime = "nodejs20.x"`; memory_size and the capacity provider are the child's own.
    expect(billing.settingLines).toEqual({ runtime: 17 });
  });

  it("reads a call of the registry's Lambda module as a function, and wiring that names the call's outputs", () => {
    expect(simplify(NAME, { functions: [byId('module.api')!], errors: [] })[0]).toMatchObject({
      kind: 'terraform',
      source: { file: 'live/main.tf', line: 21 },
      runtime: 'nodejs22.x',
      handler: 'app.main',
      memorySize: 1024,
      timeout: 10,
      layers: ['arn:aws:lambda:us-east-1:123456789012:layer:agent:3'],
      publishesVersion: false,
      codeFile: 'src/api/app.mjs',
      exportName: 'main',
      events: [{ kind: 'sqs', name: 'aws_lambda_event_source_mapping.api_jobs', queue: { id: 'aws_sqs_queue.api_jobs', visibilityTimeout: 60 } }],
    });
  });

  it('reads the JSON syntax (.tf.json) like HCL, with lines from its text', () => {
    expect(simplify(NAME, { functions: [byId('aws_lambda_function.tick')!], errors: [] })[0]).toEqual({
      logicalId: 'aws_lambda_function.tick',
      kind: 'terraform',
      source: { file: 'json/main.tf.json', line: 13 },
      runtime: 'nodejs22.x',
      handler: 'tick.handler',
      timeout: 30,
      publishesVersion: false,
      codeFile: 'json/src/tick.mjs',
      exportName: 'handler',
    });
    expect(byId('aws_lambda_function.tick')!.settingLines).toEqual({ runtime: 17 });
  });

  it('reads a child module directory on its own as a root module when nothing in the scan calls it', async () => {
    const alone = await read(walk(path.join(DIR, 'modules')));
    expect(simplify(NAME, alone)).toMatchObject([
      { logicalId: 'aws_lambda_function.this', source: { file: 'modules/queue-worker/main.tf', line: 17 }, lmi: { perExecutionEnvironmentMaxConcurrency: 8 } },
    ]);
  });

  it('reports a .tf.json file that is not JSON, and goes on', async () => {
    const broken = path.join(DIR, '..', 'broken', 'not-json.tf.json');
    const parsed = await parseTerraformFiles([broken], () => '{ "resource": ');
    expect(parsed.get(path.resolve(broken))?.error?.message).toMatch(/^Terraform JSON parse error: /);
  });
});

describe('scan() of fixtures/iac/terraform-modules', () => {
  it('maps each module instance to its handler, and reports infrastructure findings where the instance is declared', async () => {
    const { scan } = await import('../../src/index.js');
    const report = await scan({ paths: ['.'], cwd: DIR });
    expect(report.errors).toEqual([]);
    expect(report.functions.map((fn) => `${fn.id} <- ${fn.declaredIn?.file}:${fn.declaredIn?.line}`)).toEqual([
      'json/src/tick.mjs#handler <- json/main.tf.json:13',
      'src/api/app.mjs#main <- live/main.tf:21',
      'src/billing/charge.mjs#handler <- live/main.tf:13',
      'src/orders/index.mjs#handler <- live/main.tf:4',
    ]);
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} -> ${f.functions.join(' ')}`)).toEqual([
      // `runtime = "nodejs20.x"` of the billing call: one instance of the worker is on an unsupported runtime.
      'live/main.tf:17 lmi-runtime-support -> src/billing/charge.mjs#handler',
      'live/main.tf:37 event-source-backpressure -> src/api/app.mjs#main',
      // The child's queue, once for both instances.
      'modules/queue-worker/main.tf:33 event-source-backpressure -> src/billing/charge.mjs#handler src/orders/index.mjs#handler',
    ]);
  });
});
