/**
 * Every bundled project, through the built CLI as a user runs it: the JSON report validates
 * against the published schema, its findings are exactly the ones the project's sources
 * annotate (`// expect: <rule-id>`), and the exit code follows the gate.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { readExpectations } from '../helpers/annotations.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/lmi-audit.js');
const projectsDir = path.join(root, 'fixtures/projects');
const projects = fs
  .readdirSync(projectsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(root, 'schema/report.schema.json'), 'utf8')));

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each(projects)('fixtures/projects/%s through the CLI', (project) => {
  const dir = path.join(projectsDir, project);

  it('reports exactly the annotated findings in a schema-valid report, and exits by the gate', async () => {
    const { code, stdout, stderr } = await cli(['scan', '.', '--format', 'json', '--no-progress'], dir);
    expect(code, stderr).not.toBe(2);
    const report = JSON.parse(stdout);
    expect(validate(report), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const expected = readExpectations(dir)
      .filter((e) => e.kind === 'expect')
      .map((e) => `${e.file}:${e.line} ${e.ruleId}${e.severity ? ` (${e.severity})` : ''}`)
      .sort();
    const annotated = new Set(expected.map((e) => e.replace(/ \(\w+\)$/, '')));
    const actual = (report.findings as Array<{ file: string; line: number; ruleId: string; severity: string }>)
      .map((f) => {
        const key = `${f.file}:${f.line} ${f.ruleId}`;
        // Annotations without a severity accept the rule's default one.
        const withSeverity = `${key} (${f.severity})`;
        return expected.includes(withSeverity) || !annotated.has(key) ? withSeverity : key;
      })
      .sort();
    expect(actual).toEqual(expected);

    const errors = (report.findings as Array<{ severity: string; suppressed?: unknown }>).filter((f) => f.severity === 'error' && !f.suppressed);
    expect(code).toBe(errors.length > 0 ? 1 : 0);
  });
});
