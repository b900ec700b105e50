/**
 * Inline code as the readers see it (src/iac/inline-code.ts, src/iac/cdk.ts): the literal text,
 * where each of its lines is written, and a reason for code known only at deploy or synth time.
 */
import { describe, expect, it } from 'vitest';
import { readInfrastructure, type IacFunction } from '../../src/iac/index.js';

const ROOT = '/virtual-lmi-audit-inline';

function read(files: Record<string, string>): IacFunction[] {
  const paths = Object.keys(files).map((name) => `${ROOT}/${name}`);
  return readInfrastructure({
    infraFiles: paths.filter((file) => /template\.(ya?ml|json)$/.test(file)),
    sourceFiles: paths.filter((file) => /\.(ts|js)$/.test(file)),
    readFile: (file) => {
      const text = files[file.slice(ROOT.length + 1)];
      if (text === undefined) throw new Error(`ENOENT: ${file}`);
      return text;
    },
  }).functions;
}

/** A template with one function whose `Code.ZipFile` is written as `code` (from line 7). */
function zipFile(code: string): Pick<IacFunction, 'inlineCode' | 'inlineSource' | 'inlineProblem'> {
  const template = [
    'Resources:',
    '  Fn:',
    '    Type: AWS::Lambda::Function',
    '    Properties:',
    '      Runtime: nodejs22.x',
    '      Handler: index.handler',
    '      Code:',
    code,
    '',
  ].join('\n');
  const [fn] = read({ 'template.yaml': template });
  return { inlineCode: fn!.inlineCode, inlineSource: fn!.inlineSource, inlineProblem: fn!.inlineProblem };
}

describe('template inline code', () => {
  it('a plain or quoted one-line string starts where its text does', () => {
    expect(zipFile('        ZipFile: exports.handler = async () => 1').inlineSource).toEqual({
      text: 'exports.handler = async () => 1',
      lines: [{ line: 8, column: 18 }],
    });
    expect(zipFile('        ZipFile: "exports.handler = async () => 1"').inlineSource!.lines).toEqual([{ line: 8, column: 19 }]);
  });

  it('a folded block is read, its columns unknown', () => {
    const { inlineSource } = zipFile(['        ZipFile: >', '          exports.handler =', '            async () => 1;'].join('\n'));
    expect(inlineSource!.text).toBe('exports.handler =\n  async () => 1;\n');
    expect(inlineSource!.lines.every((l) => l.line === 8 && l.exact === false)).toBe(true);
  });

  it('Fn::Join with a newline delimiter maps each line to its element', () => {
    const { inlineSource } = zipFile(
      ['        ZipFile: !Join', '          - "\\n"', '          - - "let a;"', '            - "exports.handler = async () => a;"'].join('\n'),
    );
    expect(inlineSource).toEqual({
      text: 'let a;\nexports.handler = async () => a;',
      lines: [
        { line: 10, column: 15, exact: false },
        { line: 11, column: 15, exact: false },
      ],
    });
  });

  it('Fn::Sub keeps its variables as written and turns the `${!x}` escape into `${x}`, as CloudFormation does', () => {
    const { inlineSource } = zipFile(['        ZipFile: !Sub |', '          const p = `/tmp/${!id}-${AWS::Region}`;'].join('\n'));
    expect(inlineSource!.text).toBe('const p = `/tmp/${id}-${AWS::Region}`;\n');
    expect(inlineSource!.lines[0]).toEqual({ line: 9, column: 11 });
  });

  it('says why code known only at deploy time is not read', () => {
    expect(zipFile(['        ZipFile:', '          Fn::Sub:', '            - "exports.x = ${X}"', '            - X: !Ref Y'].join('\n'))).toEqual({
      inlineCode: 'ZipFile',
      inlineSource: undefined,
      inlineProblem: '`Fn::Sub` with a map of variables, whose values are known only at deploy time',
    });
    expect(zipFile('        ZipFile: !ImportValue SharedCode').inlineProblem).toBe('`Fn::ImportValue`, whose value is known only at deploy time');
    expect(zipFile('        ZipFile: 42').inlineProblem).toBe('a value that is not a string');
  });
});

describe('CDK inline code', () => {
  const stack = (code: string) =>
    [
      "import * as fs from 'node:fs';",
      "import * as lambda from 'aws-cdk-lib/aws-lambda';",
      'declare const scope: any;',
      "const shared = 'exports.handler = async () => 1;';",
      "new lambda.Function(scope, 'Fn', {",
      '  runtime: lambda.Runtime.NODEJS_22_X,',
      "  handler: 'index.handler',",
      `  code: ${code},`,
      '});',
      '',
    ].join('\n');

  it('a string held in a constant is read at the constant', () => {
    const [fn] = read({ 'lib/stack.ts': stack('lambda.Code.fromInline(shared)') });
    expect(fn!.inlineSource).toEqual({ text: 'exports.handler = async () => 1;', lines: [{ line: 4, column: 17 }] });
  });

  it('a quoted string with escapes maps to its start, columns unknown', () => {
    const [fn] = read({ 'lib/stack.ts': stack("new lambda.InlineCode('let a;\\nexports.handler = async () => a;')") });
    expect(fn!.inlineSource!.lines).toEqual([
      { line: 8, column: 31, exact: false },
      { line: 8, column: 31, exact: false },
    ]);
  });

  it('readFileSync of a file of the app (under its cdk.json, package.json or the stack file) makes it the code file; other expressions are not read, with the reason', () => {
    const [fromFile] = read({
      'lib/stack.ts': stack("lambda.Code.fromInline(fs.readFileSync(`${__dirname}/lambda/app.js`, 'utf8'))"),
      'lib/lambda/app.js': 'exports.handler = async () => 1;',
    });
    expect(fromFile).toMatchObject({ codeFile: `${ROOT}/lib/lambda/app.js`, exportName: 'handler', inlineCode: 'Code.fromInline' });
    expect(fromFile!.inlineSource).toBeUndefined();
    const [missing] = read({ 'lib/stack.ts': stack("lambda.Code.fromInline(fs.readFileSync('/etc/app.js', 'utf8'))") });
    expect(missing!.inlineProblem).toBe('a file read at synth time that is not a source file of the project');
    const [built] = read({ 'lib/stack.ts': stack('lambda.Code.fromInline(`exports.handler = ${process.env.BODY}`)') });
    expect(built!.inlineProblem).toMatch(/^an expression whose text is known only at synth time/);
  });
});
