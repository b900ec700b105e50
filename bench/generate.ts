/**
 * @fileoverview Deterministic generator of a synthetic Lambda monorepo for `npm run bench`.
 *
 * The corpus imitates a TypeScript serverless monorepo: about 80% of the files are handlers in
 * `services/<svc>/handlers/<name>.ts` (each `export const handler = async (event, context) => …`
 * importing one to three helper modules across folders), the rest are helper modules in
 * `lib/<area>/<mod>.ts` and `services/<svc>/lib/<mod>.ts`. Files average about 104 lines.
 * Most of the code is clean; a known share of handlers is seeded with the LMI bugs lmi-audit
 * looks for, and `generateCorpus` returns a manifest of exactly what was seeded.
 *
 * Determinism: everything comes from one seeded PRNG (mulberry32) consumed in a fixed order, so
 * the same (N, seed) gives a byte-identical corpus on every machine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Bump when the generated text changes: `bench/run.ts` regenerates corpora of another version. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 0x1a4d17;

/** Shares of handlers seeded with each pattern (exact counts: round(share × handlers)). */
export const PROPORTIONS = {
  /** Share of all files that are handlers. */
  handlers: 0.8,
  /** A module-level `let` assigned from event data during the invocation. */
  moduleLet: 0.15,
  /** A file-system write to a static `/tmp` path during the invocation. */
  staticTmp: 0.1,
  /** A clean, request-unique `/tmp` file removed in `finally`. */
  uniqueTmp: 0.1,
  /** A single pg `Client` at module scope used by the invocation. */
  pgClient: 0.08,
  /** A module-level pg `Pool` with a connection checked out per invocation (clean). */
  pgPool: 0.17,
  /** A module-level `Map` cache checked, then filled after an `await`. */
  mapCache: 0.08,
  /** `console.*` logging instead of Powertools Logger with `logger.addContext(context)`. */
  consoleLog: 0.4,
} as const;

interface HandlerManifest {
  file: string;
  flavor: 'api' | 'sqs' | 'schedule';
  moduleLet: boolean;
  staticTmp: boolean;
  uniqueTmp: boolean;
  pgClient: boolean;
  pgPool: boolean;
  mapCache: boolean;
  consoleLog: boolean;
  /** Number of `console.*` calls in the handler file (all run during invocations). */
  consoleCalls: number;
  /** Helper modules imported (corpus-relative paths). */
  imports: string[];
}

export interface CorpusManifest {
  generatorVersion: number;
  seed: number;
  n: number;
  /** Source files (.ts), handlers + helper modules. */
  files: number;
  lines: number;
  handlers: HandlerManifest[];
  libs: string[];
  counts: {
    handlers: number;
    libs: number;
    moduleLet: number;
    staticTmp: number;
    uniqueTmp: number;
    pgClient: number;
    pgPool: number;
    mapCache: number;
    consoleLog: number;
    consoleCalls: number;
  };
}

export interface Corpus {
  /** Corpus-relative posix path -> contents, in sorted path order. Includes non-source files. */
  files: Map<string, string>;
  manifest: CorpusManifest;
}

// ---------------------------------------------------------------------------------------------
// PRNG

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  private counter = 0;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** 1, 2, 3, …: unique suffixes for generated names. */
  serial(): number {
    return ++this.counter;
  }
  float(): number {
    return this.next();
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
  /** `count` distinct indices of [0, n), as a set. */
  sample(n: number, count: number): Set<number> {
    const all = Array.from({ length: n }, (_, i) => i);
    return new Set(this.shuffle(all).slice(0, count));
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const ENTITIES = [
  'order',
  'invoice',
  'customer',
  'payment',
  'shipment',
  'product',
  'cart',
  'review',
  'coupon',
  'subscription',
  'ticket',
  'device',
  'report',
  'account',
  'session',
  'notification',
  'webhook',
  'stock',
  'refund',
  'quote',
  'contract',
  'asset',
  'booking',
  'message',
  'document',
  'profile',
  'team',
  'project',
  'task',
  'voucher',
];
const QUALIFIERS = ['', 'audit', 'draft', 'batch', 'archive', 'partner', 'legacy', 'regional', 'export', 'internal'];
const SERVICES = [
  'orders',
  'billing',
  'catalog',
  'identity',
  'shipping',
  'notifications',
  'analytics',
  'search',
  'inventory',
  'payments',
  'support',
  'media',
  'reporting',
  'accounts',
  'checkout',
  'loyalty',
  'pricing',
  'fulfilment',
  'reviews',
  'webhooks',
];
const VERBS = [
  'create',
  'get',
  'list',
  'update',
  'delete',
  'process',
  'sync',
  'export',
  'import',
  'approve',
  'cancel',
  'archive',
  'notify',
  'reconcile',
  'validate',
];
const STATUSES = ['pending', 'active', 'suspended', 'completed', 'cancelled', 'failed', 'archived'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-2'];

function pascal(words: string): string {
  return words
    .split(/[-\s]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}
function camel(words: string): string {
  const p = pascal(words);
  return p[0]!.toLowerCase() + p.slice(1);
}
function upperSnake(words: string): string {
  return words.replace(/-/g, '_').toUpperCase();
}

/** The i-th entity name: `order`, …, then qualified (`order-audit`), then numbered. */
function entityName(i: number): string {
  const base = ENTITIES[i % ENTITIES.length]!;
  const q = Math.floor(i / ENTITIES.length);
  if (q < QUALIFIERS.length) return QUALIFIERS[q] ? `${base}-${QUALIFIERS[q]}` : base;
  return `${base}-${QUALIFIERS[q % QUALIFIERS.length] || 'core'}-${Math.floor(q / QUALIFIERS.length) + 1}`;
}

function serviceName(i: number): string {
  const base = SERVICES[i % SERVICES.length]!;
  const round = Math.floor(i / SERVICES.length);
  return round === 0 ? base : `${base}-${round + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Helper modules

type LibKind = 'pg-pool' | 'dynamo' | 's3' | 'sqs' | 'events' | 'http' | 'validation' | 'config' | 'logger' | 'domain' | 'util' | 'auth';

/** Kinds of root helper modules by area (`lib/<area>/<mod>.ts`). */
const ROOT_AREAS: Array<{ area: string; kinds: LibKind[] }> = [
  { area: 'db', kinds: ['pg-pool'] },
  { area: 'aws', kinds: ['dynamo', 's3', 'sqs'] },
  { area: 'events', kinds: ['events'] },
  { area: 'http', kinds: ['http'] },
  { area: 'validation', kinds: ['validation'] },
  { area: 'config', kinds: ['config'] },
  { area: 'observability', kinds: ['logger'] },
  { area: 'domain', kinds: ['domain'] },
  { area: 'util', kinds: ['util'] },
  { area: 'auth', kinds: ['auth'] },
];
/** Kinds of service-local helper modules (`services/<svc>/lib/<mod>.ts`). */
const LOCAL_KINDS: LibKind[] = ['dynamo', 'domain', 'validation', 's3', 'domain', 'dynamo'];
/** Kinds other modules may import (they import nothing themselves). */
const BASE_KINDS: ReadonlySet<LibKind> = new Set(['config', 'util', 'validation']);

interface LibModule {
  /** Corpus-relative path of the .ts file. */
  file: string;
  kind: LibKind;
  entity: string;
  service?: string;
}

const MODULE_SUFFIX: Record<LibKind, string> = {
  'pg-pool': 'db',
  dynamo: 'store',
  s3: 'documents',
  sqs: 'queue',
  events: 'publisher',
  http: 'responses',
  validation: 'checks',
  config: 'settings',
  logger: 'logger',
  domain: 'rules',
  util: 'helpers',
  auth: 'claims',
};

/** What a handler imports from a module, and the lines that use it (indent-free). */
interface LibUse {
  names: string[];
  lines: string[];
}

/** The import specifier of `to` from the file `from` (both corpus-relative), with `.js`. */
function specifier(from: string, to: string): string {
  let rel = path.posix.relative(path.posix.dirname(from), to).replace(/\.ts$/, '.js');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

function libUse(lib: LibModule, rng: Rng): LibUse {
  const E = pascal(lib.entity);
  const e = camel(lib.entity);
  switch (lib.kind) {
    case 'pg-pool':
      return rng.chance(0.5)
        ? {
            names: ['queryRows'],
            lines: [
              `const ${e}Rows = await queryRows<{ id: string; status: string }>(`,
              `  'SELECT id, status FROM ${lib.entity.replace(/-/g, '_')}s WHERE owner_id = $1 LIMIT 50',`,
              '  [ownerId],',
              ');',
              `const active${E}Count = ${e}Rows.filter((row) => row.status === 'active').length;`,
            ],
          }
        : {
            names: ['withClient'],
            lines: [
              `const ${e}Version = await withClient(async (db) => {`,
              `  const result = await db.query('SELECT version FROM ${lib.entity.replace(/-/g, '_')}s WHERE id = $1', [key]);`,
              '  return Number(result.rows[0]?.version ?? 0);',
              '});',
            ],
          };
    case 'dynamo':
      return rng.chance(0.5)
        ? {
            names: [`get${E}`, `put${E}`],
            lines: [
              `const existing${E} = await get${E}(key);`,
              `if (!existing${E}) {`,
              `  await put${E}({ id: key, ownerId, status: 'pending', updatedAt: new Date().toISOString(), attributes: {} });`,
              '}',
            ],
          }
        : {
            names: [`list${E}sByOwner`],
            lines: [`const owned${E}s = await list${E}sByOwner(ownerId, 20);`, `const owned${E}Ids = owned${E}s.map((item) => item.id);`],
          };
    case 's3':
      return {
        names: [`put${E}Document`, `${e}DocumentKey`],
        lines: [`await put${E}Document(${e}DocumentKey(key), { id: key, ownerId, receivedAt: Date.now() });`],
      };
    case 'sqs':
      return {
        names: [`enqueue${E}Job`],
        lines: [`await enqueue${E}Job({ id: key, ownerId, attempt: 1 });`],
      };
    case 'events':
      return {
        names: [`publish${E}Event`],
        lines: [`await publish${E}Event('${E}Changed', { id: key, ownerId });`],
      };
    case 'http':
      return { names: ['json'], lines: [] };
    case 'validation':
      return {
        names: [`check${E}Reference`],
        lines: [
          `const ${e}ReferenceProblems = check${E}Reference(key);`,
          `if (${e}ReferenceProblems.length > 0) {`,
          `  throw new Error(\`invalid reference: \${${e}ReferenceProblems.join(', ')}\`);`,
          '}',
        ],
      };
    case 'config':
      return {
        names: [`get${E}Settings`],
        lines: [`const ${e}Settings = get${E}Settings();`, `const pageSize = Math.min(${e}Settings.pageSize, 100);`],
      };
    case 'logger':
      return { names: ['logger'], lines: [] };
    case 'domain':
      return {
        names: [`calculate${E}Total`, `is${E}Expired`],
        lines: [
          `const ${e}Total = calculate${E}Total(input.lines ?? [], 0.19);`,
          `if (is${E}Expired({ createdAt: Date.now() - 1000, ttlSeconds: 3600 }, Date.now())) {`,
          `  throw new Error('${lib.entity} expired');`,
          '}',
        ],
      };
    case 'util':
      return {
        names: [`chunk${E}Items`, `new${E}Id`],
        lines: [`const ${e}Batches = chunk${E}Items(input.lines ?? [], 25);`, `const ${e}CorrelationId = new${E}Id();`],
      };
    case 'auth':
      return {
        names: [`assert${E}Scope`],
        lines: [`assert${E}Scope(input.metadata ?? {}, '${lib.entity}:write');`],
      };
  }
}

function libSource(lib: LibModule, rng: Rng, base: LibModule | undefined, target: number): string {
  const E = pascal(lib.entity);
  const e = camel(lib.entity);
  const table = lib.entity.replace(/-/g, '_');
  const out: string[] = [];
  const header = `// ${lib.entity} ${MODULE_SUFFIX[lib.kind]}${lib.service ? ` for the ${lib.service} service` : ' shared by every service'}.`;
  out.push(header);
  const baseUse = base ? baseImport(lib, base) : undefined;
  switch (lib.kind) {
    case 'pg-pool':
      out.push(
        "import pg from 'pg';",
        "import type { PoolClient, QueryResultRow } from 'pg';",
        ...(baseUse ? [baseUse.importLine] : []),
        '',
        '// One pool per worker; every invocation checks out its own connection.',
        'export const pool = new pg.Pool({',
        '  connectionString: process.env.DATABASE_URL,',
        `  max: Number(process.env.DB_POOL_MAX ?? '${rng.pick([16, 20, 32, 64])}'),`,
        '  idleTimeoutMillis: 30_000,',
        '});',
        '',
        'export async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {',
        '  const client = await pool.connect();',
        '  try {',
        '    return await work(client);',
        '  } finally {',
        '    client.release();',
        '  }',
        '}',
        '',
        'export async function queryRows<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {',
        ...(baseUse ? baseUse.lines.map((l) => `  ${l}`) : []),
        '  const result = await pool.query<T>(sql, params);',
        '  return result.rows;',
        '}',
        '',
        'export async function inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {',
        '  return withClient(async (client) => {',
        "    await client.query('BEGIN');",
        '    try {',
        '      const value = await work(client);',
        "      await client.query('COMMIT');",
        '      return value;',
        '    } catch (error) {',
        "      await client.query('ROLLBACK');",
        '      throw error;',
        '    }',
        '  });',
        '}',
      );
      break;
    case 'dynamo':
      out.push(
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';",
        ...(baseUse ? [baseUse.importLine] : []),
        '',
        `const TABLE_NAME = process.env.${upperSnake(lib.entity)}_TABLE ?? '${table}s';`,
        'const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {',
        '  marshallOptions: { removeUndefinedValues: true },',
        '});',
        '',
        `export interface ${E}Item {`,
        '  id: string;',
        '  ownerId: string;',
        `  status: ${STATUSES.slice(0, 4)
          .map((s) => `'${s}'`)
          .join(' | ')};`,
        '  updatedAt: string;',
        '  attributes: Record<string, string>;',
        '}',
        '',
        `export async function get${E}(id: string): Promise<${E}Item | undefined> {`,
        ...(baseUse ? baseUse.lines.map((l) => `  ${l}`) : []),
        '  const result = await documentClient.send(new GetCommand({ TableName: TABLE_NAME, Key: { pk: id } }));',
        `  return result.Item as ${E}Item | undefined;`,
        '}',
        '',
        `export async function put${E}(item: ${E}Item): Promise<void> {`,
        '  await documentClient.send(',
        '    new PutCommand({',
        '      TableName: TABLE_NAME,',
        '      Item: { pk: item.id, ...item },',
        "      ConditionExpression: 'attribute_not_exists(pk) OR updatedAt < :now',",
        "      ExpressionAttributeValues: { ':now': item.updatedAt },",
        '    }),',
        '  );',
        '}',
        '',
        `export async function list${E}sByOwner(ownerId: string, limit = 25): Promise<${E}Item[]> {`,
        `  const items: ${E}Item[] = [];`,
        '  let startKey: Record<string, unknown> | undefined;',
        '  do {',
        '    const page = await documentClient.send(',
        '      new QueryCommand({',
        '        TableName: TABLE_NAME,',
        "        IndexName: 'byOwner',",
        "        KeyConditionExpression: 'ownerId = :owner',",
        "        ExpressionAttributeValues: { ':owner': ownerId },",
        '        ExclusiveStartKey: startKey,',
        '        Limit: limit,',
        '      }),',
        '    );',
        `    items.push(...((page.Items ?? []) as ${E}Item[]));`,
        '    startKey = page.LastEvaluatedKey;',
        '  } while (startKey && items.length < limit);',
        '  return items.slice(0, limit);',
        '}',
      );
      break;
    case 's3':
      out.push(
        "import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';",
        ...(baseUse ? [baseUse.importLine] : []),
        '',
        '// AWS SDK v3 clients are safe to share between concurrent invocations.',
        `const s3 = new S3Client({ region: process.env.AWS_REGION ?? '${rng.pick(REGIONS)}' });`,
        `const BUCKET = process.env.${upperSnake(lib.entity)}_BUCKET ?? '${lib.entity}-documents';`,
        '',
        `export function ${e}DocumentKey(id: string, prefix = '${lib.entity}'): string {`,
        "  const safe = id.replace(/[^a-zA-Z0-9-_]/g, '_');",
        '  return `${prefix}/${safe.slice(0, 2)}/${safe}.json`;',
        '}',
        '',
        `export async function put${E}Document(key: string, body: unknown): Promise<void> {`,
        ...(baseUse ? baseUse.lines.map((l) => `  ${l}`) : []),
        '  await s3.send(',
        '    new PutObjectCommand({',
        '      Bucket: BUCKET,',
        '      Key: key,',
        '      Body: JSON.stringify(body),',
        "      ContentType: 'application/json',",
        '    }),',
        '  );',
        '}',
        '',
        `export async function get${E}Document<T>(key: string): Promise<T | undefined> {`,
        '  try {',
        '    const result = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));',
        '    const text = await result.Body?.transformToString();',
        '    return text ? (JSON.parse(text) as T) : undefined;',
        '  } catch (error) {',
        "    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;",
        '    throw error;',
        '  }',
        '}',
      );
      break;
    case 'sqs':
      out.push(
        "import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';",
        ...(baseUse ? [baseUse.importLine] : []),
        '',
        'const sqs = new SQSClient({});',
        `const QUEUE_URL = process.env.${upperSnake(lib.entity)}_QUEUE_URL ?? '';`,
        '',
        `export interface ${E}Job {`,
        '  id: string;',
        '  ownerId: string;',
        '  attempt: number;',
        '}',
        '',
        `export async function enqueue${E}Job(job: ${E}Job, delaySeconds = 0): Promise<string | undefined> {`,
        ...(baseUse ? baseUse.lines.map((l) => `  ${l}`) : []),
        '  const result = await sqs.send(',
        '    new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: JSON.stringify(job), DelaySeconds: delaySeconds }),',
        '  );',
        '  return result.MessageId;',
        '}',
        '',
        `export async function enqueue${E}Batch(jobs: ${E}Job[]): Promise<number> {`,
        '  let failed = 0;',
        '  for (let i = 0; i < jobs.length; i += 10) {',
        '    const entries = jobs.slice(i, i + 10).map((job, index) => ({',
        '      Id: `${i + index}`,',
        '      MessageBody: JSON.stringify(job),',
        '    }));',
        '    const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: QUEUE_URL, Entries: entries }));',
        '    failed += result.Failed?.length ?? 0;',
        '  }',
        '  return failed;',
        '}',
      );
      break;
    case 'events':
      out.push(
        "import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
        ...(baseUse ? [baseUse.importLine] : []),
        '',
        'const eventBridge = new EventBridgeClient({});',
        `const BUS_NAME = process.env.EVENT_BUS_NAME ?? '${lib.entity}-bus';`,
        `const SOURCE = 'app.${lib.entity}';`,
        '',
        `export async function publish${E}Event(detailType: string, detail: Record<string, unknown>): Promise<void> {`,
        ...(baseUse ? baseUse.lines.map((l) => `  ${l}`) : []),
        '  const result = await eventBridge.send(',
        '    new PutEventsCommand({',
        '      Entries: [{ EventBusName: BUS_NAME, Source: SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) }],',
        '    }),',
        '  );',
        '  if (result.FailedEntryCount) {',
        "    throw new Error(`failed to publish ${detailType}: ${result.Entries?.[0]?.ErrorMessage ?? 'unknown error'}`);",
        '  }',
        '}',
      );
      break;
    case 'http':
      out.push(
        "import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';",
        '',
        "const DEFAULT_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;",
        '',
        'export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {',
        '  return { statusCode, headers: { ...DEFAULT_HEADERS, ...headers }, body: JSON.stringify(body) };',
        '}',
        '',
        'export function badRequest(message: string, details: string[] = []): APIGatewayProxyResultV2 {',
        '  return json(400, { message, details });',
        '}',
        '',
        'export function notFound(what: string): APIGatewayProxyResultV2 {',
        '  return json(404, { message: `${what} not found` });',
        '}',
        '',
        'export function parseJsonBody<T>(event: APIGatewayProxyEventV2): T | undefined {',
        '  if (!event.body) return undefined;',
        "  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;",
        '  try {',
        '    return JSON.parse(text) as T;',
        '  } catch {',
        '    return undefined;',
        '  }',
        '}',
      );
      break;
    case 'validation':
      out.push(
        `const ${upperSnake(lib.entity)}_REFERENCE = /^[a-z0-9][a-z0-9-]{${rng.int(2, 6)},63}$/;`,
        '',
        'export function isNonEmptyString(value: unknown): value is string {',
        "  return typeof value === 'string' && value.trim().length > 0;",
        '}',
        '',
        `export function check${E}Reference(reference: string): string[] {`,
        '  const problems: string[] = [];',
        "  if (!isNonEmptyString(reference)) problems.push('reference is empty');",
        `  else if (!${upperSnake(lib.entity)}_REFERENCE.test(reference)) problems.push(\`reference \${reference} is malformed\`);`,
        "  if (reference.includes('--')) problems.push('reference has a double dash');",
        '  return problems;',
        '}',
        '',
        'export function assertPositiveInteger(name: string, value: unknown): number {',
        "  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {",
        '    throw new TypeError(`${name} must be a positive integer`);',
        '  }',
        '  return value;',
        '}',
      );
      break;
    case 'config':
      out.push(
        `// Settings read lazily from the environment: the check and the set have no await in between`,
        '// and the value does not depend on the request.',
        `export interface ${E}Settings {`,
        '  pageSize: number;',
        '  region: string;',
        '  featureFlags: string[];',
        '}',
        '',
        `let cached: ${E}Settings | undefined;`,
        '',
        `export function get${E}Settings(): ${E}Settings {`,
        '  if (!cached) {',
        '    cached = {',
        `      pageSize: Number(process.env.${upperSnake(lib.entity)}_PAGE_SIZE ?? '${rng.pick([20, 25, 50])}'),`,
        `      region: process.env.AWS_REGION ?? '${rng.pick(REGIONS)}',`,
        "      featureFlags: (process.env.FEATURE_FLAGS ?? '').split(',').filter(Boolean),",
        '    };',
        '  }',
        '  return cached;',
        '}',
        '',
        `export function ${e}FeatureEnabled(flag: string): boolean {`,
        `  return get${E}Settings().featureFlags.includes(flag);`,
        '}',
      );
      break;
    case 'logger':
      out.push(
        "import { Logger } from '@aws-lambda-powertools/logger';",
        '',
        '// One Powertools Logger per service; handlers call logger.addContext(context).',
        'export const logger = new Logger({',
        `  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? '${lib.entity}',`,
        "  logLevel: (process.env.LOG_LEVEL as 'INFO' | 'DEBUG' | undefined) ?? 'INFO',",
        '});',
        '',
        'export function redact(value: Record<string, unknown>, keys: string[] = ["password", "token"]): Record<string, unknown> {',
        '  const copy: Record<string, unknown> = {};',
        '  for (const [k, v] of Object.entries(value)) copy[k] = keys.includes(k) ? "[redacted]" : v;',
        '  return copy;',
        '}',
      );
      break;
    case 'domain':
      out.push(
        ...(baseUse ? [baseUse.importLine, ''] : []),
        `const STATUS_LABELS: Readonly<Record<string, string>> = {`,
        ...STATUSES.slice(0, rng.int(3, STATUSES.length)).map((s) => `  ${s}: '${pascal(s)}',`),
        '};',
        '',
        `export interface ${E}Line {`,
        '  sku: string;',
        '  quantity: number;',
        '  cents: number;',
        '}',
        '',
        `export function calculate${E}Total(lines: ${E}Line[], taxRate: number): number {`,
        ...(baseUse ? baseUse.lines.map((l) => `  ${l}`) : []),
        '  let net = 0;',
        '  for (const line of lines) {',
        '    if (line.quantity <= 0) continue;',
        '    net += line.quantity * line.cents;',
        '  }',
        '  return Math.round(net * (1 + taxRate));',
        '}',
        '',
        `export function is${E}Expired(item: { createdAt: number; ttlSeconds: number }, now: number): boolean {`,
        '  return item.createdAt + item.ttlSeconds * 1000 < now;',
        '}',
        '',
        `export function ${e}StatusLabel(status: string): string {`,
        "  return STATUS_LABELS[status] ?? 'Unknown';",
        '}',
      );
      break;
    case 'util':
      out.push(
        "import { randomUUID } from 'node:crypto';",
        '',
        `export function new${E}Id(prefix = '${lib.entity.slice(0, 3)}'): string {`,
        '  return `${prefix}_${randomUUID()}`;',
        '}',
        '',
        `export function chunk${E}Items<T>(items: T[], size: number): T[][] {`,
        "  if (size <= 0) throw new RangeError('size must be positive');",
        '  const chunks: T[][] = [];',
        '  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));',
        '  return chunks;',
        '}',
        '',
        `export async function retry${E}<T>(work: () => Promise<T>, attempts = 3, delayMs = 50): Promise<T> {`,
        '  let lastError: unknown;',
        '  for (let attempt = 1; attempt <= attempts; attempt++) {',
        '    try {',
        '      return await work();',
        '    } catch (error) {',
        '      lastError = error;',
        '      await new Promise((resolve) => setTimeout(resolve, delayMs * 2 ** attempt));',
        '    }',
        '  }',
        '  throw lastError;',
        '}',
      );
      break;
    case 'auth':
      out.push(
        ...(baseUse ? [baseUse.importLine, ''] : []),
        `export class ${E}ScopeError extends Error {`,
        '  constructor(readonly scope: string) {',
        '    super(`missing scope ${scope}`);',
        `    this.name = '${E}ScopeError';`,
        '  }',
        '}',
        '',
        `export function ${e}ScopesOf(claims: Record<string, string>): Set<string> {`,
        "  return new Set((claims.scope ?? '').split(' ').filter(Boolean));",
        '}',
        '',
        `export function assert${E}Scope(claims: Record<string, string>, scope: string): void {`,
        ...(baseUse ? baseUse.lines.map((l) => `  ${l}`) : []),
        `  if (!${e}ScopesOf(claims).has(scope)) throw new ${E}ScopeError(scope);`,
        '}',
      );
      break;
  }
  fill(out, rng, target, true, lib.entity);
  return out.join('\n') + '\n';
}

/** A base module imported by another helper module: the import line and one statement using it. */
function baseImport(lib: LibModule, base: LibModule): { importLine: string; lines: string[] } {
  const E = pascal(base.entity);
  const spec = specifier(lib.file, base.file);
  switch (base.kind) {
    case 'config':
      return {
        importLine: `import { get${E}Settings } from '${spec}';`,
        lines: [`const { region } = get${E}Settings();`, "if (!region) throw new Error('AWS region is not configured');"],
      };
    case 'util':
      return { importLine: `import { new${E}Id } from '${spec}';`, lines: [`const traceId = new${E}Id('trace');`, 'void traceId;'] };
    default:
      return {
        importLine: `import { isNonEmptyString } from '${spec}';`,
        lines: ["if (!isNonEmptyString(process.env.AWS_REGION ?? 'local')) throw new Error('no region');"],
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Filler: ordinary code (types, validation, loops, try/catch) that makes files realistic in size.

function fillerBlock(rng: Rng, exported: boolean, entity: string): string[] {
  const k = rng.serial();
  const E = pascal(entity);
  const ex = exported ? 'export ' : '';
  switch (rng.int(0, 6)) {
    case 0:
      return [
        `${ex}interface ${E}Summary${k} {`,
        '  count: number;',
        '  totalCents: number;',
        '  byStatus: Record<string, number>;',
        '  firstSeen?: string;',
        '  lastSeen?: string;',
        '}',
      ];
    case 1:
      return [
        `${ex}function summarise${E}s${k}(items: Array<{ status: string; cents: number; at: string }>): { count: number; totalCents: number; byStatus: Record<string, number> } {`,
        '  const byStatus: Record<string, number> = {};',
        '  let totalCents = 0;',
        '  for (const item of items) {',
        '    byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;',
        '    totalCents += item.cents;',
        '  }',
        '  return { count: items.length, totalCents, byStatus };',
        '}',
      ];
    case 2:
      return [
        `${ex}function ${camel(entity)}StatusRank${k}(status: string): number {`,
        '  switch (status) {',
        ...STATUSES.slice(0, rng.int(3, 6)).flatMap((s, i) => [`    case '${s}':`, `      return ${i};`]),
        '    default:',
        '      return -1;',
        '  }',
        '}',
      ];
    case 3:
      return [
        `${ex}function parse${E}DateRange${k}(from?: string, to?: string): { from: Date; to: Date } {`,
        '  const end = to ? new Date(to) : new Date();',
        `  const start = from ? new Date(from) : new Date(end.getTime() - ${rng.int(1, 30)} * 24 * 3600 * 1000);`,
        '  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {',
        "    throw new RangeError('invalid date range');",
        '  }',
        "  if (start > end) throw new RangeError('range starts after it ends');",
        '  return { from: start, to: end };',
        '}',
      ];
    case 4:
      return [
        `${ex}function safeParse${E}${k}<T>(text: string | undefined, fallback: T): T {`,
        '  if (!text) return fallback;',
        '  try {',
        '    const value = JSON.parse(text) as unknown;',
        "    return value !== null && typeof value === 'object' ? (value as T) : fallback;",
        '  } catch {',
        '    return fallback;',
        '  }',
        '}',
      ];
    case 5:
      return [
        `${ex}function group${E}sBy${k}<T extends Record<string, unknown>>(items: T[], key: keyof T): Map<string, T[]> {`,
        '  const groups = new Map<string, T[]>();',
        '  for (const item of items) {',
        '    const value = String(item[key] ?? "none");',
        '    const group = groups.get(value);',
        '    if (group) group.push(item);',
        '    else groups.set(value, [item]);',
        '  }',
        '  return groups;',
        '}',
      ];
    default:
      return [
        `${ex}type ${E}Event${k} =`,
        `  | { type: '${entity}.created'; id: string; at: string }`,
        `  | { type: '${entity}.updated'; id: string; at: string; changes: string[] }`,
        `  | { type: '${entity}.deleted'; id: string; at: string; reason?: string };`,
        '',
        `${ex}function describe${E}Event${k}(event: ${E}Event${k}): string {`,
        `  if (event.type === '${entity}.updated') return \`\${event.id} changed \${event.changes.join(', ')}\`;`,
        `  if (event.type === '${entity}.deleted') return \`\${event.id} deleted (\${event.reason ?? 'no reason'})\`;`,
        '  return `${event.id} created at ${event.at}`;',
        '}',
      ];
  }
}

/** Append filler blocks until `lines` reaches about `target` lines. */
function fill(lines: string[], rng: Rng, target: number, exported: boolean, entity: string): void {
  while (lines.length < target - 4) {
    const block = fillerBlock(rng, exported, entity);
    if (lines.length + 1 + block.length > target + 4 && lines.length >= target - 8) break;
    lines.push('', ...block);
  }
}

// ---------------------------------------------------------------------------------------------
// Handlers

/** What a handler will contain: its manifest's features, and what its text is made of. */
interface HandlerPlan extends Omit<HandlerManifest, 'consoleCalls' | 'imports'> {
  service: string;
  entity: string;
  verb: string;
  libs: LibModule[];
  loggerLib?: LibModule;
}

function handlerSource(plan: HandlerPlan, rng: Rng, target: number): { text: string; consoleCalls: number } {
  const E = pascal(plan.entity);
  const e = camel(plan.entity);
  const imports: string[] = [];
  const moduleLines: string[] = [];
  const helpers: string[] = [];
  const body: string[] = [];
  let consoleCalls = 0;
  const log = (level: 'info' | 'warn' | 'error', message: string, data: string): string => {
    if (plan.consoleLog) {
      consoleCalls++;
      return `console.${level === 'info' ? 'log' : level}('${message}', ${data});`;
    }
    return `logger.${level}('${message}', ${data.startsWith('{') ? data : `{ detail: ${data} }`});`;
  };

  // Imports.
  if (plan.flavor === 'api') imports.push("import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';");
  else if (plan.flavor === 'sqs') imports.push("import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';");
  else imports.push("import type { Context, ScheduledEvent } from 'aws-lambda';");
  if (plan.staticTmp || plan.uniqueTmp) {
    imports.push(plan.uniqueTmp ? "import { readFile, rm, writeFile } from 'node:fs/promises';" : "import { writeFile } from 'node:fs/promises';");
    if (plan.uniqueTmp) imports.push("import os from 'node:os';", "import path from 'node:path';");
  }
  if (plan.pgClient) imports.push("import { Client } from 'pg';");
  else if (plan.pgPool) imports.push("import pg from 'pg';");
  if (!plan.consoleLog && !plan.loggerLib) imports.push("import { Logger } from '@aws-lambda-powertools/logger';");
  const uses: LibUse[] = [];
  let hasHttpLib = false;
  for (const lib of plan.libs) {
    const use = libUse(lib, rng);
    uses.push(use);
    if (lib.kind === 'http') hasHttpLib = true;
    imports.push(`import { ${use.names.join(', ')} } from '${specifier(plan.file, lib.file)}';`);
  }
  if (plan.loggerLib) imports.push(`import { logger } from '${specifier(plan.file, plan.loggerLib.file)}';`);

  // Module scope.
  if (!plan.consoleLog && !plan.loggerLib) moduleLines.push(`const logger = new Logger({ serviceName: '${plan.service}' });`);
  moduleLines.push(`const MAX_LINES = ${rng.pick([25, 50, 100, 200])};`);
  moduleLines.push(
    `const ALLOWED_STATUSES = new Set([${STATUSES.slice(0, rng.int(3, 5))
      .map((s) => `'${s}'`)
      .join(', ')}]);`,
  );
  if (plan.staticTmp) moduleLines.push(`const EXPORT_FILE = '/tmp/${plan.service}-${plan.verb}-${plan.entity}.json';`);
  if (plan.pgClient) {
    moduleLines.push(
      '',
      '// One connection for the whole worker, opened at init.',
      'const client = new Client({ connectionString: process.env.DATABASE_URL });',
      'await client.connect();',
    );
  } else if (plan.pgPool) {
    moduleLines.push('', `const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: ${rng.pick([8, 16, 32])} });`);
  }
  const letName = rng.pick(['currentTenant', 'currentCaller', 'activeRequestOwner', 'lastMessageId']);
  if (plan.moduleLet) moduleLines.push('', `let ${letName}: string | undefined;`);
  if (plan.mapCache) {
    moduleLines.push('', `const ${e}SnapshotCache = new Map<string, ${E}Snapshot>();`);
  }

  // Types and local helpers.
  helpers.push(
    `interface ${E}Input {`,
    '  id: string;',
    '  ownerId: string;',
    '  status?: string;',
    '  lines?: Array<{ sku: string; quantity: number; cents: number }>;',
    '  metadata?: Record<string, string>;',
    '}',
    '',
    `function validate${E}Input(input: Partial<${E}Input>): string[] {`,
    '  const problems: string[] = [];',
    "  if (typeof input.id !== 'string' || input.id.length === 0) problems.push('id is required');",
    "  if (typeof input.ownerId !== 'string') problems.push('ownerId is required');",
    '  if (input.status !== undefined && !ALLOWED_STATUSES.has(input.status)) problems.push(`unknown status ${input.status}`);',
    '  if ((input.lines?.length ?? 0) > MAX_LINES) problems.push(`at most ${MAX_LINES} lines`);',
    '  for (const [index, line] of (input.lines ?? []).entries()) {',
    '    if (!Number.isInteger(line.quantity)) problems.push(`lines[${index}].quantity must be an integer`);',
    '  }',
    '  return problems;',
    '}',
  );
  if (plan.mapCache) {
    helpers.push(
      '',
      `interface ${E}Snapshot {`,
      '  id: string;',
      '  version: number;',
      '  fetchedAt: number;',
      '}',
      '',
      `async function load${E}Snapshot(id: string): Promise<${E}Snapshot> {`,
      `  const response = await fetch(\`\${process.env.${upperSnake(plan.entity)}_API_URL}/${plan.entity}s/\${encodeURIComponent(id)}\`);`,
      `  if (!response.ok) throw new Error(\`${plan.entity} \${id}: HTTP \${response.status}\`);`,
      '  const data = (await response.json()) as { version?: number };',
      '  return { id, version: Number(data.version ?? 0), fetchedAt: Date.now() };',
      '}',
    );
  }
  if (plan.moduleLet) {
    helpers.push('', `function scopedKey(id: string): string {`, `  return \`\${${letName} ?? 'default'}#\${id}\`;`, '}');
  }
  if (plan.flavor === 'api' && !hasHttpLib) {
    helpers.push(
      '',
      'function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {',
      "  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };",
      '}',
    );
  }

  // The invocation work shared by the three flavors (indent-free; `key`, `ownerId`, `input` in scope).
  const work: string[] = [];
  if (plan.moduleLet) work.push('const storageKey = scopedKey(key);');
  for (const use of uses) work.push(...use.lines);
  if (plan.mapCache) {
    work.push(
      `if (!${e}SnapshotCache.has(key)) {`,
      `  const loaded = await load${E}Snapshot(key);`,
      `  ${e}SnapshotCache.set(key, loaded);`,
      '}',
      `const snapshot = ${e}SnapshotCache.get(key)!;`,
    );
  }
  if (plan.pgClient) {
    work.push(
      `const { rows } = await client.query('SELECT id, status FROM ${plan.entity.replace(/-/g, '_')}s WHERE id = $1', [key]);`,
      'const current = rows[0] as { id: string; status: string } | undefined;',
    );
  } else if (plan.pgPool) {
    work.push(
      'const db = await pool.connect();',
      'let current: { id: string; status: string } | undefined;',
      'try {',
      `  const result = await db.query('SELECT id, status FROM ${plan.entity.replace(/-/g, '_')}s WHERE id = $1', [key]);`,
      '  current = result.rows[0] as { id: string; status: string } | undefined;',
      '} finally {',
      '  db.release();',
      '}',
    );
  }
  work.push(
    'let totalCents = 0;',
    'const skipped: string[] = [];',
    'for (const line of input.lines ?? []) {',
    '  if (line.quantity <= 0 || !Number.isFinite(line.cents)) {',
    '    skipped.push(line.sku);',
    '    continue;',
    '  }',
    '  totalCents += line.quantity * line.cents;',
    '}',
  );
  const resultFields = ['id: key', 'ownerId', 'totalCents', 'skipped: skipped.length'];
  if (plan.mapCache) resultFields.push('version: snapshot.version');
  if (plan.pgClient || plan.pgPool) resultFields.push("status: current?.status ?? 'unknown'");
  if (plan.moduleLet) resultFields.push('storageKey');
  work.push(`const result = { ${resultFields.join(', ')} };`);
  if (plan.staticTmp) {
    work.push(`await writeFile(EXPORT_FILE, JSON.stringify(result));`);
  }
  if (plan.uniqueTmp) {
    work.push(
      `const scratch = path.join(os.tmpdir(), \`${plan.entity}-\${context.awsRequestId}.json\`);`,
      'try {',
      '  await writeFile(scratch, JSON.stringify(result));',
      "  const written = await readFile(scratch, 'utf8');",
      "  if (written.length === 0) throw new Error('empty scratch file');",
      '} finally {',
      '  await rm(scratch, { force: true });',
      '}',
    );
  }
  work.push(log('info', `${plan.verb} ${plan.entity} done`, '{ id: key, totalCents }'));

  const indent = (lines: string[], n: number) => lines.map((l) => (l ? ' '.repeat(n) + l : l));
  const taint =
    plan.flavor === 'api' ? "event.headers?.['x-tenant-id'] ?? 'default'" : plan.flavor === 'sqs' ? "event.Records[0]?.messageId ?? 'none'" : 'event.id';
  if (plan.flavor === 'api') {
    body.push(
      'export const handler = async (',
      '  event: APIGatewayProxyEventV2,',
      '  context: Context,',
      '): Promise<APIGatewayProxyResultV2> => {',
      plan.consoleLog ? `  ${log('info', `${plan.verb}-${plan.entity} invoked`, 'event.requestContext.requestId')}` : '  logger.addContext(context);',
      ...(plan.moduleLet ? [`  ${letName} = ${taint};`] : []),
      `  let input: ${E}Input;`,
      '  try {',
      `    input = JSON.parse(event.body ?? '{}') as ${E}Input;`,
      '  } catch {',
      "    return json(400, { message: 'invalid JSON body' });",
      '  }',
      `  const problems = validate${E}Input(input);`,
      '  if (problems.length > 0) {',
      `    ${log('warn', 'validation failed', '{ problems }')}`,
      "    return json(422, { message: 'validation failed', problems });",
      '  }',
      '  const key = input.id;',
      '  const ownerId = input.ownerId;',
      '  try {',
      ...indent(work, 4),
      '    return json(200, result);',
      '  } catch (error) {',
      `    ${log('error', `${plan.verb} ${plan.entity} failed`, '{ error }')}`,
      "    return json(500, { message: 'internal error' });",
      '  }',
      '};',
    );
  } else if (plan.flavor === 'sqs') {
    body.push(
      'export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {',
      plan.consoleLog ? `  ${log('info', 'batch received', 'event.Records.length')}` : '  logger.addContext(context);',
      ...(plan.moduleLet ? [`  ${letName} = ${taint};`] : []),
      '  const batchItemFailures: SQSBatchItemFailure[] = [];',
      '  for (const record of event.Records) {',
      '    try {',
      `      const input = JSON.parse(record.body) as ${E}Input;`,
      `      const problems = validate${E}Input(input);`,
      "      if (problems.length > 0) throw new Error(problems.join('; '));",
      '      const key = input.id;',
      '      const ownerId = input.ownerId;',
      ...indent(work, 6),
      '    } catch (error) {',
      `      ${log('error', 'record failed', '{ messageId: record.messageId, error }')}`,
      '      batchItemFailures.push({ itemIdentifier: record.messageId });',
      '    }',
      '  }',
      '  return { batchItemFailures };',
      '};',
    );
  } else {
    body.push(
      `export const handler = async (event: ScheduledEvent<{ ownerId?: string }>, context: Context): Promise<{ processed: number }> => {`,
      plan.consoleLog ? `  ${log('info', 'scheduled run', 'event.time')}` : '  logger.addContext(context);',
      ...(plan.moduleLet ? [`  ${letName} = ${taint};`] : []),
      `  const input: ${E}Input = { id: event.id, ownerId: event.detail?.ownerId ?? 'system', lines: [] };`,
      '  const key = input.id;',
      '  const ownerId = input.ownerId;',
      ...indent(work, 2),
      '  return { processed: 1 + result.skipped };',
      '};',
    );
  }

  const head = [
    `// ${plan.service}: ${plan.verb} ${plan.entity.replace(/-/g, ' ')} (${plan.flavor === 'api' ? 'HTTP API' : plan.flavor === 'sqs' ? 'SQS batch' : 'schedule'}).`,
    ...imports,
    '',
    ...moduleLines,
    '',
    ...helpers,
  ];
  const fixedLength = head.length + 1 + body.length;
  const fillerLines: string[] = [];
  fill(fillerLines, rng, target - fixedLength, false, plan.entity);
  const lines = [...head, ...fillerLines, '', ...body];
  return { text: lines.join('\n') + '\n', consoleCalls };
}

// ---------------------------------------------------------------------------------------------
// The corpus

export interface GenerateOptions {
  seed?: number;
}

export function generateCorpus(n: number, options: GenerateOptions = {}): Corpus {
  if (!Number.isInteger(n) || n < 10) throw new RangeError(`corpus size must be an integer >= 10 (got ${n})`);
  const seed = options.seed ?? DEFAULT_SEED;
  const rng = new Rng(seed);
  const handlerCount = Math.round(n * PROPORTIONS.handlers);
  const libCount = n - handlerCount;
  const serviceCount = Math.max(1, Math.round(handlerCount / 20));
  const services = Array.from({ length: serviceCount }, (_, i) => serviceName(i));

  // Helper modules: ~55% shared in lib/<area>/, the rest local to a service.
  const rootCount = Math.max(ROOT_AREAS.length, Math.round(libCount * 0.55));
  const libs: LibModule[] = [];
  const usedPaths = new Set<string>();
  const entityCounters = new Map<LibKind, number>();
  const nextEntity = (kind: LibKind): string => {
    const i = entityCounters.get(kind) ?? 0;
    entityCounters.set(kind, i + 1);
    return entityName(((i * 7 + kind.length) % 300) + Math.floor(i / 300) * 300);
  };
  for (let i = 0; i < libCount; i++) {
    let kind: LibKind;
    let file: string;
    let entity: string;
    let service: string | undefined;
    if (i < rootCount) {
      const area = ROOT_AREAS[i % ROOT_AREAS.length]!;
      kind = area.kinds[Math.floor(i / ROOT_AREAS.length) % area.kinds.length]!;
      entity = nextEntity(kind);
      file = `lib/${area.area}/${entity}-${MODULE_SUFFIX[kind]}.ts`;
    } else {
      service = services[(i - rootCount) % services.length]!;
      kind = LOCAL_KINDS[Math.floor((i - rootCount) / services.length) % LOCAL_KINDS.length]!;
      entity = nextEntity(kind);
      file = `services/${service}/lib/${entity}-${MODULE_SUFFIX[kind]}.ts`;
    }
    for (let dup = 2; usedPaths.has(file); dup++) file = file.replace(/(-\d+)?\.ts$/, `-${dup}.ts`);
    usedPaths.add(file);
    libs.push({ file, kind, entity, service });
  }
  const rootLibs = libs.filter((l) => !l.service);
  const baseLibs = rootLibs.filter((l) => BASE_KINDS.has(l.kind));
  const loggerLibs = rootLibs.filter((l) => l.kind === 'logger');
  const localLibs = new Map<string, LibModule[]>();
  for (const lib of libs) {
    if (!lib.service) continue;
    let list = localLibs.get(lib.service);
    if (!list) localLibs.set(lib.service, (list = []));
    list.push(lib);
  }

  // Which handlers carry which pattern: exact counts, independent draws.
  const pick = (share: number) => rng.sample(handlerCount, Math.round(share * handlerCount));
  const moduleLet = pick(PROPORTIONS.moduleLet);
  const staticTmp = pick(PROPORTIONS.staticTmp);
  const uniqueTmp = pick(PROPORTIONS.uniqueTmp);
  const pgClient = pick(PROPORTIONS.pgClient);
  const pgPool = pick(PROPORTIONS.pgPool);
  const mapCache = pick(PROPORTIONS.mapCache);
  const consoleLog = pick(PROPORTIONS.consoleLog);

  const files = new Map<string, string>();
  const handlers: HandlerManifest[] = [];
  const handlerNames = new Set<string>();
  for (let h = 0; h < handlerCount; h++) {
    const service = services[h % services.length]!;
    const entity = entityName(rng.int(0, ENTITIES.length - 1) + ENTITIES.length * (rng.chance(0.3) ? rng.int(1, 3) : 0));
    const verb = rng.pick(VERBS);
    let file = `services/${service}/handlers/${verb}-${entity}.ts`;
    for (let dup = 2; handlerNames.has(file); dup++) file = file.replace(/(-\d+)?\.ts$/, `-${dup}.ts`);
    handlerNames.add(file);
    const roll = rng.float();
    const flavor = roll < 0.6 ? 'api' : roll < 0.85 ? 'sqs' : 'schedule';
    const plan: HandlerPlan = {
      file,
      service,
      entity,
      verb,
      flavor,
      moduleLet: moduleLet.has(h),
      staticTmp: staticTmp.has(h),
      uniqueTmp: uniqueTmp.has(h) && !staticTmp.has(h),
      pgClient: pgClient.has(h),
      pgPool: pgPool.has(h) && !pgClient.has(h),
      mapCache: mapCache.has(h),
      consoleLog: consoleLog.has(h),
      libs: [],
    };
    // 1–3 helper modules of distinct kinds (no db module when the handler has its own connection).
    const want = rng.int(1, 3);
    const kinds = new Set<LibKind>();
    const candidates = [...(localLibs.get(service) ?? []), ...rootLibs];
    for (let attempt = 0; attempt < 12 && plan.libs.length < want; attempt++) {
      const local = localLibs.get(service);
      const lib = local && local.length && rng.chance(0.4) ? rng.pick(local) : rng.pick(candidates);
      if (kinds.has(lib.kind) || lib.kind === 'logger') continue;
      if (lib.kind === 'pg-pool' && (plan.pgClient || plan.pgPool)) continue;
      if (lib.kind === 'http' && plan.flavor !== 'api') continue;
      kinds.add(lib.kind);
      plan.libs.push(lib);
    }
    if (!plan.consoleLog && loggerLibs.length && rng.chance(0.5)) plan.loggerLib = rng.pick(loggerLibs);
    const { text, consoleCalls } = handlerSource(plan, rng, rng.int(89, 121));
    files.set(file, text);
    handlers.push({
      file,
      flavor,
      moduleLet: plan.moduleLet,
      staticTmp: plan.staticTmp,
      uniqueTmp: plan.uniqueTmp,
      pgClient: plan.pgClient,
      pgPool: plan.pgPool,
      mapCache: plan.mapCache,
      consoleLog: plan.consoleLog,
      consoleCalls,
      imports: [...plan.libs, ...(plan.loggerLib ? [plan.loggerLib] : [])].map((l) => l.file),
    });
  }

  for (const lib of libs) {
    const base =
      !BASE_KINDS.has(lib.kind) && lib.kind !== 'http' && lib.kind !== 'logger' && lib.kind !== 'util' && baseLibs.length && rng.chance(0.35)
        ? rng.pick(baseLibs)
        : undefined;
    files.set(lib.file, libSource(lib, rng, base, rng.int(88, 120)));
  }

  let lines = 0;
  for (const text of files.values()) lines += text.split('\n').length - 1;
  const sourceCount = files.size;

  files.set(
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['lib', 'services'],
      },
      null,
      2,
    ) + '\n',
  );
  files.set(
    'package.json',
    JSON.stringify(
      {
        name: 'bench-monorepo',
        private: true,
        type: 'module',
        dependencies: {
          '@aws-lambda-powertools/logger': '^2.29.0',
          '@aws-sdk/client-dynamodb': '^3.933.0',
          '@aws-sdk/client-eventbridge': '^3.933.0',
          '@aws-sdk/client-s3': '^3.933.0',
          '@aws-sdk/client-sqs': '^3.933.0',
          '@aws-sdk/lib-dynamodb': '^3.933.0',
          pg: '^8.16.0',
        },
        devDependencies: { '@types/aws-lambda': '^8.10.150', '@types/pg': '^8.15.0', typescript: '~6.0.2' },
      },
      null,
      2,
    ) + '\n',
  );

  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const count = (k: keyof HandlerManifest) => handlers.filter((h) => h[k] === true).length;
  const manifest: CorpusManifest = {
    generatorVersion: GENERATOR_VERSION,
    seed,
    n,
    files: sourceCount,
    lines,
    handlers,
    libs: libs.map((l) => l.file),
    counts: {
      handlers: handlers.length,
      libs: libs.length,
      moduleLet: count('moduleLet'),
      staticTmp: count('staticTmp'),
      uniqueTmp: count('uniqueTmp'),
      pgClient: count('pgClient'),
      pgPool: count('pgPool'),
      mapCache: count('mapCache'),
      consoleLog: count('consoleLog'),
      consoleCalls: handlers.reduce((sum, h) => sum + h.consoleCalls, 0),
    },
  };
  return { files: sorted, manifest };
}

/**
 * Write a corpus to `dir` (emptied first). Besides the sources it writes `.meta.json` (generator
 * version, seed, counts) and `.manifest.json` (what was seeded where), and an empty `.git`
 * directory: the corpus is a repository of its own, so scanners that honour the `.gitignore`
 * files of enclosing repositories (lmi-audit does) do not see it as ignored by this repo's
 * `bench/corpus/` entry.
 */
export function writeCorpus(dir: string, n: number, options: GenerateOptions = {}): CorpusManifest {
  const corpus = generateCorpus(n, options);
  writeCorpusFiles(dir, corpus.files, corpus.manifest);
  return corpus.manifest;
}

/** Write a generated corpus (any kind) to `dir`, emptied first, with its `.manifest.json`, `.meta.json` and empty `.git`. */
export function writeCorpusFiles(dir: string, files: ReadonlyMap<string, string>, manifest: CorpusManifest): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  const made = new Set<string>();
  for (const [rel, text] of files) {
    const file = path.join(dir, rel);
    const parent = path.dirname(file);
    if (!made.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    fs.writeFileSync(file, text);
  }
  const { handlers: _h, libs: _l, ...meta } = manifest;
  fs.writeFileSync(path.join(dir, '.manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  // Written last: its presence means the corpus is complete.
  fs.writeFileSync(path.join(dir, '.meta.json'), JSON.stringify(meta, null, 2) + '\n');
}

/** The `.meta.json` of a corpus directory, or undefined when there is none (or it is unreadable). */
export function readCorpusMeta(dir: string): Omit<CorpusManifest, 'handlers' | 'libs'> | undefined {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, '.meta.json'), 'utf8')) as Omit<CorpusManifest, 'handlers' | 'libs'>;
    return meta;
  } catch {
    return undefined;
  }
}
