import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SEVERITY_RANK } from '../../src/scoring/index.js';
import { STATUS_MARKS } from '../../src/reporters/text.js';
import { CHECKLIST_ITEMS, type BaselineEntry, type BaselineSummary, type Finding, type Report, type ReportFunction, type ScanError } from '../../src/types.js';
import { checklist, makeReport } from '../reporters/sample-report.js';

interface SchemaNode {
  required?: string[];
  properties?: Record<string, SchemaNode>;
  enum?: string[];
  $defs?: Record<string, SchemaNode>;
}

const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as SchemaNode;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
type DefName = 'baselineEntry' | 'checklistStatus' | 'finding' | 'function' | 'scanError' | 'severity';
const defs = Object.fromEntries(
  (['baselineEntry', 'checklistStatus', 'finding', 'function', 'scanError', 'severity'] as const).map((name) => {
    const node = schema.$defs?.[name];
    if (!node) throw new Error(`schema/report.schema.json has no $defs.${name}`);
    return [name, node];
  }),
) as Record<DefName, SchemaNode>;

/** A property of a schema node, which the test needs to exist. */
function prop(node: SchemaNode | undefined, name: string): SchemaNode {
  const found = node?.properties?.[name];
  if (!found) throw new Error(`the report schema has no property ${name} here`);
  return found;
}

function errorsOf(report: unknown): string[] {
  return validate(report) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Every field of the contract, optional ones included, so a new field cannot be forgotten. */
const fullFunction: Required<ReportFunction> = {
  id: 'a.ts#handler',
  file: 'a.ts',
  name: 'handler',
  line: 1,
  declaredIn: { file: 'template.yaml', line: 3, logicalId: 'Fn' },
  code: 'inline',
  discovery: 'infrastructure',
  runtime: 'nodejs22.x',
  score: 100,
  checklist: checklist(),
  findings: ['mutable-module-state@src/orders/handler.ts:10:3'],
};
const fullFinding: Required<Finding> = {
  ...makeReport().findings[0]!,
  suppressed: { kind: 'inline', justification: 'reviewed: written once at init' },
  fingerprint: '0123456789abcdef',
  id: 'mutable-module-state@src/orders/handler.ts:10:3',
  checklist: 'global-mutable-state',
  docs: 'https://github.com/lmi-audit/lmi-audit/blob/main/docs/rules/mutable-module-state.md',
};
const fullError: Required<ScanError> = { file: 'a.ts', message: 'm', line: 1, column: 1 };
const fullBaselineEntry: Required<BaselineEntry> = {
  ruleId: 'shared-tmp-path',
  file: 'src/a.ts',
  fingerprint: '0123456789abcdef',
  function: 'handler',
  code: "writeFileSync('/tmp/a', data)",
};
const fullBaseline: Required<BaselineSummary> = { file: '.lmi-audit-baseline.json', matched: 1, new: 0, fixed: [fullBaselineEntry] };
const fullSummary: Required<Report['summary']> = {
  ...makeReport().summary,
  reasons: ['1 error (--fail-on error)'],
  failOn: 'error',
  minScore: 80,
  failOnEmpty: false,
  suppressed: 1,
};
const fullReport: Required<Report> = {
  ...makeReport(),
  summary: fullSummary,
  functions: [fullFunction],
  findings: [fullFinding],
  errors: [fullError],
  baseline: fullBaseline,
  root: '/home/user/shop',
};

const sorted = (keys: Iterable<string>) => [...keys].sort();

describe('report schema', () => {
  it('accepts hand-made reports', () => {
    expect(errorsOf(makeReport())).toEqual([]);
    expect(errorsOf(fullReport)).toEqual([]);
    const minimal = makeReport();
    minimal.functions = minimal.functions.map(({ declaredIn: _d, runtime: _r, ...fn }) => fn);
    minimal.errors = [{ file: 'a.ts', message: 'File is larger than 1048576 bytes.' }];
    expect(errorsOf(minimal)).toEqual([]);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test breaks the report's shape on purpose
  it.each<[string, (r: Record<string, any>) => void, RegExp]>([
    ['a missing top-level field', (r) => delete r.errors, /must have required property 'errors'/],
    ['a missing finding field', (r) => delete r.findings[0].fix, /\/findings\/0 must have required property 'fix'/],
    ['a missing checklist item', (r) => delete r.functions[0].checklist.lifecycle, /required property 'lifecycle'/],
    ['a wrong severity', (r) => (r.findings[0].severity = 'fatal'), /\/findings\/0\/severity must be equal to one of/],
    ['a wrong status', (r) => (r.functions[0].checklist.lifecycle = 'ok'), /\/checklist\/lifecycle must be equal to one of/],
    ['an unknown checklist key', (r) => (r.functions[0].checklist['cold-start'] = 'pass'), /must NOT have additional properties/],
    ['an extra top-level key', (r) => (r.extra = 1), /^ must NOT have additional properties/],
    ['an extra finding key', (r) => (r.findings[0].hint = 'x'), /\/findings\/0 must NOT have additional properties/],
    ['a fix without transform', (r) => (r.findings[0].fix = {}), /\/findings\/0\/fix/],
    ['a fix as a string', (r) => (r.findings[0].fix = 'tmp-paths'), /\/findings\/0\/fix/],
    ['a wrong schemaVersion', (r) => (r.schemaVersion = 2), /\/schemaVersion must be equal to constant/],
    ['a score over 100', (r) => (r.functions[0].score = 101), /\/functions\/0\/score must be <= 100/],
    ['a fractional score', (r) => (r.summary.score = 70.5), /\/summary\/score must be integer/],
    ['a 0 line', (r) => (r.findings[0].line = 0), /\/findings\/0\/line must be >= 1/],
    ['an unknown discovery', (r) => (r.functions[0].discovery = 'guessed'), /\/functions\/0\/discovery must be equal to one of/],
    ['an unknown checklist item on a finding', (r) => (r.findings[0].checklist = 'cold-start'), /\/findings\/0\/checklist/],
    ['a docs link that is not a URL', (r) => (r.findings[0].docs = 'docs/rules/x.md'), /\/findings\/0\/docs must match pattern/],
    ['a reason that is not a string', (r) => (r.summary.reasons = [1]), /\/summary\/reasons\/0 must be string/],
    ['an unknown failOn', (r) => (r.summary.failOn = 'fatal'), /\/summary\/failOn must be equal to one of/],
    ['a function listing a finding twice', (r) => (r.functions[0].findings = ['a', 'a']), /\/functions\/0\/findings must NOT have duplicate items/],
  ])('rejects %s', (_name, mutate, expected) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test breaks the report's shape on purpose
    const report = makeReport() as unknown as Record<string, any>;
    mutate(report);
    expect(errorsOf(report).join('\n')).toMatch(expected);
  });
});

describe('report schema stays in step with src/types.ts', () => {
  it('has the checklist items, in order', () => {
    const node = prop(defs.function, 'checklist');
    expect(Object.keys(node.properties!)).toEqual([...CHECKLIST_ITEMS]);
    expect(node.required).toEqual([...CHECKLIST_ITEMS]);
    const item = prop(defs.finding, 'checklist') as SchemaNode & { oneOf: SchemaNode[] };
    expect(item.oneOf[1]!.enum).toEqual([...CHECKLIST_ITEMS]);
  });

  it('has the ways a handler is found', () => {
    const values: Record<NonNullable<ReportFunction['discovery']>, true> = { infrastructure: true, configuration: true, inferred: true };
    expect(sorted(prop(defs.function, 'discovery').enum!)).toEqual(sorted(Object.keys(values)));
  });

  it('has the severities and statuses', () => {
    expect(sorted(defs.severity.enum!)).toEqual(sorted(Object.keys(SEVERITY_RANK)));
    expect(sorted(Object.keys(prop(prop(schema, 'summary'), 'bySeverity').properties!))).toEqual(sorted(Object.keys(SEVERITY_RANK)));
    expect(sorted(defs.checklistStatus.enum!)).toEqual(sorted(Object.keys(STATUS_MARKS)));
  });

  it.each<[string, SchemaNode, object, string[]]>([
    ['Report', schema, fullReport, ['baseline', 'root']],
    ['tool', prop(schema, 'tool'), fullReport.tool, []],
    ['summary', prop(schema, 'summary'), fullReport.summary, ['suppressed', 'reasons', 'failOn', 'minScore', 'failOnEmpty']],
    ['ReportFunction', defs.function, fullFunction, ['declaredIn', 'code', 'discovery', 'runtime', 'findings']],
    ['declaredIn', prop(defs.function, 'declaredIn'), fullFunction.declaredIn, []],
    ['Finding', defs.finding, fullFinding, ['suppressed', 'fingerprint', 'id', 'checklist', 'docs']],
    ['suppressed', prop(defs.finding, 'suppressed'), fullFinding.suppressed, []],
    ['ScanError', defs.scanError, fullError, ['line', 'column']],
    ['BaselineSummary', prop(schema, 'baseline'), fullBaseline, []],
    ['BaselineEntry', defs.baselineEntry, fullBaselineEntry, []],
  ])('describes every field of %s, and requires the non-optional ones', (_name, node, sample, optional) => {
    expect(sorted(Object.keys(node.properties!))).toEqual(sorted(Object.keys(sample)));
    expect(sorted(node.required!)).toEqual(sorted(Object.keys(sample).filter((k) => !optional.includes(k))));
  });
});
