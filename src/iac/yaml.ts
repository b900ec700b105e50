/**
 * @fileoverview Parsing of infrastructure documents (YAML with the CloudFormation short-form tags,
 * and JSON) into plain values plus a way to find the 1-based line of a key path. Nothing in a
 * document is evaluated: intrinsic functions become their long-form objects
 * (`!Ref X` -> `{ Ref: 'X' }`, `!GetAtt A.B` -> `{ 'Fn::GetAtt': ['A', 'B'] }`).
 */
import { ts } from '../ts.js';
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Pair,
  parseDocument,
  Scalar,
  YAMLMap,
  type CollectionTag,
  type Node as YamlNode,
  type ScalarTag,
} from 'yaml';
import * as jsYaml from 'js-yaml';

/** A parse problem, with a 1-based line/column when known. */
interface DocumentProblem {
  message: string;
  line?: number;
  column?: number;
}

/** The result of parsing one infrastructure document. */
export interface ParsedDocument {
  /** The document as plain JS data; `undefined` when it could not be parsed at all. */
  value: unknown;
  /** Syntax errors: the value is not trustworthy when there are any. */
  errors: DocumentProblem[];
  /**
   * Problems that leave the value usable: tags the CloudFormation schema does not know (`!Foo`),
   * duplicate keys (the last one wins, as with PyYAML, which SAM CLI and cfn-lint use).
   */
  warnings: DocumentProblem[];
  /** The 1-based line of the key at the end of `keyPath` (map keys, or sequence indexes). */
  lineOf(keyPath: readonly (string | number)[]): number | undefined;
  /** The 1-based line and column of that key, and the column just past the end of its line's text. */
  positionOf(keyPath: readonly (string | number)[]): { line: number; column: number; endColumn: number } | undefined;
  /** Where the value at the end of `keyPath` is written, and how (for inline code, src/iac/inline-code.ts). */
  valueOf(keyPath: readonly (string | number)[]): ValuePosition | undefined;
}

/**
 * The 1-based line and column where a value starts (a block scalar's `|` header, a string's opening
 * quote), its style, and for a block scalar the indentation of its content lines.
 */
export interface ValuePosition {
  line: number;
  column: number;
  style: 'literal' | 'folded' | 'plain' | 'quoted' | 'collection';
  /** Block scalars: the number of spaces before each content line. */
  blockIndent?: number;
}

/** Short-form tag -> long-form key. */
const CFN_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!Join': 'Fn::Join',
  '!If': 'Fn::If',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!GetAZs': 'Fn::GetAZs',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Transform': 'Fn::Transform',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
  '!ForEach': 'Fn::ForEach',
};

function wrapCollection(key: string) {
  return (collection: YamlNode): YAMLMap => {
    const map = new YAMLMap();
    map.items.push(new Pair(new Scalar(key), collection));
    return map;
  };
}

/** The `yaml` custom tags for every CloudFormation short form, in scalar, sequence and map shape. */
const cloudFormationTags: (ScalarTag | CollectionTag)[] = Object.entries(CFN_TAGS).flatMap(([tag, key]): (ScalarTag | CollectionTag)[] => [
  {
    tag,
    resolve(value: string): unknown {
      // `!GetAtt Resource.Attribute` is the only short form whose scalar shape differs.
      if (key === 'Fn::GetAtt') {
        const dot = value.indexOf('.');
        return { [key]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
      }
      return { [key]: value };
    },
  },
  { tag, collection: 'seq', resolve: wrapCollection(key) },
  { tag, collection: 'map', resolve: wrapCollection(key) },
]);

const MAX_PROBLEMS = 10;

/** Parses YAML with the CloudFormation tags. Never throws. */
export function parseYaml(text: string): ParsedDocument {
  const lineCounter = new LineCounter();
  const problems: DocumentProblem[] = [];
  const warnings: DocumentProblem[] = [];
  const position = (offset: number | undefined): { line?: number; column?: number } => {
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  let doc;
  try {
    doc = parseDocument(text, {
      customTags: cloudFormationTags,
      lineCounter,
      prettyErrors: false,
      // serverless.yml files often share settings through anchors and `<<` merge keys.
      merge: true,
      // SAM CLI and the Serverless Framework load YAML with duplicate keys (the last one wins): so does the scan, with a warning.
      uniqueKeys: false,
    });
  } catch (error) {
    return {
      value: undefined,
      errors: [{ message: `invalid YAML: ${messageOf(error)}` }],
      warnings,
      lineOf: () => undefined,
      positionOf: () => undefined,
      valueOf: () => undefined,
    };
  }
  // The parser goes on after a syntax error and reports what the first one broke (an unclosed
  // quote gives a dozen more): the first is the one to fix, the rest are counted.
  const [firstError] = doc.errors;
  // SAM CLI and cfn-lint read templates with PyYAML, which accepts continuation lines of a quoted
  // string or flow collection indented no deeper than their key (`PolicyDocument: !Sub '{` ... `}'`);
  // the `yaml` package follows YAML 1.2 and refuses them. js-yaml reads what PyYAML reads: such a
  // document is taken from it, with key lines found in the text.
  if (firstError && LENIENT_CODES.has(firstError.code)) {
    const lenient = parseLenient(text);
    if (lenient) {
      lenient.warnings.push({
        message: `YAML 1.2 refuses this document (${firstLine(firstError.message).replace(/ at line \d+, column \d+:?$/, '')}), PyYAML and SAM CLI accept it: read as they read it`,
        ...position(firstError.pos[0]),
      });
      return lenient;
    }
  }
  if (firstError) {
    const more = doc.errors.length - 1;
    const after = more > 0 ? ` (and ${more} more YAML error${more === 1 ? '' : 's'} after it)` : '';
    problems.push({ message: `invalid YAML: ${firstLine(firstError.message)}${after}`, ...position(firstError.pos[0]) });
  }
  for (const warning of doc.warnings) {
    if (warning.code !== 'TAG_RESOLVE_FAILED' || warnings.length >= MAX_PROBLEMS) continue;
    const tag = /Unresolved tag: (\S+)/.exec(warning.message)?.[1];
    warnings.push({
      message: tag ? `unknown YAML tag ${tag}` : firstLine(warning.message),
      ...position(warning.pos[0]),
    });
  }
  if (problems.length === 0) warnings.push(...duplicateKeys(doc.contents, position));
  let value: unknown;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      problems.push({ message: `invalid YAML: ${messageOf(error)}` });
    }
  }
  const contents = doc.contents;
  const nodeAt = (keyPath: readonly (string | number)[]): { node: unknown; keyOffset: number | undefined } | undefined => {
    let node: unknown = contents;
    let keyOffset: number | undefined;
    for (const key of keyPath) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
        if (!pair) return undefined;
        keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key];
        if (!item) return undefined;
        keyOffset = (item as YamlNode).range?.[0];
        node = item;
      } else {
        return undefined;
      }
    }
    return { node, keyOffset };
  };
  const positionOf = (keyPath: readonly (string | number)[]): { line: number; column: number; endColumn: number } | undefined => {
    const keyOffset = nodeAt(keyPath)?.keyOffset;
    if (keyOffset === undefined) return undefined;
    const pos = lineCounter.linePos(keyOffset);
    return { line: pos.line, column: pos.col, endColumn: lineEndColumn(text, keyOffset - pos.col + 1) };
  };
  const valueOf = (keyPath: readonly (string | number)[]): ValuePosition | undefined => {
    const node = nodeAt(keyPath)?.node as YamlNode | undefined;
    const offset = node?.range?.[0];
    if (!node || offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    if (!isScalar(node)) return { line: pos.line, column: pos.col, style: 'collection' };
    const style = node.type === 'BLOCK_LITERAL' ? 'literal' : node.type === 'BLOCK_FOLDED' ? 'folded' : node.type === 'PLAIN' ? 'plain' : 'quoted';
    if (style !== 'literal' && style !== 'folded') return { line: pos.line, column: pos.col, style };
    // YAML takes a block's indentation from its first non-blank content line (after the header's line).
    const lines = text.slice(offset).split(/\r?\n/).slice(1);
    const first = lines.find((l) => l.trim() !== '');
    return { line: pos.line, column: pos.col, style, blockIndent: first === undefined ? 0 : first.length - first.trimStart().length };
  };
  return {
    value,
    errors: problems,
    warnings,
    lineOf: (keyPath) => positionOf(keyPath)?.line,
    positionOf,
    valueOf,
  };
}

/** Errors of the `yaml` package that PyYAML (and js-yaml) do not make: indentation inside flow scalars and collections. */
const LENIENT_CODES = new Set(['BAD_INDENT', 'MISSING_CHAR']);

/** The CloudFormation short forms for js-yaml, in the same long form the `yaml` tags give. */
const jsYamlSchema = jsYaml.DEFAULT_SCHEMA.extend(
  Object.entries(CFN_TAGS).flatMap(([tag, key]) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) =>
        new jsYaml.Type(tag, {
          kind,
          construct(data: unknown) {
            if (key === 'Fn::GetAtt' && typeof data === 'string') {
              const dot = data.indexOf('.');
              return { [key]: dot < 0 ? [data] : [data.slice(0, dot), data.slice(dot + 1)] };
            }
            return { [key]: data ?? '' };
          },
        }),
    ),
  ),
);

/**
 * A document the `yaml` package refused, read as PyYAML reads it. Key positions come from the
 * text: each key of the path is the next line, below the previous key and indented deeper, that
 * names it (block style, as templates are written); a sequence index counts the `- ` items.
 * `undefined` when js-yaml refuses it too.
 */
function parseLenient(text: string): ParsedDocument | undefined {
  let value: unknown;
  try {
    // `json: true`: a duplicate key keeps its last value, as PyYAML does.
    value = jsYaml.load(text, { schema: jsYamlSchema, json: true });
  } catch {
    return undefined;
  }
  const lines = text.split(/\r?\n/);
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const positionOf = (keyPath: readonly (string | number)[]): { line: number; column: number; endColumn: number } | undefined => {
    let from = 0;
    let parentIndent = -1;
    let found: { line: number; column: number } | undefined;
    for (const key of keyPath) {
      found = undefined;
      let count = -1;
      let seqIndent = -1;
      for (let i = from; i < lines.length; i++) {
        const line = lines[i]!;
        const trimmed = line.trimStart();
        if (trimmed === '' || trimmed.startsWith('#')) continue;
        const indent = indentOf(line);
        if (i > from && indent <= parentIndent) break;
        if (typeof key === 'number') {
          if (!trimmed.startsWith('- ') && trimmed !== '-') continue;
          if (seqIndent < 0) seqIndent = indent;
          if (indent !== seqIndent) continue;
          if (++count === key) {
            found = { line: i + 1, column: indent + 1 };
            // The item's own keys sit after its dash.
            parentIndent = indent;
            break;
          }
        } else {
          const body = trimmed.startsWith('- ') ? trimmed.slice(2).trimStart() : trimmed;
          const bodyIndent = line.length - body.length;
          const match = /^(['"]?)(.*?)\1\s*:(\s|$)/.exec(body);
          if (match && match[2] === key && bodyIndent > parentIndent) {
            found = { line: i + 1, column: bodyIndent + 1 };
            parentIndent = bodyIndent;
            break;
          }
        }
      }
      if (!found) return undefined;
      from = found.line - 1;
    }
    if (!found) return undefined;
    return { ...found, endColumn: lines[found.line - 1]!.trimEnd().length + 1 };
  };
  return {
    value,
    errors: [],
    warnings: [],
    lineOf: (keyPath) => positionOf(keyPath)?.line,
    positionOf,
    // Where a value starts and how it is quoted is not known from the text alone: inline code in
    // such a document is not located (src/iac/inline-code.ts skips it).
    valueOf: () => undefined,
  };
}

/** Keys written twice in one map (the later value is the one used), each reported at its last occurrence. */
function duplicateKeys(root: unknown, position: (offset: number | undefined) => { line?: number; column?: number }): DocumentProblem[] {
  const found: DocumentProblem[] = [];
  const visit = (node: unknown): void => {
    if (found.length >= MAX_PROBLEMS) return;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        if (isScalar(item.key) && item.key.value !== '<<') {
          const key = String(item.key.value);
          if (seen.has(key) && found.length < MAX_PROBLEMS) {
            found.push({ message: `duplicate key \`${key}\`: the last value is used (as SAM CLI does)`, ...position(item.key.range?.[0]) });
          }
          seen.add(key);
        }
        visit(item.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item);
    }
  };
  visit(root);
  return found;
}

/** Parses JSON (strictly, like CloudFormation does); lines come from the TypeScript JSON parser. Never throws. */
export function parseJson(fileName: string, text: string): ParsedDocument {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return {
      value: undefined,
      errors: [{ message: `invalid JSON: ${messageOf(error)}`, ...jsonErrorPosition(body, messageOf(error)) }],
      warnings: [],
      lineOf: () => undefined,
      positionOf: () => undefined,
      valueOf: () => undefined,
    };
  }
  let source: ts.JsonSourceFile | undefined;
  const nodeAt = (keyPath: readonly (string | number)[]): { keyPos: number; node: ts.Node } | undefined => {
    source ??= ts.parseJsonText(fileName, body);
    const first = source.statements[0];
    let node: ts.Node | undefined = first && ts.isExpressionStatement(first) ? first.expression : undefined;
    let keyPos: number | undefined;
    for (const key of keyPath) {
      if (node && ts.isObjectLiteralExpression(node)) {
        const property = node.properties.find(
          (p): p is ts.PropertyAssignment =>
            ts.isPropertyAssignment(p) && (ts.isStringLiteral(p.name) || ts.isIdentifier(p.name)) && p.name.text === String(key),
        );
        if (!property) return undefined;
        keyPos = property.name.getStart(source);
        node = property.initializer;
      } else if (node && ts.isArrayLiteralExpression(node) && typeof key === 'number') {
        const element: ts.Expression | undefined = node.elements[key];
        if (!element) return undefined;
        keyPos = element.getStart(source);
        node = element;
      } else {
        return undefined;
      }
    }
    if (keyPos === undefined || !node) return undefined;
    return { keyPos, node };
  };
  const positionOf = (keyPath: readonly (string | number)[]): { line: number; column: number; endColumn: number } | undefined => {
    const keyPos = nodeAt(keyPath)?.keyPos;
    if (keyPos === undefined) return undefined;
    const pos = source!.getLineAndCharacterOfPosition(keyPos);
    return { line: pos.line + 1, column: pos.character + 1, endColumn: lineEndColumn(body, keyPos - pos.character) };
  };
  const valueOf = (keyPath: readonly (string | number)[]): ValuePosition | undefined => {
    const node = nodeAt(keyPath)?.node;
    if (!node) return undefined;
    const pos = source!.getLineAndCharacterOfPosition(node.getStart(source));
    return { line: pos.line + 1, column: pos.character + 1, style: ts.isStringLiteral(node) ? 'quoted' : 'collection' };
  };
  return {
    value,
    errors: [],
    warnings: [],
    lineOf: (keyPath) => positionOf(keyPath)?.line,
    positionOf,
    valueOf,
  };
}

/** The 1-based column just past the last non-blank character of the line starting at `lineStart`. */
function lineEndColumn(text: string, lineStart: number): number {
  const newline = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, newline < 0 ? text.length : newline);
  return line.trimEnd().length + 1;
}

function jsonErrorPosition(text: string, message: string): { line?: number; column?: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(message);
  if (position) {
    const offset = Math.min(Number(position[1]), text.length);
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1 };
  }
  if (/end of JSON input/.test(message)) {
    const lines = text.split('\n');
    return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
  }
  return {};
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
