import { describe, expect, it } from 'vitest';
import { parseJson, parseYaml } from '../../src/iac/yaml.js';

describe('parseYaml (CloudFormation tags)', () => {
  it('maps every short form to its long form, in scalar, sequence and mapping shape', () => {
    const { value, errors, warnings } = parseYaml(
      [
        'a: !Ref Thing',
        'b: !GetAtt Thing.Arn',
        'c: !GetAtt [Thing, Arn]',
        'd: !Sub "${AWS::Region}"',
        'e: !Sub ["${X}", { X: !Ref Y }]',
        'f: !Join [",", [a, b]]',
        'g: !If [Cond, !Ref A, !Ref "AWS::NoValue"]',
        'h: !Select [0, !GetAZs ""]',
        'i: !Split [",", !ImportValue exported]',
        'j: !FindInMap [Map, Key, Value]',
        'k: !Base64 text',
        'l: !Cidr [10.0.0.0/16, 4, 8]',
        'm: !Equals [a, b]',
        'n: !Not [!Condition C]',
        'o: !And [!Condition A, !Condition B]',
        'p: !Or [!Condition A, !Condition B]',
        'q: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }',
        'r: !GetAtt Thing.Endpoint.Address',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      a: { Ref: 'Thing' },
      b: { 'Fn::GetAtt': ['Thing', 'Arn'] },
      c: { 'Fn::GetAtt': ['Thing', 'Arn'] },
      d: { 'Fn::Sub': '${AWS::Region}' },
      e: { 'Fn::Sub': ['${X}', { X: { Ref: 'Y' } }] },
      f: { 'Fn::Join': [',', ['a', 'b']] },
      g: { 'Fn::If': ['Cond', { Ref: 'A' }, { Ref: 'AWS::NoValue' }] },
      h: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      i: { 'Fn::Split': [',', { 'Fn::ImportValue': 'exported' }] },
      j: { 'Fn::FindInMap': ['Map', 'Key', 'Value'] },
      k: { 'Fn::Base64': 'text' },
      l: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
      m: { 'Fn::Equals': ['a', 'b'] },
      n: { 'Fn::Not': [{ Condition: 'C' }] },
      o: { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] },
      p: { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] },
      q: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
      r: { 'Fn::GetAtt': ['Thing', 'Endpoint.Address'] },
    });
  });

  it('reports unknown tags with their position and keeps the rest of the document', () => {
    const parsed = parseYaml('a: !Nope x\nb: !Ref B\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings).toEqual([{ message: 'unknown YAML tag !Nope', line: 1, column: 4 }]);
    expect(parsed.value).toEqual({ a: 'x', b: { Ref: 'B' } });
  });

  it('reports syntax errors with a line and gives no value', () => {
    const parsed = parseYaml('a: [1, 2\nb: c\n');
    expect(parsed.value).toBeUndefined();
    expect(parsed.errors.length).toBeGreaterThan(0);
    expect(parsed.errors[0]!.message).toMatch(/^invalid YAML: /);
    expect(parsed.errors[0]!.line).toBeGreaterThan(0);
  });

  it('reports the first syntax error of a file and counts the ones it causes', () => {
    const parsed = parseYaml(
      ['Api:', '  Admin:', '    !Sub "${Group}', '  Tags:', '    Stack: !Sub "${Stack}"', '  Schema:', '    type Q {', '      id: ID!', '    }', ''].join('\n'),
    );
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.message).toMatch(/^invalid YAML: Missing closing "quote \(and \d+ more YAML errors? after it\)$/);
    const single = parseYaml('a: [1, 2\n');
    expect(single.errors).toHaveLength(1);
    expect(single.errors[0]!.message).not.toMatch(/after it/);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const parsed = parseYaml(bomb.join('\n'));
    expect(parsed.value).toBeUndefined();
    expect(parsed.errors[0]!.message).toMatch(/^invalid YAML: /);
  });

  it('finds the line of a key path through maps and sequences', () => {
    const parsed = parseYaml('top:\n  list:\n    - name: a\n    - name: b\n      deep:\n        key: 1\n');
    expect(parsed.lineOf(['top'])).toBe(1);
    expect(parsed.lineOf(['top', 'list', 1])).toBe(4);
    expect(parsed.lineOf(['top', 'list', 1, 'deep', 'key'])).toBe(6);
    expect(parsed.lineOf(['top', 'missing'])).toBeUndefined();
  });
});

describe('parseJson', () => {
  it('parses strictly and finds key lines', () => {
    const parsed = parseJson('/t/template.json', '{\n  "Resources": {\n    "Fn": {\n      "Type": "x"\n    }\n  }\n}\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.lineOf(['Resources', 'Fn'])).toBe(3);
    expect(parsed.lineOf(['Resources', 'Fn', 'Type'])).toBe(4);
  });

  it('reports a syntax error with its line', () => {
    const parsed = parseJson('/t/template.json', '{\n  "a": 1,\n}\n');
    expect(parsed.value).toBeUndefined();
    expect(parsed.errors).toEqual([{ message: expect.stringMatching(/^invalid JSON: /), line: 3, column: 1 }]);
  });

  it('accepts a byte order mark', () => {
    expect(parseJson('/t/x.json', '\ufeff{"a": 1}').value).toEqual({ a: 1 });
  });
});

describe('parseYaml (what PyYAML accepts and YAML 1.2 refuses)', () => {
  // The shapes of AWS sample templates: a `!Sub` JSON policy in single quotes whose lines go back
  // to the key's indentation, and a flow list of maps closed at its key's indentation.
  const template = [
    'Resources:',
    '  Role:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    '      Policies:',
    '        - PolicyName: Access',
    "          PolicyDocument: !Sub '{",
    '              "Statement": [ { "Effect": "Allow", "Resource": "${Bucket}" } ]',
    "          }'",
    '        - PolicyName: Other',
    '          PolicyDocument: {}',
    '  Api:',
    '    Type: AWS::Serverless::Api',
    '    Properties:',
    '      Auth:',
    '        ResourcePolicy:',
    '          CustomStatements: [{',
    '            "Effect": "Allow",',
    '            "Action": "execute-api:Invoke"',
    '          }]',
    '      StageName: prod',
  ].join('\n');

  it('reads them as SAM CLI does, with a warning, and finds key lines in the text', () => {
    const doc = parseYaml(template);
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^YAML 1\.2 refuses this document .*PyYAML and SAM CLI accept it/) }),
    ]);
    const resources = (doc.value as { Resources: Record<string, { Properties: Record<string, unknown> }> }).Resources;
    expect(resources.Role!.Properties.Policies).toEqual([
      { PolicyName: 'Access', PolicyDocument: { 'Fn::Sub': '{ "Statement": [ { "Effect": "Allow", "Resource": "${Bucket}" } ] }' } },
      { PolicyName: 'Other', PolicyDocument: {} },
    ]);
    expect(resources.Api!.Properties.Auth).toEqual({ ResourcePolicy: { CustomStatements: [{ Effect: 'Allow', Action: 'execute-api:Invoke' }] } });
    expect(doc.lineOf(['Resources', 'Api', 'Properties', 'StageName'])).toBe(21);
    expect(doc.lineOf(['Resources', 'Role', 'Properties', 'Policies', 1, 'PolicyName'])).toBe(10);
    expect(doc.lineOf(['Resources', 'Role', 'Properties', 'Policies', 1, 'PolicyDocument'])).toBe(11);
    expect(doc.positionOf(['Resources', 'Api'])).toEqual({ line: 12, column: 3, endColumn: 7 });
    expect(doc.lineOf(['Resources', 'Missing'])).toBeUndefined();
  });

  it('still reports a document neither accepts', () => {
    const doc = parseYaml('Resources:\n  A:\n    Properties: { a: 1\n  B: x\n');
    expect(doc.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^invalid YAML/) })]);
  });
});
