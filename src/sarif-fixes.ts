/**
 * @fileoverview The concrete edits behind a finding's fix, for SARIF `fixes`: the rule's
 * transform is run in memory on the file exactly as `lmi-audit fix` runs it
 * (src/fix/apply-fix.ts: the finding's line, the file's handlers, the pool size from the
 * infrastructure code), and the difference with the original text becomes replacements. Nothing is
 * written. A transform that throws, or changes nothing for that line, gives no fix, and the
 * result keeps only its `fixCommand`. A transform run costs tens of milliseconds (a parse and a
 * print), so only the first {@link MAX_FIXES} unsuppressed fixable findings get their edits:
 * enough for a pull request's new findings under a baseline; `lmi-audit fix` fixes them all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffLines } from 'diff';
import type { FindingFix } from './reporters/types.js';
import type { Finding, Report } from './types.js';

const MAX_FIXES = 25;

/** `lmi-audit scan` only loads the transforms (and jscodeshift) when a SARIF report is asked for. */
export async function createFixProvider(report: Report, cwd: string): Promise<((finding: Finding) => FindingFix | undefined) | undefined> {
  const fixable = report.findings.filter((f) => f.fix && !f.suppressed).slice(0, MAX_FIXES);
  if (fixable.length === 0) return undefined;
  const [{ getTransform }, { createFixer }] = await Promise.all([import('../transforms/index.js'), import('./fix/apply-fix.js')]);
  const applyFix = await createFixer({ cwd, report });
  const sources = new Map<string, string | undefined>();
  const readSource = (file: string) => {
    if (!sources.has(file)) {
      try {
        sources.set(file, fs.readFileSync(path.resolve(cwd, file), 'utf8'));
      } catch {
        sources.set(file, undefined);
      }
    }
    return sources.get(file);
  };

  const fixes = new Map<Finding, FindingFix>();
  for (const finding of fixable) {
    const transform = getTransform(finding.fix!.transform);
    const source = readSource(finding.file);
    if (!transform || source === undefined) continue;
    try {
      const run = applyFix(transform, { path: path.resolve(cwd, finding.file), source }, [finding]);
      if (!run.changed) continue;
      const replacements = getReplacements(source, run.output);
      const unsafe = transform.meta.safety === 'unsafe' ? ' Unsafe: review the change.' : '';
      fixes.set(finding, {
        description: `${transform.meta.description.replace(/\.$/, '')} (lmi-audit fix --transform ${transform.meta.id}).${unsafe}`,
        changes: [{ file: finding.file, replacements }],
      });
    } catch {
      // A transform that fails on this file leaves the finding without edits.
    }
  }
  return (finding) => fixes.get(finding);
}

/** Line-level replacements turning `before` into `after`, as offsets into `before`. */
export function getReplacements(before: string, after: string): FindingFix['changes'][number]['replacements'] {
  const replacements: FindingFix['changes'][number]['replacements'] = [];
  let offset = 0;
  for (const part of diffLines(before, after)) {
    if (part.added) {
      const last = replacements[replacements.length - 1];
      if (last && last.offset + last.length === offset) last.text += part.value;
      else replacements.push({ offset, length: 0, text: part.value });
    } else if (part.removed) {
      replacements.push({ offset, length: part.value.length, text: '' });
      offset += part.value.length;
    } else {
      offset += part.value.length;
    }
  }
  return replacements;
}
