/**
 * @fileoverview Rule kit: writes to a field of a module-level object (`this.#tokens = …`) that no
 * other invocation can observe, decided from the class's own code.
 *
 * - A **scratch field**: a private field that a synchronous method sets first thing and that only
 *   that method, and private synchronous methods only it calls, read (a parser's token list,
 *   reset on every `parse()`). No other invocation can run while the method runs, and none reads
 *   the field outside it.
 * - A write guarded by an **initialised flag**: the branch runs only while a private flag is
 *   unset, and the constructor sets it to `true` and nothing sets it back (a logger's buffer of
 *   lines written before its constructor finished). The object is built at module level, so the
 *   branch never runs during an invocation.
 */
import { ts } from '../ts.js';
import { isFunctionLike, unwrap } from '../lang/js/ast.js';

const S = ts.SyntaxKind;

type Member = ts.MethodDeclaration | ts.AccessorDeclaration | ts.PropertyDeclaration | ts.ConstructorDeclaration;

/** `this.<name>`, the member's name as written (`#tokens`, `cache`), or undefined. */
function thisMember(node: ts.Node): string | undefined {
  if (!ts.isPropertyAccessExpression(node) || unwrap(node.expression).kind !== S.ThisKeyword) return undefined;
  return node.name.text;
}

/** The field a write to `object` (the receiver of an assignment or mutator) changes: `this.F = …` (object `this`) or `this.F.push(…)`. */
export function writtenField(object: ts.Expression, target: ts.Expression | undefined): string | undefined {
  const o = unwrap(object);
  if (o.kind === S.ThisKeyword) return target ? thisMember(unwrap(target)) : undefined;
  return thisMember(o);
}

function memberName(m: Member): string | undefined {
  if (ts.isConstructorDeclaration(m)) return undefined;
  return ts.isIdentifier(m.name) || ts.isPrivateIdentifier(m.name) ? m.name.text : undefined;
}

function isPrivate(m: Member | undefined, name: string): boolean {
  if (name.startsWith('#')) return true;
  return !!m && !!ts.getModifiers(m)?.some((mod) => mod.kind === S.PrivateKeyword);
}

/** A member's code: a method's body, an arrow function in a property's initialiser. */
function bodyOf(m: Member): ts.Node | undefined {
  if (ts.isPropertyDeclaration(m)) return m.initializer && isFunctionLike(unwrap(m.initializer)) ? m.initializer : undefined;
  return m.body;
}

function isSync(m: Member): boolean {
  const fn = ts.isPropertyDeclaration(m) ? (m.initializer ? unwrap(m.initializer) : undefined) : m;
  if (!fn || !isFunctionLike(fn)) return false;
  const f = fn as ts.FunctionLikeDeclaration;
  if (f.asteriskToken || ts.getModifiers(f)?.some((mod) => mod.kind === S.AsyncKeyword)) return false;
  return !find(f, (n) => ts.isAwaitExpression(n) || ts.isYieldExpression(n));
}

function find(node: ts.Node, test: (n: ts.Node) => boolean): ts.Node | undefined {
  if (test(node)) return node;
  return ts.forEachChild(node, (c) => find(c, test));
}

/** The `this.<member>` names mentioned in `node`. */
function mentioned(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    const name = thisMember(n);
    if (name !== undefined) out.add(name);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

interface EnclosingMethod {
  cls: ts.ClassLikeDeclaration;
  method: Member;
}

function enclosingMethod(node: ts.Node): EnclosingMethod | undefined {
  let p: ts.Node | undefined = node.parent;
  while (p && !isFunctionLike(p)) p = p.parent;
  if (!p) return undefined;
  const member = ts.isArrowFunction(p) || ts.isFunctionExpression(p) ? p.parent : p;
  if (!member || !ts.isClassLike(member.parent)) return undefined;
  if (!(ts.isMethodDeclaration(member) || ts.isAccessor(member) || ts.isPropertyDeclaration(member) || ts.isConstructorDeclaration(member))) return undefined;
  return { cls: member.parent, method: member };
}

function members(cls: ts.ClassLikeDeclaration): Member[] {
  return cls.members.filter((m): m is Member => ts.isMethodDeclaration(m) || ts.isAccessor(m) || ts.isPropertyDeclaration(m) || ts.isConstructorDeclaration(m));
}

/**
 * Is the assignment `write` (`this.F = v`) the reset of a scratch field? See the file overview.
 * The write is a statement of the method's body (or of a `try` block in it) and nothing in the
 * method uses the field, or calls what reads it, before it.
 */
export function isScratchFieldWrite(write: ts.BinaryExpression, field: string): boolean {
  const at = enclosingMethod(write);
  if (!at || ts.isConstructorDeclaration(at.method) || !isSync(at.method)) return false;
  const all = members(at.cls);
  const byName = new Map<string, Member>();
  for (const m of all) {
    const name = memberName(m);
    if (name !== undefined) byName.set(name, m);
  }
  // A private field (`#tokens`, or a `private` property declaration), not a method.
  const declared = byName.get(field);
  if (declared && !ts.isPropertyDeclaration(declared)) return false;
  if (!isPrivate(declared, field)) return false;
  // The write runs whenever the method runs.
  let child: ts.Node = write;
  for (let p: ts.Node | undefined = write.parent; p !== bodyOf(at.method); child = p, p = p.parent) {
    if (!p) return false;
    if (ts.isExpressionStatement(p) || ts.isBlock(p) || (ts.isTryStatement(p) && child === p.tryBlock)) continue;
    return false;
  }
  // The methods the writer's call runs: itself, and the private synchronous methods it (transitively) calls.
  const closure = new Set<Member>([at.method]);
  const queue: Member[] = [at.method];
  while (queue.length) {
    const m = queue.pop()!;
    const body = bodyOf(m);
    if (!body) continue;
    for (const name of mentioned(body)) {
      const callee = byName.get(name);
      if (!callee || closure.has(callee) || !bodyOf(callee)) continue;
      if (!isPrivate(callee, name) || !isSync(callee)) continue;
      closure.add(callee);
      queue.push(callee);
    }
  }
  for (const m of all) {
    if (ts.isConstructorDeclaration(m) || closure.has(m)) continue;
    const uses = mentioned(m);
    // Another member reads the field, or runs the writer's helpers (and reads what another call left).
    if (uses.has(field)) return false;
    for (const c of closure) if (c !== at.method && uses.has(memberName(c)!)) return false;
  }
  // Nothing in the writer uses the field, or its helpers, before the reset.
  const start = write.getStart();
  const helpers = new Set([...closure].filter((c) => c !== at.method).map((c) => memberName(c)!));
  const early = find(bodyOf(at.method)!, (n) => {
    if (n.getEnd() > start) return false;
    const name = thisMember(n);
    return name !== undefined && (name === field || helpers.has(name));
  });
  return early === undefined;
}

/**
 * Does `node` run only while a private flag of its class is unset (`if (this.#ready) … else
 * <node>`, `if (!this.#ready) <node>`), where the constructor sets the flag to `true` and no other
 * member assigns it? Then on an object built at module level it runs only during construction.
 */
export function isBeforeInitFlag(node: ts.Node): boolean {
  const at = enclosingMethod(node);
  if (!at) return false;
  let child: ts.Node = node;
  for (let p: ts.Node | undefined = node.parent; p && p !== at.method; child = p, p = p.parent) {
    if (!ts.isIfStatement(p) || child === p.expression) continue;
    const cond = unwrap(p.expression);
    const flag =
      child === p.thenStatement
        ? ts.isPrefixUnaryExpression(cond) && cond.operator === S.ExclamationToken
          ? thisMember(unwrap(cond.operand))
          : undefined
        : thisMember(cond);
    if (flag !== undefined && setOnlyByConstructor(at.cls, flag)) return true;
  }
  return false;
}

function setOnlyByConstructor(cls: ts.ClassLikeDeclaration, flag: string): boolean {
  const all = members(cls);
  const declared = all.find((m) => ts.isPropertyDeclaration(m) && memberName(m) === flag) as ts.PropertyDeclaration | undefined;
  if (!isPrivate(declared, flag)) return false;
  const ctor = all.find(ts.isConstructorDeclaration);
  const setsTrue = (st: ts.Statement) =>
    ts.isExpressionStatement(st) &&
    ts.isBinaryExpression(st.expression) &&
    st.expression.operatorToken.kind === S.EqualsToken &&
    thisMember(unwrap(st.expression.left)) === flag &&
    unwrap(st.expression.right).kind === S.TrueKeyword;
  if (!ctor?.body?.statements.some(setsTrue)) return false;
  for (const m of all) {
    if (m === ctor) continue;
    const assigns = (n: ts.Node) =>
      ts.isBinaryExpression(n) && n.operatorToken.kind >= S.FirstAssignment && n.operatorToken.kind <= S.LastAssignment && thisMember(unwrap(n.left)) === flag;
    if (find(m, assigns)) return false;
  }
  return true;
}
