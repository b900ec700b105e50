/**
 * Inline code (`Code.ZipFile`, SAM `InlineCode`, CDK `Code.fromInline`) analysed as a virtual
 * source: findings land on the lines and columns where the code is written in the template or
 * CDK file, the safe functions stay clean, code known only at deploy time is an error (no crash),
 * suppressions inside inline code work, and every reporter shows the template's lines.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scan, type Report } from '../../src/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = 'fixtures/projects/inline-code';
const run = promisify(execFile);

/** The real file's text at a finding's place: what a reader of the report finds there. */
function textAt(file: string, line: number, column: number, length = 24): string {
  const lines = fs.readFileSync(path.resolve(ROOT, file), 'utf8').split('\n');
  return lines[line - 1]!.slice(column - 1, column - 1 + length);
}

describe('fixtures/projects/inline-code', () => {
  let report: Report;
  beforeEach(async () => {
    report ??= await scan({ paths: [FIXTURE], cwd: ROOT });
  });

  it('reports each inline bug at the template or CDK line and column where it is written', () => {
    expect(report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId} | ${textAt(f.file, f.line, f.column)}`)).toEqual([
      `${FIXTURE}/cdk/lambda/counter.js:4:3 global-mutable-state | count += 1; // expect: g`,
      `${FIXTURE}/cdk/lib/stack.ts:18:9 shared-tmp-path | fs.promises.writeFile('/`,
      `${FIXTURE}/template.yaml:29:13 global-mutable-state | lastUser = event.user; /`,
      `${FIXTURE}/template.yaml:49:18 shared-tmp-path | open("/tmp/report.json",`,
      // Fn::Join: the line of the element the code line starts in, at its opening quote.
      `${FIXTURE}/template.yaml:85:15 shared-tmp-path | "  await fs.promises.wri`,
    ]);
    // A transform would rewrite the template around the code: inline findings name none.
    expect(report.findings.filter((f) => f.file.endsWith('template.yaml') || f.file.endsWith('stack.ts')).map((f) => f.fix)).toEqual([null, null, null, null]);
    expect(report.findings.find((f) => f.file.endsWith('counter.js'))!.fix).toEqual({ transform: 'hoisted-state' });
  });

  it('lists inline functions with code: inline, at their template lines; the safe ones are clean', () => {
    expect(report.functions.map((fn) => `${fn.id} ${fn.file}:${fn.line} ${fn.code ?? 'file'} ${fn.score} ${fn.findings?.length}`)).toEqual([
      `${FIXTURE}/cdk/lambda/counter.js#handler ${FIXTURE}/cdk/lambda/counter.js:3 file 80 1`,
      `${FIXTURE}/cdk/lib/stack.ts/ExportFunction/index.js#handler ${FIXTURE}/cdk/lib/stack.ts:17 inline 80 1`,
      `${FIXTURE}/cdk/lib/stack.ts/PingFunction/index.js#handler ${FIXTURE}/cdk/lib/stack.ts:28 inline 100 0`,
      `${FIXTURE}/template.yaml/EchoFunction/index.js#handler ${FIXTURE}/template.yaml:63 inline 100 0`,
      `${FIXTURE}/template.yaml/JoinedFunction/index.js#handler ${FIXTURE}/template.yaml:83 inline 80 1`,
      `${FIXTURE}/template.yaml/ProfileFunction/index.js#handler ${FIXTURE}/template.yaml:28 inline 80 1`,
      `${FIXTURE}/template.yaml/ReportFunction/index.py#handler ${FIXTURE}/template.yaml:47 inline 71 1`,
    ]);
    const echo = report.functions.find((fn) => fn.id.includes('EchoFunction'))!;
    expect(echo.declaredIn).toEqual({ file: `${FIXTURE}/template.yaml`, line: 54, logicalId: 'EchoFunction' });
  });

  it('says why code known only at deploy time is not analysed, and goes on', () => {
    expect(report.errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      `${FIXTURE}/template.yaml:89 ParameterFunction: its code is written in the infrastructure code (\`ZipFile\`) as \`Fn::Join\` of values that are not all literal strings (known only at deploy time): this inline code is not analysed`,
    ]);
  });

  it('every reporter shows the template lines', async () => {
    const cli = async (format: string) => {
      try {
        return (await run(process.execPath, [path.join(ROOT, 'bin/lmi-audit.js'), 'scan', FIXTURE, '--format', format, '--no-progress'], { cwd: ROOT })).stdout;
      } catch (error) {
        return (error as { stdout: string }).stdout;
      }
    };
    const text = await cli('text');
    expect(text).toContain(`${FIXTURE}/template.yaml:29:13`);
    expect(text.replace(/\s+/g, ' ')).toContain(`no findings (EchoFunction); inline code at ${FIXTURE}/template.yaml:63`);
    const sarif = JSON.parse(await cli('sarif'));
    const locations = sarif.runs[0].results.map(
      (r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }) => {
        const at = r.locations[0]!.physicalLocation;
        return `${at.artifactLocation.uri}:${at.region.startLine}`;
      },
    );
    expect(locations).toContain(`${FIXTURE}/template.yaml:49`);
    expect(await cli('github')).toContain(`file=${FIXTURE}/template.yaml,line=85`);
    expect(await cli('markdown')).toContain('template.yaml');
  });
});

describe('inline code in a temporary project', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmi-audit-inline-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cfn = (code: string) =>
    [
      'Resources:',
      '  Fn:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      Role: arn:aws:iam::123456789012:role/r',
      '      Code:',
      code,
      '',
    ].join('\n');

  it('a suppression comment inside the inline code silences its finding', async () => {
    const body = [
      '        ZipFile: |',
      '          exports.handler = async (event) => {',
      '            // lmi-audit-ignore-next-line shared-tmp-path -- one invocation at a time on this function',
      "            require('node:fs').writeFileSync('/tmp/a.json', JSON.stringify(event));",
      '          };',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'template.yaml'), cfn(body));
    const result = await scan({ paths: ['.'], cwd: dir });
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.suppressed?.kind}`)).toEqual(['template.yaml:12 shared-tmp-path inline']);
  });

  it('ES module code becomes index.mjs; Fn::Sub in long form keeps its ${…}; a JSON string maps to its line', async () => {
    const body = [
      '        Fn::Sub: |',
      "          import { writeFile } from 'node:fs/promises';",
      '          export const handler = async (event) => {',
      "            await writeFile('/tmp/${AWS::StackName}.json', JSON.stringify(event));",
      '          };',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'template.yaml'), cfn(`        ZipFile:\n${body.replace(/^ {2}/gm, '    ')}`));
    const yaml = await scan({ paths: ['.'], cwd: dir });
    expect(yaml.functions.map((fn) => fn.id)).toEqual(['template.yaml/Fn/index.mjs#handler']);
    expect(yaml.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['template.yaml:13 shared-tmp-path']);

    fs.rmSync(path.join(dir, 'template.yaml'));
    const json = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'nodejs22.x',
            Handler: 'index.handler',
            Code: {
              ZipFile: "let last;\nexports.handler = async (event) => {\n  last = event.id;\n  await fetch('https://example.com');\n  return last;\n};\n",
            },
          },
        },
      },
    };
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(json, null, 2));
    const fromJson = await scan({ paths: ['.'], cwd: dir });
    const zipLine =
      fs
        .readFileSync(path.join(dir, 'template.json'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('"ZipFile"')) + 1;
    expect(fromJson.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([`template.json:${zipLine} global-mutable-state`]);
  });

  it('inline code that does not parse is an error at its template line; the scan goes on', async () => {
    fs.writeFileSync(
      path.join(dir, 'template.yaml'),
      cfn(['        ZipFile: |', '          exports.handler = async (event) => {', '            return {;', '          };'].join('\n')),
    );
    const result = await scan({ paths: ['.'], cwd: dir });
    expect(result.errors.map((e) => `${e.file}:${e.line}`)).toEqual(['template.yaml:11']);
    expect(result.errors[0]!.message).toMatch(/^Fn: its inline code: /);
  });
});
