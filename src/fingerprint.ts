/**
 * @fileoverview Fingerprints: an id for a finding that survives edits elsewhere in the file. It
 * hashes the rule, the flagged code in a form formatters do not change, the name of the function around
 * it and an occurrence index (for the same code twice in one function), and never a line
 * number. The baseline matches on it, and SARIF carries it as a partial fingerprint.
 *
 * The function comes from the file's summary (the walk records each function's lines), so only
 * the text of files with findings is read again, never parsed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionSummary } from './core/summary.js';
import type { Finding } from './types.js';

/** Longest `code` kept in a baseline entry; the hash covers all of it. */
const MAX_CODE_LENGTH = 160;

interface FingerprintParts {
  /** The enclosing functions, outermost first, joined with `.`; `<module>` at module scope. */
  function: string;
  /** The flagged code, whitespace collapsed (cut to {@link MAX_CODE_LENGTH} characters). */
  code: string;
}

export interface FingerprintedFinding {
  finding: Finding;
  fingerprint: string;
  parts: FingerprintParts;
}

export interface FingerprintSources {
  /** The functions of a report file, from its summary (none for templates and the like). */
  functionsOf(file: string): readonly FunctionSummary[] | undefined;
  /** The text of a report file; throws when it cannot be read. */
  readFile?(file: string): string;
}

/**
 * Fingerprints every finding (`file` as in the report, relative to `cwd`). A file that cannot
 * be read is fingerprinted from the rule and message alone.
 */
export function fingerprintFindings(findings: readonly Finding[], cwd: string, sources: FingerprintSources): FingerprintedFinding[] {
  const readFile = sources.readFile ?? ((file: string) => fs.readFileSync(path.resolve(cwd, file), 'utf8'));
  const byFile = new Map<string, number[]>();
  findings.forEach((finding, index) => {
    let list = byFile.get(finding.file);
    if (!list) byFile.set(finding.file, (list = []));
    list.push(index);
  });

  const out: FingerprintedFinding[] = new Array(findings.length);
  for (const [file, indexes] of byFile) {
    const source = readSource(file, readFile);
    const functions = sources.functionsOf(file) ?? [];
    const occurrences = new Map<string, number>();
    // Position order, so the occurrence index counts from the top of the file.
    const ordered = [...indexes].sort((a, b) => findings[a]!.line - findings[b]!.line || findings[a]!.column - findings[b]!.column);
    for (const index of ordered) {
      const finding = findings[index]!;
      const code = source ? getCode(source, finding) : finding.message;
      const fn = getFunctionName(functions, finding.line);
      const key = `${finding.ruleId}\u0000${fn}\u0000${canonicalCode(code)}`;
      const occurrence = occurrences.get(key) ?? 0;
      occurrences.set(key, occurrence + 1);
      const fingerprint = createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
      const shown = code.length > MAX_CODE_LENGTH ? `${code.slice(0, MAX_CODE_LENGTH - 1)}…` : code;
      out[index] = { finding, fingerprint, parts: { function: fn, code: shown } };
    }
  }
  return out;
}

interface Source {
  text: string;
  lineStarts: number[];
}

function readSource(file: string, readFile: (file: string) => string): Source | undefined {
  let text: string;
  try {
    text = readFile(file);
  } catch {
    return undefined;
  }
  // The line breaks TypeScript counts, so the report's lines and columns land on the same text.
  const lineStarts = [0];
  for (const match of text.matchAll(/\r\n|[\r\n\u2028\u2029]/g)) lineStarts.push(match.index + match[0].length);
  return { text, lineStarts };
}

function getCode(source: Source, finding: Finding): string {
  const start = offsetOf(source, finding.line, finding.column);
  const end = Math.max(start, offsetOf(source, finding.endLine, finding.endColumn));
  return source.text.slice(start, end).replace(/\s+/g, ' ').trim();
}

function offsetOf(source: Source, line: number, column: number): number {
  const lineStart = source.lineStarts[Math.min(line, source.lineStarts.length) - 1] ?? 0;
  return Math.min(lineStart + column - 1, source.text.length);
}

/**
 * The code as a formatter cannot change it: no whitespace except between two word characters,
 * no trailing commas, one kind of quote. Prettier reflowing a call over several lines, or
 * switching quotes, is an unrelated edit and must not make an old finding new.
 */
export function canonicalCode(code: string): string {
  return code
    .replace(/\s+/g, ' ')
    .replace(/ (?=\W)|(?<=\W) /g, '')
    .replace(/,(?=[)\]}])/g, '')
    .replace(/"/g, "'");
}

/**
 * The innermost function whose lines hold `line`, named with its enclosing functions
 * (`OrderService.save.<anonymous>`). Functions are in walk order, so a nested function comes
 * after the one around it.
 */
function getFunctionName(functions: readonly FunctionSummary[], line: number): string {
  let innermost = -1;
  for (let i = 0; i < functions.length; i++) {
    const fn = functions[i]!;
    if (fn.line <= line && line <= fn.endLine) innermost = i;
  }
  const names: string[] = [];
  for (let i = innermost; i >= 0; i = functions[i]!.parent) names.unshift(functions[i]!.name);
  return names.length > 0 ? names.join('.') : '<module>';
}
