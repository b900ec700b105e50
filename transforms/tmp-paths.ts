/**
 * @fileoverview tmp-paths: makes the /tmp paths an invocation uses unique to the invocation.
 *
 * - A file directly in /tmp gets the request id before its extension:
 *   `'/tmp/result.json'` -> `` `/tmp/result-${context.awsRequestId}.json` ``, in whatever form the
 *   path is written (template, `path.join(os.tmpdir(), 'out.csv')`, concatenation, a local or
 *   module constant; a module constant used by one function moves into it).
 * - A work directory created at the top of the function (`mkdirSync('/tmp/work')`) becomes a
 *   per-request directory from `mkdtemp`, and every path under it follows.
 * - A handler without a `context` parameter gets one. A helper without access to the request id
 *   uses `randomUUID()` from node:crypto, once per call, so a write and its later read in that
 *   call still meet.
 * - What the invocation created is removed in a `finally`, unless the path leaves the function
 *   (returned, passed on, used by a stream or a callback that may outlive it).
 *
 * A path shared on purpose (read before it is written, used at init or by several functions)
 * is left as it is, with a `// lmi-audit:` marker saying why.
 *
 * Python modules (`.py`) get the same recipe from transforms/python/tmp-paths.ts.
 */
import type { API, FileInfo } from 'jscodeshift';
import { addMarkerComment } from './lib/add-marker-comment.js';
import { ensureImportedName } from './lib/ensure-imported-name.js';
import { findReferences } from './lib/find-references.js';
import { getFsFunction, type FsFunction } from '../src/kit/fs-functions.js';
import { getBodyStatementIndex } from './lib/get-body-statement-index.js';
import { getEnclosingStatement } from './lib/get-enclosing-statement.js';
import { getHandlerFunctions } from './lib/get-handler-functions.js';
import { getLeadingCommentStart } from './lib/get-leading-comment-start.js';
import { getModuleImports } from './lib/get-module-imports.js';
import { getParser } from './lib/get-parser.js';
import { getPathPieces, type PathEnv, type Piece, type Via } from './lib/get-path-pieces.js';
import { getRequestIdExpression } from './lib/get-request-id-expression.js';
import { getTopLevelFunction } from './lib/get-top-level-function.js';
import { isAsync, isFunctionNode } from './lib/nodes.js';
import { removeImportSpecifier } from './lib/remove-import-specifier.js';
import { removeStatement } from './lib/remove-statement.js';
import { resolveImportedCallee } from './lib/resolve-imported-callee.js';
import { runRecipe } from './lib/run-recipe.js';
import { transformPython } from './python/tmp-paths.js';
import type { AstNode, AstPath, RecipeContext, TransformMeta, TransformOptions } from './lib/types.js';
import { canWrapInTryFinally, wrapInTryFinally } from './lib/wrap-in-try-finally.js';

export const meta: TransformMeta = {
  id: 'tmp-paths',
  description: 'Makes /tmp paths unique per invocation (request id, randomUUID() or mkdtemp) and removes what the invocation created.',
  fixes: 'shared-tmp-path',
  safety: 'safe',
};

export const parser = getParser;

/** Stands for the request id expression until it is known how to spell it in each function. */
const RID = '\u0000RID\u0000';
/** Stands for `rmSync`, imported only when a cleanup is actually written. */
const RM = '\u0000RM\u0000';

interface Use {
  /** The path argument (or a non-fs literal naming the same file). */
  expr: AstPath;
  /**
   * Not an fs call's argument: another place in the function that names the same file (a helper
   * argument, a child-process argument, a returned value). It gets the same rewrite as the fs
   * uses, or the group is left alone: one path, one value.
   */
  mention?: boolean;
  call?: AstNode;
  callPath?: AstPath;
  method?: string;
  fn?: FsFunction;
  op: 'read' | 'write';
  pieces: Piece[];
  /** `flat` maps each character of the evaluated path to its piece (dynamic pieces are one char). */
  flat: Array<{ piece: number; offset: number }>;
  text: string;
  /** End of the first segment under /tmp in `text`. */
  segEnd: number;
  root: string;
  hasRest: boolean;
  topFn?: AstPath;
  /** Index of the top-level statement of `topFn` holding the use. */
  index: number;
}

interface Group {
  root: string;
  fnPath: AstPath;
  uses: Use[];
  isDir: boolean;
  /** A text in the function names the path inside a longer string (a shell command): rewrite none. */
  namedIn?: string;
}

interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export default function transform(file: FileInfo, api: API, options: TransformOptions): string | undefined {
  // Python modules: the same recipe on a tree-sitter tree (transforms/python/tmp-paths.ts).
  if (/\.py$/i.test(file.path)) return transformPython(file.source, options);
  return runRecipe(file, api, options, (ctx) => {
    const imports = getModuleImports(ctx);
    const handlers = getHandlerFunctions(ctx);
    const env: PathEnv = { ctx, imports, handlers: new Set(handlers.map((h) => h.path.node)) };
    const { uses, initRoots } = findTmpPathUses(ctx, env);
    // A root used by two functions cannot get one request-unique name in each.
    const functionsByRoot = new Map<string, Set<AstNode>>();
    for (const u of uses) {
      let set = functionsByRoot.get(u.root);
      if (!set) functionsByRoot.set(u.root, (set = new Set()));
      set.add(u.topFn!.node);
    }
    const byFunction = new Map<AstNode, Group[]>();
    for (const group of groupUses(uses)) {
      // Only what the scan reported (all candidates without a report), and only files the
      // invocation writes: a file only read was prepared by someone else.
      if (!group.uses.some((u) => ctx.isReported(u.call)) || !group.uses.some((u) => u.op === 'write')) continue;
      let list = byFunction.get(group.fnPath.node);
      if (!list) byFunction.set(group.fnPath.node, (list = []));
      list.push(group);
    }
    for (const [fnNode, fnGroups] of byFunction) {
      rewriteFunction(ctx, env, fnGroups[0]!.fnPath, fnGroups, { isHandler: env.handlers.has(fnNode), initRoots, functionsByRoot });
    }
  });
}

/** Every fs call with a /tmp path argument, in functions (uses) and at module scope (init roots). */
function findTmpPathUses(ctx: RecipeContext, env: PathEnv): { uses: Use[]; initRoots: Set<string> } {
  const uses: Use[] = [];
  const initRoots = new Set<string>();
  ctx.root.find(ctx.j.CallExpression).forEach((callPath: AstPath) => {
    const callee = resolveImportedCallee(ctx, env.imports, callPath.get('callee'));
    if (!callee) return;
    const fs = getFsFunction(callee.module, callee.path);
    if (!fs) return;
    const topFn = getTopLevelFunction(callPath);
    fs.fn.args.forEach((argIndex, i) => {
      const arg = callPath.node.arguments[argIndex];
      if (!arg || arg.type === 'SpreadElement') return;
      let op = fs.fn.ops?.[i] ?? fs.fn.op;
      if (fs.name.startsWith('open')) {
        const flags = callPath.node.arguments[1];
        if (!flags || flags.value === 'r') op = 'read';
      }
      const use = evaluateUse(env, callPath.get('arguments', argIndex), op);
      if (!use) return;
      if (!topFn) {
        initRoots.add(use.root);
        return;
      }
      use.call = callPath.node;
      use.callPath = callPath;
      use.method = fs.name;
      use.fn = fs.fn;
      use.topFn = topFn;
      use.index = getBodyStatementIndex(topFn.node, callPath);
      uses.push(use);
    });
  });
  return { uses, initRoots };
}

function evaluateUse(env: PathEnv, expr: AstPath, op: 'read' | 'write'): Use | undefined {
  const pieces = getPathPieces(env, expr);
  if (pieces.some((p) => p.kind === 'unique')) return undefined;
  const flat: Use['flat'] = [];
  let text = '';
  pieces.forEach((p, i) => {
    if (p.kind === 'text' || p.kind === 'tmpdir') {
      for (let k = 0; k < p.text.length; k++) flat.push({ piece: i, offset: k });
      text += p.text;
    } else {
      flat.push({ piece: i, offset: 0 });
      text += p.kind === 'opaque' ? '\u0002' : '\u0001';
    }
  });
  // A leading imported constant of unknown value: trust it to be a /tmp path only when the
  // scan reported the call (checked by the caller through ctx.isReported).
  let segStart: number;
  if (text.startsWith('\u0002')) {
    segStart = 0;
  } else {
    const m = /^\/tmp(\/+|$)/.exec(text);
    if (!m || m[1] === '') return undefined;
    segStart = m[0].length;
  }
  let segEnd = segStart;
  while (segEnd < text.length && text[segEnd] !== '/') segEnd++;
  if (segEnd === segStart) return undefined;
  // The root (up to the end of the first segment) decides which file it is: its dynamic parts
  // must be event data (what the rule reports); after it anything goes.
  for (let i = 0; i < segEnd; i++) {
    const piece = pieces[flat[i]!.piece]!;
    if (piece.kind === 'dyn' && !piece.event) return undefined;
  }
  const render = (from: number, to: number) =>
    flat.slice(from, to).reduce((s, f, i) => {
      const piece = pieces[f.piece]!;
      if (piece.kind === 'text' || piece.kind === 'tmpdir') return s + text[from + i];
      return s + `\${${piece.kind === 'opaque' && piece.via.length ? piece.via[piece.via.length - 1]!.name : sourceOf(env.ctx, piece.node)}}`;
    }, '');
  const root = render(0, segEnd).replace(/\/+/g, '/');
  const rest = text.slice(segEnd).replace(/^\/+/, '');
  return { expr, op, pieces, flat, text, segEnd, root, hasRest: rest.length > 0, index: -1 };
}

/** Uses per function and root (`/tmp/<first segment>`), in source order. */
function groupUses(uses: Use[]): Group[] {
  const groups = new Map<string, Group>();
  for (const use of uses) {
    const key = `${use.topFn!.node.start}|${use.root}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { root: use.root, fnPath: use.topFn!, uses: [], isDir: false }));
    group.uses.push(use);
  }
  for (const g of groups.values()) {
    g.uses.sort((a, b) => a.expr.node.start - b.expr.node.start);
    // A directory: something lives under it, or it is created as one.
    g.isDir = g.uses.some((u) => u.hasRest || u.fn?.creates === 'dir');
  }
  return [...groups.values()];
}

interface RewriteOptions {
  isHandler: boolean;
  initRoots: Set<string>;
  functionsByRoot: Map<string, Set<AstNode>>;
}

interface Plan {
  group: Group;
  edits: TextEdit[];
  /** Module constants to move into the function: declarator -> edits inside it. */
  moves: AstNode[];
  /** `mkdtemp` replacing the creator statement. */
  mkdtemp?: { statement: AstNode; index: number; text: string; dirVar: string };
  cleanup?: string;
  cleanupWhyNot?: string;
}

function rewriteFunction(ctx: RecipeContext, env: PathEnv, fnPath: AstPath, groups: Group[], opts: RewriteOptions): void {
  const fn = fnPath.node;
  addMentions(env, fnPath, groups);
  const plans: Plan[] = [];
  for (const group of groups.sort((a, b) => a.uses[0]!.expr.node.start - b.uses[0]!.expr.node.start)) {
    const first = group.uses.find((u) => u.call && ctx.isReported(u.call)) ?? group.uses[0]!;
    const mark = (text: string) => {
      const statement = getEnclosingStatement(first.callPath ?? first.expr);
      if (statement) addMarkerComment(ctx, statement.node, text);
    };
    const shown = display(group.root);
    if (group.namedIn) {
      const text = group.namedIn.length > 60 ? `${group.namedIn.slice(0, 57)}...` : group.namedIn;
      mark(
        `\`${shown}\` is also named inside ${text}, which cannot get the same unique name automatically: build the path once from context.awsRequestId and use it everywhere, by hand.`,
      );
      continue;
    }
    const initTemp = planInitTemp(ctx, fnPath, group);
    if (typeof initTemp === 'string') {
      mark(initTemp);
      continue;
    }
    if (initTemp) {
      plans.push(initTemp);
      continue;
    }
    if (opts.initRoots.has(group.root)) {
      mark(`\`${shown}\` is also used at init (module scope), so invocations share it on purpose: make the per-request part unique by hand.`);
      continue;
    }
    const fns = opts.functionsByRoot.get(group.root);
    if (fns && fns.size > 1) {
      mark(`\`${shown}\` is used by several functions: give it one request-unique name (context.awsRequestId) and pass that to each of them.`);
      continue;
    }
    if (group.uses[0]!.op === 'read') {
      mark(
        `\`${shown}\` is read before this invocation writes it, so it is shared across invocations on purpose (a lock or a cache?): make that safe by hand.`,
      );
      continue;
    }
    if (group.isDir && !group.uses.some(createsRoot)) {
      mark(`the directory \`${shown}\` is not created in this function: make it per request where it is created, then use that path here.`);
      continue;
    }
    const plan = planMkdtemp(ctx, env, fnPath, group) ?? planSuffix(ctx, fnPath, group);
    if (typeof plan === 'string') {
      mark(plan);
      continue;
    }
    plans.push(plan);
  }
  if (plans.length === 0) return;

  // The request id: the handler's context, or one randomUUID() per call of a helper.
  let rid: string | undefined;
  const needsRid = plans.some((p) => p.edits.some((e) => e.text.includes(RID)) || !!p.cleanup?.includes(RID));
  let ridDeclaration: string | undefined;
  if (needsRid) {
    if (opts.isHandler) {
      rid = getRequestIdExpression(ctx, fnPath);
    }
    if (!rid) {
      const uuid = ensureImportedName(ctx, ['node:crypto', 'crypto'], 'randomUUID');
      if (!uuid) return;
      const sites = plans.reduce((n, p) => n + p.edits.filter((e) => e.text.includes(RID)).length, 0);
      if (sites > 1 || plans.some((p) => p.cleanup?.includes(RID))) {
        rid = pickLocalName(ctx, fnPath, 'tmpId');
        ridDeclaration = `const ${rid} = ${uuid}();`;
      } else {
        rid = `${uuid}()`;
      }
    }
  }
  let rm: string | undefined;
  const fill = (text: string) =>
    text
      .split(RID)
      .join(rid ?? '')
      .split(RM)
      .join(rm ?? 'rmSync');

  const body = fn.body ?? fn.value?.body;
  const statements: AstNode[] = body?.type === 'BlockStatement' ? body.body : [];
  if (ridDeclaration) {
    if (!statements.length) return;
    ctx.edits.insert(getLeadingCommentStart(ctx, statements[0]), `${ctx.edits.indentAt(statements[0].start)}${ridDeclaration}\n`, { indent: false });
  }

  // One try/finally for all cleanups where possible. A directory from mkdtemp is declared by the
  // statement that creates it, so a cleanup of it can only join a try that starts after that.
  const moved = new Map<AstNode, TextEdit[]>();
  for (const plan of plans) for (const d of plan.moves) if (!moved.has(d)) moved.set(d, []);
  const firstRef = new Map<AstNode, number>();
  for (const d of moved.keys()) {
    const refs = findReferences(ctx, d.id.name, ctx.programScope).filter((r) => r.node !== d.id);
    firstRef.set(d, Math.min(...refs.map((r) => getBodyStatementIndex(fn, r)).filter((i) => i >= 0)));
  }
  interface Block {
    start: number;
    lines: string[];
    plans: Plan[];
  }
  const blocks: Block[] = [];
  const wanted = plans
    .filter((p) => p.cleanup)
    .map((plan) => {
      const uses = plan.group.uses.map((u) => u.index).filter((i) => i >= 0);
      const refs = plan.moves.map((d) => firstRef.get(d) ?? Infinity);
      const start = plan.mkdtemp ? plan.mkdtemp.index + 1 : Math.min(...uses, ...refs);
      return { plan, start, decl: plan.mkdtemp ? plan.mkdtemp.index : -1 };
    })
    .sort((a, b) => a.start - b.start);
  for (const w of wanted) {
    if (!Number.isFinite(w.start) || w.start >= statements.length || !canWrapInTryFinally(ctx, fn, w.start)) {
      w.plan.cleanupWhyNot = w.start >= statements.length ? 'nothing follows its creation in this function' : 'the function body is written on one line';
      w.plan.cleanup = undefined;
      continue;
    }
    const last = blocks[blocks.length - 1];
    if (last && w.decl < last.start) {
      last.lines.push(w.plan.cleanup!);
      last.plans.push(w.plan);
    } else {
      blocks.push({ start: w.start, lines: [w.plan.cleanup!], plans: [w.plan] });
    }
  }
  // Edits, routed into the text of module constants that move.
  const movedRanges = [...moved.keys()];
  for (const plan of plans) {
    for (const e of plan.edits) {
      const holder = movedRanges.find((d) => e.start >= d.start && e.end <= d.end);
      if (holder) moved.get(holder)!.push(e);
      else ctx.edits.replace(e.start, e.end, fill(e.text));
    }
  }
  for (const [declarator, edits] of moved) {
    // Declared before the try that cleans its file up (so `finally` sees it), else before its first use.
    const block = blocks.find((b) => b.plans.some((p) => p.moves.includes(declarator)));
    const index = block ? block.start : firstRef.get(declarator)!;
    const statement = statements[index];
    if (!statement) continue;
    let text = ctx.source.slice(declarator.start, declarator.end);
    for (const e of [...edits].sort((a, b) => b.start - a.start)) {
      text = text.slice(0, e.start - declarator.start) + fill(e.text) + text.slice(e.end - declarator.start);
    }
    const declaration = findDeclaration(ctx, declarator);
    const indent = ctx.edits.indentAt(statement.start);
    const comments = declaration.declarations.length === 1 ? movableComments(ctx, declaration) : undefined;
    const commentText = comments
      ? ctx.source
          .slice(comments.start, ctx.edits.lineStart(declaration.start))
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => `${indent}${l.trim()}\n`)
          .join('')
      : '';
    ctx.edits.insert(getLeadingCommentStart(ctx, statement), `${commentText}${indent}const ${text};\n`, { indent: !block });
    if (declaration.declarations.length === 1) removeStatement(ctx, declaration.exportParent ?? declaration, comments?.start);
    else ctx.edits.replace(declarator.start, nextDeclaratorStart(declaration, declarator), '');
  }
  for (const plan of plans) {
    if (plan.mkdtemp) ctx.edits.replace(plan.mkdtemp.statement.start, plan.mkdtemp.statement.end, fill(plan.mkdtemp.text));
  }
  if (blocks.length) rm = ensureImportedName(ctx, ['node:fs', 'fs'], 'rmSync');
  if (blocks.length && rm) {
    wrapInTryFinally(
      ctx,
      fn,
      blocks.map((b) => ({ start: b.start, finallyLines: b.lines.map(fill) })),
    );
  } else {
    for (const b of blocks) for (const p of b.plans) [p.cleanup, p.cleanupWhyNot] = [undefined, '`rmSync` is taken by another binding'];
  }
  // After the moved declarations, so a marker sits right above the statement it is about.
  for (const plan of plans) if (!plan.cleanup) noteNoCleanup(ctx, plan, plan.cleanupWhyNot);
}

/**
 * Adds to each group the other expressions of the function that evaluate to a path with the
 * group's root (a helper argument, a child-process argument, a returned value, a local), so
 * that they are rewritten with the fs uses or, when one of them cannot be, none is.
 */
function addMentions(env: PathEnv, fnPath: AstPath, groups: Group[]): void {
  const fn = fnPath.node;
  const byRoot = new Map(groups.map((g) => [g.root, g]));
  // What the fs uses already cover: their argument expressions and the nodes of their pieces.
  const covered: Array<[number, number]> = [];
  for (const g of groups) {
    for (const u of g.uses) {
      covered.push([u.expr.node.start, u.expr.node.end]);
      for (const p of u.pieces) covered.push([p.node.start, p.node.end]);
    }
  }
  const overlaps = (node: AstNode) => covered.some(([s, e]) => node.start < e && s < node.end);
  const body = fn.body ?? fn.value?.body;
  if (!body) return;
  const visit = (path: AstPath): void => {
    const node = path.node;
    if (!node || typeof node.type !== 'string') return;
    const candidate =
      (node.type === 'StringLiteral' ||
        (node.type === 'Literal' && typeof node.value === 'string') ||
        node.type === 'TemplateLiteral' ||
        node.type === 'BinaryExpression' ||
        node.type === 'CallExpression') &&
      !overlaps(node);
    if (candidate) {
      const use = evaluateUse(env, path, 'write');
      const group = use && byRoot.get(use.root);
      if (use && group) {
        use.mention = true;
        use.topFn = fnPath;
        use.index = getBodyStatementIndex(fn, path);
        group.uses.push(use);
        covered.push([node.start, node.end]);
        return;
      }
    }
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'comments' || key === 'leadingComments' || key === 'trailingComments' || key === 'type') continue;
      const child = node[key];
      if (Array.isArray(child)) child.forEach((_, i) => visit(path.get(key, i)));
      else if (child && typeof child === 'object' && typeof child.type === 'string') visit(path.get(key));
    }
  };
  visit(fnPath.get(fn.body ? 'body' : 'value'));
  for (const g of groups) g.uses.sort((a, b) => a.expr.node.start - b.expr.node.start);
  // The path inside a longer text (`execSync(`gzip /tmp/report.csv`)`) cannot get the same
  // rewrite: the group is left alone, with a marker.
  env.ctx
    .j(body)
    .find(env.ctx.j.Node)
    .forEach((p: AstPath) => {
      const node = p.node;
      const texts: string[] =
        node.type === 'TemplateLiteral'
          ? node.quasis.map((q: AstNode) => q.value.cooked ?? q.value.raw)
          : (node.type === 'StringLiteral' || node.type === 'Literal') && typeof node.value === 'string'
            ? [node.value]
            : [];
      if (texts.length === 0 || overlaps(node)) return;
      for (const g of groups) {
        // A root with a dynamic part (a placeholder character, or `${...}`) has no one text to look for.
        if (g.namedIn || g.root.includes('\u0001') || g.root.includes('\u0002') || g.root.includes('$')) continue;
        if (texts.some((t) => containsPath(t, g.root))) g.namedIn = sourceOf(env.ctx, node);
      }
    });
}

/** Does `text` name `root` (followed by the end, `/`, `.`, a quote or a space, not more name)? */
function containsPath(text: string, root: string): boolean {
  for (let i = text.indexOf(root); i >= 0; i = text.indexOf(root, i + 1)) {
    const next = text[i + root.length];
    if (next === undefined || !/[\w-]/.test(next)) return true;
  }
  return false;
}

/** The `//` comment lines right above a module-level declaration (not a file header): they describe it and move with it. */
function movableComments(ctx: RecipeContext, declaration: AstNode): { start: number } | undefined {
  const start = getLeadingCommentStart(ctx, declaration);
  if (start === ctx.edits.lineStart(declaration.start)) return undefined;
  if (ctx.source.slice(0, start).trim() === '') return undefined;
  if (
    !ctx.source
      .slice(start, ctx.edits.lineStart(declaration.start))
      .split('\n')
      .every((l) => l.trim() === '' || l.trim().startsWith('//'))
  )
    return undefined;
  return { start };
}

function noteNoCleanup(ctx: RecipeContext, plan: Plan, why: string | undefined): void {
  const first = plan.group.uses[0]!;
  const statement = getEnclosingStatement(first.callPath ?? first.expr);
  if (statement) {
    addMarkerComment(
      ctx,
      statement.node,
      `\`${display(plan.group.root)}\` now gets a unique name but is not removed here (${why ?? 'see above'}): remove it once it is no longer needed.`,
    );
  }
}

/** Does this call create the group's root directory (itself, or as a parent)? */
function createsRoot(use: Use): boolean {
  if (!use.fn?.creates) return false;
  if (!use.hasRest || use.fn.creates === 'parents') return true;
  return /^(ensureDir|mkdirp|mkdirs|emptyDir)/.test(use.method ?? '') || isRecursive(use);
}

function isRecursive(use: Use): boolean {
  const options = use.call?.arguments[1];
  return !!options && options.type === 'ObjectExpression' && options.properties.some((p: AstNode) => (p.key?.name ?? p.key?.value) === 'recursive');
}

/**
 * A directory made once at init by `mkdtemp` (`const WORK = mkdtempSync(...)` at module scope)
 * moves into the function: each invocation makes its own, and removes it.
 */
function planInitTemp(ctx: RecipeContext, fnPath: AstPath, group: Group): Plan | string | undefined {
  const use = group.uses[0]!;
  const piece = use.pieces[use.flat[0]!.piece]!;
  if (!piece.initTemp) return undefined;
  const via = piece.via.find((v) => v.scope === 'module');
  if (!via || !canMove(ctx, via, fnPath.node)) {
    return `\`${via?.name ?? display(group.root)}\` is a directory made once at init by mkdtemp, so every invocation shares it: create it in the handler instead (one per request) and remove it in a finally.`;
  }
  const plan: Plan = { group, edits: [], moves: [via.declarator] };
  const escape = findEscape(ctx, fnPath, group);
  if (escape) plan.cleanupWhyNot = escape;
  else plan.cleanup = `${RM}(${via.name}, { recursive: true, force: true });`;
  return plan;
}

/**
 * A work directory created by the first statement that touches it becomes `mkdtemp`: the
 * statement turns into `const <dir> = mkdtempSync('<root>-')` and every path under it is
 * rewritten to start from `<dir>`.
 */
function planMkdtemp(ctx: RecipeContext, env: PathEnv, fnPath: AstPath, group: Group): Plan | undefined {
  if (!group.isDir) return undefined;
  const creator = group.uses[0]!;
  if (creator.hasRest || creator.fn?.creates !== 'dir' || creator.index < 0) return undefined;
  const fn = fnPath.node;
  const statements: AstNode[] = (fn.body ?? fn.value.body).body;
  const statement = statements[creator.index];
  if (statement.type !== 'ExpressionStatement') return undefined;
  const awaited = statement.expression.type === 'AwaitExpression';
  const call = awaited ? statement.expression.argument : statement.expression;
  if (call !== creator.call) return undefined;
  if (group.uses.slice(1).some((u) => u.index <= creator.index || u.index < 0)) return undefined;
  const mkdtemp = mkdtempCallee(ctx, env, creator, awaited);
  if (!mkdtemp) return undefined;
  const dirVar = pickLocalName(ctx, fnPath, dirName(group.root));
  const edits: TextEdit[] = [];
  for (const use of group.uses.slice(1)) {
    const e = replacePrefixIn(ctx, env, use.expr, use.segEnd, dirVar, 0);
    if (!e) return undefined;
    edits.push(...e);
  }
  const prefix = prefixArgument(ctx, creator);
  const text = `const ${dirVar} = ${awaited ? 'await ' : ''}${mkdtemp}(${prefix});`;
  const plan: Plan = { group, edits, moves: [], mkdtemp: { statement, index: creator.index, text, dirVar } };
  const escape = findEscape(ctx, fnPath, group);
  if (escape) plan.cleanupWhyNot = escape;
  else plan.cleanup = `${RM}(${dirVar}, { recursive: true, force: true });`;
  return plan;
}

/** `mkdirSync` -> `mkdtempSync` from the same module binding; undefined when not possible. */
function mkdtempCallee(ctx: RecipeContext, env: PathEnv, creator: Use, awaited: boolean): string | undefined {
  const callee = creator.call.callee;
  const resolved = resolveImportedCallee(ctx, env.imports, creator.callPath!.get('callee'));
  if (!resolved) return undefined;
  const sync = creator.method!.endsWith('Sync');
  const promiseModule = resolved.module.endsWith('/promises') || resolved.path[0] === 'promises' || resolved.module.startsWith('fs-extra');
  if (!sync && !(awaited && promiseModule)) return undefined;
  const name = sync ? 'mkdtempSync' : 'mkdtemp';
  if (callee.type === 'MemberExpression') return `${sourceOf(ctx, callee.object)}.${name}`;
  if (callee.type !== 'Identifier') return undefined;
  // `import { mkdir } from 'fs/promises'` used only here becomes `import { mkdtemp } ...`.
  const imp = resolved.import;
  const already = env.imports.find((i) => i.module === resolved.module && i.imported === name);
  if (
    imp?.specifier &&
    imp.local === callee.name &&
    !already &&
    findReferences(ctx, imp.local, ctx.programScope).length === 1 &&
    !ctx.programScope.declares(name)
  ) {
    ctx.edits.replace(imp.specifier.start, imp.specifier.end, imp.kind === 'cjs' ? name : name);
    return name;
  }
  const result = ensureImportedName(ctx, [resolved.module], name);
  if (imp && !already) removeImportSpecifier(ctx, imp, [callee]);
  return result;
}

/** The creator's path with `-` appended: the `mkdtemp` prefix (`'/tmp/work'` -> `'/tmp/work-'`). */
function prefixArgument(ctx: RecipeContext, creator: Use): string {
  const node = creator.expr.node;
  const src = sourceOf(ctx, node);
  if (node.type === 'StringLiteral' || (node.type === 'Literal' && typeof node.value === 'string')) return ctx.str(`${node.value}-`);
  if (node.type === 'TemplateLiteral') return `${src.slice(0, -1)}-\``;
  if (node.type === 'CallExpression' && node.arguments.length) {
    const last = node.arguments[node.arguments.length - 1];
    if (last.type === 'StringLiteral' || (last.type === 'Literal' && typeof last.value === 'string')) {
      return ctx.source.slice(node.start, last.start) + ctx.str(`${last.value}-`) + ctx.source.slice(last.end, node.end);
    }
  }
  return `\`\${${src}}-\``;
}

/** Rewrites a path expression so that its first `length` characters (the root) become `dirVar`. */
function replacePrefixIn(ctx: RecipeContext, env: PathEnv, exprPath: AstPath, length: number, dirVar: string, depth: number): TextEdit[] | undefined {
  if (depth > 4) return undefined;
  let path = exprPath;
  while (path.node.type === 'TSAsExpression' || path.node.type === 'TSNonNullExpression') path = path.get('expression');
  const node = path.node;
  const pieces = getPathPieces(env, path);
  const text = pieces.map((p) => (p.kind === 'text' || p.kind === 'tmpdir' ? p.text : '\u0001')).join('');
  const replaceWhole = (rest: string): TextEdit[] => [
    { start: node.start, end: node.end, text: rest === '' ? dirVar : `\`\${${dirVar}}${escapeTemplate(rest)}\`` },
  ];
  if (node.type === 'Identifier') {
    if (text.length === length) return [{ start: node.start, end: node.end, text: dirVar }];
    const via = pieces[0]?.via[0];
    if (via?.scope === 'local' && via.declarator) {
      return replacePrefixIn(ctx, env, findDeclaratorInit(ctx, via.declarator), length, dirVar, depth + 1);
    }
    return undefined;
  }
  if (node.type === 'StringLiteral' || (node.type === 'Literal' && typeof node.value === 'string')) return replaceWhole(node.value.slice(length));
  if (node.type === 'TemplateLiteral') {
    // Only when every expression before the end of the prefix is static (tmpdir(), constants).
    let consumed = 0;
    for (let i = 0; i < node.quasis.length; i++) {
      const q = node.quasis[i];
      const cooked: string = q.value.cooked ?? q.value.raw;
      if (consumed + cooked.length >= length) {
        if (q.value.raw !== cooked) return undefined;
        const offset = length - consumed;
        const tail = ctx.source.slice(q.start + offset, node.end - 1);
        return [{ start: node.start, end: node.end, text: tail === '' ? dirVar : `\`\${${dirVar}}${tail}\`` }];
      }
      consumed += cooked.length;
      if (i < node.expressions.length) {
        const sub = getPathPieces(env, path.get('expressions', i));
        if (sub.some((p) => p.kind !== 'text' && p.kind !== 'tmpdir')) return undefined;
        consumed += sub.reduce((n, p) => n + p.text.length, 0);
      }
    }
    return undefined;
  }
  if (node.type === 'CallExpression' && node.arguments.length) {
    let consumed = 0;
    for (let i = 0; i < node.arguments.length; i++) {
      if (i > 0) consumed += 1;
      const arg = node.arguments[i];
      const sub = getPathPieces(env, path.get('arguments', i));
      const len = sub.reduce((n, p) => n + (p.kind === 'text' || p.kind === 'tmpdir' ? p.text.length : 1), 0);
      if (consumed + len === length) {
        return [{ start: node.arguments[0].start, end: arg.end, text: dirVar }];
      }
      if (consumed + len > length) {
        if (!(arg.type === 'StringLiteral' || (arg.type === 'Literal' && typeof arg.value === 'string'))) return undefined;
        const rest = (arg.value as string).slice(length - consumed).replace(/^\/+/, '');
        return [{ start: node.arguments[0].start, end: arg.end, text: rest ? `${dirVar}, ${ctx.str(rest)}` : dirVar }];
      }
      consumed += len;
    }
    return undefined;
  }
  if (node.type === 'BinaryExpression') {
    const operands: AstPath[] = [];
    const collect = (p: AstPath) => {
      if (p.node.type === 'BinaryExpression' && p.node.operator === '+') {
        collect(p.get('left'));
        collect(p.get('right'));
      } else operands.push(p);
    };
    collect(path);
    let consumed = 0;
    for (const op of operands) {
      const sub = getPathPieces(env, op);
      const len = sub.reduce((n, p) => n + (p.kind === 'text' || p.kind === 'tmpdir' ? p.text.length : 1), 0);
      if (consumed + len === length) return [{ start: node.start, end: op.node.end, text: dirVar }];
      if (consumed + len > length) {
        const arg = op.node;
        if (!(arg.type === 'StringLiteral' || (arg.type === 'Literal' && typeof arg.value === 'string'))) return undefined;
        return [{ start: node.start, end: arg.end, text: `${dirVar} + ${ctx.str((arg.value as string).slice(length - consumed))}` }];
      }
      consumed += len;
    }
  }
  return undefined;
}

/**
 * The request id goes into the first segment under /tmp: before the extension for a file,
 * at the end for a directory. The literal holding that character is edited; a module constant
 * holding it moves into the function.
 */
function planSuffix(ctx: RecipeContext, fnPath: AstPath, group: Group): Plan | string {
  const shown = display(group.root);
  const edits: TextEdit[] = [];
  const moves = new Set<AstNode>();
  const fn = fnPath.node;
  for (const use of group.uses) {
    const at = insertionPoint(use, group.isDir);
    const edit = editAt(ctx, use, at, group.isDir, fn);
    if (typeof edit === 'string') return edit.replace('{path}', shown);
    if (edit.move) moves.add(edit.move);
    if (!edits.some((e) => e.start === edit.edit.start && e.end === edit.edit.end)) edits.push(edit.edit);
  }
  const plan: Plan = { group, edits, moves: [...moves] };
  if (group.uses.some((u) => u.pieces.some((p) => p.kind === 'opaque'))) {
    // An imported constant of unknown value: only a directory root can be suffixed safely.
    if (!group.isDir)
      return `\`${shown}\` comes from another module and names one file for every invocation: make it a function of the request id there and call it here.`;
  }
  const escape = findEscape(ctx, fnPath, group);
  const cleanupPath = buildCleanupPath(ctx, group, fnPath, moves);
  if (escape) plan.cleanupWhyNot = escape;
  else if (!cleanupPath) plan.cleanupWhyNot = 'its name cannot be rebuilt in `finally`';
  else if (!isAsync(fn) && returnsPromise(ctx, fn)) plan.cleanupWhyNot = 'the function returns a promise without awaiting it';
  // recursive: a path that is not created as a directory here may still be one (a `cp` target).
  else plan.cleanup = `${RM}(${cleanupPath}, { recursive: true, force: true });`;
  return plan;
}

/**
 * A plain (non-async) function that hands back a promise (`new Promise`, `.then`) may still
 * use the file after it returns, that is after `finally`.
 */
function returnsPromise(ctx: RecipeContext, fn: AstNode): boolean {
  const body = fn.body ?? fn.value?.body;
  return (
    ctx
      .j(body)
      .find(ctx.j.NewExpression, { callee: { name: 'Promise' } })
      .size() > 0 ||
    ctx
      .j(body)
      .find(ctx.j.MemberExpression, { property: { name: 'then' } })
      .size() > 0
  );
}

function insertionPoint(use: Use, isDir: boolean): number {
  if (isDir) return use.segEnd;
  // Before the extension, when the first segment is the file name and its end is static text.
  const segText = use.text.slice(0, use.segEnd);
  const lastDyn = Math.max(segText.lastIndexOf('\u0001'), segText.lastIndexOf('\u0002'));
  const slash = segText.lastIndexOf('/');
  const dot = segText.lastIndexOf('.');
  if (dot > slash + 1 && dot > lastDyn) return dot;
  return use.segEnd;
}

type EditAt = { edit: TextEdit; move?: AstNode } | string;

function editAt(ctx: RecipeContext, use: Use, at: number, isDir: boolean, fn: AstNode): EditAt {
  const tryPiece = (flatIndex: number, atEnd: boolean): EditAt | undefined => {
    const f = use.flat[flatIndex];
    if (!f) return undefined;
    const piece = use.pieces[f.piece]!;
    if (piece.kind !== 'text' || piece.sep) return undefined;
    if (piece.via.some((v) => v.scope === 'import')) return undefined;
    const offset = f.offset + (atEnd ? 1 : 0);
    const moduleVia = piece.via.find((v) => v.scope === 'module');
    if (moduleVia && !canMove(ctx, moduleVia, fn))
      return `{path}: the constant \`${moduleVia.name}\` holding it is also used outside this function: give this function its own request-unique path.`;
    const edit = insertIntoLiteral(piece, offset);
    if (!edit) return undefined;
    return { edit, move: moduleVia?.declarator };
  };
  const result = tryPiece(at, false) ?? tryPiece(at - 1, true);
  if (result) return result;
  const imported = [use.flat[at], use.flat[at - 1]].map((f) => (f ? use.pieces[f.piece]!.via.find((v) => v.scope === 'import') : undefined)).find(Boolean);
  if (imported && !isDir) {
    return `\`${imported.name}\` comes from another module and names one file for every invocation: make it a function of the request id there and call it here.`;
  }
  // No literal at that place: wrap an identifier (an imported or dynamic part) that ends there.
  const before = use.flat[at - 1];
  if (before && (isDir || at === use.text.length)) {
    const piece = use.pieces[before.piece]!;
    const endsHere = !use.flat[at] || use.flat[at]!.piece !== before.piece;
    if (endsHere && (piece.kind === 'opaque' || piece.kind === 'dyn' || (piece.kind === 'text' && piece.via.some((v) => v.scope === 'import')))) {
      const node = piece.via.length ? piece.via[0]!.ref : piece.node;
      if (piece.via.some((v) => v.scope === 'module' || v.scope === 'local') && !piece.via.some((v) => v.scope === 'import'))
        return '{path}: cannot find where to add the request id; build it from `context.awsRequestId` or `randomUUID()` by hand.';
      return { edit: { start: node.start, end: node.end, text: `\`\${${sourceOf(ctx, node)}}-\${${RID}}\`` } };
    }
  }
  return '{path}: cannot find where to add the request id; build it from `context.awsRequestId` or `randomUUID()` by hand.';
}

function insertIntoLiteral(piece: Piece, offset: number): TextEdit | undefined {
  const node = piece.node;
  if (piece.quasi !== undefined) {
    const q = node.quasis[piece.quasi];
    if (q.value.raw !== (q.value.cooked ?? q.value.raw)) return undefined;
    return { start: q.start + offset, end: q.start + offset, text: `-\${${RID}}` };
  }
  if (node.type === 'StringLiteral' || (node.type === 'Literal' && typeof node.value === 'string')) {
    const value: string = node.value;
    return { start: node.start, end: node.end, text: `\`${escapeTemplate(value.slice(0, offset))}-\${${RID}}${escapeTemplate(value.slice(offset))}\`` };
  }
  return undefined;
}

function canMove(ctx: RecipeContext, via: Via, fn: AstNode): boolean {
  const declarator = via.declarator;
  if (!declarator || declarator.id.type !== 'Identifier') return false;
  // Moving runs the initializer once per call: only for plain path expressions (and mkdtemp, whose
  // per-call run is the point).
  const calls = ctx.j(declarator.init).find(ctx.j.CallExpression).nodes();
  const allowed = /^(path\.|os\.|join|resolve|tmpdir|[\w$]+\.(join|resolve|tmpdir|mkdtempSync|mkdtemp)$|mkdtemp)/;
  if (calls.some((c: AstNode) => !allowed.test(ctx.source.slice(c.callee.start, c.callee.end)))) return false;
  const declaration = findDeclaration(ctx, declarator);
  if (declaration.exportParent) return false;
  const refs = findReferences(ctx, via.name, ctx.programScope).filter((r) => r.node !== declarator.id);
  if (refs.length === 0) return false;
  return (
    refs.every((r) => {
      const top = getTopLevelFunction(r);
      return top?.node === fn && r.parent?.node.type !== 'ExportSpecifier';
    }) && !exportedByCommonJS(ctx, via.name)
  );
}

function exportedByCommonJS(ctx: RecipeContext, name: string): boolean {
  return (
    ctx.root
      .find(ctx.j.AssignmentExpression)
      .filter((p: AstPath) => {
        const left = p.node.left;
        const src = ctx.source.slice(left.start, left.end);
        return /^(module\.)?exports\b/.test(src) && ctx.source.slice(p.node.right.start, p.node.right.end).includes(name);
      })
      .size() > 0
  );
}

function findDeclaration(ctx: RecipeContext, declarator: AstNode): AstNode & { exportParent?: AstNode } {
  let found: (AstNode & { exportParent?: AstNode }) | undefined;
  ctx.root.find(ctx.j.VariableDeclaration).forEach((p: AstPath) => {
    if (p.node.declarations.includes(declarator)) {
      found = p.node;
      if (p.parent?.node.type === 'ExportNamedDeclaration') found!.exportParent = p.parent.node;
      else delete found!.exportParent;
    }
  });
  return found!;
}

function findDeclaratorInit(ctx: RecipeContext, declarator: AstNode): AstPath {
  let found: AstPath | undefined;
  ctx.root.find(ctx.j.VariableDeclarator).forEach((p: AstPath) => {
    if (p.node === declarator) found = p.get('init');
  });
  return found!;
}

function nextDeclaratorStart(declaration: AstNode, declarator: AstNode): number {
  const list: AstNode[] = declaration.declarations;
  const i = list.indexOf(declarator);
  if (i < list.length - 1) return list[i + 1].start;
  // The last declarator: remove the comma before it instead.
  return declarator.end;
}

/**
 * Does the path leave the function, so that removing it in `finally` could break the caller?
 * Every use must be consumed inside the function: a synchronous fs call, or an awaited one.
 */
function findEscape(ctx: RecipeContext, fnPath: AstPath, group: Group): string | undefined {
  const fn = fnPath.node;
  const checked = new Set<AstNode>();
  const pathLocals = new Set<AstNode>();
  for (const use of group.uses) for (const p of use.pieces) for (const v of p.via) if (v.declarator) pathLocals.add(v.declarator);
  if (group.uses.some((u) => u.mention)) return 'the path is also passed outside file-system calls';
  for (const use of group.uses) {
    const why = escapeOf(use.callPath!, fn, use.method!);
    if (why) return why;
    // Constants holding the path (`const out = path.join(...)`, a moved module constant): each of
    // their uses in the function must be consumed too.
    for (const p of use.pieces) {
      for (const v of p.via) {
        if (v.scope === 'import' || !v.declarator || checked.has(v.declarator)) continue;
        checked.add(v.declarator);
        const scope = v.scope === 'module' ? ctx.programScope : findScopeOf(ctx, v.declarator);
        if (!scope) continue;
        for (const ref of findReferences(ctx, v.name, scope)) {
          if (ref.node === v.declarator.id || getTopLevelFunction(ref)?.node !== fn) continue;
          const call = enclosingFsCall(ctx, ref, pathLocals);
          if (call === 'derived') continue;
          if (!call) return `\`${v.name}\` leaves the function`;
          const w = escapeOf(call.path, fn, call.method);
          if (w) return w;
        }
      }
    }
  }
  // Other mentions of the path in the function (a returned literal) leave it too.
  let mentioned = false;
  ctx
    .j(fn)
    .find(ctx.j.Literal)
    .forEach((p: AstPath) => {
      if (typeof p.node.value !== 'string') return;
      if (group.uses.some((u) => u.pieces.some((x) => x.node === p.node))) return;
      const v: string = p.node.value;
      if (v === group.root || v.startsWith(`${group.root}/`) || v.startsWith(`${group.root}.`)) mentioned = true;
    });
  if (mentioned) return 'the path is also named outside file-system calls';
  return undefined;
}

function escapeOf(callPath: AstPath, fn: AstNode, method: string): string | undefined {
  // Inside a callback: it may run after the function returned.
  for (let p = callPath.parent; p && p.node !== fn; p = p.parent) {
    if (isFunctionNode(p.node)) return 'it is used inside a callback';
  }
  if (method === 'createReadStream' || method === 'createWriteStream') return 'a stream uses it after the call returns';
  if (method.endsWith('Sync')) return undefined;
  const parent = callPath.parent?.node;
  if (parent?.type === 'AwaitExpression') return undefined;
  // `return writeFile(...)` in an async function is awaited by the caller, after `finally`.
  return 'an fs call using it is not awaited';
}

/**
 * The fs call consuming a reference (through `path.join`/templates), `'derived'` when it only
 * builds another path constant of the group (checked on its own), or undefined when it goes
 * anywhere else.
 */
function enclosingFsCall(ctx: RecipeContext, ref: AstPath, pathLocals: Set<AstNode>): { path: AstPath; method: string } | 'derived' | undefined {
  const imports = getModuleImports(ctx);
  for (let p = ref.parent; p; p = p.parent) {
    const node = p.node;
    if (node.type === 'CallExpression') {
      const callee = resolveImportedCallee(ctx, imports, p.get('callee'));
      const fs = callee && getFsFunction(callee.module, callee.path);
      if (fs) return { path: p, method: fs.name };
      if (!(callee && /^(node:)?path(\/posix)?$/.test(callee.module))) return undefined;
      continue;
    }
    if (node.type === 'VariableDeclarator') return pathLocals.has(node) ? 'derived' : undefined;
    if (node.type === 'TemplateLiteral' || node.type === 'BinaryExpression' || node.type === 'AwaitExpression' || node.type === 'TSAsExpression') continue;
    return undefined;
  }
  return undefined;
}

function findScopeOf(ctx: RecipeContext, declarator: AstNode): AstPath['scope'] | undefined {
  let scope: AstPath['scope'] | undefined;
  ctx.root.find(ctx.j.VariableDeclarator).forEach((p: AstPath) => {
    if (p.node === declarator) scope = p.get('id').scope.lookup(declarator.id.name);
  });
  return scope;
}

/**
 * The request-unique root, as an expression that can be evaluated in `finally`: static text,
 * the tmpdir() call and event data read from the handler's parameters.
 */
function buildCleanupPath(ctx: RecipeContext, group: Group, fnPath: AstPath, moved: ReadonlySet<AstNode>): string | undefined {
  // A moved constant naming exactly the root is declared before the try: use its name.
  for (const u of group.uses) {
    const via = u.pieces[0]?.via[0];
    if (u.expr.node.type === 'Identifier' && via && moved.has(via.declarator) && u.text.length === u.segEnd && u.pieces.every((p) => p.via[0] === via)) {
      return via.name;
    }
  }
  const use = group.uses[0]!;
  const at = insertionPoint(use, group.isDir);
  // A constant (not moved into the function) that spells part of the root is kept by name.
  const constantAt = (i: number): Via | undefined => {
    const via = use.pieces[use.flat[i]!.piece]!.via[0];
    return via && (via.scope === 'import' || (via.scope === 'module' && !moved.has(via.declarator))) ? via : undefined;
  };
  let out = '';
  for (let i = 0; i < use.segEnd; i++) {
    if (i === at) out += `-\${${RID}}`;
    const constant = constantAt(i);
    if (constant) {
      let end = i;
      while (end + 1 < use.segEnd && constantAt(end + 1) === constant) end++;
      if (!(at > i && at <= end)) {
        out += `\${${sourceOf(ctx, constant.ref)}}`;
        i = end;
        continue;
      }
    }
    const f = use.flat[i]!;
    const piece = use.pieces[f.piece]!;
    if (piece.kind === 'tmpdir') {
      if (f.offset === 0) out += `\${${sourceOf(ctx, piece.node)}}`;
    } else if (piece.kind === 'text') {
      out += escapeTemplate(use.text[i]!);
    } else if (piece.kind === 'opaque') {
      out += `\${${sourceOf(ctx, piece.node)}}`;
    } else {
      if (!piece.pure || !isInScopeAtEnd(ctx, fnPath, piece.node)) return undefined;
      out += `\${${sourceOf(ctx, piece.node)}}`;
    }
  }
  if (at >= use.segEnd) out += `-\${${RID}}`;
  return `\`${out.replace(/\/+/g, '/')}\``;
}

/** Every identifier of the expression is a parameter of the function or lives outside it. */
/** The expression reads a parameter of the function (still there in `finally`), not a local. */
function isInScopeAtEnd(ctx: RecipeContext, fnPath: AstPath, node: AstNode): boolean {
  const root = rootName(node);
  if (!root) return false;
  const params: AstNode[] = fnPath.node.params ?? fnPath.node.value?.params ?? [];
  const declaresParam = params.some((param) =>
    ctx.source
      .slice(param.start, param.end)
      .split(/[^\w$]/)
      .includes(root),
  );
  // A local of the same name declared in the body would shadow the parameter.
  const shadowed =
    ctx
      .j(fnPath.node.body ?? fnPath.node.value?.body)
      .find(ctx.j.VariableDeclarator, { id: { name: root } })
      .size() > 0;
  return declaresParam && !shadowed;
}

function rootName(node: AstNode): string | undefined {
  let n = node;
  while (n && (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression')) n = n.object;
  return n?.type === 'Identifier' ? n.name : undefined;
}

function pickLocalName(ctx: RecipeContext, fnPath: AstPath, base: string): string {
  const taken = (name: string) => ctx.j(fnPath).find(ctx.j.Identifier, { name }).size() > 0 || ctx.programScope.declares(name);
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
}

/** `/tmp/job` -> `jobDir`, `${SCRATCH_DIR}` -> `scratchDir`. */
function dirName(root: string): string {
  const last =
    root
      .replace(/\$\{([^}]*)\}/g, '$1')
      .split('/')
      .filter(Boolean)
      .pop() ?? 'work';
  const words = last
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .toLowerCase()
    .split(' ')
    .filter((w) => w && w !== 'dir' && w !== 'tmp');
  if (words.length === 0) return 'workDir';
  const camel = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  return /^[A-Za-z_$]/.test(camel) ? `${camel}Dir` : `dir${camel}`;
}

function display(root: string): string {
  // eslint-disable-next-line no-control-regex -- the placeholders are control characters on purpose
  return root.replace(/\u0001|\u0002/g, '…');
}

function sourceOf(ctx: RecipeContext, node: AstNode): string {
  return ctx.source.slice(node.start, node.end);
}

function escapeTemplate(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}
