/**
 * @fileoverview shared-db-connection: one database connection shared by concurrent invocations.
 */
import { ts } from '../ts.js';
import { unwrap } from '../lang/js/ast.js';
import type { WalkContext } from '../lang/js/context.js';
import type { PyNode } from '../lang/python/context.js';
import type { Fact } from '../core/summary.js';
import { classesInstantiatedAtModuleLevel } from '../kit/module-instances.js';
import { connectionCount, largestConnectionCount } from '../iac/connection-count.js';
import { defineRule, type CheckContext, type HandlerInfo } from './define.js';

/** One connection cache: the binding (or class) that keeps it, and its field. */
function lazyKeyOf(file: number, binding: string, field: string | undefined): string {
  return `${file}#${binding}#${field ?? ''}`;
}

type MessageId = 'moduleConnection' | 'lazyConnection' | 'perInvocation' | 'perInvocationProcess' | 'processConnection' | 'sharedClosed';

/** Single-connection constructors and factories, by package. Pools are deliberately absent. */
const DRIVERS: Array<{ modules: string[]; name: string; kind: 'new' | 'call'; label: string }> = [
  { modules: ['pg', 'pg-native'], name: 'Client', kind: 'new', label: 'pg Client' },
  { modules: ['mysql', 'mysql2', 'mysql2/promise'], name: 'createConnection', kind: 'call', label: 'MySQL connection' },
  { modules: ['mariadb', 'mariadb/callback'], name: 'createConnection', kind: 'call', label: 'MariaDB connection' },
  { modules: ['oracledb'], name: 'getConnection', kind: 'call', label: 'Oracle connection' },
  { modules: ['tedious'], name: 'Connection', kind: 'new', label: 'SQL Server connection' },
];

/**
 * Clients that pool or multiplex and are safe to share, by package: module-level ones are never
 * reported, but closing one during an invocation closes it under every concurrent invocation.
 */
const SHARED_CLIENTS: Array<{ modules: string[]; name: string; kind: 'new' | 'call'; label: string }> = [
  { modules: ['pg', 'pg-native'], name: 'Pool', kind: 'new', label: 'pg Pool' },
  { modules: ['mysql', 'mysql2', 'mysql2/promise'], name: 'createPool', kind: 'call', label: 'MySQL pool' },
  { modules: ['mariadb', 'mariadb/callback'], name: 'createPool', kind: 'call', label: 'MariaDB pool' },
  { modules: ['mongodb'], name: 'MongoClient', kind: 'new', label: 'MongoClient' },
  { modules: ['mongoose'], name: 'createConnection', kind: 'call', label: 'mongoose connection' },
  { modules: ['knex'], name: 'default', kind: 'call', label: 'knex instance' },
  { modules: ['knex'], name: 'knex', kind: 'call', label: 'knex instance' },
  { modules: ['sequelize'], name: 'Sequelize', kind: 'new', label: 'Sequelize instance' },
  { modules: ['@prisma/client'], name: 'PrismaClient', kind: 'new', label: 'PrismaClient' },
  { modules: ['ioredis'], name: 'default', kind: 'new', label: 'ioredis client' },
  { modules: ['redis'], name: 'createClient', kind: 'call', label: 'Redis client' },
];
/** Methods that close a connection, pool or client for everyone who holds it. */
const CLOSE_METHODS = new Set(['end', 'close', 'destroy', 'disconnect', '$disconnect', 'quit']);

/** Python single-connection factories, by qualified name. Pools (`psycopg2.pool.*`) are deliberately absent. */
const PY_DRIVERS: Record<string, string> = {
  'psycopg2.connect': 'psycopg2 connection',
  'psycopg.connect': 'psycopg connection',
  'psycopg.Connection.connect': 'psycopg connection',
  'pymysql.connect': 'PyMySQL connection',
  'pymysql.connections.Connection': 'PyMySQL connection',
  'MySQLdb.connect': 'MySQLdb connection',
  'mysql.connector.connect': 'MySQL Connector connection',
  'pg8000.connect': 'pg8000 connection',
  'pg8000.native.Connection': 'pg8000 connection',
  'redshift_connector.connect': 'Redshift connection',
  'oracledb.connect': 'Oracle connection',
  'cx_Oracle.connect': 'Oracle connection',
  'pyodbc.connect': 'ODBC connection',
};

interface DbFact {
  /**
   * `close`: `binding.end()` (close, destroy...) inside a function, where `binding` is module
   * state (the shared client is resolved in `check`); `shared`: a module-level pool or client.
   */
  k?: 'close' | 'shared' | 'connectArg';
  /** For `close` on a parameter: `[fn, index]` of that parameter. */
  param?: [number, number];
  /** For `connectArg`: the module-level function called, and the argument's position. */
  callee?: string;
  index?: number;
  /** For `close`: the closed expression and method, for the message. */
  text?: string;
  /** Recorded by the Python visitors: a module-level connection is one per process there. */
  py?: boolean;
  driver: string;
  /** Module-level binding the connection is kept in. */
  binding?: string;
  /** Created inside a function but kept in a module-level binding. */
  lazy?: boolean;
  /** Kept in a field of `binding` (`this`: of the class owning the function, resolved in `check`). */
  field?: string;
  /** An instance field: shared only when the class has a module-level instance. */
  perInstance?: boolean;
  /** Kept in a local of the invocation; `closed` when the same function ends it. */
  local?: string;
  closed?: boolean;
}

function driverOf(ctx: WalkContext<DbFact>, callee: ts.Expression, kind: 'new' | 'call', table = DRIVERS): string | undefined {
  const imp = ctx.importOf(unwrap(callee));
  if (!imp) return undefined;
  const name = imp.path.length ? imp.path[imp.path.length - 1]! : imp.imported === '*' ? 'default' : imp.imported;
  const depthOk = imp.path.length <= 1 && (imp.path.length === 0 ? true : imp.imported === '*' || imp.imported === 'default');
  if (!depthOk) return undefined;
  return table.find((d) => d.kind === kind && d.name === name && d.modules.includes(imp.specifier))?.label;
}

/** `mongoose.connect(...)` (awaited, or with `.then(...)` after it): it resolves to mongoose's one default connection. */
function isMongooseConnect(ctx: WalkContext<DbFact>, expr: ts.Expression): boolean {
  let e = unwrap(expr);
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  while (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    if (callee.name.text === 'connect') {
      const imp = ctx.importOf(callee);
      return !!imp && imp.specifier === 'mongoose' && (imp.imported === 'default' || imp.imported === '*') && imp.path.length === 1;
    }
    if (callee.name.text !== 'then') return false;
    e = unwrap(callee.expression);
  }
  return false;
}

/** `run(mongoose.connect(url), ...)`: a module-level function receives the default connection as argument `index`. */
function onConnectArgument(ctx: WalkContext<DbFact>, node: ts.CallExpression): void {
  if (ctx.fn < 0) return;
  const callee = unwrap(node.expression);
  if (!ts.isIdentifier(callee) || !ctx.lookup(callee.text)?.module) return;
  node.arguments.forEach((arg, index) => {
    if (isMongooseConnect(ctx, arg)) ctx.record(node, { k: 'connectArg', driver: 'default mongoose connection', callee: callee.text, index });
  });
}

/**
 * A pooled client made at module scope (`const pool = new Pool()`), in a static or instance field
 * (`static pool = new Pool()`, `pool = new Pool()`) or by a constructor (`this.pool = new Pool()`):
 * recorded so that closing it in an invocation is found. A field counts when the class is shared
 * (static, or a module-level instance exists: resolved in `check`).
 */
function onSharedCreate(ctx: WalkContext<DbFact>, node: ts.Node, driver: string): void {
  const assigned = assignedName(node);
  if (assigned?.field !== undefined && (assigned.isStatic || assigned.perInstance)) {
    if (assigned.name === 'this') {
      if (ctx.fn < 0) return;
      ctx.record(node, { k: 'shared', driver, binding: 'this', field: assigned.field, ...(assigned.isStatic ? {} : { perInstance: true }) });
    } else ctx.record(node, { k: 'shared', driver, binding: assigned.name, field: assigned.field, ...(assigned.perInstance ? { perInstance: true } : {}) });
    return;
  }
  if (ctx.fn >= 0) return;
  if (assigned?.viaExport) return;
  const name = assigned?.name ?? enclosingModuleDeclaration(node);
  if (name === undefined || !ctx.lookup(name)?.module) return;
  ctx.record(node, { k: 'shared', driver, binding: name });
}

/**
 * `pool.end()`, `client.close()`, `db.destroy()`, `prisma.$disconnect()` inside a function, on
 * module state; and mongoose's default connection (`mongoose.disconnect()`,
 * `mongoose.connection.close()`), which every importer of mongoose shares.
 */
function onClose(ctx: WalkContext<DbFact>, node: ts.CallExpression): void {
  if (ctx.fn < 0) return;
  const callee = unwrap(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || !CLOSE_METHODS.has(callee.name.text)) return;
  const object = unwrap(callee.expression);
  const text = `${object.getText(ctx.sourceFile)}.${callee.name.text}()`;
  const imp = ctx.importOf(object);
  if (imp?.specifier === 'mongoose') {
    const root = imp.path.length === 0 && (imp.imported === 'default' || imp.imported === '*');
    const connection =
      (imp.path.length === 1 && imp.path[0] === 'connection' && (imp.imported === 'default' || imp.imported === '*')) ||
      (imp.path.length === 0 && imp.imported === 'connection');
    if ((root && callee.name.text === 'disconnect') || (connection && callee.name.text === 'close')) {
      ctx.record(node, { k: 'close', driver: 'default mongoose connection', text, binding: 'mongoose' });
    }
    return;
  }
  if (!ts.isIdentifier(object) && !ts.isPropertyAccessExpression(object)) return;
  const local = ts.isIdentifier(object) ? ctx.lookup(object.text) : undefined;
  if (ts.isIdentifier(object) && local && !local.module) {
    // `const db = await mongoose.connect(url)` ... `db.close()`: the default connection again.
    if (local.init && isMongooseConnect(ctx, local.init)) ctx.record(node, { k: 'close', driver: 'default mongoose connection', text, binding: 'mongoose' });
    // `dbExecute(mongoose.connect(url), fn)` with `(db, fn) => db.then(fn).finally(() => db.close())`: matched in `check`.
    else if (local.param) ctx.record(node, { k: 'close', driver: '', text, param: [local.param.fn, local.param.index] });
    return;
  }
  const target = ctx.stateTarget(object);
  if (!target || target.ref.path.length > 1) return;
  // `Db.client.end()`, `this.pool.end()`: a connection kept in a field (matched in `check`).
  if (target.ref.path.length === 1) ctx.record(node, { k: 'close', driver: '', text, binding: target.ref.name, field: target.ref.path[0]! });
  else if (target.ref.name !== 'this') ctx.record(node, { k: 'close', driver: '', text, binding: target.ref.name });
}

interface Assigned {
  name: string;
  viaExport?: boolean;
  /** Stored in a field: `static conn = ...`, `Db.conn = ...`, `this.conn = ...` (name `this`), `state.conn = ...`. */
  field?: string;
  /** A static field, or `this.x` in a static method (the class itself holds it). */
  isStatic?: boolean;
  /** `this.x` in a constructor, or an instance field's initialiser: runs once per instance. */
  perInstance?: boolean;
}

/** The variable a created value lands in: `const c = new Client()`, `c = await mysql.createConnection()`, a field. */
function assignedName(node: ts.Node): Assigned | undefined {
  let cur: ts.Node = node;
  let p = cur.parent;
  while (
    p &&
    (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p))
  ) {
    cur = p;
    p = p.parent;
  }
  if (!p) return undefined;
  if (ts.isVariableDeclaration(p) && p.initializer === cur && ts.isIdentifier(p.name)) return { name: p.name.text };
  if (ts.isPropertyDeclaration(p) && p.initializer === cur && ts.isIdentifier(p.name) && ts.isClassLike(p.parent)) {
    const cls =
      p.parent.name?.text ?? (ts.isVariableDeclaration(p.parent.parent) && ts.isIdentifier(p.parent.parent.name) ? p.parent.parent.name.text : undefined);
    if (cls === undefined) return undefined;
    const isStatic = hasStatic(p);
    return { name: cls, field: p.name.text, isStatic, perInstance: !isStatic };
  }
  if (ts.isBinaryExpression(p) && p.right === cur && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = unwrap(p.left);
    if (ts.isIdentifier(left)) return { name: left.text };
    if (ts.isPropertyAccessExpression(left)) {
      const obj = unwrap(left.expression);
      if (ts.isIdentifier(obj) && obj.text === 'exports') return { name: `exports.${left.name.text}`, viaExport: true };
      if (ts.isPropertyAccessExpression(obj) && ts.isIdentifier(obj.expression) && obj.expression.text === 'module') {
        return { name: `exports.${left.name.text}`, viaExport: true };
      }
      if (obj.kind === ts.SyntaxKind.ThisKeyword) {
        let fn: ts.Node | undefined = p.parent;
        while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
        // An arrow function's `this` is its enclosing method's: look further out.
        while (fn && ts.isArrowFunction(fn)) for (fn = fn.parent; fn && !ts.isFunctionLike(fn);) fn = fn.parent;
        if (!fn || !(ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn) || ts.isGetAccessor(fn))) return undefined;
        return { name: 'this', field: left.name.text, isStatic: hasStatic(fn), perInstance: ts.isConstructorDeclaration(fn) };
      }
      if (ts.isIdentifier(obj)) return { name: obj.text, field: left.name.text };
    }
  }
  if (ts.isExportAssignment(p)) return { name: 'default', viaExport: true };
  return undefined;
}

/**
 * The module-level variable a connection reaches through a promise: `dbClient = new Promise(async
 * (resolve) => { const client = new Client(); await client.connect(); resolve(client); })` (also
 * from a callback inside the executor). Every invocation that awaits `dbClient` gets that one
 * client. `local` is the variable the connection is created into.
 */
function promisedTo(node: ts.Node, local: string): string | undefined {
  let home: ts.Node | undefined = node.parent;
  while (home && !ts.isFunctionLike(home)) home = home.parent;
  if (!home) return undefined;
  for (let fn: ts.Node | undefined = home; fn; fn = fn.parent) {
    if (!ts.isFunctionExpression(fn) && !ts.isArrowFunction(fn)) continue;
    const call: ts.Node | undefined = fn.parent;
    if (!call || !ts.isNewExpression(call) || call.arguments?.[0] !== fn) continue;
    const callee = unwrap(call.expression);
    const resolve = fn.parameters[0]?.name;
    if (!ts.isIdentifier(callee) || callee.text !== 'Promise' || !resolve || !ts.isIdentifier(resolve)) return undefined;
    const resolves = (n: ts.Node): boolean =>
      (ts.isCallExpression(n) &&
        ts.isIdentifier(n.expression) &&
        n.expression.text === resolve.text &&
        !!n.arguments[0] &&
        ts.isIdentifier(unwrap(n.arguments[0])) &&
        (unwrap(n.arguments[0]) as ts.Identifier).text === local) ||
      ts.forEachChild(n, resolves) === true;
    if (!resolves(home)) return undefined;
    const target = assignedName(call);
    return target && target.field === undefined && !target.viaExport ? target.name : undefined;
  }
  return undefined;
}

function hasStatic(node: ts.Node): boolean {
  return !!(ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword));
}

function onCreate(ctx: WalkContext<DbFact>, node: ts.Node, driver: string): void {
  const target = assignedName(node);
  let fact: DbFact;
  if (target?.field !== undefined) {
    if (target.name === 'this') {
      if (ctx.fn < 0) return;
      // The class is the function's owner, found in `check`.
      fact = { driver, binding: 'this', field: target.field, lazy: !target.perInstance, ...(target.isStatic ? {} : { perInstance: true }) };
    } else {
      const b = ctx.lookup(target.name);
      if (!b?.module) return;
      fact = {
        driver,
        binding: target.name,
        field: target.field,
        lazy: ctx.fn >= 0,
        ...(target.perInstance ? { perInstance: true } : {}),
      };
    }
  } else if (target?.viaExport) {
    if (ctx.fn >= 0) return;
    fact = { driver, binding: target.name };
  } else if (target) {
    const b = ctx.lookup(target.name);
    const promised = b?.module ? undefined : promisedTo(node, target.name);
    if (b?.module) fact = { driver, binding: target.name, lazy: ctx.fn >= 0 };
    else if (promised && ctx.lookup(promised)?.module) fact = { driver, binding: promised, lazy: true };
    else if (ctx.fn >= 0) fact = { driver, local: target.name, closed: closesInFunction(node, target.name, ctx.sourceFile) };
    else return;
  } else if (ctx.fn >= 0) {
    fact = { driver, local: '(unnamed)', closed: false };
  } else {
    // Created at module scope inside some other value (`const db = { conn: mysql.createConnection() }`).
    const decl = enclosingModuleDeclaration(node);
    if (!decl) return;
    fact = { driver, binding: decl };
  }
  ctx.record(node, fact);
}

function enclosingModuleDeclaration(node: ts.Node): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && ts.isVariableStatement(p.parent.parent) && ts.isSourceFile(p.parent.parent.parent)) {
      return p.name.text;
    }
    if (ts.isFunctionLike(p)) return undefined;
  }
  return undefined;
}

/** The connections a module-level Python connection adds up to, for the LMI function of the handlers that holds the most. */
function processConnectionsOf(handlers: readonly HandlerInfo[]): string {
  const count = largestConnectionCount(
    handlers.map((h) => (h.iac ? connectionCount(h.iac, 'python', { count: 1, source: 'one connection per process' }) : undefined)),
  );
  return count
    ? count.text
    : 'one connection per process, up to PerExecutionEnvironmentMaxConcurrency processes (16 per vCPU by default for Python) per execution environment, times the execution environments';
}

function pyClosesInFunction(node: PyNode, name: string): boolean {
  let fn: PyNode | null = node.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn) return false;
  return new RegExp(`\\b${name}\\s*\\.\\s*close\\s*\\(|with\\s+${name}\\b`).test(fn.text);
}

function closesInFunction(node: ts.Node, name: string, sf: ts.SourceFile): boolean {
  let fn: ts.Node | undefined = node.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn) return false;
  const text = fn.getText(sf);
  return new RegExp(`\\b${name.replace(/[$]/g, '\\$')}\\s*\\.\\s*(end|close|destroy|release)\\s*\\(`).test(text);
}

/** Closing, during an invocation, a client that module-level code created for everyone (or mongoose's default connection). */
function reportClosedShared(ctx: CheckContext<MessageId, DbFact>, facts: Array<{ file: number; fact: Fact & DbFact }>): void {
  const created = new Map<string, string>();
  // Connections kept in fields shared by invocations (static fields, fields of a class with a
  // module-level instance), as `<file>#<class>.<field>`.
  const createdFields = new Map<string, string>();
  // The class a `this.x` of function `fn` belongs to, or the binding named.
  const ownerOf = (file: number, fact: Fact & DbFact) => (fact.binding === 'this' ? ctx.files[file]!.functions[fact.fn]?.owner : fact.binding);
  let instantiated: Set<string> | undefined;
  for (const { file, fact } of facts) {
    if (fact.binding === undefined || fact.k === 'close' || fact.py || fact.lazy) continue;
    if (fact.field !== undefined) {
      const owner = ownerOf(file, fact);
      if (owner === undefined) continue;
      instantiated ??= classesInstantiatedAtModuleLevel(ctx);
      if (fact.perInstance && !instantiated.has(`${file}#${owner}`)) continue;
      createdFields.set(`${file}#${owner}.${fact.field}`, fact.driver);
      continue;
    }
    if (fact.k === 'shared' || fact.local === undefined) created.set(`${file}#${fact.binding}`, fact.driver);
  }
  // Parameters that receive mongoose's default connection, as `file:fn:index`.
  const connectionParams = new Set<string>();
  for (const { file, fact } of facts) {
    if (fact.k !== 'connectArg') continue;
    ctx.files[file]!.functions.forEach((fn, i) => {
      if (fn.parent === -1 && fn.name === fact.callee) connectionParams.add(`${file}:${i}:${fact.index}`);
    });
  }
  for (const { file, fact } of facts) {
    if (fact.k !== 'close') continue;
    const handlers = ctx.handlersReaching(file, fact.fn);
    if (handlers.length === 0) continue;
    let driver = fact.driver || undefined;
    if (fact.param) {
      if (!connectionParams.has(`${file}:${fact.param[0]}:${fact.param[1]}`)) continue;
      driver = 'default mongoose connection';
    } else if (!driver && fact.field !== undefined) {
      const owner = ownerOf(file, fact);
      if (owner === undefined) continue;
      const targets = fact.binding === 'this' ? [{ file, name: owner }] : ctx.graph.resolveRef(file, { name: owner, path: [] });
      for (const t of targets) {
        const key = `${t.file}#${t.name}.${fact.field}`;
        if (t.name !== undefined && createdFields.has(key)) driver = createdFields.get(key);
      }
    } else if (!driver) {
      for (const t of ctx.graph.resolveRef(file, { name: fact.binding!, path: [] })) {
        if (t.name !== undefined && created.has(`${t.file}#${t.name}`)) driver = created.get(`${t.file}#${t.name}`);
      }
    }
    if (!driver) continue;
    ctx.report({ file, loc: fact.loc, messageId: 'sharedClosed', data: { text: fact.text!, driver }, handlers, fixable: false });
  }
}

export default defineRule<MessageId, DbFact>({
  id: 'shared-db-connection',
  checklist: 'shared-db-connection',
  severity: 'error',
  fix: { transform: 'client-to-pool', safety: 'unsafe' },
  docs: {
    summary: 'One database connection kept at module level and used by concurrent invocations.',
    why:
      'A single connection runs one query at a time and holds one transaction state. On LMI many invocations use the ' +
      "module-level connection at once: their queries queue behind each other, and one request's `BEGIN`...`COMMIT` " +
      "takes in another request's statements (or fails with errors about the connection's state). It was the usual " +
      'pattern on on-demand Lambda; on LMI it is a concurrency bug.',
    bad: [
      "import pg from 'pg';",
      'const client = new pg.Client(connectionString); // reported',
      'await client.connect();',
      'export const handler = async (event) => {',
      "  const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [event.userId]);",
      '  return rows[0];',
      '};',
    ].join('\n'),
    good: [
      "import pg from 'pg';",
      'const pool = new pg.Pool({ connectionString, max: 10 });',
      'export const handler = async (event) => {',
      '  const client = await pool.connect();',
      '  try {',
      "    const { rows } = await client.query('SELECT * FROM users WHERE id = $1', [event.userId]);",
      '    return rows[0];',
      '  } finally {',
      '    client.release();',
      '  }',
      '};',
      '',
      '// Not reported: pg Pool, mysql2 createPool, knex, Prisma, Sequelize, MongoClient and AWS SDK clients',
      '// (they pool or multiplex internally).',
      '// A `MongoClient` is a pool of sockets (`maxPoolSize`, 100 by default) that concurrent operations',
      "// share, and mongoose's default connection is one such pool per process: both are fine at module",
      '// level, or connected once through a cached promise. A connection in a class field counts as',
      '// module-level when the class holds it (`static conn`) or has one module-level instance; a class',
      '// made per invocation owns its connection.',
      '',
      '// Reported as well: closing a shared client during an invocation (`await pool.end()` or',
      "// `mongoose.connection.close()` in a handler's `finally`): the other invocations on the worker",
      '// are using it at that moment. Close it only when the environment shuts down:',
      "process.on('SIGTERM', () => pool.end());",
    ].join('\n'),
    howToFix:
      'Use a pool sized to at least the concurrency one worker sees (`max`), run single queries through `pool.query()`, and ' +
      'keep it open for the life of the environment (never `end()`/`close()` it, or `mongoose.disconnect()`, in an invocation); ' +
      'check out one client for multi-statement work (transactions, `LISTEN`, cursors), releasing it in `finally`. ' +
      '`lmi-audit fix --transform client-to-pool` does this for pg, mysql/mysql2 and mariadb (unsafe: review the diff).',
    whenNotToUse: 'Functions whose per-environment maximum concurrency is 1.',
    python: {
      summary:
        'Python on LMI runs one process per concurrent invocation, so a module-level psycopg2/psycopg/PyMySQL/mysql-connector ' +
        'connection is never shared between requests. It is reported as `info`, about the connection count: the database ' +
        'sees one connection per process: 1 × processes (PerExecutionEnvironmentMaxConcurrency, 16 per vCPU by default) × ' +
        '`MaxExecutionEnvironments`, with the numbers the infrastructure code gives. Pools are pool-undersized notes.',
      bad: ['import psycopg2', 'conn = psycopg2.connect(dsn)  # info: one connection per process'].join('\n'),
      good: ['from psycopg2 import pool', 'connection_pool = pool.ThreadedConnectionPool(1, 10, dsn)  # not reported'].join('\n'),
    },
  },
  messages: {
    moduleConnection:
      '`{{name}}` is a single {{driver}} created at module scope and used by invocations: on LMI concurrent invocations ' +
      "share it, so their queries queue and one request's transaction takes in another's statements. Use a pool " +
      '(`new Pool({ max })` / `createPool`) and check out a connection per invocation.',
    lazyConnection:
      '`{{name}}` caches a single {{driver}}{{also}} in module-level state: after the first invocation every concurrent ' +
      'invocation shares it, so their queries queue and transactions interleave. Cache a pool instead and check out a ' +
      'connection per invocation.',
    perInvocation:
      'A {{driver}} is opened inside the invocation{{closedNote}}: safe under concurrency, but every invocation pays for ' +
      'a new connection. A module-level pool reuses connections.',
    perInvocationProcess:
      'A {{driver}} is opened inside the invocation{{closedNote}}: safe, but every invocation pays for a new ' +
      'connection. Python on LMI runs one process per concurrent invocation, so a connection kept at module level ' +
      "(opened at import, or on the process's first invocation) is reused by that process's later invocations and " +
      'never shared between requests.',
    sharedClosed:
      '`{{text}}` closes the {{driver}} that every invocation on the worker shares, during an invocation: on LMI other ' +
      'invocations are using it at that moment, and their queries fail ("Client was closed", "Pool is closed", ' +
      '"Cannot use a pool after calling end"). Keep the shared client open for the life of the environment; release ' +
      'checked-out connections (`client.release()`) instead of closing the pool.',
    processConnection:
      '`{{name}}` is one {{driver}} per process: Python on LMI runs one process per concurrent invocation, so requests never ' +
      'share it, but each process opens its own. The database sees up to {{connections}}: check that `max_connections` ' +
      '(or an RDS Proxy) allows that many.',
  },
  python: {
    call(node, ctx) {
      const callee = node.childForFieldName('function');
      const qualified = callee ? ctx.importOf(callee)?.qualified : undefined;
      if (qualified === undefined || !Object.hasOwn(PY_DRIVERS, qualified)) return;
      const driver = PY_DRIVERS[qualified]!;
      const binding = ctx.assignedModuleName(node);
      if (binding !== undefined) {
        ctx.record(node, { py: true, driver, binding, lazy: ctx.fn >= 0 });
        return;
      }
      if (ctx.fn < 0) return;
      const local = ctx.assignedLocalName(node);
      ctx.record(node, { py: true, driver, local: local ?? '(unnamed)', closed: local !== undefined && pyClosesInFunction(node, local) });
    },
  },
  visitors: {
    NewExpression(node, ctx) {
      const callee = (node as ts.NewExpression).expression;
      const driver = driverOf(ctx, callee, 'new');
      if (driver) onCreate(ctx, node, driver);
      else {
        const shared = driverOf(ctx, callee, 'new', SHARED_CLIENTS);
        if (shared) onSharedCreate(ctx, node, shared);
      }
    },
    CallExpression(node, ctx) {
      const callee = (node as ts.CallExpression).expression;
      const driver = driverOf(ctx, callee, 'call');
      if (driver) {
        onCreate(ctx, node, driver);
        return;
      }
      const shared = driverOf(ctx, callee, 'call', SHARED_CLIENTS);
      if (shared) onSharedCreate(ctx, node, shared);
      if (ctx.fn >= 0) {
        onClose(ctx, node as ts.CallExpression);
        onConnectArgument(ctx, node as ts.CallExpression);
      }
    },
  },
  appliesTo: () => true,
  check(ctx) {
    const all = [...ctx.facts()];
    reportClosedShared(ctx, all);
    // The binding each connection is kept in; a field of a class counts as the class's binding.
    let instantiated: Set<string> | undefined;
    const facts: Array<{ file: number; fact: Fact & DbFact; binding?: string }> = [];
    for (const { file, fact } of all) {
      if (fact.k !== undefined) continue;
      if (fact.field === undefined) {
        facts.push({ file, fact, ...(fact.binding !== undefined ? { binding: fact.binding } : {}) });
        continue;
      }
      // `this.conn` in a method: the field of the class that owns the method.
      const owner = fact.binding === 'this' ? ctx.files[file]!.functions[fact.fn]?.owner : fact.binding;
      if (owner === undefined) continue;
      instantiated ??= classesInstantiatedAtModuleLevel(ctx);
      if (fact.perInstance && !instantiated.has(`${file}#${owner}`)) {
        // A class instantiated per invocation: the connection is that invocation's own.
        if (fact.fn >= 0) facts.push({ file, fact: { ...fact, local: `this.${fact.field}`, closed: false } });
        continue;
      }
      facts.push({ file, fact, binding: owner });
    }
    // Which handlers touch each module-level connection: one pass over what handlers reach.
    const wanted = new Set(facts.filter(({ binding }) => binding !== undefined).map(({ file, binding }) => `${file}#${binding}`));
    const usersOf = new Map<string, HandlerInfo[]>();
    if (wanted.size) {
      for (const h of ctx.handlers) {
        for (const b of h.reach.bindings) {
          if (!wanted.has(b)) continue;
          let list = usersOf.get(b);
          if (!list) usersOf.set(b, (list = []));
          list.push(h);
        }
      }
    }
    // A cache filled in several branches (a local and a signed-token client) is one problem:
    // reported once, at its first client, naming the lines of the others.
    const lazyLines = new Map<string, number[]>();
    for (const { file, fact, binding } of facts) {
      if (!fact.lazy || fact.local !== undefined || fact.py || binding === undefined) continue;
      const key = lazyKeyOf(file, binding, fact.field);
      const lines = lazyLines.get(key);
      if (lines) lines.push(fact.loc.line);
      else lazyLines.set(key, [fact.loc.line]);
    }
    const reportedLazy = new Set<string>();
    for (const { file, fact, binding } of facts) {
      const f = fact;
      if (f.local !== undefined) {
        const handlers = ctx.handlersReaching(file, f.fn);
        if (handlers.length === 0) continue;
        ctx.report({
          file,
          loc: f.loc,
          messageId: f.py ? 'perInvocationProcess' : 'perInvocation',
          severity: 'info',
          data: { driver: f.driver, closedNote: f.closed ? ' and closed' : ' (make sure it is closed in a `finally`)' },
          handlers,
          ...(f.py ? { fixable: false } : {}),
        });
        continue;
      }
      const key = `${file}#${binding}`;
      const users = usersOf.get(key) ?? [];
      const creators = f.lazy ? ctx.handlersReaching(file, f.fn) : [];
      const handlers = [...new Set([...users, ...creators])].sort((a, b) => a.index - b.index);
      if (handlers.length === 0) continue;
      if (f.py) {
        ctx.report({
          file,
          loc: f.loc,
          messageId: 'processConnection',
          severity: 'info',
          data: { name: f.binding!, driver: f.driver, connections: processConnectionsOf(handlers) },
          handlers,
          fixable: false,
        });
        continue;
      }
      let also = '';
      if (f.lazy) {
        const lazyKey = lazyKeyOf(file, binding!, f.field);
        if (reportedLazy.has(lazyKey)) continue;
        reportedLazy.add(lazyKey);
        const others = (lazyLines.get(lazyKey) ?? []).filter((line) => line !== f.loc.line);
        if (others.length) also = ` (another is made at line${others.length > 1 ? 's' : ''} ${others.join(', ')})`;
      }
      ctx.report({
        file,
        loc: f.loc,
        messageId: f.lazy ? 'lazyConnection' : 'moduleConnection',
        data: { name: f.field !== undefined ? `${binding}.${f.field}` : binding!.replace(/^exports\./, ''), driver: f.driver, ...(f.lazy ? { also } : {}) },
        handlers,
      });
    }
  },
});
