/**
 * @fileoverview pool-undersized: a database pool smaller than the number of invocations one
 * Node.js worker may run at once on LMI. Needs both the code (the pool's size) and the
 * infrastructure (the function's concurrency, memory and worker count). For Python, where each
 * process runs one invocation at a time and no pool is too small, a module-level pool is an
 * `info` note on how many connections the function can open (src/iac/connection-count.ts).
 */
import { ts } from '../ts.js';
import { unwrap } from '../lang/js/ast.js';
import type { WalkContext } from '../lang/js/context.js';
import type { PyNode, PyWalkContext } from '../lang/python/context.js';
import type { IacFunction } from '../iac/index.js';
import { perWorkerConcurrency } from '../iac/settings.js';
import { connectionCount, largestConnectionCount } from '../iac/connection-count.js';
import { defineRule, type HandlerInfo } from './define.js';

type MessageId = 'undersized' | 'connectionBudget' | 'processPool';

/** Pool factories, with the option that sizes them and its default (each driver's documentation). */
const POOLS: Array<{ modules: string[]; name: string; kind: 'new' | 'call'; option: string; fallback: number; label: string }> = [
  { modules: ['pg', 'pg-pool'], name: 'Pool', kind: 'new', option: 'max', fallback: 10, label: 'pg' },
  { modules: ['pg-pool'], name: 'default', kind: 'new', option: 'max', fallback: 10, label: 'pg' },
  { modules: ['mysql', 'mysql2', 'mysql2/promise'], name: 'createPool', kind: 'call', option: 'connectionLimit', fallback: 10, label: 'MySQL' },
  { modules: ['mariadb'], name: 'createPool', kind: 'call', option: 'connectionLimit', fallback: 10, label: 'MariaDB' },
];

/**
 * Python pool classes by qualified name: the argument that caps the pool (keyword, or position) and the
 * size without it (psycopg2 `maxconn` is required; psycopg_pool's `max_size` defaults to `min_size`, 4).
 */
const PY_POOLS: Record<string, { driver: string; option: string; position?: number; fallbackOption?: string; fallback?: number }> = {
  'psycopg2.pool.SimpleConnectionPool': { driver: 'psycopg2', option: 'maxconn', position: 1 },
  'psycopg2.pool.ThreadedConnectionPool': { driver: 'psycopg2', option: 'maxconn', position: 1 },
  'psycopg_pool.ConnectionPool': { driver: 'psycopg', option: 'max_size', fallbackOption: 'min_size', fallback: 4 },
};

interface PoolFact {
  /** A Python pool: one per process. */
  py?: boolean;
  driver: string;
  option: string;
  /** The pool size; `null` when it is not a literal. */
  max: number | null;
  defaulted: boolean;
  /** Module-level binding the pool is kept in. */
  binding?: string;
}

function poolOf(ctx: WalkContext<PoolFact>, callee: ts.Expression, kind: 'new' | 'call'): (typeof POOLS)[number] | undefined {
  const imp = ctx.importOf(unwrap(callee));
  if (!imp || imp.path.length > 1) return undefined;
  const name = imp.path.length ? imp.path[0]! : imp.imported;
  if (imp.path.length === 1 && imp.imported !== '*' && imp.imported !== 'default') return undefined;
  return POOLS.find((pool) => pool.kind === kind && pool.name === name && pool.modules.includes(imp.specifier));
}

function onCreate(ctx: WalkContext<PoolFact>, node: ts.NewExpression | ts.CallExpression, pool: (typeof POOLS)[number]): void {
  const binding = moduleBinding(ctx, node);
  if (binding === undefined) return; // A pool made per invocation is not shared by a worker's invocations.
  const arg = node.arguments?.[0];
  let max: number | null = pool.fallback;
  let defaulted = true;
  if (arg) {
    const options = unwrap(arg);
    if (ts.isObjectLiteralExpression(options)) {
      const property = options.properties.find(
        (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === pool.option,
      );
      if (property) {
        const value = unwrap(property.initializer);
        max = ts.isNumericLiteral(value) && Number.isFinite(Number(value.text)) ? Number(value.text) : null;
        defaulted = false;
      } else if (options.properties.some((p) => ts.isSpreadAssignment(p))) {
        max = null;
      }
    } else if (!ts.isStringLiteralLike(options)) {
      max = null; // A config object built elsewhere: its size is unknown.
    }
  }
  const fact: PoolFact = { driver: pool.label, option: pool.option, max, defaulted, binding };
  ctx.record(node, fact);
}

/** The module-level variable the pool lands in (`const pool = new Pool()`, `pool ??= createPool()` in a function). */
function moduleBinding(ctx: WalkContext<PoolFact>, node: ts.Node): string | undefined {
  let current: ts.Node = node;
  let parent = current.parent;
  while (parent && (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))) {
    current = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  let name: string | undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === current && ts.isIdentifier(parent.name)) name = parent.name.text;
  else if (ts.isBinaryExpression(parent) && parent.right === current && ts.isIdentifier(unwrap(parent.left)))
    name = (unwrap(parent.left) as ts.Identifier).text;
  if (name === undefined) return undefined;
  return ctx.lookup(name)?.module ? name : undefined;
}

/** `pool.ThreadedConnectionPool(1, 10, dsn)` kept in a module-level name: its cap, when a literal. */
function onPythonCall(node: PyNode, ctx: PyWalkContext<PoolFact>): void {
  const callee = node.childForFieldName('function');
  const qualified = callee ? ctx.importOf(callee)?.qualified : undefined;
  if (qualified === undefined || !Object.hasOwn(PY_POOLS, qualified)) return;
  const pool = PY_POOLS[qualified]!;
  const binding = ctx.assignedModuleName(node);
  if (binding === undefined) return; // A pool made per invocation is that invocation's own.
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  const keyword = (name: string) =>
    args.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? undefined;
  const positional = args.filter((a) => a !== null && a.type !== 'keyword_argument' && a.type !== 'comment');
  const written =
    keyword(pool.option) ??
    (pool.position !== undefined ? positional[pool.position] : undefined) ??
    (pool.fallbackOption ? keyword(pool.fallbackOption) : undefined);
  if (!written && pool.fallback === undefined) return; // Not a call the library accepts.
  if (args.some((a) => a?.type === 'list_splat' || a?.type === 'dictionary_splat')) return;
  const max = written ? (written.type === 'integer' ? Number(written.text) : null) : pool.fallback!;
  ctx.record(node, { py: true, driver: pool.driver, option: pool.option, max, defaulted: !written, binding });
}

export default defineRule<MessageId, PoolFact>({
  id: 'pool-undersized',
  checklist: 'shared-db-connection',
  severity: 'warning',
  fix: null,
  docs: {
    summary: 'A database pool smaller than the number of invocations one Node.js worker of an LMI function may run at once.',
    why:
      'On LMI the Node.js runtime starts one worker thread per vCPU (`AWS_LAMBDA_NODEJS_WORKER_COUNT` overrides it), and each ' +
      'worker loads the module, so each worker has its own pool. The execution environment takes up to ' +
      '`PerExecutionEnvironmentMaxConcurrency` invocations at once (64 per vCPU by default), spread over the workers (docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html). lmi-audit ' +
      'works out: vCPUs = memory / `ExecutionEnvironmentMemoryGiBPerVCpu` (2 GiB by default); workers = ' +
      '`AWS_LAMBDA_NODEJS_WORKER_COUNT` or the vCPUs; per-worker concurrency = ceil(`PerExecutionEnvironmentMaxConcurrency` / ' +
      'workers), or 64 when the maximum is not set. A pool smaller than that makes the extra invocations wait for a ' +
      'connection (pg Pool: `max`, 10 by default; mysql/mysql2/mariadb `createPool`: `connectionLimit`, 10 by default), and ' +
      'they time out under load.',
    bad: [
      '// template.yaml: MemorySize 4096 at 2 GiB per vCPU = 2 workers; PerExecutionEnvironmentMaxConcurrency 64 -> 32 per worker',
      '',
      "import { Pool } from 'pg';",
      'const pool = new Pool({ max: 5 }); // reported: 5 < 32',
      'export const handler = async (event) => (await pool.query(QUERY, [event.id])).rows;',
    ].join('\n'),
    good: [
      "const pool = new Pool({ max: 32 }); // per worker; mind the database's connection limit:",
      '                                    // environments x workers x 32',
      '',
      '// With MaxExecutionEnvironments set, a pool large enough is an info note on that total.',
      '// Not reported: functions not on LMI, pools whose size is not a literal, pools made per invocation.',
    ].join('\n'),
    howToFix:
      'Size the pool (`max` / `connectionLimit`) to at least the per-worker concurrency, or lower ' +
      '`PerExecutionEnvironmentMaxConcurrency` to what the pool and the database can serve. Check the total against the ' +
      "database's connection limit (execution environments × workers × pool size), or put RDS Proxy in front of it.",
    whenNotToUse: 'Functions whose invocations rarely use the database at the same time, where waiting for a connection is acceptable.',
    python: {
      summary:
        'Python on LMI runs one process per concurrent invocation, each running one invocation at a time, so a pool is never ' +
        'too small. A module-level psycopg2 (`SimpleConnectionPool`, `ThreadedConnectionPool`: `maxconn`) or psycopg_pool ' +
        '(`ConnectionPool`: `max_size`, 4 by default) pool of an LMI function is an `info` note on the connections it adds up ' +
        'to: pool cap × processes (`PerExecutionEnvironmentMaxConcurrency`, 16 per vCPU by default) × `MaxExecutionEnvironments`.',
      bad: ['from psycopg2 import pool', 'entries = pool.ThreadedConnectionPool(1, 10, dsn)  # info: 10 × 8 processes × 5 environments = 400'].join('\n'),
      good: ['def handler(event, context):', '    local = ConnectionPool(dsn, max_size=2)  # per invocation: not reported'].join('\n'),
    },
  },
  messages: {
    undersized:
      '`{{name}}` is a {{driver}} pool of at most {{max}} connections{{defaulted}}, but one worker of `{{function}}` may run ' +
      '{{perWorker}} invocations at once on LMI ({{formula}}): the others wait for a connection and time out under load. Set ' +
      '`{{option}}` to at least {{perWorker}} (each worker has its own pool), or lower `PerExecutionEnvironmentMaxConcurrency`.' +
      '{{connections}}',
    connectionBudget:
      '`{{name}}` is a {{driver}} pool of up to {{max}} connections{{defaulted}} in each Node.js worker: large enough for ' +
      'the invocations a worker runs at once on LMI, but every worker of every execution environment has its own, so the ' +
      'database may see {{connections}}. Check that `max_connections` (or an RDS Proxy) allows that many.',
    processPool:
      '`{{name}}` is a {{driver}} pool of up to {{max}} connections{{defaulted}} in each process: Python on LMI runs one ' +
      'process per concurrent invocation, so the pool is never too small, but the database may see {{connections}}. Check ' +
      'that `max_connections` (or an RDS Proxy) allows that many; one process runs one invocation at a time, so a cap of 1 ' +
      'is enough unless the handler uses threads.',
  },
  python: {
    call: onPythonCall,
  },
  visitors: {
    NewExpression(node, ctx) {
      const pool = poolOf(ctx, (node as ts.NewExpression).expression, 'new');
      if (pool) onCreate(ctx, node as ts.NewExpression, pool);
    },
    CallExpression(node, ctx) {
      const pool = poolOf(ctx, (node as ts.CallExpression).expression, 'call');
      if (pool) onCreate(ctx, node as ts.CallExpression, pool);
    },
  },
  appliesTo: (fn) => fn.iac !== undefined,
  check(ctx) {
    // Every LMI function, by the handler id its code maps to.
    const lmiByHandler = new Map<string, IacFunction[]>();
    for (const fn of ctx.infra) {
      if (!fn.lmi) continue;
      for (const id of ctx.functionIdsOf(fn)) {
        let list = lmiByHandler.get(id);
        if (!list) lmiByHandler.set(id, (list = []));
        list.push(fn);
      }
    }
    if (lmiByHandler.size === 0) return;
    for (const { file, fact } of ctx.facts()) {
      const f = fact;
      if (f.max === null || f.binding === undefined) continue;
      const key = `${file}#${f.binding}`;
      const users = [...new Set([...ctx.handlers.filter((h) => h.reach.bindings.has(key)), ...ctx.handlersReaching(file, f.fn)])];
      const defaulted = f.defaulted ? ` (the default: \`${f.option}\` is not set)` : '';
      const perCopy = { count: f.max, source: `\`${f.option}\`${f.defaulted ? ', the default' : ''}` };
      if (f.py) {
        const onLmi = users.filter((h) => lmiByHandler.has(h.id)).sort((a, b) => a.index - b.index);
        const count = largestConnectionCount(onLmi.flatMap((h) => lmiByHandler.get(h.id)!.map((fn) => connectionCount(fn, 'python', perCopy))));
        if (!count) continue;
        ctx.report({
          file,
          loc: f.loc,
          messageId: 'processPool',
          severity: 'info',
          data: { name: f.binding, driver: f.driver, max: String(f.max), defaulted, connections: count.text },
          handlers: onLmi,
        });
        continue;
      }
      let worst: { fn: IacFunction; perWorker: number; formula: string } | undefined;
      const short: HandlerInfo[] = [];
      for (const handler of users) {
        for (const fn of lmiByHandler.get(handler.id) ?? []) {
          const need = perWorkerConcurrency(fn);
          if (!need || need.perWorker <= f.max) continue;
          if (!short.includes(handler)) short.push(handler);
          if (!worst || need.perWorker > worst.perWorker) worst = { fn, ...need };
        }
      }
      if (!worst) {
        // Large enough for every worker: what remains to check is the database's side, when the
        // infrastructure code bounds the execution environments (MaxExecutionEnvironments).
        const onLmi = users.filter((h) => lmiByHandler.has(h.id)).sort((a, b) => a.index - b.index);
        const counts = onLmi.flatMap((h) => lmiByHandler.get(h.id)!.map((fn) => connectionCount(fn, 'javascript', perCopy)));
        const budget = largestConnectionCount(counts.filter((c) => c?.total !== undefined));
        if (!budget) continue;
        ctx.report({
          file,
          loc: f.loc,
          messageId: 'connectionBudget',
          severity: 'info',
          data: { name: f.binding, driver: f.driver, max: String(f.max), defaulted, connections: budget.text },
          handlers: onLmi,
        });
        continue;
      }
      const total = connectionCount(worst.fn, 'javascript', perCopy);
      ctx.report({
        file,
        loc: f.loc,
        messageId: 'undersized',
        data: {
          name: f.binding,
          driver: f.driver,
          max: String(f.max),
          defaulted,
          function: worst.fn.logicalId,
          perWorker: String(worst.perWorker),
          formula: worst.formula,
          option: f.option,
          connections: total ? ` The pools of \`${worst.fn.logicalId}\` hold up to ${total.text}: mind the database's connection limit.` : '',
        },
        handlers: short.sort((a, b) => a.index - b.index),
      });
    }
  },
});
