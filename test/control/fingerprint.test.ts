/**
 * @fileoverview Fingerprints: what goes into them (rule, canonical code, enclosing function,
 * occurrence) and what must not (line numbers, formatting).
 */
import { describe, expect, it } from 'vitest';
import { summarizeSource } from '../../src/summarizer.js';
import { canonicalCode, fingerprintFindings } from '../../src/fingerprint.js';
import type { Finding } from '../../src/types.js';

function finding(line: number, column: number, endLine: number, endColumn: number, ruleId = 'shared-tmp-path'): Finding {
  return { ruleId, severity: 'error', file: 'a.ts', line, column, endLine, endColumn, message: 'm', functions: [], fix: null };
}

function fingerprint(text: string, findings: Finding[]) {
  const summary = summarizeSource('/a.ts', text);
  return fingerprintFindings(findings, '/', { functionsOf: () => summary.functions, readFile: () => text });
}

describe('fingerprints', () => {
  it('name the enclosing functions, outermost first', () => {
    const text = [
      'class Store {', // 1
      '  save() {', // 2
      '    items.forEach(() => {', // 3
      "      write('/tmp/x');", // 4
      '    });', // 5
      '  }', // 6
      '}', // 7
      "write('/tmp/y');", // 8
      'export const handler = async () => {', // 9
      "  write('/tmp/z');", // 10
      '};', // 11
    ].join('\n');
    const parts = fingerprint(text, [finding(4, 7, 4, 22), finding(8, 1, 8, 16), finding(10, 3, 10, 18)]).map((f) => f.parts);
    expect(parts).toEqual([
      { function: 'Store.save.<anonymous>', code: "write('/tmp/x')" },
      { function: '<module>', code: "write('/tmp/y')" },
      { function: 'handler', code: "write('/tmp/z')" },
    ]);
  });

  it('do not change when lines move or the code is reformatted', () => {
    const before = fingerprint("export const handler = () => {\n  write('/tmp/x', a);\n};\n", [finding(2, 3, 2, 21)]);
    const after = fingerprint('\n\n// moved\nexport const handler = () => {\n  write(\n    "/tmp/x",\n    a,\n  );\n};\n', [finding(5, 3, 8, 4)]);
    expect(after[0]!.fingerprint).toBe(before[0]!.fingerprint);
  });

  it('change with the rule, the code or the function', () => {
    const text = "function a() {\n  write('/tmp/x');\n}\nfunction b() {\n  write('/tmp/x');\n  write('/tmp/y');\n}\n";
    const [inA, inB, other, otherRule] = fingerprint(text, [
      finding(2, 3, 2, 18),
      finding(5, 3, 5, 18),
      finding(6, 3, 6, 18),
      finding(6, 3, 6, 18, 'global-mutable-state'),
    ]).map((f) => f.fingerprint);
    expect(new Set([inA, inB, other, otherRule]).size).toBe(4);
  });

  it('number identical code in one function by occurrence', () => {
    const text = "export function run() {\n  write('/tmp/x');\n  write('/tmp/x');\n}\n";
    const [first, second] = fingerprint(text, [finding(3, 3, 3, 18), finding(2, 3, 2, 18)]);
    expect(first!.fingerprint).not.toBe(second!.fingerprint);
    // The occurrence index counts from the top of the file, whatever the findings' order.
    const again = fingerprint(text, [finding(2, 3, 2, 18), finding(3, 3, 3, 18)]);
    expect(again[0]!.fingerprint).toBe(second!.fingerprint);
  });

  it('fall back to the message for a file that cannot be read', () => {
    const [result] = fingerprintFindings([finding(1, 1, 1, 2)], '/', {
      functionsOf: () => undefined,
      readFile: () => {
        throw new Error('ENOENT');
      },
    });
    expect(result!.parts).toEqual({ function: '<module>', code: 'm' });
  });
});

describe('canonicalCode', () => {
  it.each([
    ["writeFile( '/tmp/x' , data , )", "writeFile('/tmp/x',data)"],
    ['writeFile("/tmp/x", data)', "writeFile('/tmp/x',data)"],
    ['const  a =\n  new  Map()', 'const a=new Map()'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalCode(input)).toBe(expected);
  });
});
