/**
 * Keeps the layers apart (README, "Architecture"). Imports are read from the sources with
 * TypeScript's `preProcessFile` (type-only imports count: a type is knowledge too):
 *  - core/ is language-neutral: it imports nothing of a front-end, the engine or the rules;
 *  - the engine (analysis/, core/, lang/, project/, iac/) never imports the rule registry or a rule;
 *  - a rule never imports another rule: knowledge two rules share lives in the rule kit (kit/);
 *  - the kit imports no rule and no engine module beyond the front-end's syntax helpers and context;
 *  - no import cycles at all in src/ and transforms/;
 *  - comments and docs cite no file the repository does not contain (`SOMETHING.md`);
 *  - one file-naming scheme: kebab-case, as rule and transform ids are.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { rules } from '../src/rules/index.js';

const root = path.resolve(import.meta.dirname, '..');
const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/');

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listTs(p));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = [...listTs('src'), ...listTs('transforms')].sort();
/** Project-relative file -> the project files it imports. */
const imports = new Map<string, string[]>(
  files.map((file) => {
    const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((ref) => ref.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => rel(path.resolve(path.dirname(path.join(root, file)), spec)).replace(/\.js$/, '.ts'));
    return [file, targets];
  }),
);

const ruleFiles = new Set(rules.map((r) => `src/rules/${r.id}.ts`));
const isRule = (f: string) => ruleFiles.has(f) || f === 'src/rules/index.ts';
const under = (f: string, ...dirs: string[]) => dirs.some((d) => f.startsWith(`${d}/`));
const ENGINE = ['src/analysis', 'src/core', 'src/lang', 'src/project', 'src/iac'];

function violations(from: (f: string) => boolean, forbidden: (target: string, source: string) => boolean): string[] {
  const out: string[] = [];
  for (const [file, targets] of imports) {
    if (!from(file)) continue;
    for (const t of targets) if (forbidden(t, file)) out.push(`${file} -> ${t}`);
  }
  return out;
}

describe('architecture', () => {
  it('reads the imports it judges (the checks below cannot pass vacuously)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(imports.get('src/scan.ts')).toContain('src/rules/index.ts');
    expect(imports.get('src/rules/shared-tmp-path.ts')).toContain('src/kit/fs-functions.ts');
  });

  it('keeps core/ language-neutral', () => {
    expect(
      violations(
        (f) => under(f, 'src/core'),
        (t) => !under(t, 'src/core') && t !== 'src/types.ts',
      ),
    ).toEqual([]);
  });

  it('never lets the engine import the rule registry or a rule', () => {
    expect(
      violations(
        (f) => under(f, ...ENGINE),
        (t) => isRule(t) || t === 'src/summarizer.ts',
      ),
    ).toEqual([]);
  });

  it('never lets a rule import another rule', () => {
    expect(
      violations(
        (f) => ruleFiles.has(f),
        (t, f) => t !== f && isRule(t),
      ),
    ).toEqual([]);
  });

  it('keeps the rule kit below the rules and the walk', () => {
    // The kit helps rule visitors: it may use the front-end's syntax helpers and visitor context, never its walk.
    const allowed = (t: string) =>
      under(t, 'src/kit', 'src/core') || t === 'src/lang/js/ast.ts' || t === 'src/lang/js/context.ts' || t === 'src/rules/define.ts' || t === 'src/ts.ts';
    expect(
      violations(
        (f) => under(f, 'src/kit'),
        (t) => !allowed(t),
      ),
    ).toEqual([]);
  });

  it('has no import cycles', () => {
    // Tarjan's strongly connected components over the import graph.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    const visit = (v: string): void => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const w of imports.get(v) ?? []) {
        if (!imports.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        for (let w = stack.pop()!; ; w = stack.pop()!) {
          onStack.delete(w);
          component.push(w);
          if (w === v) break;
        }
        if (component.length > 1 || imports.get(v)!.includes(v)) cycles.push(component.sort());
      }
    };
    for (const f of files) if (!index.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('names every source, test and script file in kebab-case', () => {
    const tracked = execFileSync('git', ['ls-files', 'src', 'transforms', 'test', 'bench', 'scripts'], { cwd: root, encoding: 'utf8' }).split('\n');
    const named = tracked.filter((f) => /\.(ts|mjs)$/.test(f) && !f.includes('__snapshots__'));
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((f) => !/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*\.(ts|mjs)$/.test(path.basename(f)))).toEqual([]);
  });

  it('cites only documents the repository contains', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
    const names = new Set(tracked.map((f) => path.basename(f)));
    const texts = [...files, ...listTs('bench'), ...tracked.filter((f) => /^(docs\/.*|README|bench\/README)\.md$/.test(f) || /^docs\/.+\.md$/.test(f))];
    const missing: string[] = [];
    for (const file of new Set(texts)) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const m of text.matchAll(/\b([A-Z][A-Z0-9_-]*\.md)\b/g)) if (!names.has(m[1]!)) missing.push(`${file}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
  it('loads at run time only packages a user install has, and TypeScript only through src/ts.ts', () => {
    // A devDependency is missing from `npm install lmi-audit`; a second copy of TypeScript costs
    // every thread ~0.5 s to load (the ESM loader lexes its 9 MB for export names).
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const packageOf = (spec: string) =>
      spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
    const problems: string[] = [];
    let checked = 0;
    for (const file of files) {
      const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        let spec: string | undefined;
        if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) spec = node.moduleSpecifier.text;
        if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
          spec = node.moduleSpecifier.text;
        if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0]))
          spec = node.arguments[0].text;
        if (spec !== undefined && !spec.startsWith('.') && !spec.startsWith('node:')) {
          checked++;
          const name = packageOf(spec);
          if (!Object.hasOwn(pkg.dependencies, name)) problems.push(`${file}: ${spec} is not a dependency`);
          if ((name === 'typescript' || name === 'ts-morph') && file !== 'src/ts.ts') problems.push(`${file}: ${spec} (use src/ts.ts)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(checked).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
