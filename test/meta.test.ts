/**
 * Keeps the rule registry whole: every rule file is registered under its file name, is
 * documented, uses every message it declares, has fixtures, and points at transforms that exist.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../src/rules/index.js';
import { CHECKLIST_ITEMS } from '../src/types.js';

const root = path.resolve(import.meta.dirname, '..');
const ruleDir = path.join(root, 'src/rules');
const NOT_RULES = new Set(['define.ts', 'types.ts', 'index.ts']);
const ruleFiles = fs.readdirSync(ruleDir).filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f));

describe('rule registry', () => {
  it('registers every rule file exactly once, under its file name', () => {
    expect(rules.map((r) => `${r.id}.ts`).sort()).toEqual([...ruleFiles].sort());
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  describe.each(rules.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    const source = fs.readFileSync(path.join(ruleDir, `${id}.ts`), 'utf8');

    it('has a kebab-case id, a checklist item and a severity', () => {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(CHECKLIST_ITEMS).toContain(rule.checklist);
      expect(['error', 'warning', 'info']).toContain(rule.severity);
    });

    it('documents what it finds, why, bad and good code, the fix and when not to use it', () => {
      const { python, ...sections } = rule.docs;
      for (const [section, text] of Object.entries(sections)) {
        expect(text.trim().length, `docs.${section}`).toBeGreaterThan(10);
      }
      expect(rule.docs.summary).not.toContain('\n');
      // The optional Python section: what the rule does for Python code, with examples.
      if (python) {
        expect(python.summary.trim().length, 'docs.python.summary').toBeGreaterThan(10);
        expect(python.bad ?? python.good, 'docs.python has an example').toBeDefined();
      }
    });

    it('uses every message it declares, and each says what is wrong and what to do', () => {
      const ids = Object.keys(rule.messages);
      expect(ids.length).toBeGreaterThan(0);
      for (const messageId of ids) {
        expect(source, `message ${messageId} is never reported`).toContain(`'${messageId}'`);
        expect(rule.messages[messageId]!.length).toBeGreaterThan(60);
      }
    });

    it('has fixtures with bugs and safe look-alikes', () => {
      const dir = path.join(root, 'fixtures/rules', id);
      expect(fs.existsSync(dir), dir).toBe(true);
      const all = listFiles(dir)
        .map((f) => fs.readFileSync(f, 'utf8'))
        .join('\n');
      expect(all).toMatch(new RegExp(`expect: [^\\n]*${id}`));
      expect(all).toMatch(new RegExp(`ok: [^\\n]*${id}`));
    });

    it('points at a transform that exists, if it names one', () => {
      if (rule.fix) expect(fs.existsSync(path.join(root, 'transforms', `${rule.fix.transform}.ts`))).toBe(true);
    });
  });
});

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

describe('infrastructure reader registry', () => {
  it('registers every reader src/iac/ defines, once, with the catch-all template reader last of its kind', async () => {
    const { readers } = await import('../src/iac/readers.js');
    const iacDir = path.join(root, 'src/iac');
    const declared = fs
      .readdirSync(iacDir)
      .flatMap((f) => [...fs.readFileSync(path.join(iacDir, f), 'utf8').matchAll(/export const (\w+): InfrastructureReader\b/g)].map((m) => m[1]!));
    expect(declared.length).toBeGreaterThanOrEqual(3);
    expect(readers).toHaveLength(declared.length);
    expect(new Set(readers.map((r) => r.name)).size).toBe(readers.length);
    const templates = readers.filter((r) => r.reads === 'infrastructure');
    expect(templates.at(-1)!.accepts('/p/anything.yaml', () => '')).toBe(true);
    expect(templates.slice(0, -1).every((r) => !r.accepts('/p/template.yaml', () => ''))).toBe(true);
  });
});
