/**
 * @fileoverview client-to-pool: one module-level database connection becomes a pool.
 *
 * - pg: `new Client(cfg)` -> `new Pool({ ...cfg, max })` (a config object gets `max` added, a
 *   connection string becomes `{ connectionString, max }`); the binding is renamed (`client` ->
 *   `pool`); a module-level `await client.connect()` goes (a pool connects on demand).
 * - Single queries go through the pool (`pool.query(...)`). A function that needs one
 *   connection across statements (a transaction, `LISTEN`, a cursor, session settings,
 *   `currval()`) checks one out: `const client = await pool.connect(); try { ... } finally {
 *   client.release(); }`, keeping the old name so its statements stay as they were.
 * - A lazily cached client (`if (!client) { client = new Client(); await client.connect(); }`)
 *   caches a pool instead.
 * - mysql/mysql2 and mariadb: `createConnection` -> `createPool` (`connectionLimit`), with
 *   `getConnection()`/`release()` for transactions.
 *
 * `max` is the function's concurrency per worker when the fix engine knows it from the
 * infrastructure code, else 64 (the LMI default per vCPU for Node.js: one worker sees up to that
 * many invocations). A pool opens connections on demand, so `max` is a ceiling, not a cost.
 * Unsafe: connection-level state that is not recognised (temporary tables, prepared statements
 * reused by name) would move to a different connection per query; review the diff.
 */
import type { API, FileInfo } from 'jscodeshift';
import { addMarkerComment } from './lib/add-marker-comment.js';
import { ensureImportedName } from './lib/ensure-imported-name.js';
import { findReferences } from './lib/find-references.js';
import { getBodyStatementIndex } from './lib/get-body-statement-index.js';
import { getEnclosingStatement } from './lib/get-enclosing-statement.js';
import { getModuleImports, type ModuleImport } from './lib/get-module-imports.js';
import { getParser } from './lib/get-parser.js';
import { getTopLevelFunction } from './lib/get-top-level-function.js';
import { getLeadingCommentStart } from './lib/get-leading-comment-start.js';
import { getMemberName, getStringValue, isAsync, isObjectProperty, unwrapExpression } from './lib/nodes.js';
import { removeStatement } from './lib/remove-statement.js';
import { resolveImportedCallee } from './lib/resolve-imported-callee.js';
import { runRecipe } from './lib/run-recipe.js';
import type { AstNode, AstPath, RecipeContext, TransformMeta, TransformOptions } from './lib/types.js';
import { canWrapInTryFinally, wrapInTryFinally } from './lib/wrap-in-try-finally.js';

export const meta: TransformMeta = {
  id: 'client-to-pool',
  description:
    'Turns a module-level pg Client (or mysql/mysql2/mariadb connection) into a pool; transactions check out a connection and release it in finally.',
  fixes: 'shared-db-connection',
  safety: 'unsafe',
  options: ['poolMax'],
};

export const parser = getParser;

/** The documented default `max` when the function's concurrency is unknown. */
export const DEFAULT_POOL_MAX = 64;

interface Driver {
  family: 'pg' | 'mysql' | 'mariadb' | 'unsupported';
  label: string;
  /** The pool constructor or factory replacing the connection one. */
  pool?: string;
  limitKey?: string;
  /** Checks out one connection from the pool (`connect` for pg, `getConnection` for mysql2/mariadb). */
  checkout?: string;
  /** Promise API (transactions can use a checked-out connection with await). */
  promises: boolean;
}

function driverOf(module: string, path: string[], isNew: boolean): Driver | undefined {
  const name = path[path.length - 1];
  if (path.length > 2) return undefined;
  if (isNew && name === 'Client' && (module === 'pg' || module === 'pg-native'))
    return { family: 'pg', label: 'pg Client', pool: 'Pool', limitKey: 'max', checkout: 'connect', promises: true };
  if (!isNew && name === 'createConnection' && module === 'mysql2/promise')
    return { family: 'mysql', label: 'MySQL connection', pool: 'createPool', limitKey: 'connectionLimit', checkout: 'getConnection', promises: true };
  if (!isNew && name === 'createConnection' && (module === 'mysql' || module === 'mysql2'))
    return { family: 'mysql', label: 'MySQL connection', pool: 'createPool', limitKey: 'connectionLimit', promises: false };
  if (!isNew && name === 'createConnection' && module === 'mariadb')
    return { family: 'mariadb', label: 'MariaDB connection', pool: 'createPool', limitKey: 'connectionLimit', checkout: 'getConnection', promises: true };
  if (!isNew && name === 'createConnection' && module === 'mariadb/callback')
    return { family: 'mariadb', label: 'MariaDB connection', pool: 'createPool', limitKey: 'connectionLimit', promises: false };
  if (!isNew && name === 'getConnection' && module === 'oracledb') return { family: 'unsupported', label: 'Oracle connection', promises: true };
  if (isNew && name === 'Connection' && module === 'tedious') return { family: 'unsupported', label: 'SQL Server connection', promises: false };
  return undefined;
}

/** SQL that only works on the connection that ran the statements before it. */
const SESSION_SQL =
  /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|END\b|ROLLBACK|SAVEPOINT|RELEASE\s+SAVEPOINT|LISTEN|UNLISTEN|DECLARE|FETCH|MOVE|CLOSE|SET\s|RESET\s|LOCK\s|PREPARE|EXECUTE\s|DEALLOCATE|CREATE\s+(TEMP|TEMPORARY)\b|DISCARD)/i;
const SESSION_FUNCTIONS = /\b(currval|lastval|setval|pg_advisory_lock|pg_advisory_unlock|pg_backend_pid|last_insert_id|set_config)\s*\(/i;
const SESSION_METHODS = new Set(['beginTransaction', 'commit', 'rollback', 'on', 'once', 'copyFrom', 'copyTo', 'pause', 'resume']);

interface Creation {
  path: AstPath;
  node: AstNode;
  driver: Driver;
  /** The binding that keeps the connection. */
  name: string;
  /** Module-level declarator (module case) or the module-level `let` assigned inside a function (lazy case). */
  declarator: AstNode;
  declaration: AstNode;
  lazy: boolean;
  exported: boolean;
}

export default function transform(file: FileInfo, api: API, options: TransformOptions): string | undefined {
  return runRecipe(file, api, options, (ctx) => {
    const imports = getModuleImports(ctx);
    for (const creation of findCreations(ctx, imports)) {
      if (!ctx.isReported(creation.node)) continue;
      const problem = convert(ctx, imports, creation);
      if (problem) {
        const statement = getEnclosingStatement(creation.path);
        if (statement) addMarkerComment(ctx, statement.node, problem);
      }
    }
  });
}

function findCreations(ctx: RecipeContext, imports: ModuleImport[]): Creation[] {
  const { j } = ctx;
  const out: Creation[] = [];
  const visit = (path: AstPath, isNew: boolean) => {
    const callee = resolveImportedCallee(ctx, imports, path.get('callee'));
    if (!callee) return;
    const driver = driverOf(callee.module, callee.path, isNew);
    if (!driver) return;
    // Where the connection lands: `const c = (await) new Client()` or `c = ...` on a module-level `let`.
    let p = path;
    while (
      p.parent &&
      (p.parent.node.type === 'AwaitExpression' || p.parent.node !== unwrapExpression(p.parent.node) || p.parent.node.type === 'TSAsExpression')
    )
      p = p.parent;
    const holder = p.parent?.node;
    const fn = getTopLevelFunction(path);
    if (holder?.type === 'VariableDeclarator' && p.name === 'init' && holder.id.type === 'Identifier' && !fn) {
      const declaration = p.parent.parent.node;
      const exported = p.parent.parent.parent?.node.type === 'ExportNamedDeclaration' || isExportedByName(ctx, holder.id.name);
      out.push({ path, node: path.node, driver, name: holder.id.name, declarator: holder, declaration, lazy: false, exported });
      return;
    }
    if (holder?.type === 'AssignmentExpression' && p.name === 'right' && holder.left.type === 'Identifier' && fn) {
      const scope = p.scope?.lookup(holder.left.name);
      if (scope !== ctx.programScope) return;
      const binding = scope.getBindings()[holder.left.name]?.[0];
      const declarator = binding?.parent?.node;
      if (declarator?.type !== 'VariableDeclarator') return;
      const declaration = binding.parent.parent.node;
      const exported = binding.parent.parent.parent?.node.type === 'ExportNamedDeclaration' || isExportedByName(ctx, holder.left.name);
      out.push({ path, node: path.node, driver, name: holder.left.name, declarator, declaration, lazy: true, exported });
    }
  };
  ctx.root.find(j.NewExpression).forEach((p: AstPath) => visit(p, true));
  ctx.root.find(j.CallExpression).forEach((p: AstPath) => visit(p, false));
  return out.sort((a, b) => a.node.start - b.node.start);
}

function isExportedByName(ctx: RecipeContext, name: string): boolean {
  const { j } = ctx;
  if (
    ctx.root
      .find(j.ExportSpecifier)
      .filter((p: AstPath) => p.node.local?.name === name)
      .size() > 0
  )
    return true;
  return (
    ctx.root
      .find(j.AssignmentExpression)
      .filter((p: AstPath) => {
        const left = ctx.source.slice(p.node.left.start, p.node.left.end);
        if (!/^(module\.)?exports(\.|$)/.test(left)) return false;
        const right = unwrapExpression(p.node.right);
        if (right.type === 'Identifier') return right.name === name;
        if (right.type === 'ObjectExpression')
          return right.properties.some((prop: AstNode) => isObjectProperty(prop) && prop.value.type === 'Identifier' && prop.value.name === name);
        return false;
      })
      .size() > 0
  );
}

interface FunctionUse {
  fn: AstPath;
  refs: AstPath[];
  session: boolean;
}

/** Rewrites one connection into a pool; returns why not (for the marker) when it cannot. */
function convert(ctx: RecipeContext, imports: ModuleImport[], c: Creation): string | undefined {
  const { driver, name } = c;
  if (driver.family === 'unsupported') {
    return `\`${name}\` is one ${driver.label} shared by every invocation: create a pool with the driver's pool API, check out a connection per invocation and release it in a finally.`;
  }
  if (c.driver.promises && c.driver.family !== 'pg' && c.path.parent?.node.type !== 'AwaitExpression') {
    return `\`${name}\` keeps the promise of one ${driver.label} for every invocation: keep \`${c.driver.pool}(...)\` instead (it needs no await) and check out connections from it, by hand.`;
  }
  if (c.exported) {
    return `\`${name}\` is one ${driver.label} exported to other modules, which may run transactions on it: make it a pool here and, where it is used for several statements, check out a connection and release it in a finally.`;
  }
  const refs = findReferences(ctx, name, ctx.programScope).filter((r) => r.node !== c.declarator.id);
  const poolName = pickPoolName(ctx, name);
  const edits: Array<() => void> = [];

  // Module scope: the initial connect goes; anything else stays out of reach of a rewrite.
  const byFn = new Map<AstNode, FunctionUse>();
  for (const ref of refs) {
    const fn = getTopLevelFunction(ref);
    if (!fn) {
      if (isLazyTarget(c, ref)) continue;
      const connect = connectStatement(ctx, ref);
      if (connect === 'remove') {
        const statement = getEnclosingStatement(ref)!.node;
        edits.push(() => removeStatement(ctx, statement));
        continue;
      }
      if (connect) {
        edits.push(connect);
        continue;
      }
      if (memberOf(ref) === 'on') {
        edits.push(() => ctx.edits.replace(ref.node.start, ref.node.end, poolName));
        continue;
      }
      return `\`${name}\` is used at module scope in a way the transform does not rewrite: change it to a pool by hand.`;
    }
    let use = byFn.get(fn.node);
    if (!use) byFn.set(fn.node, (use = { fn, refs: [], session: false }));
    use.refs.push(ref);
  }
  for (const use of byFn.values()) use.session = isSessionFunction(use);

  // The lazy getter returns the cached connection to callers that may run transactions on it.
  if (c.lazy) {
    const callersWithSessions = lazyCallersWithSessions(ctx, c, byFn);
    if (callersWithSessions)
      return `\`${name}\` is a cached ${driver.label} that ${callersWithSessions} uses for a transaction or session state: cache a pool and check out a connection there, released in a finally.`;
  }

  for (const use of byFn.values()) {
    const fnName = use.fn.node.id?.name ?? 'the handler';
    for (const ref of use.refs) {
      if (isLazyTarget(c, ref)) {
        edits.push(() => ctx.edits.replace(ref.node.start, ref.node.end, poolName));
        continue;
      }
      const method = memberOf(ref);
      const statement = getEnclosingStatement(ref);
      if (method === 'connect' && statement && isBareCall(statement.node, ref)) {
        edits.push(() => removeStatement(ctx, statement.node));
        continue;
      }
      if (use.session) continue;
      if (method === 'end' || method === 'destroy')
        return `\`${name}.${method}()\` in \`${fnName}\` would close the pool for every concurrent invocation: remove it, or end the pool only at shutdown.`;
      if (method === 'promise' && driver.family === 'mysql') {
        edits.push(() => ctx.edits.replace(ref.node.start, ref.node.end, poolName));
        continue;
      }
      if (method !== 'query' && method !== 'execute' && !(c.lazy && isPlainUse(ref))) {
        return `\`${name}\` is used as \`${ctx.source.slice(ref.node.start, ref.parent.node.end)}\` in \`${fnName}\`, which a pool does not offer: change it by hand.`;
      }
      edits.push(() => ctx.edits.replace(ref.node.start, ref.node.end, poolName));
    }
    if (use.session) {
      const problem = checkOut(ctx, c, use, poolName, edits);
      if (problem) return problem;
    }
  }

  // The creation itself, the binding's name and type, the import.
  const poolCallee = poolConstructor(ctx, imports, c);
  if (!poolCallee) return `\`${driver.pool}\` cannot be imported (the name is taken): change \`${name}\` to a pool by hand.`;
  for (const edit of edits) edit();
  rewriteCreation(ctx, c, poolCallee);
  if (!c.lazy) ctx.edits.replace(c.declarator.id.start, c.declarator.id.start + name.length, poolName);
  else ctx.edits.replace(c.declarator.id.start, c.declarator.id.start + name.length, poolName);
  retype(ctx, imports, c);
  const max = ctx.options.poolMax ?? DEFAULT_POOL_MAX;
  ctx.report(
    `${ctx.path}: \`${name}\` -> pool \`${poolName}\` with ${driver.limitKey} ${max} (${ctx.options.poolMaxSource ?? 'default: the LMI per-vCPU concurrency of Node.js'})`,
  );
  return undefined;
}

function isLazyTarget(c: Creation, ref: AstPath): boolean {
  return c.lazy && ref.parent?.node.type === 'AssignmentExpression' && ref.name === 'left';
}

/** In the lazy getter: the absence check and the return are the same for a pool. */
function isPlainUse(ref: AstPath): boolean {
  const parent = ref.parent?.node;
  if (!parent) return false;
  if (parent.type === 'ReturnStatement' || parent.type === 'ArrowFunctionExpression') return true;
  if (parent.type === 'UnaryExpression' && parent.operator === '!') return true;
  if (parent.type === 'IfStatement' && ref.name === 'test') return true;
  if (parent.type === 'LogicalExpression') return true;
  if (parent.type === 'BinaryExpression' && ['===', '!==', '==', '!='].includes(parent.operator)) return true;
  return false;
}

function memberOf(ref: AstPath): string | undefined {
  const parent = ref.parent?.node;
  if (parent?.type === 'MemberExpression' && ref.name === 'object') return getMemberName(parent);
  return undefined;
}

/** Is the statement just `x.connect()` / `await x.connect()` (possibly with a callback)? */
function isBareCall(statement: AstNode, ref: AstPath): boolean {
  if (statement.type !== 'ExpressionStatement') return false;
  let e = unwrapExpression(statement.expression);
  if (e.type === 'AwaitExpression') e = unwrapExpression(e.argument);
  return e.type === 'CallExpression' && e.callee === ref.parent.node;
}

/**
 * The module-level connect: `await client.connect();` / `client.connect();` are removed;
 * `const ready = client.connect();` goes with the `await ready;` statements that wait for it.
 */
function connectStatement(ctx: RecipeContext, ref: AstPath): 'remove' | (() => void) | undefined {
  if (memberOf(ref) !== 'connect') return undefined;
  const statement = getEnclosingStatement(ref);
  if (!statement) return undefined;
  if (isBareCall(statement.node, ref)) return 'remove';
  const node = statement.node;
  if (node.type === 'VariableDeclaration' && node.declarations.length === 1 && node.declarations[0].id.type === 'Identifier') {
    const readyName = node.declarations[0].id.name;
    const init = unwrapExpression(node.declarations[0].init);
    if (init.type !== 'CallExpression' || init.callee !== ref.parent.node) return undefined;
    const waits = findReferences(ctx, readyName, ctx.programScope).filter((r) => r.node !== node.declarations[0].id);
    const statements = waits.map((w) => {
      const s = getEnclosingStatement(w)?.node;
      const ok =
        s?.type === 'ExpressionStatement' &&
        unwrapExpression(s.expression).type === 'AwaitExpression' &&
        unwrapExpression(unwrapExpression(s.expression).argument) === w.node;
      return ok ? s : undefined;
    });
    if (statements.some((s) => !s)) return undefined;
    return () => {
      removeStatement(ctx, node);
      for (const s of statements) removeStatement(ctx, s);
    };
  }
  return undefined;
}

/** Does the function run statements that must share one connection? */
function isSessionFunction(use: FunctionUse): boolean {
  for (const ref of use.refs) {
    const method = memberOf(ref);
    if (method && SESSION_METHODS.has(method)) return true;
    if (method !== 'query' && method !== 'execute') continue;
    const call = ref.parent.parent?.node;
    if (call?.type !== 'CallExpression') continue;
    const arg = call.arguments[0];
    if (!arg) continue;
    if (arg.type === 'NewExpression') return true; // a Cursor / QueryStream
    const sql = sqlText(ref.parent.parent.get('arguments', 0));
    if (sql !== undefined && (SESSION_SQL.test(sql) || SESSION_FUNCTIONS.test(sql))) return true;
  }
  return false;
}

/** The SQL text of a query argument: a literal, a template's static parts, `{ text }`, or a local constant. */
function sqlText(argPath: AstPath): string | undefined {
  const arg = unwrapExpression(argPath.node);
  const str = getStringValue(arg);
  if (str !== undefined) return str;
  if (arg.type === 'TemplateLiteral') return arg.quasis.map((q: AstNode) => q.value.cooked ?? q.value.raw).join(' ');
  if (arg.type === 'ObjectExpression') {
    const text = arg.properties.find(
      (p: AstNode) => (isObjectProperty(p) && (p.key.name ?? p.key.value) === 'text') || (isObjectProperty(p) && (p.key.name ?? p.key.value) === 'sql'),
    );
    return text
      ? (getStringValue(text.value) ?? (text.value.type === 'TemplateLiteral' ? text.value.quasis.map((q: AstNode) => q.value.cooked).join(' ') : undefined))
      : undefined;
  }
  if (arg.type === 'Identifier') {
    const scope = argPath.scope?.lookup(arg.name);
    const binding = scope?.getBindings()[arg.name]?.[0];
    const declarator = binding?.parent?.node;
    if (declarator?.type === 'VariableDeclarator' && binding.parent.parent.node.kind === 'const') return getStringValue(declarator.init) ?? undefined;
  }
  return undefined;
}

/**
 * A function needing one connection checks one out for its whole remaining body:
 * `const client = await pool.connect(); try { ... } finally { client.release(); }`.
 */
function checkOut(ctx: RecipeContext, c: Creation, use: FunctionUse, poolName: string, edits: Array<() => void>): string | undefined {
  const fn = use.fn.node;
  const fnName = fn.id?.name ?? 'the handler';
  if (!c.driver.checkout || !c.driver.promises) {
    return `\`${fnName}\` runs a transaction (or session state) on \`${c.name}\` with a callback API: check out a connection from a pool (\`getConnection\`) for it and release it when done, by hand.`;
  }
  if (c.lazy) return `\`${fnName}\` runs a transaction on the cached \`${c.name}\`: change it by hand.`;
  if (!isAsync(fn)) return `\`${fnName}\` runs a transaction on \`${c.name}\` but is not async: check out a connection by hand.`;
  const indices = use.refs.map((r) => getBodyStatementIndex(fn, r)).filter((i) => i >= 0);
  if (indices.length !== use.refs.length) return `\`${fnName}\` uses \`${c.name}\` outside its body's statements: check out a connection by hand.`;
  const start = Math.min(...indices);
  if (!canWrapInTryFinally(ctx, fn, start))
    return `\`${fnName}\` is written in a way the transform cannot wrap in try/finally: check out a connection by hand.`;
  // A helper called inside the transaction would use the pool, i.e. another connection.
  const called = ctx
    .j(use.fn)
    .find(ctx.j.CallExpression)
    .nodes()
    .filter((call: AstNode) => call.callee.type === 'Identifier')
    .map((call: AstNode) => call.callee.name);
  for (const other of findReferences(ctx, c.name, ctx.programScope)) {
    const top = getTopLevelFunction(other);
    const otherName = top?.node.id?.name ?? (top?.parent?.node.type === 'VariableDeclarator' ? top.parent.node.id.name : undefined);
    if (top && top.node !== fn && otherName && called.includes(otherName)) {
      return `\`${fnName}\` runs a transaction and calls \`${otherName}\`, which also uses \`${c.name}\`: pass the checked-out connection to it, by hand.`;
    }
  }
  const statements: AstNode[] = (fn.body ?? fn.value.body).body;
  const first = statements[start];
  edits.push(() => {
    const indent = ctx.edits.indentAt(first.start);
    ctx.edits.insert(getLeadingCommentStart(ctx, first), `${indent}const ${c.name} = await ${poolName}.${c.driver.checkout}();\n`, { indent: false });
    // A failed transaction must not go back to the pool still open: roll it back first.
    const rollback = opensTransaction(use)
      ? c.driver.family === 'pg'
        ? `await ${c.name}.query(${ctx.str('ROLLBACK')});`
        : `await ${c.name}.rollback();`
      : undefined;
    wrapInTryFinally(ctx, fn, [{ start, finallyLines: [`${c.name}.release();`], ...(rollback ? { catchLines: [rollback, 'throw error;'] } : {}) }]);
  });
  return undefined;
}

/** Does the function start a transaction (`BEGIN`, `START TRANSACTION`, `beginTransaction()`)? */
function opensTransaction(use: FunctionUse): boolean {
  return use.refs.some((ref) => {
    const method = memberOf(ref);
    if (method === 'beginTransaction') return true;
    const call = ref.parent.parent?.node;
    if ((method !== 'query' && method !== 'execute') || call?.type !== 'CallExpression' || !call.arguments[0]) return false;
    const sql = sqlText(ref.parent.parent.get('arguments', 0));
    return sql !== undefined && /^\s*(BEGIN|START\s+TRANSACTION)\b/i.test(sql);
  });
}

/** Callers of a lazy getter that use the connection it returns for session work. */
function lazyCallersWithSessions(ctx: RecipeContext, c: Creation, byFn: Map<AstNode, FunctionUse>): string | undefined {
  const getter = [...byFn.values()].find((u) => u.refs.some((r) => isLazyTarget(c, r)));
  if (!getter) return undefined;
  const getterName = getter.fn.node.id?.name ?? (getter.fn.parent?.node.type === 'VariableDeclarator' ? getter.fn.parent.node.id.name : undefined);
  if (!getterName) return undefined;
  let found: string | undefined;
  ctx.root.find(ctx.j.CallExpression, { callee: { type: 'Identifier', name: getterName } }).forEach((call: AstPath) => {
    const fn = getTopLevelFunction(call);
    if (!fn || found) return;
    const text = ctx.source.slice(fn.node.start, fn.node.end);
    const strings = ctx
      .j(fn)
      .find(ctx.j.Literal)
      .nodes()
      .map((n: AstNode) => (typeof n.value === 'string' ? n.value : ''))
      .join('\n');
    const templates = ctx
      .j(fn)
      .find(ctx.j.TemplateLiteral)
      .nodes()
      .map((n: AstNode) => n.quasis.map((q: AstNode) => q.value.cooked).join(' '))
      .join('\n');
    if (
      /\.(beginTransaction|commit|rollback)\s*\(/.test(text) ||
      strings
        .split('\n')
        .concat(templates.split('\n'))
        .some((s: string) => SESSION_SQL.test(s) || SESSION_FUNCTIONS.test(s))
    ) {
      found = fn.node.id?.name ? `\`${fn.node.id.name}\`` : 'the handler';
    }
  });
  for (const use of byFn.values()) if (use.session && !found) found = use.fn.node.id?.name ? `\`${use.fn.node.id.name}\`` : 'the handler';
  return found;
}

/** `client` -> `pool`, `pgClient` -> `pgPool`, `connection` -> `pool`; another name when taken. */
function pickPoolName(ctx: RecipeContext, name: string): string {
  let base = name.replace(/(client|connection|conn)$/i, (m) => (m[0] === m[0]!.toUpperCase() ? 'Pool' : 'pool'));
  if (base === name) base = name === 'db' || name === 'database' ? 'pool' : `${name}Pool`;
  const taken = (n: string) => ctx.root.find(ctx.j.Identifier, { name: n }).size() > 0;
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
}

/** The code for the pool constructor/factory: `pg.Pool`, `Pool` (imported), `mysql.createPool`. */
function poolConstructor(ctx: RecipeContext, imports: ModuleImport[], c: Creation): string | undefined {
  const node = c.node;
  const callee = node.callee;
  const pool = c.driver.pool!;
  if (callee.type === 'MemberExpression') return `${ctx.source.slice(callee.object.start, callee.object.end)}.${pool}`;
  const resolved = resolveImportedCallee(ctx, imports, c.path.get('callee'));
  if (!resolved?.import) return undefined;
  const imp = resolved.import;
  const already = imports.find((i) => i.module === imp.module && i.imported === pool);
  if (already) return remember(ctx, already.local);
  const others = findReferences(ctx, imp.local, ctx.programScope).filter((r) => r.node !== callee);
  const typeUses = ctx.root.find(ctx.j.TSTypeReference, { typeName: { name: imp.local } }).size();
  const named = imp.specifier && imp.specifier.type !== 'ImportDefaultSpecifier' && imp.specifier.type !== 'ImportNamespaceSpecifier';
  if (named && others.length === 0 && typeUses === typeRefs(ctx, c, imp.local).length && !ctx.programScope.declares(pool)) {
    // `import { Client } from 'pg'` only used for this connection: becomes `import { Pool } from 'pg'`.
    ctx.edits.replace(imp.specifier!.start, imp.specifier!.end, pool);
    return remember(ctx, pool);
  }
  const name = ensureImportedName(ctx, [imp.module], pool);
  return name ? remember(ctx, name) : undefined;
}

const poolNames = new WeakMap<RecipeContext, string>();
function remember(ctx: RecipeContext, name: string): string {
  poolNames.set(ctx, name);
  return name;
}

/** `new Client(cfg)` -> `new Pool({ ...cfg, max })`; `await createConnection(cfg)` -> `createPool({ ...cfg, connectionLimit })`. */
function rewriteCreation(ctx: RecipeContext, c: Creation, poolCallee: string): void {
  const node = c.node;
  const max = ctx.options.poolMax ?? DEFAULT_POOL_MAX;
  const key = c.driver.limitKey!;
  ctx.edits.replace(node.callee.start, node.callee.end, poolCallee);
  const args: AstNode[] = node.arguments;
  const limit = `${key}: ${max}`;
  if (args.length === 0) {
    const end = node.end;
    if (ctx.source[end - 1] === ')') ctx.edits.insert(end - 1, `{ ${limit} }`);
    else ctx.edits.insert(end, `({ ${limit} })`);
  } else {
    const arg = unwrapExpression(args[0]);
    if (arg.type === 'ObjectExpression') {
      const has = arg.properties.some((p: AstNode) => isObjectProperty(p) && (p.key.name ?? p.key.value) === key);
      if (!has) addProperty(ctx, arg, limit);
    } else {
      const text = ctx.source.slice(args[0].start, args[0].end);
      const stringKey = c.driver.family === 'pg' ? 'connectionString' : 'uri';
      const value = isStringLike(ctx, c.path.get('arguments', 0)) ? (text === stringKey ? stringKey : `${stringKey}: ${text}`) : `...${text}`;
      ctx.edits.replace(args[0].start, args[0].end, `{ ${value}, ${limit} }`);
    }
  }
  // `await mysql.createConnection()`: createPool is synchronous.
  const parent = c.path.parent?.node;
  if (parent?.type === 'AwaitExpression' && c.driver.family !== 'pg') ctx.edits.replace(parent.start, node.start, '');
}

function isStringLike(ctx: RecipeContext, path: AstPath): boolean {
  const n = unwrapExpression(path.node);
  if (getStringValue(n) !== undefined || n.type === 'TemplateLiteral') return true;
  const text = ctx.source.slice(n.start, n.end);
  if (/^process\.env\b/.test(text)) return true;
  if (n.type === 'Identifier') {
    if (/url|uri|dsn|connectionString/i.test(n.name)) return true;
    const binding = path.scope?.lookup(n.name)?.getBindings()[n.name]?.[0];
    const declarator = binding?.parent?.node;
    if (declarator?.type === 'VariableDeclarator' && declarator.init) {
      const init = unwrapExpression(declarator.init);
      return getStringValue(init) !== undefined || init.type === 'TemplateLiteral' || /^process\.env\b/.test(ctx.source.slice(init.start, init.end));
    }
  }
  return false;
}

/** Adds `key: value` to an object literal, on its own line when the object spans several. */
function addProperty(ctx: RecipeContext, obj: AstNode, prop: string): void {
  const props: AstNode[] = obj.properties;
  const close = obj.end - 1;
  if (props.length === 0) {
    ctx.edits.replace(obj.start, obj.end, `{ ${prop} }`);
    return;
  }
  const last = props[props.length - 1];
  const between = ctx.source.slice(last.end, close);
  const hasComma = /^\s*,/.test(between);
  if (obj.loc.start.line !== obj.loc.end.line) {
    const indent = ctx.edits.indentAt(last.start);
    const at = hasComma ? last.end + between.indexOf(',') + 1 : last.end;
    ctx.edits.insert(at, `${hasComma ? '' : ','}\n${indent}${prop}${hasComma ? ',' : ''}`);
    return;
  }
  ctx.edits.insert(hasComma ? last.end + between.indexOf(',') + 1 : last.end, hasComma ? ` ${prop}` : `, ${prop}`);
}

/** Type annotations naming the connection class where the binding is declared and returned. */
function typeRefs(ctx: RecipeContext, c: Creation, local: string): AstNode[] {
  const out: AstNode[] = [];
  const collect = (node: AstNode | undefined) => {
    if (!node) return;
    ctx
      .j(node)
      .find(ctx.j.TSTypeReference)
      .forEach((p: AstPath) => {
        const tn = p.node.typeName;
        if (tn.type === 'Identifier' && tn.name === local) out.push(tn);
        if (tn.type === 'TSQualifiedName' && tn.left.type === 'Identifier' && tn.left.name === local) out.push(tn.right);
      });
  };
  collect(c.declarator.id.typeAnnotation);
  if (c.lazy) {
    const getter = getTopLevelFunction(c.path);
    if (getter) collect(getter.node.returnType ?? getter.node.value?.returnType);
  }
  return out;
}

/** `let client: Client | undefined` -> `let pool: Pool | undefined`; `Promise<mariadb.Connection>` -> `Promise<mariadb.Pool>`. */
function retype(ctx: RecipeContext, imports: ModuleImport[], c: Creation): void {
  if (!ctx.isTypeScript) return;
  const driverImports = imports.filter((i) => ['pg', 'mysql2/promise', 'mysql2', 'mariadb'].includes(i.module));
  const poolType = c.driver.family === 'pg' ? 'Pool' : 'Pool';
  for (const imp of driverImports) {
    if (imp.imported === 'Client' || imp.imported === 'Connection') {
      for (const ref of typeRefs(ctx, c, imp.local)) {
        const name = poolNames.get(ctx) ?? ensureImportedName(ctx, [imp.module], poolType);
        if (name) ctx.edits.replace(ref.start, ref.end, name);
      }
    }
    if (imp.imported === '*' || imp.imported === 'default') {
      ctx
        .j(c.declarator.id.typeAnnotation ?? { type: 'Noop' })
        .find(ctx.j.TSQualifiedName)
        .forEach((p: AstPath) => {
          if (p.node.left.name === imp.local && /^(Client|Connection|PoolConnection)$/.test(p.node.right.name))
            ctx.edits.replace(p.node.right.start, p.node.right.end, poolType);
        });
      if (c.lazy) {
        const getter = getTopLevelFunction(c.path);
        const rt = getter?.node.returnType;
        if (rt) {
          ctx
            .j(rt)
            .find(ctx.j.TSQualifiedName)
            .forEach((p: AstPath) => {
              if (p.node.left.name === imp.local && /^(Client|Connection)$/.test(p.node.right.name))
                ctx.edits.replace(p.node.right.start, p.node.right.end, poolType);
            });
        }
      }
    }
  }
}
