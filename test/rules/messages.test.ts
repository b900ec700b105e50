/**
 * @fileoverview Messages state only what the analysis established. Over every finding of every
 * rule fixture: a message that says "request data" must be about a value that an independent,
 * textual def-use pass over the fixture traces back to the handler's `event` or `context`
 * (through declarations, destructuring and loop variables). The pass over-approximates (it
 * ignores scopes), so it can only let a claim through, never invent one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding, Report } from '../../src/types.js';

const RULES_DIR = fileURLToPath(new URL('../../fixtures/rules/', import.meta.url));
const SOURCE = /\.(m|c)?(j|t)sx?$/;
/** The names rule fixtures give the handler's parameters (middy hooks get `request`: the event, context and response). */
const REQUEST_ROOTS = ['event', 'context', 'request'];

function listCases(): Array<{ target: string; cwd: string }> {
  const cases: Array<{ target: string; cwd: string }> = [];
  for (const rule of readdirSync(RULES_DIR)) {
    const ruleDir = path.join(RULES_DIR, rule);
    if (!statSync(ruleDir).isDirectory()) continue;
    for (const entry of readdirSync(ruleDir, { withFileTypes: true })) {
      const target = path.join(ruleDir, entry.name);
      if (entry.isDirectory()) cases.push({ target, cwd: target });
      else if (SOURCE.test(entry.name)) cases.push({ target, cwd: ruleDir });
    }
  }
  return cases;
}

const IDENT = /[A-Za-z_$][\w$]*/g;
const KEYWORDS = new Set(['const', 'let', 'var', 'await', 'new', 'of', 'in', 'for', 'return', 'this', 'typeof', 'true', 'false', 'null', 'undefined']);

function identifiers(text: string): string[] {
  // Property names after a dot are not variables.
  return [
    ...text
      .replace(/\.\s*[A-Za-z_$][\w$]*/g, '.')
      .replace(/(['"`]).*?\1/g, '""')
      .matchAll(IDENT),
  ]
    .map((m) => m[0])
    .filter((w) => !KEYWORDS.has(w));
}

/** The variables an expression reads, including those inside a template's `${…}`. */
function valueNames(text: string): string[] {
  return [...identifiers(text), ...[...text.matchAll(/\$\{([^}]*)\}/g)].flatMap((t) => identifiers(t[1]!))];
}

/** Names the file derives from `event` / `context`, by declarations, destructuring, loops and array callbacks (scopes ignored). */
function requestDerivedNames(source: string): Set<string> {
  const tainted = new Set(REQUEST_ROOTS);
  const flows: Array<{ lhs: string[]; rhs: string[] }> = [];
  for (const m of source.matchAll(/\b(?:const|let|var)\s+([^=;]+?)\s*=\s*([^;\n]+)/g))
    flows.push({ lhs: identifiers(m[1]!.replace(/:[^,}]*/g, '')), rhs: identifiers(m[2]!) });
  for (const m of source.matchAll(/\bfor\s*\(\s*(?:const|let|var)\s+(.+?)\s+of\s+([^)]+)\)/g)) flows.push({ lhs: identifiers(m[1]!), rhs: identifiers(m[2]!) });
  // Array-method callbacks: `event.Records.forEach((record) => ...)` derives the parameters from
  // whatever the line names before the method (the iterated value).
  for (const m of source.matchAll(
    /\.(?:map|flatMap|forEach|filter|some|every|find|findIndex|findLast|findLastIndex|reduce|reduceRight)\(\s*(?:async\s+)?(?:function\s*[\w$]*\s*)?(?:\(([^)]*)\)|([A-Za-z_$][\w$]*)\s*=>)/g,
  )) {
    const lineStart = source.lastIndexOf('\n', m.index) + 1;
    flows.push({ lhs: identifiers(m[1] ?? m[2]!), rhs: identifiers(source.slice(lineStart, m.index)) });
  }
  flows.push(...callFlows(source));
  for (let changed = true; changed;) {
    changed = false;
    for (const { lhs, rhs } of flows) {
      if (!rhs.some((n) => tainted.has(n))) continue;
      for (const n of lhs) if (!tainted.has(n)) changed = tainted.add(n) !== undefined;
    }
  }
  return tainted;
}

const NAME = String.raw`#?[A-Za-z_$][\w$]*`;
const DECLARATIONS = [
  new RegExp(String.raw`\bfunction\s*\*?\s*(${NAME})\s*\(([^)]*)\)`, 'g'),
  new RegExp(String.raw`(${NAME})\s*=\s*(?:async\s*)?\(([^)]*)\)\s*(?::[^=]*)?=>`, 'g'),
  new RegExp(String.raw`^[ \t]*(?:(?:public|private|protected|static|async|override|readonly)\s+)*(${NAME})\s*\(([^)]*)\)\s*(?::[^{;]+)?\{`, 'gm'),
];

/** Splits a call's or declaration's list at its top-level commas. */
function splitList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Flows from call arguments to the parameters of every function, arrow or method of that name
 * (`save(event.body)` taints `save`'s first parameter): the analysis follows event data into
 * helpers, and so does this check, as loosely.
 */
function callFlows(source: string): Array<{ lhs: string[]; rhs: string[] }> {
  const params = new Map<string, string[][]>();
  for (const re of DECLARATIONS) {
    for (const m of source.matchAll(re)) {
      const names = splitList(m[2]!).map((p) => identifiers(p.replace(/[:=][^]*$/, '')));
      // Several declarations of one name: position i of any of them.
      const known = params.get(m[1]!) ?? [];
      params.set(m[1]!, names.map((n, i) => [...(known[i] ?? []), ...n]).concat(known.slice(names.length)));
    }
  }
  const flows: Array<{ lhs: string[]; rhs: string[] }> = [];
  for (const m of source.matchAll(new RegExp(String.raw`(${NAME})\s*\(`, 'g'))) {
    const list = params.get(m[1]!);
    if (!list) continue;
    let depth = 1;
    let end = m.index + m[0].length;
    for (; end < source.length && depth > 0; end++) {
      if (source[end] === '(') depth++;
      else if (source[end] === ')') depth--;
    }
    splitList(source.slice(m.index + m[0].length, end - 1)).forEach((arg, i) => {
      if (list[i]) flows.push({ lhs: list[i], rhs: valueNames(arg) });
    });
  }
  return flows;
}

/** Every source file of a case: a fixture file alone, or all files of a fixture folder. */
function caseSource(target: string): string {
  if (!statSync(target).isDirectory()) return readFileSync(target, 'utf8');
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (SOURCE.test(e.name)) texts.push(readFileSync(p, 'utf8'));
    }
  };
  walk(target);
  return texts.join('\n;\n');
}

function findingText(finding: Finding, cwd: string, target: string): { lines: string; derived: Set<string> } {
  const source = readFileSync(path.resolve(cwd, finding.file), 'utf8');
  const lines = source
    .split(/\r?\n/)
    .slice(finding.line - 1, finding.endLine)
    .join('\n');
  return { lines, derived: requestDerivedNames(caseSource(target)) };
}

async function scanAll(): Promise<Array<{ finding: Finding; cwd: string; target: string }>> {
  const { scan } = await import('../../src/index.js');
  const out: Array<{ finding: Finding; cwd: string; target: string }> = [];
  for (const c of listCases()) {
    const report: Report = await scan({ paths: [c.target], cwd: c.cwd });
    for (const finding of report.findings) out.push({ finding, cwd: c.cwd, target: c.target });
  }
  return out;
}

describe('finding messages', () => {
  it('say "request data" only of values derived from the event or context', async () => {
    const all = await scanAll();
    const claims = all.filter(({ finding }) => /request data/i.test(finding.message));
    const unfounded = claims
      .filter(({ finding, cwd, target }) => {
        const { lines, derived } = findingText(finding, cwd, target);
        // The written value: what follows the first `=` (or the call's arguments) on the flagged lines.
        const value = lines.includes('=') ? lines.slice(lines.indexOf('=') + 1) : lines;
        return !valueNames(value).some((n) => derived.has(n));
      })
      .map(({ finding }) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`);
    expect(unfounded).toEqual([]);
    // Not vacuous: the fixtures make both kinds of claim.
    expect(claims.length).toBeGreaterThanOrEqual(10);
    expect(all.filter(({ finding }) => /an awaited result/.test(finding.message)).length).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('name the source of each value in value-sources.ts', async () => {
    const { scan } = await import('../../src/index.js');
    const dir = path.join(RULES_DIR, 'global-mutable-state');
    const report = await scan({ paths: [path.join(dir, 'value-sources.ts')], cwd: dir });
    const byLine = new Map(report.findings.map((f) => [f.line, f.message]));
    expect(byLine.get(18)).toMatch(/a parameter of `remember`/);
    expect(byLine.get(18)).not.toMatch(/request data/);
    // The same SSM parameter for every invocation is a refresh, not reported; an SDK call handed event data resolves to awaited I/O.
    expect(byLine.has(25)).toBe(false);
    expect(byLine.get(39)).toMatch(/an awaited result/);
    expect(byLine.get(39)).not.toMatch(/request data/);
    for (const line of [28, 30, 33]) expect(byLine.get(line)).toMatch(/request data \(the invocation's event or context\)/);
  });
});

describe('one finding per problem', () => {
  it('reports a connection cache filled in two branches once, naming the other client', async () => {
    const { scan } = await import('../../src/index.js');
    const dir = path.join(RULES_DIR, 'shared-db-connection');
    const report = await scan({ paths: [path.join(dir, 'promised-client.ts')], cwd: dir });
    const cached = report.findings.filter((f) => f.ruleId === 'shared-db-connection' && f.severity === 'error');
    expect(cached.map((f) => f.line)).toEqual([19]);
    expect(cached[0]!.message).toMatch(/^`dbClient` caches a single pg Client \(another is made at line 33\) in module-level state/);
  });
});
