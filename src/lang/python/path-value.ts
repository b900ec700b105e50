/**
 * @fileoverview The symbolic value of a Python path or string expression ({@link PathValue}):
 * literals, f-strings, `+`, `%` and `str.format` folded; `os.path.join`, `pathlib.Path(...)`
 * and its `/` operator; `tempfile.gettempdir()`; request-unique sources (`uuid.uuid4()`,
 * `context.aws_request_id`, `tempfile.mkstemp/mkdtemp/NamedTemporaryFile/TemporaryDirectory`
 * during an invocation); sources that repeat across requests (`random.randint`, `time.time`, and
 * loop indices and counters, which start again at the same literal in every invocation);
 * module-level names and handler parameters kept as references for the project graph.
 */
import type { PathValue } from '../../core/summary.js';
import type { PyImportUse, PyLocalBinding, PyNode } from './context.js';

export interface PyPathEnv {
  readonly fn: number;
  lookup(name: string): PyLocalBinding | undefined;
  importOf(node: PyNode): PyImportUse | undefined;
  /** The one value a local of the current function is assigned (`x = ...`, `with ... as x`), if it has exactly one. */
  assignedValue(name: string): PyNode | undefined;
  /** The iterable a loop variable of the current function walks (`for record in event['Records']`), if it has one. */
  loopSource(name: string): PyNode | undefined;
  /**
   * For a local of the current function that only ever counts from a literal (an `enumerate` index,
   * a `range()` loop variable, `n = 0` then `n += 1`): the builtins that reading depends on
   * (`enumerate`, `range`), which must not be shadowed. Undefined for any other name.
   */
  counter(name: string): readonly string[] | undefined;
  /** The value and position of a local assigned once by unpacking (`path, name = make()`). */
  assignedElement(name: string): { value: PyNode; index: number } | undefined;
  /**
   * The path a call of the module-level function `name` of this file returns, when it is one known
   * value; with `element`, the value at that position of the tuple it returns.
   */
  returnedValue(name: string, depth: number, element?: number): PathValue | undefined;
}

/** Attributes that carry the invocation's request id (the Lambda context object). */
const REQUEST_ID_ATTRS = new Set(['aws_request_id']);
/** Calls whose result is unique per call. */
const UNIQUE_CALLS = new Set([
  'uuid.uuid4',
  'uuid.uuid1',
  'secrets.token_hex',
  'secrets.token_urlsafe',
  'secrets.token_bytes',
  'os.urandom',
  'tempfile.mkstemp',
  'tempfile.NamedTemporaryFile',
  'tempfile.TemporaryDirectory',
  'tempfile.TemporaryFile',
  'tempfile.SpooledTemporaryFile',
]);
/** Calls whose result repeats across concurrent requests: a small random range, the clock. */
const REPEATABLE_CALLS = new Set([
  'random.randint',
  'random.randrange',
  'random.choice',
  'time.time',
  'datetime.datetime.now',
  'datetime.datetime.utcnow',
  'datetime.date.today',
]);
/** Methods that write a date or time out as text. */
const CLOCK_FORMAT_METHODS = new Set(['strftime', 'isoformat', 'timestamp', 'date', 'time']);
const JOIN_CALLS = new Set(['os.path.join', 'posixpath.join', 'pathlib.Path', 'pathlib.PurePath', 'pathlib.PosixPath', 'pathlib.PurePosixPath']);
const SAME_PATH_CALLS = new Set(['os.path.abspath', 'os.path.normpath', 'os.path.realpath', 'os.fspath', 'os.path.expanduser']);
/** Methods of a path or string that keep what the receiver is made of. */
const RECEIVER_METHODS = new Set(['resolve', 'absolute', 'expanduser', 'strip', 'lower', 'upper']);
/** String transformations: event data in, event data out (`key.replace('/', '')`, `key.split('/')[-1]`). */
const EVENT_PRESERVING_METHODS = new Set([
  'replace',
  'split',
  'rsplit',
  'strip',
  'lstrip',
  'rstrip',
  'lower',
  'upper',
  'removeprefix',
  'removesuffix',
  'encode',
  'decode',
  'get',
]);
const EVENT_PRESERVING_CALLS = new Set(['urllib.parse.unquote', 'urllib.parse.unquote_plus', 'werkzeug.utils.secure_filename']);

/** Reads of an environment variable (`os.environ['X']` is a subscript, see memberValue). */
const ENV_CALLS = new Set(['os.getenv', 'os.environ.get']);
const MAX_DEPTH = 10;

function str(v: string): PathValue {
  return { t: 'str', v };
}

function unknown(node: PyNode): PathValue {
  const text = node.text;
  return { t: 'unknown', text: text.length > 80 ? `${text.slice(0, 77)}...` : text };
}

/** Does a value look like a path (so `a / b` is a pathlib join, not a division)? */
function isPathLike(v: PathValue): boolean {
  return v.t === 'str' || v.t === 'tmpdir' || v.t === 'join' || v.t === 'cat' || v.t === 'initTemp' || v.t === 'unique';
}

/** The text of a string literal without interpolations (`'a' 'b'` included), or undefined. */
export function stringLiteralText(node: PyNode): string | undefined {
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const child of node.namedChildren) {
      const part = child ? stringLiteralText(child) : undefined;
      if (part === undefined) return undefined;
      out += part;
    }
    return out;
  }
  if (node.type !== 'string') return undefined;
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content') out += child.text;
  }
  return out;
}

export function pathValueOf(env: PyPathEnv, node: PyNode, depth = 0): PathValue {
  if (depth > MAX_DEPTH) return unknown(node);
  switch (node.type) {
    case 'string':
      return stringValue(env, node, depth);
    case 'concatenated_string':
      return { t: 'cat', parts: node.namedChildren.filter((c): c is PyNode => c !== null).map((c) => pathValueOf(env, c, depth + 1)) };
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner ? pathValueOf(env, inner, depth + 1) : unknown(node);
    }
    case 'await': {
      const inner = node.namedChildren[0];
      return inner ? pathValueOf(env, inner, depth + 1) : unknown(node);
    }
    case 'conditional_expression': {
      // `'a.csv' if flag else 'b.csv'`: the value and the alternative (the middle child is the test).
      const [whenTrue, , whenFalse] = node.namedChildren;
      if (!whenTrue || !whenFalse) return unknown(node);
      return { t: 'choice', options: [pathValueOf(env, whenTrue, depth + 1), pathValueOf(env, whenFalse, depth + 1)], text: node.text };
    }
    case 'binary_operator':
      return binaryValue(env, node, depth);
    case 'call':
      return callValue(env, node, depth);
    case 'attribute':
    case 'subscript':
      return memberValue(env, node, depth);
    case 'identifier':
      return nameValue(env, node, depth);
    default:
      return unknown(node);
  }
}

function stringValue(env: PyPathEnv, node: PyNode, depth: number): PathValue {
  const parts: PathValue[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_content') parts.push(str(child.text));
    else if (child.type === 'interpolation') {
      const expr = child.childForFieldName('expression');
      parts.push(expr ? pathValueOf(env, expr, depth + 1) : unknown(child));
    }
  }
  if (parts.length === 0) return str('');
  if (parts.length === 1 && parts[0]!.t === 'str') return parts[0]!;
  return { t: 'cat', parts };
}

function binaryValue(env: PyPathEnv, node: PyNode, depth: number): PathValue {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const op = node.childForFieldName('operator')?.type;
  if (!left || !right) return unknown(node);
  if (op === '+') return { t: 'cat', parts: [pathValueOf(env, left, depth + 1), pathValueOf(env, right, depth + 1)] };
  if (op === '/') {
    const l = pathValueOf(env, left, depth + 1);
    // `Path('/tmp') / name`: a join when the left side is a path; a division otherwise.
    if (!isPathLike(l)) return unknown(node);
    return { t: 'join', parts: [l, pathValueOf(env, right, depth + 1)], resolve: false };
  }
  if (op === '%') {
    const template = stringLiteralText(left);
    if (template === undefined) return unknown(node);
    const args = right.type === 'tuple' ? right.namedChildren.filter((c): c is PyNode => c !== null) : [right];
    return interleave(env, template.split(/%[-#0 +]*\d*(?:\.\d+)?[sdifr]/), args, depth);
  }
  return unknown(node);
}

/** Template pieces with the arguments between them (`'/tmp/%s.json' % key`, `'/tmp/{}'.format(key)`). */
function interleave(env: PyPathEnv, pieces: string[], args: PyNode[], depth: number): PathValue {
  const parts: PathValue[] = [];
  pieces.forEach((piece, i) => {
    if (piece) parts.push(str(piece));
    if (i < pieces.length - 1) {
      const arg = args[i];
      parts.push(arg ? pathValueOf(env, arg, depth + 1) : { t: 'unknown', text: '...' });
    }
  });
  return parts.length === 1 ? parts[0]! : { t: 'cat', parts };
}

/**
 * `'{}-{}.png'.format(a, b)`, `'{0}/{name}.png'.format(a, name=b)`: the template's literal pieces
 * with the arguments its fields name (automatic, numbered or by keyword; a format spec or
 * conversion after the field name does not change which argument it is). `{{`/`}}` are literal braces.
 */
function formatValue(env: PyPathEnv, template: string, positional: PyNode[], keywords: Map<string, PyNode>, depth: number): PathValue {
  const parts: PathValue[] = [];
  let literal = '';
  let auto = 0;
  const re = /\{\{|\}\}|\{([^{}]*)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    literal += template.slice(last, m.index);
    last = re.lastIndex;
    if (m[0] === '{{' || m[0] === '}}') {
      literal += m[0][0];
      continue;
    }
    if (literal) parts.push(str(literal));
    literal = '';
    const field = /^[^.[!:]*/.exec(m[1]!)![0];
    const arg = field === '' ? positional[auto++] : /^\d+$/.test(field) ? positional[Number(field)] : keywords.get(field);
    parts.push(arg ? pathValueOf(env, arg, depth + 1) : { t: 'unknown', text: m[0] });
  }
  literal += template.slice(last);
  if (literal) parts.push(str(literal));
  return parts.length === 1 ? parts[0]! : { t: 'cat', parts };
}

function argumentsOf(call: PyNode): { positional: PyNode[]; keywords: Map<string, PyNode> } {
  const positional: PyNode[] = [];
  const keywords = new Map<string, PyNode>();
  const list = call.childForFieldName('arguments');
  for (const arg of list?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else positional.push(arg);
  }
  return { positional, keywords };
}

export function callArguments(call: PyNode): { positional: PyNode[]; keywords: Map<string, PyNode> } {
  return argumentsOf(call);
}

function callValue(env: PyPathEnv, node: PyNode, depth: number): PathValue {
  const callee = node.childForFieldName('function');
  if (!callee) return unknown(node);
  const { positional, keywords } = argumentsOf(node);
  const imp = env.importOf(callee);
  const name = imp?.qualified ?? (callee.type === 'identifier' && !env.lookup(callee.text) ? `builtins.${callee.text}` : undefined);
  if (name !== undefined) {
    if (UNIQUE_CALLS.has(name)) return { t: 'unique', why: `${name}()` };
    if (name === 'tempfile.mkdtemp') {
      if (env.fn >= 0) return { t: 'unique', why: 'tempfile.mkdtemp()' };
      const dir = keywords.get('dir') ?? positional[2];
      const prefix = keywords.get('prefix') ?? positional[1];
      return {
        t: 'initTemp',
        prefix: {
          t: 'cat',
          parts: [dir ? pathValueOf(env, dir, depth + 1) : { t: 'tmpdir' }, str('/'), prefix ? pathValueOf(env, prefix, depth + 1) : str('tmp')],
        },
      };
    }
    if (name === 'tempfile.gettempdir') return { t: 'tmpdir' };
    // `os.getenv('TARGET_LANG', 'fr')`: a setting, or its default, the same for every invocation.
    if (ENV_CALLS.has(name) && positional[0]) {
      const fallback = positional[1] ?? keywords.get('default');
      const setting: PathValue = { t: 'setting', text: node.text };
      return fallback && fallback.type !== 'none' ? { t: 'choice', options: [pathValueOf(env, fallback, depth + 1), setting], text: node.text } : setting;
    }
    if (REPEATABLE_CALLS.has(name)) return { t: 'repeatable', text: node.text };
    if (JOIN_CALLS.has(name)) {
      if (positional.length === 0) return str('.');
      return { t: 'join', parts: positional.map((a) => pathValueOf(env, a, depth + 1)), resolve: false };
    }
    if (SAME_PATH_CALLS.has(name) && positional[0]) return pathValueOf(env, positional[0], depth + 1);
    if (name === 'os.path.basename' && positional[0]) {
      const v = pathValueOf(env, positional[0], depth + 1);
      return v.t === 'str' ? str(v.v.slice(v.v.lastIndexOf('/') + 1)) : v;
    }
    if ((name === 'builtins.str' || name === 'builtins.int') && positional.length === 1) return pathValueOf(env, positional[0]!, depth + 1);
    if (EVENT_PRESERVING_CALLS.has(name) && positional[0]) {
      const v = pathValueOf(env, positional[0], depth + 1);
      if (v.t === 'param') return { ...v, text: node.text };
    }
  }
  // `path = make_path()`: what a helper of this module returns.
  if (callee.type === 'identifier' && !imp) {
    const returned = env.returnedValue(callee.text, depth);
    if (returned) return returned;
  }
  if (callee.type === 'attribute') {
    const receiver = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text;
    if (receiver && method) {
      if (method === 'format') {
        const template = stringLiteralText(receiver);
        if (template !== undefined) return formatValue(env, template, positional, keywords, depth);
      }
      if (method === 'joinpath') {
        return { t: 'join', parts: [pathValueOf(env, receiver, depth + 1), ...positional.map((a) => pathValueOf(env, a, depth + 1))], resolve: false };
      }
      if (RECEIVER_METHODS.has(method)) return pathValueOf(env, receiver, depth + 1);
      // `datetime.now().strftime('%Y%m%d_%H%M%S')`: the clock, written out, repeats as the clock does.
      if (CLOCK_FORMAT_METHODS.has(method)) {
        const v = pathValueOf(env, receiver, depth + 1);
        if (v.t === 'repeatable') return { t: 'repeatable', text: node.text };
      }
      if (EVENT_PRESERVING_METHODS.has(method)) {
        const v = pathValueOf(env, receiver, depth + 1);
        if (v.t === 'param') return { ...v, text: node.text };
      }
    }
  }
  return unknown(node);
}

function memberValue(env: PyPathEnv, node: PyNode, depth: number): PathValue {
  // `os.environ['TARGET_LANG']`: a setting of the deployment.
  if (node.type === 'subscript') {
    const object = node.childForFieldName('value');
    if (object && env.importOf(object)?.qualified === 'os.environ') return { t: 'setting', text: node.text };
  }
  if (node.type === 'attribute') {
    const attr = node.childForFieldName('attribute')?.text;
    const object = node.childForFieldName('object');
    if (attr && REQUEST_ID_ATTRS.has(attr)) return { t: 'unique', why: node.text };
    // `uuid4().hex`, `NamedTemporaryFile().name`: the attribute of a unique value is unique.
    if (object && (attr === 'hex' || attr === 'name' || attr === 'int')) {
      const inner = pathValueOf(env, object, depth + 1);
      if (inner.t === 'unique') return inner;
    }
    if (attr === 'tempdir' && env.importOf(node)?.qualified === 'tempfile.tempdir') return { t: 'tmpdir' };
  }
  let root: PyNode = node;
  const path: string[] = [];
  while (root.type === 'attribute' || root.type === 'subscript') {
    if (root.type === 'attribute') path.unshift(root.childForFieldName('attribute')?.text ?? '');
    else path.length = 0; // `CONFIG['dir']`: what is inside is not followed
    const next = root.childForFieldName(root.type === 'attribute' ? 'object' : 'value');
    if (!next) return unknown(node);
    root = next;
  }
  if (root.type === 'call') {
    // `key.split('/')[-1]`: read off event data, still event data.
    const v = pathValueOf(env, root, depth + 1);
    return v.t === 'param' ? { ...v, text: node.text } : unknown(node);
  }
  if (root.type !== 'identifier') return unknown(node);
  const b = env.lookup(root.text);
  if (!b) return unknown(node);
  if (b.param) return { t: 'param', fn: b.param.fn, index: b.param.index, text: node.text };
  if (b.module && node.type === 'attribute' && path.length) return { t: 'ref', ref: { name: root.text, path } };
  if (b.kind === 'local') {
    const value = env.assignedValue(root.text) ?? env.loopSource(root.text);
    if (value) {
      const v = pathValueOf(env, value, depth + 1);
      // Something read off event data is event data.
      if (v.t === 'param') return { ...v, text: node.text };
    }
  }
  return unknown(node);
}

/** The value at position `index` of `value` (a tuple, or a call of a helper that returns tuples). */
function elementValue(env: PyPathEnv, value: PyNode, index: number, depth: number): PathValue | undefined {
  const element = tupleElement(value, index);
  if (element) return pathValueOf(env, element, depth + 1);
  const callee = value.type === 'call' ? value.childForFieldName('function') : null;
  if (callee?.type === 'identifier' && !env.importOf(callee)) return env.returnedValue(callee.text, depth, index);
  return undefined;
}

/** Position `index` of a tuple written out (`a, b`, `(a, b)`), without starred items; undefined for anything else. */
export function tupleElement(node: PyNode, index: number): PyNode | undefined {
  let tuple = node;
  while (tuple.type === 'parenthesized_expression') tuple = tuple.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? tuple;
  if (tuple.type !== 'expression_list' && tuple.type !== 'tuple') return undefined;
  const items = tuple.namedChildren.filter((c): c is PyNode => c !== null && c.type !== 'comment');
  if (items.some((c) => c.type === 'list_splat')) return undefined;
  return items[index];
}

function nameValue(env: PyPathEnv, node: PyNode, depth: number): PathValue {
  const b = env.lookup(node.text);
  if (!b) return unknown(node);
  if (b.param) return { t: 'param', fn: b.param.fn, index: b.param.index, text: node.text };
  if (b.module) return { t: 'ref', ref: { name: node.text, path: [] } };
  // `for i, item in enumerate(...)`, `for i in range(n)`, `n = 0 ... n += 1`: 0, 1, 2... in every invocation.
  const counter = env.counter(node.text);
  if (counter && counter.every((builtin) => env.lookup(builtin) === undefined)) return { t: 'repeatable', text: node.text, counter: true };
  const value = env.assignedValue(node.text);
  if (value) return pathValueOf(env, value, depth + 1);
  const unpacked = env.assignedElement(node.text);
  if (unpacked) return elementValue(env, unpacked.value, unpacked.index, depth) ?? unknown(node);
  // An element of event data is event data; of anything else, unknown.
  const source = env.loopSource(node.text);
  const element = source ? pathValueOf(env, source, depth + 1) : undefined;
  return element?.t === 'param' ? { ...element, text: node.text } : unknown(node);
}
