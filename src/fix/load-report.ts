/**
 * @fileoverview Reads a JSON report for `fix --from-report`: it must be a scan report of the
 * schema version this tool writes, with findings that name a rule, a file and a line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../errors.js';
import type { Report } from '../types.js';

export function loadReport(from: string | Report, cwd: string): Report {
  let data: unknown = from;
  let name = 'the report';
  if (typeof from === 'string') {
    name = from;
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(cwd, from), 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read the report ${from} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
    }
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${from} is not JSON (${(error as Error).message}); write it with \`lmi-audit scan --format json --output ${from}\``, {
        cause: error,
      });
    }
  }
  const report = data as Partial<Report> | null;
  if (!report || typeof report !== 'object' || report.tool?.name !== 'lmi-audit') {
    throw new UsageError(`${name} is not an lmi-audit report (write one with \`lmi-audit scan --format json\`)`);
  }
  if (report.schemaVersion !== 1) {
    throw new UsageError(`${name} has schemaVersion ${JSON.stringify(report.schemaVersion)}; this version of lmi-audit reads schemaVersion 1: scan again`);
  }
  const findingsOk =
    Array.isArray(report.findings) &&
    report.findings.every((f) => f && typeof f.ruleId === 'string' && typeof f.file === 'string' && Number.isInteger(f.line) && f.line > 0);
  if (!findingsOk || !Array.isArray(report.functions)) throw new UsageError(`${name} is not a valid report: its findings or functions are malformed`);
  return report as Report;
}
