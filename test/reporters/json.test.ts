import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reporters/index.js';
import type { Finding, Report } from '../../src/types.js';
import { makeReport, RULES } from './sample-report.js';

const ctx = { rules: RULES, cwd: '/project', color: true };

describe('json reporter', () => {
  it('round-trips the report, ending with a newline', () => {
    const out = reporters.json(makeReport(), ctx);
    expect(out.endsWith('}\n')).toBe(true);
    expect(JSON.parse(out)).toEqual(makeReport());
  });

  it('is pretty-printed with two spaces and never coloured', () => {
    const out = reporters.json(makeReport(), ctx);
    expect(out.split('\n')[1]).toBe('  "schemaVersion": 1,');
    // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
    expect(out).not.toMatch(/\u001b\[/);
  });

  it('writes keys in contract order whatever order they were built in', () => {
    const report = makeReport();
    const shuffled = JSON.parse(JSON.stringify(report, Object.keys(flattenKeys(report)).reverse())) as Report;
    const out = reporters.json(shuffled, ctx);
    expect(out).toBe(JSON.stringify(report, null, 2) + '\n');
    expect(Object.keys(JSON.parse(out))).toEqual(['schemaVersion', 'tool', 'summary', 'functions', 'findings', 'errors']);
  });

  it('leaves absent optional fields out and keeps fix null', () => {
    const report = makeReport();
    delete report.functions[0]!.declaredIn;
    delete report.functions[0]!.runtime;
    report.errors = [{ file: 'a.ts', message: 'too large' }];
    const parsed = JSON.parse(reporters.json(report, ctx)) as Report;
    expect(Object.keys(parsed.functions[0]!)).toEqual(['id', 'file', 'name', 'line', 'score', 'checklist']);
    expect(parsed.errors).toEqual([{ file: 'a.ts', message: 'too large' }]);
    expect(parsed.findings[0]!.fix).toBeNull();
  });

  it('writes shared, empty and long id lists exactly as JSON.stringify does', () => {
    const report = makeReport();
    const shared = Object.freeze(report.functions.map((fn) => fn.id)) as string[];
    const many = report.findings.flatMap((f, i) => [
      { id: `a${i}`, ...f, functions: shared },
      { id: `b${i}`, ...f, message: 'quote " and \\ and \n newline', functions: [] },
      suppressedBeforeFingerprint({ id: `c${i}`, ...f, functions: shared }),
    ]);
    report.findings = many;
    report.functions[0]!.findings = many.map((f) => f.id!);
    report.functions[1]!.findings = [];
    delete report.functions[2]?.findings;
    expect(reporters.json(report, ctx)).toBe(JSON.stringify(report, null, 2) + '\n');
  });
});

/** The finding with `suppressed` where the contract puts it: just before `fingerprint`, the last key. */
function suppressedBeforeFingerprint(finding: Finding): Finding {
  const { fingerprint, ...rest } = finding;
  return { ...rest, suppressed: { kind: 'inline', justification: 'ok' }, ...(fingerprint !== undefined && { fingerprint }) };
}

/** Every key used anywhere in the value, so a replacer array can reorder them. */
function flattenKeys(value: unknown, keys: Record<string, true> = {}): Record<string, true> {
  if (Array.isArray(value)) for (const item of value) flattenKeys(item, keys);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      keys[key] = true;
      flattenKeys(child, keys);
    }
  }
  return keys;
}
