/**
 * @fileoverview How each handler was found (`discovery`) shows in every report format. A report
 * without the field (written before it existed) prints as it did: the snapshot and text tests
 * of sample-report.ts, which has none, keep that.
 */
import { describe, expect, it } from 'vitest';
import { reporters, type ReporterContext } from '../../src/reporters/index.js';
import { toSarif } from '../../src/reporters/sarif.js';
import type { Report } from '../../src/types.js';
import { makeReport, readSourceLine, RULES } from './sample-report.js';

const ctx: ReporterContext = { rules: RULES, cwd: '/project', color: false, readSourceLine, width: 120 };

function withDiscovery(): Report {
  const report = makeReport();
  report.functions[0]!.discovery = 'infrastructure';
  report.functions[1]!.discovery = 'inferred';
  report.functions.push({ ...report.functions[1]!, id: 'src/jobs/run.ts#run', file: 'src/jobs/run.ts', name: 'run', discovery: 'configuration' });
  return report;
}

describe('discovery in the reports', () => {
  it('json: written after declaredIn, for every function', () => {
    const json = JSON.parse(reporters.json(withDiscovery(), ctx));
    expect(json.functions.map((f: { discovery: string }) => f.discovery)).toEqual(['infrastructure', 'inferred', 'configuration']);
    expect(Object.keys(json.functions[0])).toEqual(['id', 'file', 'name', 'line', 'declaredIn', 'discovery', 'runtime', 'score', 'checklist']);
  });

  it('text: one line under the id of a handler no infrastructure code declares', () => {
    const text = reporters.text(withDiscovery(), ctx);
    expect(text).toContain('src/orders/handler.ts#handler  score 70/100\n  declared in template.yaml:12 (OrdersFunction), nodejs22.x\n');
    expect(text).toContain('src/reports/handler.ts#handler  score 92/100\n  inferred handler: no infrastructure code names it\n');
    // No findings: one line, which still says how the handler was found.
    expect(text).toMatch(
      /^src\/jobs\/run.ts#run {2}score 92\/100 {2}no findings; handler named by the configuration; not checked:\n {2}event-source-backpressure$/m,
    );
  });

  it('markdown: under the id in the functions table', () => {
    const md = reporters.markdown(withDiscovery(), ctx);
    expect(md).toContain('| **OrdersFunction**<br><sub>`src/orders/handler.ts#handler`</sub><br><sub>declared in `template.yaml:12`</sub> | 70 |');
    expect(md).toContain('| `src/reports/handler.ts#handler`<br><sub>inferred</sub> | 92 |');
    expect(md).toContain('| `src/jobs/run.ts#run`<br><sub>named by the configuration</sub> | 92 |');
  });

  it('sarif: in the run properties, with each function id the results name', () => {
    const run = toSarif(withDiscovery(), ctx).runs[0]!;
    expect(run.properties?.functions).toEqual([
      {
        id: 'src/orders/handler.ts#handler',
        discovery: 'infrastructure',
        declaredIn: { file: 'template.yaml', line: 12, logicalId: 'OrdersFunction' },
        score: 70,
      },
      { id: 'src/reports/handler.ts#handler', discovery: 'inferred', score: 92 },
      { id: 'src/jobs/run.ts#run', discovery: 'configuration', score: 92 },
    ]);
  });
});
