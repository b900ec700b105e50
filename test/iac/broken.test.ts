import { describe, expect, it } from 'vitest';
import { readFixture, relative, simplify } from './helpers.js';

describe('broken infrastructure files (fixtures/iac/broken)', () => {
  const result = readFixture('broken');
  const errors = result.errors.map((error) => ({ ...error, file: relative('broken', error.file) }));

  it('records one error entry per problem, with absolute paths and lines', () => {
    expect(errors).toEqual([
      {
        file: 'bad-json/template.json',
        message: expect.stringMatching(/^invalid JSON: /), // the wording is V8's and changes between Node versions
        line: 7,
        column: 7,
      },
      { file: 'invalid-yaml/template.yaml', message: 'invalid YAML: Missing closing "quote', line: 11, column: 1 },
      { file: 'unknown-tag/template.yaml', message: 'unknown YAML tag !Vault', line: 11, column: 19 },
      { file: 'unknown-tag/template.yaml', message: 'unknown YAML tag !CustomMap', line: 18, column: 13 },
    ]);
    for (const error of result.errors) expect(error.file.startsWith('/')).toBe(true);
  });

  it('still returns the functions of a template with unknown tags', () => {
    const functions = simplify('broken', result).filter((fn) => fn.source.file === 'unknown-tag/template.yaml');
    expect(functions).toEqual([
      {
        logicalId: 'GoodFunction',
        kind: 'sam',
        source: { file: 'unknown-tag/template.yaml', line: 3 },
        runtime: 'nodejs22.x',
        handler: 'app.main',
        codeFile: 'unknown-tag/src/app.ts',
        exportName: 'main',
      },
      {
        logicalId: 'AlsoGoodFunction',
        kind: 'sam',
        source: { file: 'unknown-tag/template.yaml', line: 12 },
        runtime: 'nodejs22.x',
        handler: 'app.main',
        codeFile: 'unknown-tag/src/app.ts',
        exportName: 'main',
      },
    ]);
  });

  it('ignores a template.yaml that is not a CloudFormation template, unknown tags included', () => {
    expect(errors.some((error) => error.file === 'not-cfn/template.yaml')).toBe(false);
    expect(result.functions.some((fn) => fn.source.file.includes('not-cfn'))).toBe(false);
  });

  it('returns the good functions of other projects in the same run', () => {
    const combined = readFixture('broken', 'sam-basic', 'serverless-basic');
    expect(combined.errors).toHaveLength(4);
    expect(combined.functions.filter((fn) => fn.kind === 'sam' || fn.kind === 'cloudformation')).toHaveLength(9);
    expect(combined.functions.filter((fn) => fn.kind === 'serverless')).toHaveLength(6);
  });
});
