/**
 * @fileoverview hoisted-state: module-level state that holds per-request data moves into the
 * handler.
 *
 * - A module-level `let`/`var` that every invocation writes before it reads it becomes a local
 *   of the handler: its first write turns into the declaration
 *   (`currentUser = event.userId;` -> `const currentUser = event.userId;`), the module-level
 *   declaration goes, and module-level helpers that read it get it as a parameter.
 * - A module-level object literal that every invocation fills (property by property) before it
 *   reads it is created per invocation instead.
 *
 * "Written before read" is checked conservatively: the first thing the handler does with the
 * variable, in an unconditional statement of its own body, must be a plain assignment. Anything
 * else (a counter, a cache, a cold-start flag, a write in a callback or in another module,
 * `process.env`, `this` of a shared instance) is left as it is, with a `// lmi-audit:` marker.
 */
import type { API, FileInfo } from 'jscodeshift';
import { addArgument } from './lib/add-argument.js';
import { addMarkerComment } from './lib/add-marker-comment.js';
import { addParameter } from './lib/add-parameter.js';
import { findModuleFunction } from './lib/find-module-function.js';
import { findReferences } from './lib/find-references.js';
import { getBodyStatementIndex } from './lib/get-body-statement-index.js';
import { getEnclosingStatement } from './lib/get-enclosing-statement.js';
import { getHandlerFunctions } from './lib/get-handler-functions.js';
import { getInvocationFunctions } from './lib/get-invocation-functions.js';
import { getLeadingCommentStart } from './lib/get-leading-comment-start.js';
import { getModuleImports } from './lib/get-module-imports.js';
import { getParser } from './lib/get-parser.js';
import { getTopLevelFunction } from './lib/get-top-level-function.js';
import { getMemberName, getParams, isFunctionNode, isObjectProperty, unwrapExpression } from './lib/nodes.js';
import { removeStatement } from './lib/remove-statement.js';
import { runRecipe } from './lib/run-recipe.js';
import type { AstNode, AstPath, RecipeContext, TransformMeta, TransformOptions } from './lib/types.js';

export const meta: TransformMeta = {
  id: 'hoisted-state',
  description:
    'Moves module-level variables and objects that hold per-request data into the handler (helpers get them as parameters); marks state that deliberately spans invocations.',
  fixes: 'global-mutable-state',
  safety: 'safe',
};

export const parser = getParser;

const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);

type RefKind = 'read' | 'write' | 'update' | 'mutate';

interface Ref {
  path: AstPath;
  kind: RefKind;
  /** Top-level function the reference is in (undefined at module scope). */
  fn?: AstNode;
  /** For writes: the assignment or update expression. */
  write?: AstNode;
}

interface Candidate {
  name: string;
  declarator: AstNode;
  declaratorPath: AstPath;
  declaration: AstNode;
  exported: boolean;
  kind: 'let' | 'var' | 'const';
  refs: Ref[];
}

export default function transform(file: FileInfo, api: API, options: TransformOptions): string | undefined {
  return runRecipe(file, api, options, (ctx) => {
    const handlers = getHandlerFunctions(ctx);
    const handlerNodes = new Set(handlers.map((h) => h.path.node));
    const invocation = getInvocationFunctions(
      ctx,
      handlers.map((h) => h.path),
    );
    const candidates = findModuleState(ctx);
    const movable = new Map<Candidate, Move>();
    const marks: Mark[] = [];
    for (const c of candidates) {
      const verdict = judge(ctx, c, handlerNodes, invocation);
      if (!verdict) continue;
      if ('mark' in verdict) marks.push({ path: verdict.at, text: verdict.mark });
      else movable.set(c, verdict);
    }
    // Destructuring statements can become declarations only when every target moves.
    const movingNames = new Set([...movable.keys()].map((c) => c.name));
    for (const [c, move] of movable) applyMove(ctx, c, move, movingNames);
    markSharedObjects(ctx, invocation, marks);
    for (const m of marks) {
      const statement = getEnclosingStatement(m.path);
      if (statement) addMarkerComment(ctx, statement.node, m.text);
    }
  });
}

/** Module-level `let`/`var` bindings and `const` object literals, with every reference to them. */
function findModuleState(ctx: RecipeContext): Candidate[] {
  const { j } = ctx;
  const out: Candidate[] = [];
  const program = ctx.root.find(j.Program).paths()[0]!;
  program.get('body').each((stmtPath: AstPath) => {
    let declPath = stmtPath;
    let exported = false;
    if (stmtPath.node.type === 'ExportNamedDeclaration' && stmtPath.node.declaration?.type === 'VariableDeclaration') {
      declPath = stmtPath.get('declaration');
      exported = true;
    }
    const declaration = declPath.node;
    if (declaration.type !== 'VariableDeclaration') return;
    declaration.declarations.forEach((d: AstNode, i: number) => {
      if (d.id.type !== 'Identifier') return;
      const init = unwrapExpression(d.init);
      if (declaration.kind === 'const' && init?.type !== 'ObjectExpression' && init?.type !== 'ArrayExpression') return;
      const name = d.id.name;
      const refs = findReferences(ctx, name, ctx.programScope)
        .filter((p) => p.node !== d.id)
        .map((p) => classify(p));
      out.push({
        name,
        declarator: d,
        declaratorPath: declPath.get('declarations', i),
        declaration,
        exported: exported || isExportedElsewhere(ctx, name),
        kind: declaration.kind,
        refs,
      });
    });
  });
  return out;
}

function classify(path: AstPath): Ref {
  const fn = getTopLevelFunction(path)?.node;
  // Climb through destructuring patterns to the assignment they are the target of.
  let p = path;
  while (
    p.parent &&
    ['ObjectPattern', 'ArrayPattern', 'ObjectProperty', 'Property', 'RestElement', 'AssignmentPattern'].includes(p.parent.node.type) &&
    !(p.parent.node.type === 'AssignmentPattern' && p.name === 'right')
  ) {
    p = p.parent;
  }
  const parent = p.parent?.node;
  if (parent?.type === 'AssignmentExpression' && p.name === 'left') {
    return { path, kind: parent.operator === '=' ? 'write' : 'update', fn, write: parent };
  }
  if (parent?.type === 'UpdateExpression') return { path, kind: 'update', fn, write: parent };
  if ((parent?.type === 'ForOfStatement' || parent?.type === 'ForInStatement') && p.name === 'left') return { path, kind: 'write', fn, write: parent };
  // Member writes and mutator calls on the binding: `x.p = ...`, `x[k] = ...`, `x.push(...)`, `delete x.p`.
  let m = path;
  while (m.parent && (m.parent.node.type === 'MemberExpression' || m.parent.node.type === 'OptionalMemberExpression') && m.name === 'object') m = m.parent;
  if (m !== path) {
    const holder = m.parent?.node;
    if (holder?.type === 'AssignmentExpression' && m.name === 'left') return { path, kind: 'mutate', fn, write: holder };
    if (holder?.type === 'UpdateExpression' || (holder?.type === 'UnaryExpression' && holder.operator === 'delete'))
      return { path, kind: 'mutate', fn, write: holder };
    if (holder?.type === 'CallExpression' && m.name === 'callee' && ARRAY_MUTATORS.has(getMemberName(m.node) ?? ''))
      return { path, kind: 'mutate', fn, write: holder };
  }
  const call = path.parent?.node;
  if (
    call?.type === 'CallExpression' &&
    path.name === 0 &&
    /^(Object\.(assign|defineProperty|defineProperties|setPrototypeOf)|Reflect\.set)$/.test(calleeText(call))
  ) {
    return { path, kind: 'mutate', fn, write: call };
  }
  return { path, kind: 'read', fn };
}

function calleeText(call: AstNode): string {
  const c = call.callee;
  if (c.type === 'MemberExpression' && c.object.type === 'Identifier' && !c.computed) return `${c.object.name}.${c.property.name}`;
  return '';
}

const exportedNames = new WeakMap<RecipeContext, Set<string>>();

/** Is the name exported by `export { x }`, `module.exports = { x }` or `exports.y = x`? (Computed once per run.) */
function isExportedElsewhere(ctx: RecipeContext, name: string): boolean {
  let names = exportedNames.get(ctx);
  if (!names) {
    const { j } = ctx;
    const found = new Set<string>();
    ctx.root.find(j.ExportSpecifier).forEach((p: AstPath) => {
      const local = p.node.local?.name ?? p.node.exported?.name;
      if (local) found.add(local);
    });
    // The exported value itself, not names used inside a function it holds.
    ctx.root.find(j.AssignmentExpression).forEach((p: AstPath) => {
      const left = ctx.source.slice(p.node.left.start, p.node.left.end);
      if (!/^(module\.)?exports(\.|$)/.test(left)) return;
      j(p.get('right'))
        .find(j.Identifier)
        .forEach((id: AstPath) => {
          for (let q = id.parent; q && q.node !== p.node; q = q.parent) if (isFunctionNode(q.node)) return;
          found.add(id.node.name);
        });
      const right = unwrapExpression(p.node.right);
      if (right?.type === 'Identifier') found.add(right.name);
    });
    exportedNames.set(ctx, (names = found));
  }
  return names.has(name);
}

/** A marker to leave above the statement holding `path`. */
interface Mark {
  path: AstPath;
  text: string;
}

interface Move {
  handlers: Array<{ fn: AstPath; first: Ref; writesAfter: boolean }>;
  helpers: Array<{ fn: AstPath; calls: AstNode[] }>;
  type?: string;
  kind: 'variable' | 'object';
}

type Verdict = Move | { mark: string; at: AstPath } | undefined;

/** Decides whether a module-level binding moves into the handler(s), gets a marker, or is none of this transform's business. */
function judge(ctx: RecipeContext, c: Candidate, handlers: Set<AstNode>, invocation: Set<AstNode>): Verdict {
  if (c.kind === 'const') return judgeObject(ctx, c, handlers, invocation);
  // With the scan's finding lines, a reported write is invocation code by definition.
  const inInvocation = (r: Ref) => !!r.fn && (!!ctx.options.lines || invocation.has(r.fn));
  const writes = c.refs.filter((r) => (r.kind === 'write' || r.kind === 'update') && inInvocation(r) && !isLazyInit(ctx, c, r));
  if (writes.length === 0) return undefined;
  const reported = writes.filter((r) => ctx.isReported(r.write ?? r.path.node));
  if (reported.length === 0) return undefined;
  const at = reported[0]!.path;
  const name = c.name;
  const lazyRace = writes.find((r) => isLazyRace(ctx, c, r));
  if (lazyRace) {
    return {
      at: lazyRace.path,
      mark: `\`${name}\` is initialised lazily with an \`await\` between the check and the assignment, so concurrent first invocations each load it: cache the pending promise instead (\`${name}Promise ??= load()\`).`,
    };
  }
  if (c.exported)
    return {
      at,
      mark: `\`${name}\` is exported, so other modules may read it: pass the per-request value to them as a parameter instead of keeping it at module level.`,
    };
  if (c.refs.some((r) => !r.fn)) {
    return {
      at,
      mark: `\`${name}\` is also used at init (module scope) and changed per request: keep the per-request value in a local of the handler and pass it on.`,
    };
  }
  if (handlers.size === 0) {
    return {
      at,
      mark: `\`${name}\` is set per request outside a handler function this transform can edit (the handler is in another module, or wrapped by middleware): keep the value in the handler and pass it to the functions that need it.`,
    };
  }
  // Read before written (or updated in place): it carries a value from one invocation to the next.
  const byFn = new Map<AstNode, Ref[]>();
  for (const r of c.refs) {
    let list = byFn.get(r.fn);
    if (!list) byFn.set(r.fn, (list = []));
    list.push(r);
  }
  const carries = `\`${name}\` is read before it is written in an invocation, so it carries a value from one invocation to the next (a counter, a cache, a flag?): if that is intended, make sure concurrent updates are acceptable; if not, make it a local of the handler.`;
  if (c.refs.some((r) => r.kind === 'update')) return { at, mark: carries };
  const move: Move = { handlers: [], helpers: [], type: typeOf(ctx, c), kind: 'variable' };
  const helperFns = [...byFn.keys()].filter((fn) => !handlers.has(fn));
  for (const fnNode of helperFns) {
    const refs = byFn.get(fnNode)!;
    const fnPath = refs[0]!.path && getTopLevelFunction(refs[0]!.path);
    const fnName = functionName(fnPath);
    if (refs.some((r) => r.kind !== 'read')) {
      return {
        at,
        mark: `\`${name}\` is written in \`${fnName ?? 'a helper'}\`, not in the handler: have the handler keep the value in a local and pass it to the functions that need it.`,
      };
    }
    const helper = helperCalls(ctx, fnPath, fnName, handlers);
    if (typeof helper === 'string') return { at, mark: `\`${name}\` is read by \`${fnName ?? 'a function'}\`, which ${helper}: pass the value to it by hand.` };
    if (ctx.isTypeScript && !move.type)
      return { at, mark: `\`${name}\` has no type to give the new parameter of \`${fnName}\`: add a type annotation, then run the fix again.` };
    move.helpers.push({ fn: fnPath, calls: helper });
  }
  for (const fnNode of handlers) {
    const fnPath = findFunctionPath(ctx, fnNode);
    const events = [
      ...(byFn.get(fnNode) ?? []).map((r) => ({ pos: r.path.node.start, ref: r as Ref | undefined })),
      ...move.helpers.flatMap((h) => h.calls.filter((call) => inside(fnNode, call)).map((call) => ({ pos: call.start, ref: undefined as Ref | undefined }))),
    ].sort((a, b) => a.pos - b.pos);
    if (events.length === 0) continue;
    const first = events[0]!.ref;
    if (!first || !isDefiniteFirstWrite(ctx, fnNode, first, c.name, move.helpers)) {
      const conditional = first && first.kind === 'write';
      return {
        at,
        mark: conditional
          ? `\`${name}\` is not always written before it is read in an invocation (the first write is conditional or in a callback): make it a local of the handler, initialised where it is declared, by hand.`
          : carries,
      };
    }
    const writesAfter = (byFn.get(fnNode) ?? []).some((r) => r !== first && r.kind !== 'read');
    move.handlers.push({ fn: fnPath, first, writesAfter });
  }
  if (move.handlers.length === 0) return undefined;
  return move;
}

/** `if (!x) { x = v }` without an `await` in between, or `x ??= v`, with a value not taken from the request: the safe lazy init the rule accepts. */
function isLazyInit(ctx: RecipeContext, c: Candidate, r: Ref): boolean {
  const w = r.write;
  if (!w || w.type !== 'AssignmentExpression') return false;
  if (['??=', '||=', '&&='].includes(w.operator)) return true;
  const guard = guardingIf(c.name, r.path);
  if (!guard) return false;
  if (hasAwaitBetween(ctx, guard.node, w)) return false;
  return !readsFunctionState(ctx, r.path.parent, w.right);
}

/** `if (!x) { x = await load() }`: a lazy init with an await between the check and the set. */
function isLazyRace(ctx: RecipeContext, c: Candidate, r: Ref): boolean {
  const w = r.write;
  if (!w || w.type !== 'AssignmentExpression' || w.operator !== '=') return false;
  const guard = guardingIf(c.name, r.path);
  return !!guard && hasAwaitBetween(ctx, guard.node, w) && !readsFunctionState(ctx, r.path.parent, w.right);
}

function guardingIf(name: string, path: AstPath): AstPath | undefined {
  for (let p = path.parent; p && !isFunctionNode(p.node); p = p.parent) {
    if (p.node.type === 'IfStatement' && p.name === undefined) continue;
    if (p.node.type === 'IfStatement' && testsAbsence(p.node.test, name)) return p;
  }
  return undefined;
}

function testsAbsence(test: AstNode, name: string): boolean {
  const t = unwrapExpression(test);
  const isName = (n: AstNode) => unwrapExpression(n)?.type === 'Identifier' && unwrapExpression(n).name === name;
  if (t.type === 'UnaryExpression' && t.operator === '!' && isName(t.argument)) return true;
  if (t.type === 'BinaryExpression' && ['===', '==', '!=='].includes(t.operator)) {
    const other = isName(t.left) ? t.right : isName(t.right) ? t.left : undefined;
    if (!other) return false;
    return (other.type === 'Identifier' && other.name === 'undefined') || other.type === 'NullLiteral' || (other.type === 'Literal' && other.value === null);
  }
  if (t.type === 'LogicalExpression') return testsAbsence(t.left, name) || testsAbsence(t.right, name);
  return false;
}

function hasAwaitBetween(ctx: RecipeContext, from: AstNode, to: AstNode): boolean {
  let found = false;
  ctx
    .j(from)
    .find(ctx.j.AwaitExpression)
    .forEach((p: AstPath) => {
      if (p.node.start >= from.start && p.node.start < to.end) found = true;
    });
  return found;
}

/** Does the value read a parameter or local of a function (request data), rather than only module/global names? */
function readsFunctionState(ctx: RecipeContext, at: AstPath, value: AstNode): boolean {
  let found = false;
  if (!value) return false;
  const bare = unwrapExpression(value);
  if (bare?.type === 'Identifier') {
    const scope = at.scope?.lookup(bare.name);
    return !!scope && scope !== ctx.programScope && !scope.isGlobal;
  }
  ctx
    .j(value)
    .find(ctx.j.Identifier)
    .forEach((p: AstPath) => {
      if (p.parent?.node.type === 'MemberExpression' && p.name === 'property' && !p.parent.node.computed) return;
      if (isObjectProperty(p.parent?.node) && p.name === 'key') return;
      const scope = at.scope?.lookup(p.node.name);
      if (scope && scope !== ctx.programScope && !scope.isGlobal) found = true;
    });
  return found;
}

/**
 * The first reference of the handler is an unconditional statement of its own body that assigns
 * the variable (`x = e;` or a destructuring assignment), and `e` neither reads it nor calls a
 * helper that does.
 */
function isDefiniteFirstWrite(ctx: RecipeContext, fn: AstNode, first: Ref, name: string, helpers: Move['helpers']): boolean {
  if (first.kind !== 'write' || first.write?.type !== 'AssignmentExpression' || first.write.operator !== '=') return false;
  const index = getBodyStatementIndex(fn, first.path);
  if (index < 0) return false;
  const statement = (fn.body ?? fn.value.body).body[index];
  if (statement.type !== 'ExpressionStatement' || unwrapExpression(statement.expression) !== first.write) return false;
  const right = first.write.right;
  if (ctx.j(right).find(ctx.j.Identifier, { name }).size() > 0) return false;
  for (const h of helpers) if (h.calls.some((call) => call.start >= right.start && call.end <= right.end)) return false;
  return true;
}

/**
 * The calls of a helper, when it can take the value as a parameter: a module-level function that
 * is not exported, referenced only as the callee of calls inside handlers, with a parameter list
 * that can take one more.
 */
function helperCalls(ctx: RecipeContext, fnPath: AstPath | undefined, fnName: string | undefined, handlers: Set<AstNode>): AstNode[] | string {
  if (!fnPath || !fnName) return 'is not a named module-level function';
  if (findModuleFunction(ctx, fnName)?.node !== fnPath.node) return 'is not a named module-level function';
  if (
    isExportedElsewhere(ctx, fnName) ||
    fnPath.parent?.node.type === 'ExportNamedDeclaration' ||
    fnPath.parent?.parent?.parent?.node.type === 'ExportNamedDeclaration'
  )
    return 'is exported';
  const params = getParams(fnPath.node);
  const last = params[params.length - 1];
  if (last && (last.type === 'RestElement' || last.type === 'AssignmentPattern' || last.optional)) return 'ends with a rest, optional or default parameter';
  const calls: AstNode[] = [];
  for (const ref of findReferences(ctx, fnName, ctx.programScope)) {
    if (ref.node === fnPath.node.id || (ref.parent?.node.type === 'VariableDeclarator' && ref.name === 'id')) continue;
    const call = ref.parent?.node;
    if (call?.type !== 'CallExpression' || ref.name !== 'callee') return 'is used other than by calling it';
    const top = getTopLevelFunction(ref);
    if (!top || !handlers.has(top.node)) return 'is called from outside the handler';
    calls.push(call);
  }
  return calls;
}

function functionName(fnPath: AstPath | undefined): string | undefined {
  if (!fnPath) return undefined;
  if (fnPath.node.id?.name) return fnPath.node.id.name;
  const parent = fnPath.parent?.node;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  return undefined;
}

function findFunctionPath(ctx: RecipeContext, node: AstNode): AstPath {
  let found: AstPath | undefined;
  ctx.root.find(ctx.j.Function).forEach((p: AstPath) => {
    if (p.node === node) found = p;
  });
  if (!found) {
    ctx.root.find(ctx.j.ObjectMethod).forEach((p: AstPath) => {
      if (p.node === node) found = p;
    });
  }
  return found!;
}

function inside(outer: AstNode, node: AstNode): boolean {
  return node.start >= outer.start && node.end <= outer.end;
}

/** The TypeScript type of the binding: its annotation, or the primitive type of a literal initialiser. */
function typeOf(ctx: RecipeContext, c: Candidate): string | undefined {
  const annotation = c.declarator.id.typeAnnotation;
  if (annotation) return ctx.source.slice(annotation.typeAnnotation.start, annotation.typeAnnotation.end);
  const init = c.declarator.init;
  if (!init) return undefined;
  if (typeof init.value === 'number' || init.type === 'NumericLiteral') return 'number';
  if (typeof init.value === 'string' || init.type === 'StringLiteral' || init.type === 'TemplateLiteral') return 'string';
  if (typeof init.value === 'boolean' || init.type === 'BooleanLiteral') return 'boolean';
  return undefined;
}

function applyMove(ctx: RecipeContext, c: Candidate, move: Move, moving: Set<string>): void {
  if (move.kind === 'object') return applyObjectMove(ctx, c, move);
  const ts = ctx.isTypeScript;
  const annotation = ts && c.declarator.id.typeAnnotation ? `: ${move.type}` : '';
  const comments = movableComments(ctx, c);
  for (const h of move.handlers) {
    const statement = getEnclosingStatement(h.first.path)!.node;
    const expr = unwrapExpression(statement.expression);
    const keyword = h.writesAfter ? 'let' : 'const';
    if (comments) insertCommentLines(ctx, statement, comments.text);
    if (expr.left.type === 'Identifier') {
      ctx.edits.insert(expr.left.start, `${keyword} `);
      if (annotation) ctx.edits.insert(expr.left.end, annotation);
      continue;
    }
    const targets = patternNames(expr.left);
    const anyWrittenAfter = h.writesAfter;
    if (targets.every((t) => moving.has(t)) && targets.length > 0) {
      // `({ a, b } = e);` -> `const { a, b } = e;` (the parentheses were only for the parser).
      const kw = anyWrittenAfter ? 'let' : 'const';
      const open = ctx.source.slice(statement.start, expr.start);
      const close = ctx.source.slice(expr.end, statement.end);
      ctx.edits.replace(statement.start, expr.start, `${kw} `);
      if (open.includes('(')) ctx.edits.replace(expr.end, statement.end, close.replace(')', ''));
      // Other moved names in the same pattern get their declaration here too: handled once.
    } else {
      const type = ts ? (move.type ? `: ${move.type}` : '') : '';
      const indent = ctx.edits.indentAt(statement.start);
      ctx.edits.insert(ctx.edits.lineStart(statement.start), `${indent}let ${c.name}${type};\n`);
    }
  }
  for (const helper of move.helpers) {
    addParameter(ctx, helper.fn.node, ts && move.type ? `${c.name}: ${move.type}` : c.name);
    for (const call of helper.calls) addArgument(ctx, call, c.name);
  }
  removeDeclarator(ctx, c, comments?.start);
}

function patternNames(pattern: AstNode): string[] {
  const out: string[] = [];
  const walk = (n: AstNode): void => {
    if (!n) return;
    if (n.type === 'Identifier') out.push(n.name);
    else if (n.type === 'ObjectPattern') n.properties.forEach((p: AstNode) => walk(p.type === 'RestElement' ? p.argument : p.value));
    else if (n.type === 'ArrayPattern') n.elements.forEach(walk);
    else if (n.type === 'RestElement') walk(n.argument);
    else if (n.type === 'AssignmentPattern') walk(n.left);
    else out.push('\u0000');
  };
  walk(pattern);
  return out;
}

/** `//` comments right above a module-level declaration with one declarator (not a file header). */
function movableComments(ctx: RecipeContext, c: Candidate): { start: number; text: string } | undefined {
  if (c.declaration.declarations.length !== 1) return undefined;
  const start = getLeadingCommentStart(ctx, c.declaration);
  const lineStart = ctx.edits.lineStart(c.declaration.start);
  if (start === lineStart || ctx.source.slice(0, start).trim() === '') return undefined;
  const text = ctx.source.slice(start, lineStart);
  if (!text.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('//'))) return undefined;
  return { start, text };
}

function insertCommentLines(ctx: RecipeContext, statement: AstNode, text: string): void {
  const indent = ctx.edits.indentAt(statement.start);
  const lines = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => `${indent}${l.trim()}\n`)
    .join('');
  ctx.edits.insert(getLeadingCommentStart(ctx, statement), lines);
}

function removeDeclarator(ctx: RecipeContext, c: Candidate, from?: number): void {
  const list: AstNode[] = c.declaration.declarations;
  if (list.length === 1) {
    removeStatement(ctx, c.declaration, from);
    return;
  }
  const i = list.indexOf(c.declarator);
  if (i < list.length - 1) ctx.edits.replace(c.declarator.start, list[i + 1].start, '');
  else ctx.edits.replace(list[i - 1].end, c.declarator.end, '');
}

// Objects --------------------------------------------------------------------------------------

/**
 * A module-level object literal of plain values, filled property by property in the handler
 * before anything reads it, is created per invocation instead (its declaration moves, as it was,
 * in front of the handler's first use).
 */
function judgeObject(ctx: RecipeContext, c: Candidate, handlers: Set<AstNode>, invocation: Set<AstNode>): Verdict {
  const mutations = c.refs.filter((r) => r.kind === 'mutate' && r.fn && (!!ctx.options.lines || invocation.has(r.fn)));
  if (mutations.length === 0) return undefined;
  const tainted = mutations.filter((r) => (!ctx.options.lines ? readsFunctionState(ctx, r.path, r.write) : true));
  const reported = tainted.filter((r) => ctx.isReported(r.write ?? r.path.node));
  if (reported.length === 0) return undefined;
  const at = reported[0]!.path;
  const name = c.name;
  const mark = (why: string) => ({
    at,
    mark: `\`${name}\` is a module-level object that invocations fill with request data (${why}): build it per invocation inside the handler, or guard it if it is a deliberate cache.`,
  });
  const init = unwrapExpression(c.declarator.init);
  if (init.type === 'ArrayExpression') {
    return {
      at,
      mark: `\`${name}\` is a module-level array that invocations add request data to, so it accumulates across invocations: build it per invocation inside the handler, or make the sharing deliberate (bounded, and safe under concurrency).`,
    };
  }
  if (init.type !== 'ObjectExpression' || !isPlainLiteral(init)) return mark('it is not a plain object literal');
  if (c.exported) return mark('it is exported');
  if (c.refs.some((r) => !r.fn)) return mark('it is also used at init');
  if (c.refs.some((r) => !handlers.has(r.fn))) return mark('functions other than the handler use it');
  const byHandler = new Map<AstNode, Ref[]>();
  for (const r of c.refs) {
    const list = byHandler.get(r.fn) ?? [];
    list.push(r);
    byHandler.set(r.fn, list);
  }
  const move: Move = { handlers: [], helpers: [], kind: 'object' };
  const initKeys = init.properties.map((p: AstNode) => p.key?.name ?? p.key?.value);
  for (const [fnNode, refs] of byHandler) {
    const written = new Set<string>();
    for (const r of refs) {
      const member = r.path.parent?.node;
      const prop = member && member.type === 'MemberExpression' && r.path.name === 'object' && !member.computed ? member.property.name : undefined;
      if (r.kind === 'mutate') {
        const w = r.write;
        if (w.type !== 'AssignmentExpression' || w.operator !== '=' || !prop || unwrapExpression(w.left) !== member)
          return mark('it is changed in other ways than setting a property');
        if (!isTopLevelStatement(fnNode, r.path, w)) return mark('a property is set conditionally');
        written.add(prop);
      } else if (r.kind === 'read') {
        if (prop && !written.has(prop)) return mark(`\`${name}.${prop}\` is read before it is set`);
        if (!prop && ![...new Set([...initKeys, ...written])].every((k) => written.has(k)))
          return mark('it is used as a whole before all its properties are set');
      } else {
        return mark('it is reassigned');
      }
    }
    const fnPath = findFunctionPath(ctx, fnNode);
    move.handlers.push({ fn: fnPath, first: refs[0]!, writesAfter: false });
  }
  return move;
}

function isPlainLiteral(node: AstNode): boolean {
  const n = unwrapExpression(node);
  if (!n) return true;
  if (n.type === 'ObjectExpression') return n.properties.every((p: AstNode) => isObjectProperty(p) && !p.computed && isPlainLiteral(p.value));
  if (n.type === 'ArrayExpression') return n.elements.every(isPlainLiteral);
  if (n.type === 'Identifier') return n.name === 'undefined';
  return /Literal$/.test(n.type) && n.type !== 'TemplateLiteral' ? true : n.type === 'TemplateLiteral' && n.expressions.length === 0;
}

function isTopLevelStatement(fn: AstNode, path: AstPath, write: AstNode): boolean {
  const index = getBodyStatementIndex(fn, path);
  if (index < 0) return false;
  const statement = (fn.body ?? fn.value.body).body[index];
  return statement.type === 'ExpressionStatement' && unwrapExpression(statement.expression) === write;
}

function applyObjectMove(ctx: RecipeContext, c: Candidate, move: Move): void {
  const text = ctx.source.slice(c.declarator.start, c.declarator.end);
  const comments = movableComments(ctx, c);
  for (const h of move.handlers) {
    const statement = getEnclosingStatement(h.first.path)!.node;
    const indent = ctx.edits.indentAt(statement.start);
    const commentLines = comments
      ? comments.text
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => `${indent}${l.trim()}\n`)
          .join('')
      : '';
    ctx.edits.insert(getLeadingCommentStart(ctx, statement), `${commentLines}${indent}const ${text.replace(/\n/g, `\n${indent}`)};\n`);
  }
  removeDeclarator(ctx, c, comments?.start);
}

// Shared objects that are not module-level declarations of this file -----------------------------

/**
 * Writes of request data into shared objects this transform does not move: `process.env`,
 * `this` of a module-level instance, and objects imported from other modules.
 */
function markSharedObjects(ctx: RecipeContext, invocation: Set<AstNode>, marks: Mark[]): void {
  const { j } = ctx;
  const imports = getModuleImports(ctx);
  const seen = new Set<string>();
  const targetOf = (expr: AstNode): AstNode => {
    let e = unwrapExpression(expr);
    while (e && (e.type === 'MemberExpression' || e.type === 'OptionalMemberExpression')) e = unwrapExpression(e.object);
    return e;
  };
  const consider = (path: AstPath, object: AstNode, write: AstNode, value: AstNode | undefined) => {
    const fn = getTopLevelFunction(path);
    if (!fn || (!ctx.options.lines && !invocation.has(fn.node))) return;
    if (!ctx.isReported(write)) return;
    const root = targetOf(object);
    const tainted = ctx.options.lines ? true : value ? readsFunctionState(ctx, path, value) : false;
    if (root?.type === 'Identifier' && root.name === 'process' && !path.scope.lookup('process')) {
      const envWrite = /^process\.env\b/.test(ctx.source.slice(object.start, object.end));
      if (!envWrite) return;
      const key = `env:${fn.node.start}`;
      if (seen.has(key)) return;
      seen.add(key);
      marks.push({
        path,
        text: '`process.env` is shared by every invocation (and every worker) in the environment: pass the value as a parameter instead of writing it to the environment.',
      });
      return;
    }
    if (!tainted) return;
    if (root?.type === 'ThisExpression') {
      const owner = ownerName(ctx, path);
      if (!owner) return;
      const key = `this:${owner}`;
      if (seen.has(key)) return;
      seen.add(key);
      marks.push({
        path,
        text: `\`${ctx.source.slice((write.left ?? object).start, (write.left ?? object).end)}\` keeps request data on \`${owner}\`, whose one instance every invocation shares: create an instance per invocation, or keep the data in locals.`,
      });
      return;
    }
    if (root?.type === 'Identifier' && path.scope.lookup(root.name) === ctx.programScope) {
      const imp = imports.find((i) => i.local === root.name);
      if (!imp || !imp.module.startsWith('.')) return;
      const key = `import:${root.name}`;
      if (seen.has(key)) return;
      seen.add(key);
      marks.push({
        path,
        text: `\`${root.name}\` comes from another module and is shared by every invocation: build a per-request object in the handler and pass it to what needs it.`,
      });
    }
  };
  ctx.root.find(j.AssignmentExpression).forEach((p: AstPath) => {
    const left = unwrapExpression(p.node.left);
    if (left.type === 'MemberExpression') consider(p, left.object, p.node, p.node.right);
  });
  ctx.root.find(j.UnaryExpression, { operator: 'delete' }).forEach((p: AstPath) => {
    const arg = unwrapExpression(p.node.argument);
    if (arg.type === 'MemberExpression') consider(p, arg.object, p.node, arg.computed ? arg.property : undefined);
  });
  ctx.root.find(j.CallExpression).forEach((p: AstPath) => {
    const callee = unwrapExpression(p.node.callee);
    if (callee.type === 'MemberExpression' && ARRAY_MUTATORS.has(getMemberName(callee) ?? '')) {
      consider(p, callee.object, p.node, {
        type: 'ArrayExpression',
        elements: p.node.arguments,
        start: p.node.start,
        end: p.node.end,
        loc: p.node.loc,
      } as AstNode);
    }
    if (/^(Object\.(assign|defineProperty)|Reflect\.set)$/.test(calleeText(p.node)) && p.node.arguments.length > 1) {
      consider(p, { ...p.node.arguments[0], type: 'MemberExpression', object: p.node.arguments[0] }, p.node, p.node.arguments[1]);
    }
  });
}

/**
 * The module-level object literal, or class with an instance made at module scope, a method
 * belongs to: its `this` is shared. A class instantiated per invocation is not.
 */
function ownerName(ctx: RecipeContext, path: AstPath): string | undefined {
  for (let p = path.parent; p; p = p.parent) {
    const n = p.node;
    if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) {
      const name = n.id.name;
      const shared =
        ctx.root
          .find(ctx.j.NewExpression, { callee: { type: 'Identifier', name } })
          .filter((np: AstPath) => !getTopLevelFunction(np))
          .size() > 0;
      return shared ? name : undefined;
    }
    if (n.type === 'ObjectExpression' && p.parent?.node.type === 'VariableDeclarator' && !getTopLevelFunction(p)) return p.parent.node.id.name;
  }
  return undefined;
}
