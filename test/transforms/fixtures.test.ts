/**
 * @fileoverview Every transform fixture, checked four ways:
 *  - through the fix engine (a scan of a temporary copy, then `fix`), each file ends exactly as
 *    its `.output` file;
 *  - running `fix` again changes nothing (idempotent), and a new scan no longer reports what was
 *    fixed: every finding of the transform's rule that is left sits below a `lmi-audit:` marker;
 *  - on its own (jscodeshift-style, no scan), the transform gives the same output for
 *    single-file cases, and changes nothing in its own output;
 *  - every output parses (Python ones with tree-sitter), and the TypeScript outputs type-check together with `tsc --noEmit`
 *    against the real @types/node and @types/pg (one program, for speed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import jscodeshift from 'jscodeshift';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fix, scan, type FixResult, type Report } from '../../src/index.js';
import { applyTransform } from '../../src/fix/apply-transform.js';
import { getTransform } from '../../transforms/index.js';
import { getParser } from '../../transforms/lib/get-parser.js';
import { getPythonParser, initPythonParser } from '../../src/lang/python/parser.js';
import { listCases, TRANSFORM_IDS, type FixtureCase } from './cases.js';

const read = (file: string) => fs.readFileSync(file, 'utf8');

describe.each(TRANSFORM_IDS)('transform %s', (id) => {
  const transform = getTransform(id)!;
  const cases = listCases(id);
  let root: string;
  let first: FixResult;
  let second: FixResult;
  let after: Report;

  // One temporary tree per transform, a directory per case: one scan and one fix for all cases.
  beforeAll(async () => {
    // Python cases run through tree-sitter on their own too (the fix engine loads it only for Python findings).
    await initPythonParser();
    root = fs.mkdtempSync(path.join(os.tmpdir(), `lmi-audit-fixtures-${id}-`));
    for (const c of cases) {
      fs.mkdirSync(path.join(root, c.name));
      for (const f of c.files) fs.copyFileSync(f.input, path.join(root, c.name, f.name));
    }
    first = await fix({ paths: ['.'], cwd: root, transforms: [id] });
    second = await fix({ paths: ['.'], cwd: root, transforms: [id] });
    after = await scan({ paths: ['.'], cwd: root });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('has fixtures: pairs, a no-op case and formatting cases (tabs, CRLF)', () => {
    expect(transform, `transforms/${id}.ts is registered`).toBeDefined();
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) for (const f of c.files) expect(fs.existsSync(f.output), f.output).toBe(true);
    expect(
      cases.some((c) => c.files.every((f) => read(f.input) === read(f.output))),
      'a no-op case',
    ).toBe(true);
    expect(
      cases.some((c) => c.files.some((f) => read(f.input).includes('\n\t'))),
      'a tab-indented case',
    ).toBe(true);
    expect(
      cases.some((c) => c.files.some((f) => read(f.input).includes('\r\n'))),
      'a CRLF case',
    ).toBe(true);
    expect(
      cases.some((c) => c.multiFile),
      'a case across modules',
    ).toBe(true);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c: FixtureCase) => {
    it('the fix engine turns the input into the output', () => {
      for (const f of c.files) {
        expect(read(path.join(root, c.name, f.name)), `${c.name}/${f.name}`).toBe(read(f.output));
      }
      const results = first.files.filter((r) => r.file.startsWith(`${c.name}/`));
      expect(
        results.every((r) => r.status !== 'failed'),
        JSON.stringify(results),
      ).toBe(true);
    });

    it('a second run changes nothing', () => {
      const results = second.files.filter((r) => r.file.startsWith(`${c.name}/`));
      for (const r of results) expect(r.status, `${r.file}: ${r.diff ?? ''}`).toBe('unchanged');
    });

    it('a new scan reports nothing it fixed: what is left is below a lmi-audit marker', () => {
      for (const finding of after.findings.filter((f) => f.ruleId === transform.meta.fixes && f.severity !== 'info' && f.file.startsWith(`${c.name}/`))) {
        const lines = read(path.join(root, finding.file)).split(/\r?\n/);
        const marked = lines.slice(0, finding.line - 1).some((l) => l.includes('lmi-audit:'));
        expect(marked, `${finding.file}:${finding.line} is still reported and has no marker: ${finding.message}`).toBe(true);
      }
    });

    it('every output parses', () => {
      for (const f of c.files) {
        if (f.name.endsWith('.py')) {
          expect(getPythonParser()!.parse(read(f.output))!.rootNode.hasError, f.output).toBe(false);
          continue;
        }
        // A case's infrastructure file (template.yaml) is not source.
        if (!/\.[cm]?[jt]sx?$/.test(f.name)) continue;
        const j = jscodeshift.withParser(getParser(f.name));
        expect(() => j(read(f.output)), f.output).not.toThrow();
      }
    });

    it.skipIf(c.multiFile)('on its own, the transform gives the same output and leaves its output as it is', () => {
      const f = c.files[0]!;
      // The fixture's own directory: relative imports resolve as they would in a project.
      const file = path.join(path.dirname(f.input), f.name);
      expect(applyTransform(transform, { path: file, source: read(f.input) }).output).toBe(read(f.output));
      expect(applyTransform(transform, { path: file, source: read(f.output) }).changed).toBe(false);
    });
  });
});

describe('TypeScript outputs', () => {
  it('type-check with tsc --noEmit against the real @types/node and @types/pg', () => {
    const files = TRANSFORM_IDS.flatMap((id) => listCases(id).flatMap((c) => c.files.map((f) => f.output))).filter((f) => /\.(m|c)?ts$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      skipLibCheck: true,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.relative(process.cwd(), d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  }, 60_000);
});
