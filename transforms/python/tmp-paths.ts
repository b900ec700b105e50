/**
 * @fileoverview tmp-paths for Python handlers: the same recipe as transforms/tmp-paths.ts, on a
 * tree-sitter syntax tree with text edits at its offsets (web-tree-sitter gives offsets in the
 * JavaScript string's UTF-16 units, so slicing the source with them is exact, non-ASCII included).
 *
 * - One path = one binding: every occurrence of a static /tmp path in a function (an `open`,
 *   `os`, `shutil` or `pathlib` argument, a helper or subprocess-list argument, a returned value,
 *   a module constant's name) is replaced by one local introduced at the top of the body:
 *   `result_path = f"/tmp/result-{context.aws_request_id}.json"`. Paths below a directory that the
 *   function names itself (`/tmp/work`, `/tmp/work/in.txt`) follow the directory's binding.
 * - `os.path.join("/tmp", "x")`, `Path("/tmp", "x")` and `Path("/tmp") / "x"` count as `/tmp/x`.
 * - A module constant (`OUT = "/tmp/out.csv"`) stays as it is (another module may import it); the
 *   handler stops using it and uses its request-unique binding instead. Used by two functions, it
 *   cannot be one request-unique name in each: marker.
 * - A handler without a `context` parameter gets one (`def handler(event)`); an unused `_` is
 *   renamed `context`, a used one is reused (`_.aws_request_id`). A function that is not a handler
 *   uses `uuid.uuid4()` once per call.
 * - `finally` removes what the function created (`os.remove` behind `os.path.exists`, or
 *   `shutil.rmtree(..., ignore_errors=True)` for a directory) only when every occurrence is a
 *   file-system call argument of this function: a path returned, assigned, or passed to another
 *   function or a program may outlive the call.
 * - A path that also appears inside a shell command string (`os.system("rm -rf /tmp/work")`), or
 *   that another function names too, is left as it is everywhere, with a `# lmi-audit:` marker.
 * - A reported line none of these forms covers (the path is kept in a local variable, built in a
 *   loop, returned by a helper, read from a setting, or relative after `os.chdir`) gets a
 *   `# lmi-audit:` marker too, so no finding is left silently.
 */
import type { Node as PyNode, Tree } from 'web-tree-sitter';
import { getPythonParser } from '../../src/lang/python/parser.js';
import type { TransformOptions } from '../lib/types.js';

interface Edit {
  start: number;
  end: number;
  text: string;
  /** Markers go first at one offset: above the bindings and the `try:` inserted there. */
  first?: boolean;
}

type Usage = 'fs' | 'create' | 'dir' | 'escapes';

interface Occurrence {
  /** The text range replaced by the new path. */
  start: number;
  end: number;
  /** The path the range stands for. */
  value: string;
  /** How to write the new path in place of the range, given the binding's name and the rest below it. */
  spell: (name: string, rest: string) => string;
  /** Where the path goes: used by a file-system call, created, or somewhere the function cannot follow. */
  usage: Usage;
  statement: PyNode;
  rows: number[];
}

interface ShellUse {
  root: string;
  statement: PyNode;
  rows: number[];
}

const JOIN_CALLS = new Set(['os.path.join', 'posixpath.join', 'path.join']);
const PATH_CALLS = new Set(['Path', 'pathlib.Path', 'PurePath', 'pathlib.PurePath', 'PosixPath', 'pathlib.PosixPath']);
/** Calls (last name) that use a path and keep it: nothing of it leaves the call. */
const FS_CALLS = new Set([
  'open',
  'remove',
  'unlink',
  'exists',
  'isfile',
  'isdir',
  'getsize',
  'stat',
  'listdir',
  'scandir',
  'rmtree',
  'copy',
  'copy2',
  'copyfile',
  'copytree',
  'move',
  'rename',
  'replace',
  'chmod',
  'download_file',
  'upload_file',
  'load',
  'dump',
]);
/** Calls (last name) that create the file or directory named by their path argument. */
const CREATE_CALLS = new Set(['makedirs', 'mkdir', 'download_file']);
const PATH_METHODS = new Set([
  'write_text',
  'write_bytes',
  'read_text',
  'read_bytes',
  'open',
  'exists',
  'unlink',
  'mkdir',
  'touch',
  'rmdir',
  'is_file',
  'is_dir',
  'stat',
  'iterdir',
]);
const CREATE_METHODS = new Set(['write_text', 'write_bytes', 'touch', 'mkdir']);
const DIR_MAKERS = new Set(['makedirs', 'mkdir']);
const DEFAULT_HANDLERS = ['handler', 'lambda_handler'];

const named = (n: PyNode | null | undefined): PyNode[] => (n ? n.namedChildren.filter((c): c is PyNode => c !== null) : []);

/** The value of a plain string literal (no f-string, bytes, escapes or implicit concatenation); undefined otherwise. */
function plainString(node: PyNode | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  const start = node.child(0);
  if (!start || start.type !== 'string_start' || /[fbr]/i.test(start.text.replace(/['"]/g, ''))) return undefined;
  const parts = named(node).filter((p) => p.type !== 'string_start' && p.type !== 'string_end');
  if (parts.some((p) => p.type !== 'string_content')) return undefined;
  return parts.map((p) => p.text).join('');
}

function isTmpRoot(node: PyNode | undefined): boolean {
  if (!node) return false;
  const v = plainString(node);
  if (v === '/tmp' || v === '/tmp/') return true;
  return node.type === 'call' && node.childForFieldName('function')?.text === 'tempfile.gettempdir' && named(node.childForFieldName('arguments')).length === 0;
}

/** `/tmp/a/b.json` -> `/tmp/a`: the first name below /tmp, what concurrent invocations collide on. */
function rootOf(value: string): string {
  return `/tmp/${value.slice(5).split('/')[0]}`;
}

function isStaticTmpPath(value: string): boolean {
  return /^\/tmp\/[^/\s*?[\]{}'"]+(\/[^\s*?[\]{}'"]*)?$/.test(value) && !value.endsWith('/');
}

function callName(call: PyNode): string {
  return call.childForFieldName('function')?.text ?? '';
}

function lastName(text: string): string {
  return text.slice(text.lastIndexOf('.') + 1);
}

/** The statement of the innermost block around the node (a `with` statement for its items): where a marker goes. */
function enclosingStatement(node: PyNode): PyNode {
  let s = node;
  while (s.parent && s.parent.type !== 'block' && s.parent.type !== 'module') s = s.parent;
  return s;
}

/** Rows of the node and of the calls around it up to its statement (a finding's line is its call's). */
function rowsOf(node: PyNode, statement: PyNode): number[] {
  const rows = new Set<number>([node.startPosition.row + 1]);
  for (let n: PyNode | null = node; n && n.id !== statement.id; n = n.parent) if (n.type === 'call') rows.add(n.startPosition.row + 1);
  rows.add(statement.startPosition.row + 1);
  return [...rows];
}

/** Where the value at `node` ends up, climbing through path building (`join`, `Path`, `/`). */
function usageOf(node: PyNode): Usage {
  let n = node;
  for (;;) {
    const parent = n.parent;
    if (!parent) return 'escapes';
    if (parent.type === 'parenthesized_expression') {
      n = parent;
      continue;
    }
    if (parent.type === 'binary_operator' && parent.childForFieldName('operator')?.text === '/' && parent.childForFieldName('left')?.id === n.id) {
      n = parent;
      continue;
    }
    if (parent.type === 'argument_list' || (parent.type === 'keyword_argument' && parent.parent?.type === 'argument_list')) {
      const call = (parent.type === 'argument_list' ? parent : parent.parent!).parent!;
      const name = callName(call);
      if (JOIN_CALLS.has(name) || PATH_CALLS.has(name)) {
        if (PATH_CALLS.has(name)) {
          const attr = call.parent?.type === 'attribute' && call.parent.childForFieldName('object')?.id === call.id ? call.parent : undefined;
          if (attr && attr.parent?.type === 'call') {
            const method = attr.childForFieldName('attribute')?.text ?? '';
            if (!PATH_METHODS.has(method)) return 'escapes';
            if (method === 'mkdir') return 'dir';
            return CREATE_METHODS.has(method) || (method === 'open' && /[wax+]/.test(modeOf(attr.parent) ?? '')) ? 'create' : 'fs';
          }
        }
        n = call;
        continue;
      }
      const last = lastName(name);
      if (DIR_MAKERS.has(last) && name.startsWith('os.')) return 'dir';
      if (!FS_CALLS.has(last)) return 'escapes';
      if (CREATE_CALLS.has(last)) return 'create';
      if (last === 'open') return /[wax+]/.test(modeOf(call) ?? '') ? 'create' : 'fs';
      // shutil.copy(src, dst): the destination is created.
      if (['copy', 'copy2', 'copyfile', 'copytree', 'move'].includes(last) && named(parent).indexOf(n) === 1) return 'create';
      return 'fs';
    }
    // A path object's method: `(Path("/tmp") / "x").write_text(...)`.
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === n.id && parent.parent?.type === 'call' && n.type !== 'string') {
      const method = parent.childForFieldName('attribute')?.text ?? '';
      if (!PATH_METHODS.has(method)) return 'escapes';
      if (method === 'mkdir') return 'dir';
      return CREATE_METHODS.has(method) || (method === 'open' && /[wax+]/.test(modeOf(parent.parent) ?? '')) ? 'create' : 'fs';
    }
    return 'escapes';
  }
}

function modeOf(call: PyNode): string | undefined {
  const args = named(call.childForFieldName('arguments'));
  const kw = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'mode');
  const mode = kw ? kw.childForFieldName('value') : args.filter((a) => a.type !== 'keyword_argument')[1];
  return mode ? (plainString(mode) ?? 'w') : undefined;
}

interface FunctionInfo {
  node: PyNode;
  name: string;
  body: PyNode;
  /** Names bound in the function (parameters and assignments): module constants shadowed there are not the constant. */
  locals: Set<string>;
  /** Names declared `global` in it. */
  globals: Set<string>;
}

function getFunctions(root: PyNode): FunctionInfo[] {
  const out: FunctionInfo[] = [];
  for (const stmt of named(root)) {
    const fn = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (!fn || fn.type !== 'function_definition') continue;
    const body = fn.childForFieldName('body');
    if (!body) continue;
    const locals = new Set<string>();
    const globals = new Set<string>();
    for (const p of named(fn.childForFieldName('parameters'))) {
      const id = p.type === 'identifier' ? p : named(p).find((c) => c.type === 'identifier');
      if (id) locals.add(id.text);
    }
    const visit = (n: PyNode) => {
      if (n.type === 'assignment' || n.type === 'augmented_assignment') {
        const left = n.childForFieldName('left');
        if (left?.type === 'identifier') locals.add(left.text);
      }
      if (n.type === 'global_statement') for (const id of named(n)) globals.add(id.text);
      for (const c of named(n)) visit(c);
    };
    visit(body);
    out.push({ node: fn, name: fn.childForFieldName('name')?.text ?? '', body, locals, globals });
  }
  return out;
}

/** Module-level `NAME = "/tmp/..."` constants. */
function getModuleConstants(root: PyNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const stmt of named(root)) {
    if (stmt.type !== 'expression_statement') continue;
    const a = named(stmt)[0];
    if (a?.type !== 'assignment') continue;
    const left = a.childForFieldName('left');
    const value = plainString(a.childForFieldName('right'));
    if (left?.type === 'identifier' && value !== undefined && isStaticTmpPath(value)) out.set(left.text, value);
  }
  return out;
}

function isDocstring(stmt: PyNode): boolean {
  return stmt.type === 'expression_statement' && named(stmt).length === 1 && named(stmt)[0]!.type === 'string';
}

/** Every static /tmp path occurrence in a function, and the /tmp paths named inside command strings. */
function findOccurrences(fn: FunctionInfo, constants: Map<string, string>): { occurrences: Occurrence[]; shell: ShellUse[] } {
  const occurrences: Occurrence[] = [];
  const shell: ShellUse[] = [];
  const add = (node: PyNode, start: number, end: number, value: string, spell: Occurrence['spell'], usageNode: PyNode = node) => {
    const statement = enclosingStatement(node);
    occurrences.push({ start, end, value, spell, usage: usageOf(usageNode), statement, rows: rowsOf(node, statement) });
  };
  const visit = (n: PyNode) => {
    if (n.type === 'string') {
      const stmt = n.parent;
      if (stmt && isDocstring(stmt)) return;
      const value = plainString(n);
      if (value === undefined) return;
      const parent = n.parent;
      if (isStaticTmpPath(value)) {
        // Part of a concatenation or a format string: another name is built from it.
        if (parent && (parent.type === 'binary_operator' || parent.type === 'concatenated_string')) return;
        if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'format') return;
        add(n, n.startIndex, n.endIndex, value, (name, rest) => (rest ? `f"{${name}}${rest}"` : name));
        return;
      }
      for (const m of value.matchAll(/\/tmp\/[^\s'";|&]*/g)) {
        if (m[0] === value) continue;
        const statement = enclosingStatement(n);
        const name = m[0].slice(5).split('/')[0]!;
        shell.push({ root: /^[\w.-]+$/.test(name) ? `/tmp/${name}` : '*', statement, rows: rowsOf(n, statement) });
      }
      return;
    }
    if (n.type === 'call') {
      const name = callName(n);
      const argList = n.childForFieldName('arguments');
      const args = named(argList);
      const second = plainString(args[1]);
      if ((JOIN_CALLS.has(name) || PATH_CALLS.has(name)) && isTmpRoot(args[0]) && second !== undefined && isStaticTmpPath(`/tmp/${second}`)) {
        const value = `/tmp/${second}`;
        if (JOIN_CALLS.has(name) && args.length === 2) add(n, n.startIndex, n.endIndex, value, (b, rest) => (rest ? `f"{${b}}${rest}"` : b));
        else add(n, args[0]!.startIndex, args[1]!.endIndex, value, (b, rest) => (rest ? `f"{${b}}${rest}"` : b), args[0]!);
        for (const a of args.slice(2)) visit(a);
        return;
      }
    }
    if (n.type === 'binary_operator' && n.childForFieldName('operator')?.text === '/') {
      const left = n.childForFieldName('left');
      const right = plainString(n.childForFieldName('right'));
      if (left?.type === 'call' && PATH_CALLS.has(callName(left)) && named(left.childForFieldName('arguments')).length === 1) {
        const only = named(left.childForFieldName('arguments'))[0];
        if (isTmpRoot(only) && right !== undefined && isStaticTmpPath(`/tmp/${right}`)) {
          const callee = callName(left);
          // `(Path("/tmp") / "x").write_text(...)`: the parentheses go with the operator.
          const whole = n.parent?.type === 'parenthesized_expression' ? n.parent : n;
          add(whole, whole.startIndex, whole.endIndex, `/tmp/${right}`, (b, rest) => `${callee}(${rest ? `f"{${b}}${rest}"` : b})`);
          return;
        }
      }
    }
    if (n.type === 'identifier' && constants.has(n.text) && !fn.locals.has(n.text)) {
      const parent = n.parent;
      const isName =
        !(parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === n.id) &&
        !(parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === n.id);
      if (isName && parent?.type !== 'global_statement') add(n, n.startIndex, n.endIndex, constants.get(n.text)!, (b, rest) => (rest ? `f"{${b}}${rest}"` : b));
      return;
    }
    for (const c of named(n)) visit(c);
  };
  visit(fn.body);
  return { occurrences, shell };
}

function identifierName(value: string, isDir: boolean, taken: Set<string>): string {
  const base = value.slice(5).split('/')[0]!.replace(/^\./, '').split('.')[0]!;
  let stem =
    base
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'tmp';
  if (/^\d/.test(stem)) stem = `tmp_${stem}`;
  const candidate = `${stem}_${isDir ? 'dir' : 'path'}`;
  let name = candidate;
  for (let i = 2; taken.has(name); i++) name = `${candidate}_${i}`;
  taken.add(name);
  return name;
}

/** `/tmp/result.json` -> the f-string body `/tmp/result-{<id>}.json`. */
function uniquePath(value: string, id: string): string {
  const base = value.slice(5);
  const dot = base.indexOf('.', 1);
  const [stem, ext] = dot > 0 ? [base.slice(0, dot), base.slice(dot)] : [base, ''];
  const esc = (s: string) => s.replace(/[{}]/g, (c) => c + c).replace(/\\/g, '\\\\');
  return `/tmp/${esc(stem)}-{${id}}${esc(ext)}`;
}

function lineStart(source: string, index: number): number {
  return source.lastIndexOf('\n', index - 1) + 1;
}

function indentAt(source: string, index: number): string {
  const start = lineStart(source, index);
  return /^[ \t]*/.exec(source.slice(start))![0];
}

function hasImport(root: PyNode, module: string): boolean {
  return named(root).some((s) => s.type === 'import_statement' && named(s).some((c) => c.type === 'dotted_name' && c.text === module));
}

interface Group {
  root: string;
  occurrences: Occurrence[];
  isDir: boolean;
}

/** Rewrites a Python module; `undefined` when nothing changes. */
export function transformPython(source: string, options: TransformOptions): string | undefined {
  const parser = getPythonParser();
  if (!parser) throw new Error('the Python parser is not loaded (initPythonParser)');
  const tree: Tree | null = parser.parse(source);
  if (!tree) throw new Error('cannot parse the file');
  const root = tree.rootNode;
  if (root.hasError) throw new Error('the file has a syntax error');
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const quote = (source.match(/"/g)?.length ?? 0) >= (source.match(/'/g)?.length ?? 0) ? '"' : "'";
  const handlerNames = options.handlers?.length ? options.handlers : DEFAULT_HANDLERS;
  const lines = options.lines ? new Set(options.lines) : undefined;
  const taken = new Set<string>();
  const collect = (n: PyNode) => {
    if (n.type === 'identifier') taken.add(n.text);
    for (const c of named(n)) collect(c);
  };
  collect(root);

  const constants = getModuleConstants(root);
  const functions = getFunctions(root);
  const found = functions.map((fn) => ({ fn, ...findOccurrences(fn, constants) }));
  // A root named by two functions cannot be one request-unique name in each.
  const functionsByRoot = new Map<string, Set<number>>();
  found.forEach(({ occurrences }, i) => {
    for (const o of occurrences) {
      const r = rootOf(o.value);
      if (!functionsByRoot.has(r)) functionsByRoot.set(r, new Set());
      functionsByRoot.get(r)!.add(i);
    }
  });

  const selectedAnywhere = new Set(
    found.flatMap(({ occurrences }) => occurrences.filter((o) => !lines || o.rows.some((row) => lines.has(row))).map((o) => rootOf(o.value))),
  );
  const edits: Edit[] = [];
  const markers = new Map<number, { indent: string; texts: string[] }>();
  const mark = (statement: PyNode, text: string) => {
    const at = lineStart(source, statement.startIndex);
    const before = source.slice(lineStart(source, Math.max(0, at - 1)), at).trim();
    if (before === `# lmi-audit: ${text}`) return;
    let m = markers.get(at);
    if (!m) markers.set(at, (m = { indent: indentAt(source, statement.startIndex), texts: [] }));
    if (!m.texts.includes(text)) m.texts.push(text);
  };
  const needs = new Set<string>();
  /** Line starts that moved one level in, into an inserted `try:`: a marker above such a line moves with it. */
  const reindented = new Map<number, string>();

  for (const { fn, occurrences, shell } of found) {
    const selected = (rows: number[]) => !lines || rows.some((r) => lines.has(r));
    const byRoot = new Map<string, Occurrence[]>();
    for (const o of occurrences) {
      const r = rootOf(o.value);
      if (!byRoot.has(r)) byRoot.set(r, []);
      byRoot.get(r)!.push(o);
    }
    for (const s of shell) {
      if (!selected(s.rows) && !(byRoot.get(s.root)?.some((o) => selected(o.rows)) ?? false)) continue;
      mark(s.statement, `a command names ${s.root === '*' ? '/tmp' : s.root}, shared by every concurrent invocation; give it a per-request directory by hand`);
    }
    const groups: Group[] = [];
    for (const [r, list] of byRoot) {
      const shared = (functionsByRoot.get(r)?.size ?? 0) > 1;
      // A root several functions name is marked in each of them once a finding names it in one.
      if (!(shared ? selectedAnywhere.has(r) : list.some((o) => selected(o.rows)))) continue;
      const first = list[0]!;
      if (shell.some((s) => s.root === r || s.root === '*')) {
        const why = shell.some((s) => s.root === r)
          ? 'is also named in a command string'
          : 'is under /tmp, which a command of this function names as a whole (`/tmp/*`)';
        mark(first.statement, `${r} ${why}: left as it is, give every use one request-unique path by hand`);
        continue;
      }
      if (shared) {
        mark(first.statement, `${r} is used by several functions of this module: left as it is, pass one request-unique path between them by hand`);
        continue;
      }
      if ([...constants].some(([c, v]) => rootOf(v) === r && fn.globals.has(c))) {
        mark(first.statement, `${r} is a module constant this function reassigns: left as it is`);
        continue;
      }
      if (!list.some((o) => o.usage !== 'fs')) {
        mark(first.statement, `${r} is only read here: it is written elsewhere, so it is left as it is`);
        continue;
      }
      const rootNamed = list.some((o) => o.value === r);
      if (rootNamed || list.every((o) => o.value === list[0]!.value)) {
        groups.push({ root: rootNamed ? r : list[0]!.value, occurrences: list, isDir: list.some((o) => o.usage === 'dir' || o.value !== r) && rootNamed });
      } else {
        // Only paths below the directory: it exists already (or is made elsewhere); each file gets its own name.
        const byValue = new Map<string, Occurrence[]>();
        for (const o of list) byValue.set(o.value, [...(byValue.get(o.value) ?? []), o]);
        for (const [v, l] of byValue) groups.push({ root: v, occurrences: l, isDir: l.some((o) => o.usage === 'dir') });
      }
    }
    if (groups.length === 0) continue;

    // The request id: the handler's context parameter (added or renamed when needed), else one uuid per call.
    const isHandler = handlerNames.includes(fn.name);
    let id = 'uuid.uuid4()';
    if (isHandler) {
      const params = fn.node.childForFieldName('parameters')!;
      const list = named(params);
      const paramName = (p: PyNode | undefined) => (p?.type === 'identifier' ? p : named(p).find((c) => c.type === 'identifier'))?.text;
      if (list.length === 0 || list.some((p) => p.type.includes('splat') || p.type === 'keyword_separator' || p.type === 'positional_separator')) {
        for (const g of groups)
          mark(
            g.occurrences[0]!.statement,
            `${g.root} is shared by every concurrent invocation; this handler's parameters are not (event, context): rewrite by hand`,
          );
        continue;
      }
      if (list.length === 1) {
        const name = taken.has('context') ? 'lambda_context' : 'context';
        taken.add(name);
        edits.push({ start: list[0]!.endIndex, end: list[0]!.endIndex, text: `, ${name}` });
        id = `${name}.aws_request_id`;
      } else {
        const second = list[1]!;
        const name = paramName(second)!;
        const used = (() => {
          let hit = false;
          const v = (n: PyNode) => {
            if (n.type === 'identifier' && n.text === name) hit = true;
            for (const c of named(n)) v(c);
          };
          v(fn.body);
          return hit;
        })();
        if (name === '_' && !used && !taken.has('context')) {
          const idNode = second.type === 'identifier' ? second : named(second).find((c) => c.type === 'identifier')!;
          edits.push({ start: idNode.startIndex, end: idNode.endIndex, text: 'context' });
          taken.add('context');
          id = 'context.aws_request_id';
        } else id = `${name}.aws_request_id`;
      }
    } else needs.add('uuid');

    const statements = named(fn.body);
    // Below the docstring and the `global`/`nonlocal` declarations, which stay first.
    const firstIndex = statements.findIndex((s, i) => !(i === 0 && isDocstring(s)) && s.type !== 'global_statement' && s.type !== 'nonlocal_statement');
    const firstStmt = statements[firstIndex];
    if (!firstStmt) continue;
    const indent = indentAt(source, firstStmt.startIndex);
    const bindings: string[] = [];
    const cleanups: string[] = [];
    for (const g of groups) {
      const name = identifierName(g.root, g.isDir, taken);
      bindings.push(`${indent}${name} = f${quote}${uniquePath(g.root, id)}${quote}${eol}`);
      for (const o of g.occurrences) {
        const rest = o.value.slice(g.root.length);
        edits.push({ start: o.start, end: o.end, text: o.spell(name, rest).replace(/"/g, quote) });
      }
      // Owned: created here, and every use is a file-system call of this function.
      const owned = g.occurrences.every((o) => o.usage !== 'escapes') && g.occurrences.some((o) => o.usage === 'create' || o.usage === 'dir');
      if (!owned) continue;
      if (g.isDir) {
        needs.add('shutil');
        cleanups.push(`shutil.rmtree(${name}, ignore_errors=True)`);
      } else {
        needs.add('os');
        cleanups.push(`if os.path.exists(${name}):`, `\t${'os.remove'}(${name})`);
      }
    }
    const unit = indent.slice(indentAt(source, fn.node.startIndex).length) || '    ';
    const at = lineStart(source, firstStmt.startIndex);
    const isGenerator = (() => {
      let hit = false;
      const v = (n: PyNode) => {
        if (n.type === 'yield') hit = true;
        if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return;
        for (const c of named(n)) v(c);
      };
      for (const s of statements) v(s);
      return hit;
    })();
    if (cleanups.length === 0 || isGenerator) {
      edits.push({ start: at, end: at, text: bindings.join('') });
      continue;
    }
    // try/finally around the rest of the body: one more level on each line, except inside multi-line strings.
    const last = statements[statements.length - 1]!;
    const inString = new Set<number>();
    const strings = (n: PyNode) => {
      if (n.type === 'string' && n.endPosition.row > n.startPosition.row) for (let r = n.startPosition.row + 1; r <= n.endPosition.row; r++) inString.add(r);
      for (const c of named(n)) strings(c);
    };
    for (const s of statements.slice(firstIndex)) strings(s);
    edits.push({ start: at, end: at, text: `${bindings.join('')}${indent}try:${eol}${unit}` });
    let pos = source.indexOf('\n', at) + 1;
    let row = firstStmt.startPosition.row + 1;
    while (pos > 0 && pos < last.endIndex) {
      const lineEnd = source.indexOf('\n', pos);
      const text = source.slice(pos, lineEnd < 0 ? source.length : lineEnd).replace(/\r$/, '');
      if (!inString.has(row) && text.trim() !== '' && !edits.some((e) => e.start < pos && e.end > pos)) {
        edits.push({ start: pos, end: pos, text: unit });
        reindented.set(pos, unit);
      }
      if (lineEnd < 0) break;
      pos = lineEnd + 1;
      row++;
    }
    const body = cleanups.map((c) => `${indent}${unit}${c.replace(/^\t/, unit)}`).join(eol);
    edits.push({ start: last.endIndex, end: last.endIndex, text: `${eol}${indent}finally:${eol}${body}` });
  }

  // A finding on a line none of the recognised forms covers: the path comes from somewhere this
  // transform does not rewrite (see the file's overview). Say so there.
  if (lines) {
    const covered = new Set(found.flatMap(({ occurrences, shell }) => [...occurrences, ...shell].flatMap((o) => o.rows)));
    for (const line of [...lines].sort((a, b) => a - b)) {
      if (covered.has(line)) continue;
      const statement = statementAt(root, line - 1);
      if (statement)
        mark(
          statement,
          'the /tmp path used here is not a literal this transform rewrites (it comes from a variable, a loop, a helper, a setting, or a relative name after os.chdir): give it a request-unique name (context.aws_request_id, uuid.uuid4() or tempfile) by hand',
        );
    }
  }

  for (const [at, m] of markers)
    edits.push({ start: at, end: at, first: true, text: m.texts.map((t) => `${m.indent}${reindented.get(at) ?? ''}# lmi-audit: ${t}${eol}`).join('') });
  if (edits.length === 0) return undefined;
  for (const module of ['os', 'shutil', 'uuid']) {
    if (!needs.has(module) || hasImport(root, module)) continue;
    const imports = named(root).filter((s) => s.type === 'import_statement' || s.type === 'import_from_statement');
    const plain = imports.filter((s) => s.type === 'import_statement');
    const after = plain[plain.length - 1] ?? imports[0];
    if (after && after === plain[plain.length - 1]) edits.push({ start: after.endIndex, end: after.endIndex, text: `${eol}import ${module}` });
    else {
      const first = after ?? named(root).find((s) => !isDocstring(s)) ?? named(root)[0];
      const pos = first ? lineStart(source, first.startIndex) : 0;
      edits.push({ start: pos, end: pos, text: `import ${module}${eol}` });
    }
  }
  return applyEdits(source, edits);
}

/** The innermost statement (a child of the module or of a block) whose lines include `row` (0-based). */
function statementAt(root: PyNode, row: number): PyNode | undefined {
  let found: PyNode | undefined;
  const visit = (n: PyNode): void => {
    for (const c of named(n)) {
      if (c.startPosition.row > row || c.endPosition.row < row) continue;
      if (c.type !== 'comment' && (n.type === 'module' || n.type === 'block')) found = c;
      visit(c);
    }
  };
  visit(root);
  return found;
}

function applyEdits(source: string, edits: Edit[]): string {
  // Stable order: by position, inserts keep the order they were made in.
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || Number(!!b.first) - Number(!!a.first) || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`overlapping edits at offset ${e.start}`);
    out += source.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + source.slice(pos);
}
