/**
 * @fileoverview The edits behind SARIF `fixes`: each fixable finding's transform run in memory
 * on its line, as replacements that turn the original text into the transform's output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import { createFixProvider, getReplacements } from '../../src/sarif-fixes.js';
import { applyReplacements } from '../helpers/apply-replacements.js';

const SAMPLE_APP = fileURLToPath(new URL('../../fixtures/projects/sample-app/', import.meta.url));

describe('SARIF fixes', () => {
  it.each([
    ['a changed line', 'a\nb\nc\n', 'a\nB\nc\n'],
    ['inserted lines', 'a\nc\n', 'import x;\na\nb\nc\n'],
    ['removed lines', 'a\nb\nc\n', 'a\n'],
    ['no final newline', 'a\nb', 'a\nb\nc'],
  ])('replacements reproduce the new text: %s', (_name, before, after) => {
    expect(applyReplacements(before, getReplacements(before, after))).toBe(after);
  });

  it("gives each fixable finding its transform's edits, limited to its line, and nothing to the others", async () => {
    const report = await scan({ paths: ['.'], cwd: SAMPLE_APP, jobs: 1 });
    const getFix = (await createFixProvider(report, SAMPLE_APP))!;
    const fixable = report.findings.filter((f) => f.fix);
    expect(fixable.length).toBeGreaterThan(0);
    for (const finding of report.findings) {
      const fix = getFix(finding);
      if (!finding.fix) {
        expect(fix, `${finding.ruleId} has no transform`).toBeUndefined();
        continue;
      }
      if (!fix) continue; // a transform may decline a case it cannot convert safely
      expect(fix.description).toContain(`(lmi-audit fix --transform ${finding.fix.transform}).`);
      expect(fix.changes.map((c) => c.file)).toEqual([finding.file]);
      const original = fs.readFileSync(path.join(SAMPLE_APP, finding.file), 'utf8');
      const fixed = applyReplacements(original, fix.changes[0]!.replacements);
      expect(fixed).not.toBe(original);
    }
    expect(fixable.some((f) => getFix(f) !== undefined)).toBe(true);
  });
});
