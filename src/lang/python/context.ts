/**
 * @fileoverview What the Python front-end tells rule visitors about the node they are looking
 * at, and the shape of a rule's Python visitors (keyed by tree-sitter node type: `call`,
 * `binary_operator`, ...).
 */
import type { Node } from 'web-tree-sitter';
import type { Loc, PathValue } from '../../core/summary.js';

export type PyNode = Node;

export interface PyLocalBinding {
  name: string;
  /** Declared at module level (or named in a `global` statement of the function). */
  module: boolean;
  kind: 'param' | 'local' | 'module' | 'import';
  param?: { fn: number; index: number };
}

export interface PyImportUse {
  /** The module as written: `os.path`, `.db`, `..pkg.mod`. */
  specifier: string;
  /** `'*'` for `import x` (the whole module), else the name imported with `from x import name`. */
  imported: string;
  /** Attribute names read off the import (`os.path.join` on `import os` -> `['path', 'join']`). */
  path: string[];
  /** The dotted name it stands for: `os.path.join`, `tempfile.mkstemp`, `.db.conn`. */
  qualified: string;
}

/** What rule visitors can ask about the node they are looking at. */
export interface PyWalkContext<F extends object = Record<string, unknown>> {
  /** The function the node sits in, -1 at module scope (init code). */
  readonly fn: number;
  lookup(name: string): PyLocalBinding | undefined;
  /** True when `name` is bound nowhere in scope (so `open`, `print` are the builtins). */
  isBuiltin(name: string): boolean;
  /** The import an expression reads (`os.path.join`, `from shutil import rmtree` then `rmtree`). */
  importOf(node: PyNode): PyImportUse | undefined;
  /** The symbolic path or string value of an expression (constants folded, parameters kept symbolic). */
  pathValue(node: PyNode): PathValue;
  /**
   * The path a file-system call opens with `node`: its {@link pathValue}, below the working
   * directory when the function changed it (`os.chdir('/tmp')`) earlier and the path is relative.
   */
  fsPathValue(node: PyNode): PathValue;
  /** The module-level binding a name is assigned to, when `node` is the right side of `name = node` at module scope or under `global name`. */
  assignedModuleName(node: PyNode): string | undefined;
  /** The local name `node` is assigned to inside the current function (`conn = connect()`), if any. */
  assignedLocalName(node: PyNode): string | undefined;
  loc(node: PyNode): Loc;
  /** Record a fact of the rule whose visitor is running; it gets the function and location. */
  record(node: PyNode, fact: F): void;
  /** Mark the current function (or module-level value) as wiring a logger to the request context. */
  markLogContext(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table holds every rule's visitors, whatever its fact type
type PyVisitor<F extends object = any> = (node: PyNode, ctx: PyWalkContext<F>) => void;
/** Visitors by tree-sitter node type. */
export type PythonVisitorMap<F extends object = Record<string, unknown>> = Partial<Record<string, PyVisitor<F>>>;

/** What the Python walk needs of a rule: its id and its Python visitors. */
export interface PyRuleVisitors {
  readonly id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any rule's visitors
  readonly python?: PythonVisitorMap<any>;
}

export type PyVisitorTable = Map<string, Array<{ rule: string; visit: PyVisitor }>>;

export function compilePythonVisitors(rules: readonly PyRuleVisitors[]): PyVisitorTable {
  const table: PyVisitorTable = new Map();
  for (const rule of rules) {
    for (const [type, visit] of Object.entries(rule.python ?? {})) {
      if (!visit) continue;
      let list = table.get(type);
      if (!list) table.set(type, (list = []));
      list.push({ rule: rule.id, visit });
    }
  }
  return table;
}
