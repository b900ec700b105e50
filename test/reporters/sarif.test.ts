/**
 * @fileoverview The SARIF reporter: valid against the official SARIF 2.1.0 schema (the copy the
 * SARIF Multitool ships), clean under the Multitool's own rules including GitHub code
 * scanning's ingestion rules (`--rule-kind "Sarif;Gh"`: no error, no warning), and carrying
 * what code scanning needs: rule docs, locations, fingerprints, suppressions, fixes and scan
 * errors as tool notifications.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules, scan } from '../../src/index.js';
import { reporters, type FindingFix, type ReporterContext } from '../../src/reporters/index.js';
import { FINGERPRINT_KEY, toSarif } from '../../src/reporters/sarif.js';
import { createFixProvider } from '../../src/sarif-fixes.js';
import type { Finding, Report } from '../../src/types.js';
import { makeReport, readSourceLine } from './sample-report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MULTITOOL_DIR = path.join(ROOT, 'node_modules/@microsoft/sarif-multitool-linux');
const MULTITOOL = path.join(MULTITOOL_DIR, 'Sarif.Multitool');

const schema = JSON.parse(fs.readFileSync(path.join(MULTITOOL_DIR, 'sarif-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validateSarif = ajv.compile(schema);

function schemaErrors(log: unknown): string[] {
  return validateSarif(log) ? [] : (validateSarif.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The sample report with registry rule ids, a suppressed and a baselined finding, and fixes. */
function richReport(): Report {
  const report = makeReport();
  report.findings[0]!.ruleId = 'global-mutable-state';
  report.findings[0]!.fingerprint = '0123456789abcdef0123456789abcdef';
  report.findings[1]!.fingerprint = 'fedcba9876543210fedcba9876543210';
  report.findings[2]!.ruleId = 'unstructured-logging';
  report.findings[2]!.suppressed = { kind: 'baseline', justification: 'listed in the baseline .lmi-audit-baseline.json' };
  report.findings.push({
    ...report.findings[0]!,
    line: 11,
    endLine: 11,
    suppressed: { kind: 'inline', justification: 'reviewed: only logged' },
    fingerprint: '11111111111111111111111111111111',
  });
  report.summary.suppressed = 2;
  return report;
}

const FIX: FindingFix = {
  description: 'Make the /tmp path unique to the invocation (lmi-audit fix --transform tmp-paths).',
  changes: [{ file: 'src/lib/export.ts', replacements: [{ offset: 100, length: 17, text: '`/tmp/export-${randomUUID()}.csv`' }] }],
};

function context(overrides: Partial<ReporterContext> = {}): ReporterContext {
  return {
    rules,
    cwd: '/project',
    color: false,
    readSourceLine,
    getFix: (finding: Finding) => (finding.ruleId === 'shared-tmp-path' ? FIX : undefined),
    ...overrides,
  };
}

interface MultitoolVerdict {
  code: number;
  stdout: string;
  problems: string[];
}

/** Runs `Sarif.Multitool validate --rule-kind "Sarif;Gh"` and lists its errors and warnings. */
function runMultitool(files: string[], dir: string): Promise<MultitoolVerdict> {
  const output = path.join(dir, 'validation.sarif');
  const args = ['validate', ...files, '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning;Note', '--output', output, '--log', 'ForceOverwrite'];
  return new Promise((resolve, reject) => {
    // stdin closed: a .NET console tool may otherwise wait on it.
    const child = spawn(MULTITOOL, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (!fs.existsSync(output)) return reject(new Error(`Sarif.Multitool wrote no output (exit ${code}):\n${stdout}`));
      const log = JSON.parse(fs.readFileSync(output, 'utf8')) as Sarif.Log;
      // A result without a level is a warning (SARIF 3.27.10); notes are advice only.
      const problems = log.runs
        .flatMap((run) => run.results ?? [])
        .filter((r) => (r.level ?? 'warning') === 'error' || (r.level ?? 'warning') === 'warning')
        .map((r) => `${r.ruleId}: ${JSON.stringify(r.message.arguments ?? r.message.text)}`);
      resolve({ code: code ?? -1, stdout, problems });
    });
  });
}

let temp: string;
let scanned: Report;
/** The sample app with the fix transforms' real edits. */
let sampleSarif: string;

beforeAll(async () => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-sarif-'));
  const cases = path.join(ROOT, 'fixtures/suppressions/cases');
  scanned = await scan({ paths: ['.'], cwd: cases, jobs: 1 });
  scanned.errors.push({ file: 'src/broken.ts', message: 'Parsing error: Expression expected.', line: 3, column: 9 });
  const sampleApp = path.join(ROOT, 'fixtures/projects/sample-app');
  const sample = await scan({ paths: ['.'], cwd: sampleApp, jobs: 1 });
  const getFix = await createFixProvider(sample, sampleApp);
  sampleSarif = reporters.sarif(sample, context({ cwd: sampleApp, getFix, readSourceLine: undefined }));
});

afterAll(() => {
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
});

describe('SARIF reporter', () => {
  it('is valid against the SARIF 2.1.0 schema', () => {
    expect(schemaErrors(JSON.parse(reporters.sarif(richReport(), context())))).toEqual([]);
    expect(schemaErrors(toSarif(scanned, context({ cwd: path.join(ROOT, 'fixtures/suppressions/cases'), getFix: undefined })))).toEqual([]);
    expect(schemaErrors(toSarif({ ...makeReport(), findings: [], errors: [] }, context()))).toEqual([]);
    const sample = JSON.parse(sampleSarif) as Sarif.Log;
    expect(schemaErrors(sample)).toEqual([]);
    expect(sample.runs[0]!.results!.some((r) => r.fixes && r.fixes.length > 0)).toBe(true);
  });

  it('passes the SARIF Multitool with GitHub code scanning rules, without errors or warnings', async () => {
    const files = [
      ['hand-made.sarif', reporters.sarif(richReport(), context())],
      ['scanned.sarif', reporters.sarif(scanned, context({ cwd: path.join(ROOT, 'fixtures/suppressions/cases'), getFix: undefined }))],
      ['sample-app.sarif', sampleSarif],
    ].map(([name, text]) => {
      const file = path.join(temp, name!);
      fs.writeFileSync(file, text!);
      return file;
    });
    const verdict = await runMultitool(files, temp);
    expect(verdict.problems).toEqual([]);
    expect(verdict.code).toBe(0);
    expect(verdict.stdout).not.toMatch(/: (error|warning) /);
  });

  it('describes every rule with docs, a help link, a default level and its checklist item', () => {
    const driver = toSarif(richReport(), context()).runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'lmi-audit', version: '0.1.0', informationUri: 'https://github.com/lmi-audit/lmi-audit' });
    const ids = driver.rules!.map((r) => r.id);
    expect(ids).toEqual([...rules.map((r) => r.id), 'invalid-suppression', 'unused-suppression']);
    const tmp = driver.rules!.find((r) => r.id === 'shared-tmp-path')!;
    const rule = rules.find((r) => r.id === 'shared-tmp-path')!;
    expect(tmp).toMatchObject({
      name: 'SharedTmpPath',
      shortDescription: { text: rule.docs.summary },
      fullDescription: { text: rule.docs.why },
      helpUri: 'https://github.com/lmi-audit/lmi-audit/blob/main/docs/rules/shared-tmp-path.md',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['lmi', 'lambda', 'concurrency', 'shared-tmp-path'], checklistItem: 'shared-tmp-path' },
    });
    expect(tmp.help!.markdown).toContain('## How to fix');
    expect(tmp.help!.markdown).toContain(rule.docs.howToFix);
    expect(tmp.help!.text).toContain(rule.docs.howToFix);
    expect(tmp.help!.text).toContain(`Reported\n  ${rule.docs.bad.split('\n')[0]}`);
    expect(driver.rules!.find((r) => r.id === 'unused-suppression')!.properties!.tags).toEqual(['lmi', 'suppression']);
  });

  it('reports each finding with its rule, level, location, fingerprint, suppressions and fix', () => {
    const run = toSarif(richReport(), context()).runs[0]!;
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///project/' } });
    const [state, tmp, baselined, inline] = run.results!;
    expect(run.tool.driver.rules![state!.ruleIndex!]!.id).toBe(state!.ruleId);
    expect(state).toMatchObject({
      ruleId: 'global-mutable-state',
      level: 'error',
      message: { text: expect.stringContaining('`counter`') },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/orders/handler.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 10, startColumn: 3, endLine: 10, endColumn: 10, snippet: { text: 'counter' } },
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: '0123456789abcdef0123456789abcdef' },
      suppressions: [],
    });
    expect(state!.fixes).toBeUndefined();
    expect(tmp).toMatchObject({ level: 'warning', properties: { fixCommand: 'lmi-audit fix --transform tmp-paths' } });
    expect(tmp!.fixes).toEqual([
      {
        description: { text: FIX.description },
        artifactChanges: [
          {
            artifactLocation: { uri: 'src/lib/export.ts', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { charOffset: 100, charLength: 17 }, insertedContent: { text: '`/tmp/export-${randomUUID()}.csv`' } }],
          },
        ],
      },
    ]);
    expect(baselined).toMatchObject({
      level: 'note',
      suppressions: [{ kind: 'external', status: 'accepted', justification: 'listed in the baseline .lmi-audit-baseline.json' }],
    });
    expect(inline!.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'reviewed: only logged' }]);
  });

  it('reports files not analysed as tool notifications, and execution as unsuccessful', () => {
    const failed = toSarif(richReport(), context()).runs[0]!.invocations![0]!;
    expect(failed).toEqual({
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          level: 'error',
          message: { text: 'Parsing error: Expression expected.' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'src/broken.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 9 } } }],
        },
      ],
    });
    const clean = toSarif({ ...richReport(), errors: [] }, context()).runs[0]!.invocations![0]!;
    expect(clean).toEqual({ executionSuccessful: true, toolExecutionNotifications: [] });
  });

  it('percent-encodes paths, and gives an unknown rule a driver entry', () => {
    const report = makeReport();
    report.findings = [{ ...report.findings[0]!, file: 'src/my handlers/#1.ts', ruleId: 'from-a-plugin' }];
    const run = toSarif(report, context({ readSourceLine: undefined })).runs[0]!;
    expect(run.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('src/my%20handlers/%231.ts');
    expect(run.tool.driver.rules![run.results![0]!.ruleIndex!]!.id).toBe('from-a-plugin');
  });
});
