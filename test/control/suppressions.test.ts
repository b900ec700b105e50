/**
 * @fileoverview Inline suppressions through the scan API, on fixtures/suppressions/cases: which
 * findings each kind of `lmi-audit-ignore*` comment silences, and which comments are themselves
 * reported (invalid or unused), plus what suppression does to the gate and the score.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import type { Finding, LoadedConfig, Report } from '../../src/types.js';

const CASES = fileURLToPath(new URL('../../fixtures/suppressions/cases/', import.meta.url));

function describeFinding(f: Finding): string {
  const state = f.suppressed ? ` suppressed(${f.suppressed.kind}: ${f.suppressed.justification})` : '';
  return `${f.file}:${f.line} ${f.ruleId}${state}`;
}

let report: Report;

beforeAll(async () => {
  report = await scan({ paths: ['.'], cwd: CASES, jobs: 1 });
});

describe('inline suppressions', () => {
  it('silences exactly the findings the comments name, and reports the bad and unused comments', () => {
    expect(report.findings.map(describeFinding)).toEqual([
      // file-level, in a block comment at the top
      'src/file-level.ts:5 shared-tmp-path suppressed(inline: this module only writes lock files, shared on purpose)',
      'src/file-level.ts:6 shared-tmp-path suppressed(inline: this module only writes lock files, shared on purpose)',
      'src/handler.ts:9 global-mutable-state',
      // above a function declaration: covers the declaration line, not the statements of its body
      'src/handler.ts:12 unused-suppression',
      'src/handler.ts:14 global-mutable-state',
      // next-line
      'src/handler.ts:19 global-mutable-state suppressed(inline: debug aid, read only by this invocation)',
      // same line
      'src/handler.ts:21 shared-tmp-path suppressed(inline: a lock file shared on purpose)',
      // a finding on the third line of a statement, the comment above its first line
      'src/handler.ts:26 shared-tmp-path suppressed(inline: reported on an inner line of the statement)',
      // nothing to silence
      'src/handler.ts:29 unused-suppression',
      // no reason: the comment is reported and silences nothing
      'src/handler.ts:34 shared-tmp-path',
      'src/handler.ts:34 invalid-suppression',
      // no rule id
      'src/handler.ts:36 invalid-suppression',
      'src/handler.ts:37 shared-tmp-path',
      // an unknown rule id
      'src/handler.ts:39 invalid-suppression',
      'src/handler.ts:40 shared-tmp-path',
      // a misspelt directive
      'src/handler.ts:42 invalid-suppression',
      'src/handler.ts:43 shared-tmp-path',
      // two rule ids, one used: the unused one is reported
      'src/handler.ts:45 unused-suppression',
      'src/handler.ts:46 shared-tmp-path suppressed(inline: only the first is used)',
      // next-line skips a blank line and other comments to the next code
      'src/handler.ts:51 shared-tmp-path suppressed(inline: a blank line and a comment may sit in between)',
    ]);
  });

  it('says what is wrong with each reported comment', () => {
    const messages = Object.fromEntries(report.findings.filter((f) => f.ruleId.endsWith('-suppression')).map((f) => [f.line, f.message]));
    expect(messages[34]).toMatch(/ignored: it gives no reason after ` -- `/);
    expect(messages[36]).toMatch(/ignored: it names no rule id/);
    expect(messages[39]).toMatch(/ignored: rule `shared-tmp-paths` does not exist \(did you mean `shared-tmp-path`\?\)/);
    expect(messages[42]).toMatch(/`lmi-audit-ignore-line` is not a directive/);
    expect(messages[29]).toMatch(/for `shared-db-connection` silences nothing.*Remove the comment/);
    expect(messages[45]).toMatch(/for `global-mutable-state` silences nothing.*Remove the unused rule ids/);
    for (const finding of report.findings.filter((f) => f.ruleId.endsWith('-suppression'))) {
      expect(finding.severity).toBe('warning');
      expect(finding.functions).toEqual([]);
    }
  });

  it('leaves suppressed findings out of the counts, the gate and the score', () => {
    const suppressed = report.findings.filter((f) => f.suppressed);
    expect(report.summary.suppressed).toBe(suppressed.length);
    expect(report.summary.findings).toBe(report.findings.length - suppressed.length);
    const counted = report.summary.bySeverity.error + report.summary.bySeverity.warning + report.summary.bySeverity.info;
    expect(counted).toBe(report.summary.findings);
  });

  it('passes the gate and keeps the score when the only finding is suppressed', async () => {
    const dir = fileURLToPath(new URL('../../fixtures/suppressions/all-suppressed/', import.meta.url));
    const clean = await scan({ paths: ['.'], cwd: dir, jobs: 1 });
    expect(clean.findings.map(describeFinding)).toEqual([
      'src/handler.ts:5 shared-tmp-path suppressed(inline: a lock file every invocation shares on purpose)',
    ]);
    expect(clean.summary).toMatchObject({ findings: 0, suppressed: 1, passed: true, score: 100 });
    expect(clean.functions[0]!.checklist['shared-tmp-path']).toBe('pass');
  });

  it('does not report a comment as unused when its rule is turned off in the configuration', async () => {
    const config: LoadedConfig = { file: `${CASES}lmi-audit.config.json`, dir: CASES, rules: { 'shared-db-connection': 'off', 'global-mutable-state': 'off' } };
    const off = await scan({ paths: ['.'], cwd: CASES, jobs: 1, config });
    const unused = off.findings.filter((f) => f.ruleId === 'unused-suppression');
    expect(unused).toEqual([]);
  });

  it('lets the configuration turn the comment checks off or change their severity', async () => {
    const config: LoadedConfig = {
      file: `${CASES}lmi-audit.config.json`,
      dir: CASES,
      rules: { 'unused-suppression': 'off', 'invalid-suppression': 'error' },
    };
    const configured = await scan({ paths: ['.'], cwd: CASES, jobs: 1, config });
    expect(configured.findings.filter((f) => f.ruleId === 'unused-suppression')).toEqual([]);
    const invalid = configured.findings.filter((f) => f.ruleId === 'invalid-suppression');
    expect(invalid.map((f) => f.severity)).toEqual(['error', 'error', 'error', 'error']);
  });
});
