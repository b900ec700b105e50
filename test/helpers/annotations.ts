/**
 * @fileoverview Reads the expectations that fixtures carry in their own comments.
 *
 *   // expect: shared-tmp-path                       the next line must be reported
 *   // expect: shared-db-connection (info)           ... with that severity
 *   // ok: global-mutable-state                      the next line must NOT be reported
 *   writeFileSync(p, data); // expect: shared-tmp-path, global-mutable-state   (trailing: own line)
 *
 * YAML files (templates, serverless.yml), Python files and Terraform `.tf` files use their own comment syntax:
 * `# expect: <rule-id>`, `# ok: <rule-id>`. Inline JavaScript in a template (`ZipFile: |`) annotates
 * its lines with its own `// expect:` comments, which count in YAML files too. JSON has no comments, so JSON templates are tested with explicit assertions.
 *
 * A standalone annotation applies to the next line that is not itself a standalone annotation,
 * so several may be stacked above one line. An annotation that would land on a blank line, a
 * comment or past the end of the file is a fixture mistake and throws, as does a malformed list:
 * a silently ignored annotation would make a fixture test pass for the wrong reason.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Expectation {
  /** Relative to the scanned directory (to the file's own directory for a single file), '/' separators. */
  file: string;
  /** 1-based. */
  line: number;
  ruleId: string;
  /** Only when written in the annotation; the caller applies the rule's default otherwise. */
  severity?: 'error' | 'warning' | 'info';
  kind: 'expect' | 'ok';
}

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.yml', '.yaml', '.py', '.tf']);
/** Files whose comments start with `#`. */
const HASH_COMMENT_EXTENSIONS = new Set(['.yml', '.yaml', '.py', '.tf']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

// The `//` must be followed by the keyword and a colon, so URLs (`'http://x'`) never match.
const ANNOTATION = /\/\/\s*(expect|ok):(.*)$/;
const YAML_ANNOTATION = /#\s*(expect|ok):(.*)$/;
const ITEM = /^([a-z][a-z0-9-]*)(?:\s*\(\s*(error|warning|info)\s*\))?$/;

export function readExpectations(dir: string): Expectation[] {
  const root = path.resolve(dir);
  const isFile = statSync(root).isFile();
  const base = isFile ? path.dirname(root) : root;
  const files = isFile ? [root] : listSourceFiles(root);

  const expectations: Expectation[] = [];
  for (const file of files) {
    const relative = path.relative(base, file).split(path.sep).join('/');
    expectations.push(...parseAnnotations(readFileSync(file, 'utf8'), relative, HASH_COMMENT_EXTENSIONS.has(path.extname(file))));
  }
  return expectations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId) || a.kind.localeCompare(b.kind));
}

function listSourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) files.push(...listSourceFiles(full));
    } else if (entry.isFile() && SOURCE_EXTENSIONS.has(path.extname(entry.name))) {
      files.push(full);
    }
  }
  return files;
}

interface RawAnnotation {
  kind: 'expect' | 'ok';
  items: Array<{ ruleId: string; severity?: Expectation['severity'] }>;
  standalone: boolean;
}

function parseLine(text: string, where: string, yaml: boolean, inlineJs: boolean): RawAnnotation | null {
  const match = yaml ? (YAML_ANNOTATION.exec(text) ?? (inlineJs ? outsideQuotes(ANNOTATION.exec(text), text) : null)) : ANNOTATION.exec(text);
  if (!match) return null;
  const kind = match[1] as 'expect' | 'ok';
  const list = match[2]!.trim();
  if (list === '') throw new Error(`${where}: empty "${kind}:" annotation`);
  const items = list.split(',').map((raw) => {
    const item = ITEM.exec(raw.trim());
    if (!item) {
      throw new Error(`${where}: cannot read "${raw.trim()}" in a "${kind}:" annotation ` + '(expected "<rule-id>" or "<rule-id> (error|warning|info)")');
    }
    if (kind === 'ok' && item[2]) throw new Error(`${where}: an "ok:" annotation takes no severity`);
    return item[2] ? { ruleId: item[1]!, severity: item[2] as Expectation['severity'] } : { ruleId: item[1]! };
  });
  return { kind, items, standalone: text.slice(0, match.index).trim() === '' };
}

/** A `//` annotation of inline JavaScript in YAML, unless it is inside a quoted string (`'http://x // expect: …'`). */
function outsideQuotes(match: RegExpExecArray | null, text: string): RegExpExecArray | null {
  if (!match) return null;
  const before = text.slice(0, match.index);
  const count = (quote: string) => before.split(quote).length - 1;
  return count("'") % 2 === 0 && count('"') % 2 === 0 ? match : null;
}

function parseAnnotations(source: string, file: string, yaml = false): Expectation[] {
  const lines = source.split(/\r?\n/);
  // Templates hold inline JavaScript: its `// expect:` comments count there (not in Python or Terraform files).
  const inlineJs = /\.ya?ml$/.test(file);
  const parsed = lines.map((text, index) => parseLine(text, `${file}:${index + 1}`, yaml, inlineJs));
  const byKey = new Map<string, Expectation>();

  parsed.forEach((annotation, index) => {
    if (!annotation) return;
    let target = index;
    if (annotation.standalone) {
      target = index + 1;
      while (target < lines.length && parsed[target]?.standalone) target += 1;
      const where = `${file}:${index + 1}`;
      if (target >= lines.length) throw new Error(`${where}: annotation has no line to apply to`);
      const targetText = lines[target]!.trim();
      if (targetText === '') throw new Error(`${where}: annotation is followed by a blank line`);
      if ((yaml && targetText.startsWith('#')) || targetText.startsWith('//') || targetText.startsWith('/*')) {
        throw new Error(`${where}: annotation is followed by a comment, not code`);
      }
    }
    for (const item of annotation.items) {
      const line = target + 1;
      const key = `${line}\u0000${item.ruleId}`;
      const previous = byKey.get(key);
      if (previous && previous.kind !== annotation.kind) {
        throw new Error(`${file}:${line}: both "expect" and "ok" for ${item.ruleId}`);
      }
      if (previous && previous.severity !== item.severity) {
        throw new Error(`${file}:${line}: two severities expected for ${item.ruleId}`);
      }
      const expectation: Expectation = { file, line, ruleId: item.ruleId, kind: annotation.kind };
      if (item.severity) expectation.severity = item.severity;
      byKey.set(key, expectation);
    }
  });
  return [...byKey.values()];
}
