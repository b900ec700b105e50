/**
 * @fileoverview Hand-made reports for the reporter and schema tests: they do not depend on the
 * analyser, only on the contract in src/types.ts.
 */
import type { RuleMeta } from '../../src/rules/types.js';
import { CHECKLIST_ITEMS, type ChecklistItem, type ChecklistStatus, type Report } from '../../src/types.js';

export function checklist(overrides: Partial<Record<ChecklistItem, ChecklistStatus>> = {}) {
  return Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, overrides[item] ?? 'pass'])) as Record<ChecklistItem, ChecklistStatus>;
}

export function makeReport(): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'lmi-audit', version: '0.1.0' },
    summary: {
      functions: 2,
      findings: 3,
      bySeverity: { error: 1, warning: 1, info: 1 },
      score: 70,
      passed: false,
      reasons: ['1 error (--fail-on error)', 'src/orders/handler.ts#handler scores 70, under --min-score 80'],
      failOn: 'error',
      minScore: 80,
      failOnEmpty: false,
    },
    functions: [
      {
        id: 'src/orders/handler.ts#handler',
        file: 'src/orders/handler.ts',
        name: 'handler',
        line: 8,
        declaredIn: { file: 'template.yaml', line: 12, logicalId: 'OrdersFunction' },
        runtime: 'nodejs22.x',
        score: 70,
        checklist: checklist({
          'global-mutable-state': 'fail',
          'shared-tmp-path': 'warn',
          'event-source-backpressure': 'unknown',
          lifecycle: 'unknown',
        }),
      },
      {
        id: 'src/reports/handler.ts#handler',
        file: 'src/reports/handler.ts',
        name: 'handler',
        line: 3,
        score: 92,
        checklist: checklist({ 'shared-tmp-path': 'warn', 'event-source-backpressure': 'unknown', lifecycle: 'not-applicable' }),
      },
    ],
    findings: [
      {
        ruleId: 'mutable-module-state',
        severity: 'error',
        file: 'src/orders/handler.ts',
        line: 10,
        column: 3,
        endLine: 10,
        endColumn: 10,
        message: '`counter` is module state written during an invocation: concurrent invocations on a worker share it. Keep it in a local variable.',
        functions: ['src/orders/handler.ts#handler'],
        fix: null,
      },
      {
        ruleId: 'shared-tmp-path',
        severity: 'warning',
        file: 'src/lib/export.ts',
        line: 4,
        column: 18,
        endLine: 4,
        endColumn: 35,
        message: '`/tmp/export.csv` is shared by every concurrent invocation. Put the request id in the name.',
        functions: ['src/orders/handler.ts#handler', 'src/reports/handler.ts#handler'],
        fix: { transform: 'tmp-paths' },
      },
      {
        ruleId: 'powertools-version',
        severity: 'info',
        file: 'package.json',
        line: 14,
        column: 5,
        endLine: 14,
        endColumn: 40,
        message: 'Powertools 2.28.0 predates LMI support (2.29.0).',
        functions: [],
        fix: null,
      },
    ],
    errors: [{ file: 'src/broken.ts', message: 'Parsing error: Expression expected.', line: 3, column: 9 }],
  };
}

const SOURCE: Record<string, string[]> = {
  'src/orders/handler.ts': [
    "import { exportCsv } from '../lib/export.js';",
    '',
    'let counter = 0;',
    '',
    '/** Orders. */',
    '',
    '',
    'export const handler = async (event: unknown) => {',
    '  await exportCsv(event);',
    '  counter += 1;',
    '};',
  ],
  'src/lib/export.ts': [
    "import { writeFile } from 'node:fs/promises';",
    '',
    'export async function exportCsv(data: unknown) {',
    "\tawait writeFile('/tmp/export.csv', String(data));",
    '}',
  ],
};

export function readSourceLine(file: string, line: number): string | undefined {
  return SOURCE[file]?.[line - 1];
}

export const RULES: RuleMeta[] = [
  {
    id: 'mutable-module-state',
    checklist: 'global-mutable-state',
    severity: 'error',
    fix: null,
    docs: { summary: '', why: '', bad: '', good: '', howToFix: '', whenNotToUse: '' },
    messages: {},
  },
  {
    id: 'shared-tmp-path',
    checklist: 'shared-tmp-path',
    severity: 'error',
    fix: { transform: 'tmp-paths', safety: 'safe' },
    docs: { summary: '', why: '', bad: '', good: '', howToFix: '', whenNotToUse: '' },
    messages: {},
  },
];
