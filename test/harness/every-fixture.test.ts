/**
 * @fileoverview Proof by running, for every transform fixture. Each case of
 * fixtures/transforms/ is one of:
 *  - run: its input and its output are each loaded once and given 50 concurrent invocations with
 *    distinct events (and distinct request ids), then the same events alone on a fresh instance
 *    (run-harness.ts). Every response alone after the fix must equal the response alone before
 *    it: a fix that changes what a working handler returns, or breaks it (ENOENT on a path the
 *    fix renamed in one place only), fails here. Then, by what the case is about:
 *      `race`: the input cross-talks (at least half the concurrent responses differ from the
 *              response alone), the output never does;
 *      `none`: the input cannot interleave on one worker (no await between the write and the
 *              read; nothing read back), and neither can the output;
 *      `kept`: the transform leaves a cross-invocation behaviour in place on purpose, with a
 *              marker (a counter, a cold-start flag): the counts are printed, not asserted;
 *      `lifecycle`: callback-to-async; the input runs on the pre-LMI runtime (callback,
 *              context.succeed), the output on the LMI one; every response, alone and
 *              concurrent, equals the input's alone.
 *  - `no-op`: its output is its input (checked here): nothing to run.
 *  - `marker-only`: its output is its input plus `lmi-audit:` marker comments (checked here):
 *    the code is unchanged, so is its behaviour.
 *  - `database`: runs against a database server in the named test file (checked to name it).
 *  - `not-run`: what it needs that the harness does not have (the network, an AWS service).
 * A case missing from the table fails the test: a new fixture says how it is proven.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listCases, TRANSFORM_IDS } from '../transforms/cases.js';
import { fixtureFiles } from './fixture-files.js';
import { makeInvocations, runHarness, type HarnessResult } from './run-harness.js';
import { runPythonHarness } from './run-python-harness.js';

const N = 50;
/** Python cases: one python3 process per invocation, on a machine with two cores. */
const N_PY = 12;

interface Run {
  kind: 'race' | 'none' | 'kept' | 'lifecycle';
  /** Why (for `none` and `kept`). */
  why?: string;
  event: (i: number) => unknown;
  count?: number;
  /** The baseline is right: what invocation `i` alone returns before the fix. */
  alone?: (value: unknown, i: number) => boolean;
  /** Fixed /tmp paths the input uses: removed before each run and at the end. */
  tmp?: string[];
  /** More checks on the fixed handler's runs. */
  check?: (after: HarnessResult, before: HarnessResult) => void;
}
type Spec = Run | { kind: 'no-op' } | { kind: 'marker-only' } | { kind: 'database'; test: string } | { kind: 'not-run'; why: string };

const NETWORK = 'calls the network (fetch to an example.com host) at its first invocation';
const rows = (i: number) => Array.from({ length: i + 1 }, (_, k) => `row-${i}-${k}`);
/** The monthly-report event of the helper-argument fixtures (JavaScript and Python): an account and its rows. */
const accountEvent = (i: number) => ({
  account: `acct-${i}`,
  rows: [
    [`r${i}`, `${i}`],
    ['x', 'y'],
  ],
});

const SPECS: Record<string, Record<string, Spec>> = {
  'tmp-paths': {
    article: {
      kind: 'race',
      event: (i) => ({ payload: { order: `order-${i}`, lines: i } }),
      alone: (v, i) => JSON.stringify(v) === JSON.stringify({ order: `order-${i}`, lines: i }),
      tmp: ['/tmp/data.json'],
    },
    'child-process': { kind: 'marker-only' },
    'child-process-args': {
      kind: 'race',
      event: (i) => ({ account: `acct-${i}`, entries: rows(i) }),
      alone: (v, i) => (v as { lines: number }).lines === i + 1,
      tmp: ['/tmp/ledger.txt'],
    },
    commonjs: {
      kind: 'race',
      event: (i) => ({ body: Buffer.from('x'.repeat(i + 1)).toString('base64') }),
      alone: (v, i) => (v as { size: number }).size === i + 1,
      tmp: ['/tmp/uploads'],
    },
    crlf: { kind: 'none', why: 'no await between the write and the read', event: (i) => ({ name: `name-${i}` }), tmp: ['/tmp/greeting.txt'] },
    'esm-aliases': {
      kind: 'none',
      why: 'nothing written is read back',
      event: (i) => ({ rows: rows(i) }),
      alone: (v, i) => (v as { rows: number }).rows === i + 1,
      tmp: ['/tmp/export.csv', '/tmp/export-copy.csv', '/tmp/export.log', '/tmp/export.json'],
    },
    'nested-template': {
      kind: 'race',
      event: (i) => ({ rows: rows(i) }),
      alone: (v, i) => (v as { lines: number }).lines === i + 1,
      tmp: ['/tmp/nested-report.csv'],
    },
    'event-paths': {
      // Five orders, ten invocations each: retries of one order at once.
      kind: 'race',
      event: (i) => ({ userId: `user-${i % 5}`, orderId: `order-${i % 5}`, lines: rows(i) }),
      alone: (v, i) => (v as { size: number }).size === rows(i).join('\n').length,
      tmp: ['/tmp/user-0', '/tmp/user-1', '/tmp/user-2', '/tmp/user-3', '/tmp/user-4', ...[0, 1, 2, 3, 4].map((k) => `/tmp/order-${k}.csv`)],
    },
    'helper-argument': {
      kind: 'race',
      event: accountEvent,
      alone: (v, i) => (v as { summary: string }).summary === `acct-${i}: r${i},${i}`,
      tmp: ['/tmp/monthly-report.csv'],
      check: () => {
        // The rewritten handler names its report by request id and leaves it (the helper may keep it).
        for (const f of fs.readdirSync('/tmp')) if (/^monthly-report-.+\.csv$/.test(f)) fs.rmSync(`/tmp/${f}`, { force: true });
      },
    },
    'helper-module': {
      kind: 'race',
      event: (i) => ({ orders: [{ id: `o-${i}`, total: i }] }),
      alone: (v, i) => (v as { csv: string }).csv === `o-${i},${i}`,
      tmp: ['/tmp/orders.csv'],
      check: () => {
        for (const f of fs.readdirSync('/tmp')) if (/^orders-[0-9a-f-]{36}\.csv$/.test(f)) fs.rmSync(`/tmp/${f}`, { force: true });
      },
    },
    'imported-constant': {
      kind: 'race',
      event: (i) => ({ rows: rows(i) }),
      alone: (v, i) => (v as { log: string }).log === `${i + 1}\n`,
      tmp: ['/tmp/export.csv', '/tmp/scratch'],
    },
    'module-mkdtemp': {
      kind: 'race',
      event: (i) => ({ svg: `<svg id="${i}"/>` }),
      alone: (v, i) => (v as { svg: string }).svg === `<svg id="${i}"/>`,
    },
    'path-forms': {
      kind: 'race',
      event: (i) => ({ html: 'x'.repeat(i + 1) }),
      alone: (v, i) => (v as { size: number }).size === i + 1,
      tmp: ['render.html', 'render.css', 'render.js', 'render.txt', 'report.pdf', 'invoice-draft.pdf', 'invoice.html'].map((f) => `/tmp/${f}`),
    },
    'same-file-helper': {
      kind: 'race',
      event: (i) => ({ html: 'x'.repeat(i + 1) }),
      alone: (v, i) => (v as { size: number }).size === i + 1,
      tmp: ['/tmp/page.html'],
    },
    'shared-on-purpose': { kind: 'marker-only' },
    tabs: { kind: 'none', why: 'no await between the write and the read', event: (i) => ({ id: `id-${i}`, items: rows(i) }), tmp: ['/tmp/state.json'] },
    // Python cases run in N_PY python3 processes sharing /tmp (run-python-harness.ts), as LMI runs Python.
    'python-article': {
      kind: 'race',
      event: (i) => ({ payload: { order: `order-${i}`, lines: i } }),
      alone: (v, i) => JSON.stringify(v) === JSON.stringify({ order: `order-${i}`, lines: i }),
      tmp: ['/tmp/result.json'],
      check: () =>
        expect(
          fs.readdirSync('/tmp').filter((f) => /^result-.+\.json$/.test(f)),
          'the fixed handler removes its file',
        ).toEqual([]),
    },
    'python-forms': {
      kind: 'race',
      event: (i) => ({ lines: [`first-${i}`, ...rows(i)] }),
      alone: (v, i) => JSON.stringify(v) === JSON.stringify({ first: `first-${i}`, count: i + 2 }),
      tmp: ['/tmp/work', '/tmp/input.txt', '/tmp/summary.txt'],
      check: () =>
        expect(
          fs.readdirSync('/tmp').filter((f) => /^(work|input|summary)-.+-\d{3}(-alone)?(\.txt)?$/.test(f)),
          'nothing is left in /tmp',
        ).toEqual([]),
    },
    'python-module-constant': {
      kind: 'race',
      event: (i) => ({ rows: rows(i) }),
      alone: (v, i) => JSON.stringify(v) === JSON.stringify({ rows: i + 1, first: `row-${i}-0` }),
      tmp: ['/tmp/out.csv'],
    },
    'python-helper-argument': {
      kind: 'race',
      event: accountEvent,
      alone: (v, i) => JSON.stringify(v) === JSON.stringify({ summary: `acct-${i}: r${i},${i}`, format: '.csv' }),
      tmp: ['/tmp/monthly-report.csv'],
      check: () => {
        // The path leaves the handler (a helper, a returned value): the rewrite keeps the file, as the input did.
        for (const f of fs.readdirSync('/tmp')) if (/^monthly-report-.+\.csv$/.test(f)) fs.rmSync(`/tmp/${f}`, { force: true });
      },
    },
    'python-crlf-tabs': {
      kind: 'race',
      event: (i) => ({ id: `id-${i}`, items: rows(i) }),
      alone: (v, i) => JSON.stringify(v) === JSON.stringify({ id: `id-${i}`, items: i + 1 }),
      tmp: ['/tmp/state.json'],
    },
    'python-built-paths': {
      kind: 'race',
      event: (i) => ({ id: `id-${i}` }),
      alone: (v, i) => JSON.stringify(v) === JSON.stringify({ summary: `id-${i}` }),
      // The marked paths stay shared (written, never read back): the response is the rewritten summary's.
      tmp: ['/tmp/summary.txt', '/tmp/manifest.json', '/tmp/report.csv'],
    },
    'python-command': { kind: 'marker-only' },
    'python-two-functions': { kind: 'marker-only' },
    'python-unique-paths': { kind: 'no-op' },
    'python-no-context': {
      kind: 'not-run',
      why: 'Lambda calls a handler with (event, context): `def handler(event)` raises TypeError before the fix and runs after, so no response alone is the same',
    },
    'unique-paths': { kind: 'no-op' },
    'work-dir': {
      kind: 'race',
      event: (i) => ({ userId: `user-${i}`, lines: [`a-${i}`, `b-${i}`, `c-${i}`] }),
      alone: (v, i) => (v as { first: string }).first === `c-${i}`,
      tmp: ['/tmp/work'],
      check: () => {
        // The fixed handler removes its directory: nothing of it is left in /tmp.
        const left = fs.readdirSync('/tmp').filter((f) => /^work-/.test(f) && fs.statSync(`/tmp/${f}`).isDirectory() && fs.existsSync(`/tmp/${f}/input.txt`));
        expect(left).toEqual([]);
      },
    },
  },
  'hoisted-state': {
    article: { kind: 'race', event: (i) => ({ userId: `user-${i}`, data: { n: i } }), alone: (v, i) => (v as { user: string }).user === `user-${i}` },
    'class-instance': { kind: 'marker-only' },
    commonjs: {
      kind: 'race',
      event: (i) => ({ invoiceId: `inv-${i}`, total: i * 10 }),
      alone: (v, i) => (v as { invoice: string }).invoice === `inv-${i}:${i * 10}`,
    },
    'counters-and-flags': {
      kind: 'kept',
      why: 'the invocation counter and the cold-start flag are marked, not moved: they count across invocations on purpose',
      event: (i) => ({ id: `id-${i}` }),
      alone: (v, i) => (v as { count: number; wasCold: boolean }).count === i + 1 && (v as { wasCold: boolean }).wasCold === (i === 0),
      check: (after, before) => {
        // What moved (the last request id) no longer crosses: each response names its own request.
        const own = (r: HarnessResult) =>
          r.concurrent.filter((x, i) => x.ok && (x.value as { requestId: string }).requestId.endsWith(`-${String(i).padStart(3, '0')}`)).length;
        expect(own(before)).toBeLessThan(N);
        expect(own(after)).toBe(N);
      },
    },
    crlf: {
      kind: 'race',
      event: (i) => ({ id: `id-${i}` }),
      alone: (v, i) => (v as { requestId: string }).requestId.endsWith(`-${String(i).padStart(3, '0')}`),
    },
    destructuring: {
      kind: 'race',
      event: (i) => ({ tenant: `tenant-${i}`, region: `region-${i % 3}`, items: rows(i) }),
      alone: (v, i) => JSON.stringify(v) === JSON.stringify({ target: `tenant-${i}@region-${i % 3}`, first: `row-${i}-0`, rest: i }),
    },
    'helper-param': {
      kind: 'race',
      event: (i) => ({ userId: `user-${i}`, admin: i % 7 === 0, documentId: `doc-${(i * 3) % N}` }),
      alone: (v, i) => (v as { user: string }).user === `user-${i}`,
    },
    'lazy-init-safe': { kind: 'no-op' },
    'object-record': {
      kind: 'race',
      event: (i) => ({ userId: `user-${i}`, locale: i % 2 ? 'de' : 'fr' }),
      alone: (v, i) => (v as { text: string }).text === `user-${i}/${i % 2 ? 'de' : 'fr'}`,
    },
    'shared-on-purpose': { kind: 'marker-only' },
    tabs: { kind: 'race', event: (i) => ({ tenant: `tenant-${i}` }), alone: (v, i) => (v as { label: string }).label === `tenant:tenant-${i}` },
    'cross-file': { kind: 'marker-only' },
  },
  'single-flight': {
    'already-shared': { kind: 'no-op' },
    commonjs: { kind: 'not-run', why: `${NETWORK}, through express and serverless-http` },
    crlf: { kind: 'not-run', why: NETWORK },
    'flaky-init': {
      kind: 'kept',
      why: 'the invocations that wait for a failed first attempt share its error (alone, the second invocation makes a new attempt)',
      count: 10,
      event: (i) => ({ id: i }),
      check: (after, before) => {
        expect(before.alone[0]).toEqual({ ok: false, error: expect.stringContaining('throttled') });
        expect(before.alone.slice(1).every((r) => r.ok)).toBe(true);
        // Concurrently, none is left with a half-set token: each has token-2 or the shared error.
        expect(after.concurrent.every((r) => (r.ok ? (r.value as { token: string }).token === 'token-2' : r.error.includes('throttled')))).toBe(true);
      },
    },
    'lazy-server': {
      kind: 'race',
      event: (i) => ({ path: `/orders/${i}` }),
      alone: (v) => (v as { built: number }).built === 1,
      check: (after) => expect(after.concurrent.every((r) => r.ok && (r.value as { built: number }).built === 1)).toBe(true),
    },
    'nest-bootstrap': {
      kind: 'race',
      event: (i) => ({ path: `/users/${i}` }),
      alone: (v) => (v as { created: number }).created === 1,
      check: (after) => expect(after.concurrent.every((r) => r.ok && (r.value as { created: number }).created === 1)).toBe(true),
    },
    'map-cache': {
      kind: 'race',
      event: (i) => ({ tenant: `tenant-${i % 5}` }),
      alone: (v) => (v as { loads: number }).loads === 1,
      check: (after) => expect(after.concurrent.every((r) => r.ok && (r.value as { loads: number }).loads === 1)).toBe(true),
    },
    markers: { kind: 'not-run', why: 'reads parameters from AWS SSM and queries PostgreSQL through a module-level pg Client' },
    'nested-in-block': { kind: 'no-op' },
    'guarded-by-caller': { kind: 'marker-only' },
    'helper-module': { kind: 'not-run', why: 'reads users from DynamoDB' },
    'imported-cache': { kind: 'not-run', why: NETWORK },
  },
  'callback-to-async': {
    'already-async': { kind: 'no-op' },
    'async-with-callback': { kind: 'marker-only' },
    basic: {
      kind: 'lifecycle',
      event: (i) => (i % 5 === 0 ? { lines: [] } : { id: `order-${i}`, lines: [{ price: i, quantity: 2 }] }),
    },
    'callback-passed-on': { kind: 'marker-only' },
    'context-methods': { kind: 'lifecycle', event: (i) => ({ id: `id-${i}`, mode: ['fail', 'done', 'succeed'][i % 3] }) },
    crlf: { kind: 'lifecycle', event: (i) => ({ id: `id-${i}` }), alone: (v, i) => (v as { id: string }).id === `id-${i}` },
    'nested-callback': { kind: 'lifecycle', event: (i) => ({ key: i % 4 === 0 ? `missing-${i}` : `key-${i}` }) },
    tabs: { kind: 'lifecycle', event: (i) => ({ id: `t-${i}`, fail: i % 2 === 0 }) },
    typescript: {
      kind: 'lifecycle',
      event: (i) => ({ queryStringParameters: i % 4 === 0 ? null : { name: `name-${i}` } }),
      alone: (v, i) => (v as { body: string }).body === (i % 4 === 0 ? 'hello world' : `hello name-${i}`),
    },
    'unused-callback': { kind: 'lifecycle', event: (i) => ({ id: `id-${i}` }), alone: (v, i) => (v as { id: string }).id === `id-${i}` },
    'helper-module': { kind: 'lifecycle', event: (i) => ({ key: i % 3 === 0 ? `missing-${i}` : `k-${i}` }) },
  },
  'client-to-pool': {
    'orders-currval': { kind: 'database', test: 'client-to-pool.pg.test.ts' },
    'tenant-setting': { kind: 'database', test: 'client-to-pool.pg.test.ts' },
    'search-path': { kind: 'database', test: 'client-to-pool.pg.test.ts' },
    'mysql2-insert-id': { kind: 'database', test: 'client-to-pool.mysql.test.ts' },
    'mysql2-tenant-variable': { kind: 'database', test: 'client-to-pool.mysql.test.ts' },
    article: { kind: 'not-run', why: 'one query per invocation on a PostgreSQL table (users) the pg test does not create' },
    commonjs: { kind: 'not-run', why: 'one query per invocation on a PostgreSQL table (products) the pg test does not create' },
    crlf: { kind: 'not-run', why: 'one query per invocation on a PostgreSQL table (items) the pg test does not create' },
    'lazy-getter': { kind: 'not-run', why: 'one query per invocation on a PostgreSQL table (users) the pg test does not create' },
    'namespace-ready': { kind: 'not-run', why: 'one query per invocation on a PostgreSQL table (invoices) the pg test does not create' },
    tabs: { kind: 'not-run', why: 'a transaction on a PostgreSQL table (audit) the pg test does not create' },
    'config-object': { kind: 'not-run', why: "connects to a database named 'catalog' on DB_HOST" },
    transaction: { kind: 'not-run', why: "connects to a database named 'inventory' on DB_HOST" },
    'mysql-callback': { kind: 'not-run', why: 'uses the `mysql` driver, which is not installed' },
    mysql2: { kind: 'not-run', why: "connects to a database named 'shop' on DB_HOST without a password (tables stock, orders)" },
    'exported-client': { kind: 'marker-only' },
    'pool-already': { kind: 'no-op' },
  },
};

const read = (file: string) => fs.readFileSync(file, 'utf8');
const withoutMarkers = (source: string) => source.replace(/^[ \t]*(\/\/|#) lmi-audit:.*(\r?\n)/gm, '');
const removeTmp = (paths: string[] | undefined) => {
  for (const p of paths ?? []) fs.rmSync(p, { recursive: true, force: true });
};

describe('every transform fixture says how it is proven', () => {
  it.each(TRANSFORM_IDS)('%s: each case is in the table, and the table names no case that is not there', (id) => {
    expect(Object.keys(SPECS[id] ?? {}).sort()).toEqual(
      listCases(id)
        .map((c) => c.name)
        .sort(),
    );
  });

  const cases = TRANSFORM_IDS.flatMap((id) => listCases(id).map((c) => [`${id}/${c.name}`, c, SPECS[id]?.[c.name]] as const));
  it.each(cases.filter(([, , s]) => s && ['no-op', 'marker-only', 'database'].includes(s.kind)))('%s: as the table says', (_name, c, spec) => {
    if (spec!.kind === 'database') {
      const test = read(path.join(import.meta.dirname, spec!.test));
      expect(test, `${spec!.test} runs ${c.name}`).toContain(`'${c.name}'`);
      return;
    }
    for (const f of c.files) {
      const [input, output] = [read(f.input), read(f.output)];
      expect(spec!.kind === 'no-op' ? output : withoutMarkers(output), f.output).toBe(input);
    }
    if (spec!.kind === 'marker-only') expect(c.files.some((f) => read(f.output).includes('lmi-audit:'))).toBe(true);
  });
});

const runs = TRANSFORM_IDS.flatMap((id) =>
  Object.entries(SPECS[id] ?? {}).flatMap(([name, spec]) =>
    ['race', 'none', 'kept', 'lifecycle'].includes(spec.kind) ? [[`${id}/${name}`, id, name, spec as Run] as const] : [],
  ),
);

describe(`every runnable transform fixture under ${N} concurrent invocations, and alone`, () => {
  afterAll(() => {
    for (const [, , , spec] of runs) removeTmp(spec.tmp);
  });

  it.each(runs)(
    '%s',
    async (label, id, name, spec) => {
      const python = fixtureFiles(id, name, 'input').entry.endsWith('.py');
      const count = spec.count ?? (python ? N_PY : N);
      const invocations = makeInvocations(count, spec.event);
      const reset = () => removeTmp(spec.tmp);
      const before = python
        ? await runPython(id, name, 'input', count, spec, reset)
        : await runHarness({ ...fixtureFiles(id, name, 'input'), invocations, reset, legacyRuntime: spec.kind === 'lifecycle' });
      const after = python
        ? await runPython(id, name, 'output', count, spec, reset)
        : await runHarness({ ...fixtureFiles(id, name, 'output'), invocations, reset });
      reset();
      const show = (r: HarnessResult['alone']) => JSON.stringify(r.slice(0, 3));
      if (spec.alone)
        expect(
          before.alone.every((r, i) => r.ok && spec.alone!(r.value, i)),
          `the baseline is not what the fixture means: ${show(before.alone)}`,
        ).toBe(true);
      // Behaviour kept: what each invocation returns alone is what it returned before the fix.
      expect(after.alone, 'the fix changed what an invocation alone returns').toEqual(before.alone);
      console.info(`${label}: cross-talk ${before.crossTalk.length}/${count} before the fix, ${after.crossTalk.length}/${count} after`);
      if (spec.kind === 'race') {
        expect(before.crossTalk.length, 'the input cross-talks').toBeGreaterThanOrEqual(count / 2);
        expect(after.crossTalk, 'the output does not').toEqual([]);
        expect(after.concurrent.every((r) => r.ok)).toBe(before.alone.every((r) => r.ok));
      } else if (spec.kind === 'none') {
        expect(before.crossTalk).toEqual([]);
        expect(after.crossTalk).toEqual([]);
      } else if (spec.kind === 'lifecycle') {
        expect(before.alone.some((r) => r.ok)).toBe(true);
        expect(after.concurrent, 'concurrently, every response is the one alone').toEqual(before.alone);
      }
      spec.check?.(after, before);
    },
    120_000,
  );
});

/** A Python case's module written to a temporary directory and run by run-python-harness.ts. */
async function runPython(id: string, name: string, side: 'input' | 'output', count: number, spec: Run, reset: () => void): Promise<HarnessResult> {
  const { files, entry } = fixtureFiles(id, name, side);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lmi-audit-py-${name}-`));
  try {
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    reset();
    const events = Array.from({ length: count }, (_, i) => spec.event(i));
    const result = await runPythonHarness({
      file: path.join(dir, entry),
      handler: /^def lambda_handler\(/m.test(files[entry]!) ? 'lambda_handler' : 'handler',
      events,
    });
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
