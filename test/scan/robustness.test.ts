/**
 * Bad input never ends a scan: files that do not parse, odd syntax and pathological nesting
 * become entries in `errors` (or are analysed), and the rest of the project is still checked.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';

let dir: string;

const HANDLER = `import { writeFileSync } from 'fs';
export const handler = async (event) => {
  writeFileSync('/tmp/out.json', JSON.stringify(event));
  return { ok: true };
};
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-robust-'));
  fs.writeFileSync(path.join(dir, 'good.mjs'), HANDLER);
  fs.writeFileSync(path.join(dir, 'broken.ts'), 'export const handler = async (event) => {\n  return { ok: true \n};\nconst = ;\n');
  // 30k-term concatenation: a left-deep tree far deeper than any sane recursion budget.
  fs.writeFileSync(path.join(dir, 'deep.js'), `export const handler = async () => '' ${" + 'a'".repeat(30000)};\n`);
  fs.writeFileSync(path.join(dir, 'unicode.ts'), "export const handler = async (événement: unknown) => ({ ok: '✓', e: événement });\n");
  fs.writeFileSync(path.join(dir, 'empty.js'), '');
  fs.writeFileSync(path.join(dir, 'bom.cjs'), `\uFEFFexports.handler = async () => { require('fs').writeFileSync('/tmp/bom.txt', 'x'); };\n`);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('scan on bad input', () => {
  it('reports a file that does not parse with its position, and still checks the others', async () => {
    const report = await scan({ paths: [dir], cwd: dir });
    const broken = report.errors.find((e) => e.file === 'broken.ts');
    expect(broken?.message).toMatch(/^Parsing error: /);
    expect(broken?.line).toBeGreaterThan(1);
    const files = report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);
    expect(files).toContain('shared-tmp-path good.mjs:3');
    expect(files).toContain('shared-tmp-path bom.cjs:1');
    expect(report.functions.map((f) => f.id)).toEqual(expect.arrayContaining(['good.mjs#handler', 'unicode.ts#handler', 'bom.cjs#handler']));
  });

  it('does not crash on pathological nesting', async () => {
    const report = await scan({ paths: [path.join(dir, 'deep.js')], cwd: dir });
    // Either analysed or reported; never thrown.
    expect(report.functions.length + report.errors.length).toBeGreaterThan(0);
  });

  it('is deterministic: the same input gives byte-identical reports', async () => {
    const a = JSON.stringify(await scan({ paths: [dir], cwd: dir }));
    const b = JSON.stringify(await scan({ paths: [dir], cwd: dir }));
    expect(a).toBe(b);
  });

  it('reports paths relative to cwd with / separators', async () => {
    const report = await scan({ paths: [dir], cwd: path.dirname(dir) });
    expect(report.functions[0]!.file.startsWith(`${path.basename(dir)}/`)).toBe(true);
  });
});
