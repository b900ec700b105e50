/**
 * Keeps the transform registry whole: every transform file is registered under its file name,
 * has metadata and a parser per file, fixes a rule that points back at it with the same safety,
 * and has fixtures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { transforms } from '../../transforms/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const files = fs.readdirSync(path.join(root, 'transforms')).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

describe('transform registry', () => {
  it('registers every transforms/<id>.ts exactly once, under its file name', () => {
    expect(transforms.map((t) => `${t.meta.id}.ts`).sort()).toEqual([...files].sort());
  });

  describe.each(transforms.map((t) => [t.meta.id, t] as const))('%s', (id, t) => {
    it('has a kebab-case id, a description and a safety', () => {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(t.meta.description.length).toBeGreaterThan(30);
      expect(['safe', 'unsafe']).toContain(t.meta.safety);
    });

    it('chooses the parser per file: tsx for TypeScript, babel for JavaScript', () => {
      for (const f of ['a.ts', 'a.tsx', 'a.mts', 'a.cts']) expect(t.parser(f)).toBe('tsx');
      for (const f of ['a.js', 'a.jsx', 'a.mjs', 'a.cjs']) expect(t.parser(f)).toBe('babel');
    });

    it('fixes a rule that names it back, with the same safety', () => {
      const rule = rules.find((r) => r.id === t.meta.fixes);
      expect(rule, `rule ${t.meta.fixes}`).toBeDefined();
      expect(rule!.fix).toMatchObject({ transform: id, safety: t.meta.safety });
      expect(rule!.docs.howToFix).toContain(`--transform ${id}`);
      // A transform for some of a rule's findings names messages the rule has.
      for (const messageId of rule!.fix!.messages ?? []) expect(Object.keys(rule!.messages)).toContain(messageId);
    });

    it('has fixtures', () => {
      expect(fs.existsSync(path.join(root, 'fixtures/transforms', id))).toBe(true);
    });
  });
});
