import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reporters/index.js';
import type { Report } from '../../src/types.js';
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
    delete report.functions[0].declaredIn;
    delete report.functions[0].runtime;
    report.errors = [{ file: 'a.ts', message: 'too large' }];
    const parsed = JSON.parse(reporters.json(report, ctx)) as Report;
    expect(Object.keys(parsed.functions[0])).toEqual(['id', 'file', 'name', 'line', 'score', 'checklist']);
    expect(parsed.errors).toEqual([{ file: 'a.ts', message: 'too large' }]);
    expect(parsed.findings[0].fix).toBeNull();
  });
});

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
