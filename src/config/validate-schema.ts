/**
 * @fileoverview Checks a value against schema/config.schema.json, reporting the first problem
 * with the path of the bad key. The published schema is the only description of the
 * configuration; this interprets the part of JSON Schema that file uses, so the CLI needs no
 * validator package at run time (ajv is a dev dependency). A test runs ajv on the same schema
 * and the same inputs, and fails when the two disagree.
 */

import { didYouMean } from '../util/did-you-mean.js';

export interface SchemaNode {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  required?: string[];
  items?: boolean | SchemaNode;
  prefixItems?: SchemaNode[];
  minItems?: number;
  minLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: SchemaNode[];
  $defs?: Record<string, SchemaNode>;
}

export interface SchemaProblem {
  /** Where, as `rules.shared-tmp-path` or `include[2]` (empty for the whole value). */
  path: string;
  message: string;
}

/** The first problem, or undefined when the value matches. */
export function validateAgainstSchema(root: SchemaNode, value: unknown): SchemaProblem | undefined {
  return check(root, root, value, '');
}

function check(root: SchemaNode, node: SchemaNode, value: unknown, path: string): SchemaProblem | undefined {
  if (node.$ref) return check(root, resolveRef(root, node.$ref), value, path);
  if (node.anyOf) return checkAnyOf(root, node.anyOf, value, path);
  if (node.type && !hasType(value, node.type)) return { path, message: `must be ${article(node.type)}, not ${describe(value)}` };
  if (node.enum && !node.enum.includes(value)) {
    const allowed = `must be one of ${node.enum.map((v) => String(v)).join(', ')}`;
    const hint = typeof value === 'string' ? didYouMean(value, node.enum.map(String)) : '';
    return { path, message: hint ? `${allowed}.${hint}` : allowed };
  }
  if (typeof value === 'string') {
    if (node.minLength !== undefined && value.length < node.minLength) return { path, message: 'must not be empty' };
    if (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(value)) {
      return { path, message: `${JSON.stringify(value)} is not a valid name` };
    }
  }
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum) return { path, message: `must be at least ${node.minimum}` };
    if (node.maximum !== undefined && value > node.maximum) return { path, message: `must be at most ${node.maximum}` };
  }
  if (Array.isArray(value)) return checkArray(root, node, value, path);
  if (isObject(value)) return checkObject(root, node, value, path);
  return undefined;
}

function checkObject(root: SchemaNode, node: SchemaNode, value: Record<string, unknown>, path: string): SchemaProblem | undefined {
  for (const key of node.required ?? []) {
    if (!Object.hasOwn(value, key)) return { path, message: `must have the key ${key}` };
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (node.propertyNames) {
      const problem = check(root, node.propertyNames, key, childPath);
      if (problem) return { path: childPath, message: `is not a valid key: ${problem.message}` };
    }
    const property = node.properties && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
    if (property) {
      const problem = check(root, property, child, childPath);
      if (problem) return problem;
      continue;
    }
    if (node.additionalProperties === false) {
      const allowed = Object.keys(node.properties ?? {}).filter((k) => k !== '$schema');
      return { path: childPath, message: `unknown key.${didYouMean(key, allowed)} Allowed: ${allowed.join(', ')}` };
    }
    if (typeof node.additionalProperties === 'object') {
      const problem = check(root, node.additionalProperties, child, childPath);
      if (problem) return problem;
    }
  }
  return undefined;
}

function checkArray(root: SchemaNode, node: SchemaNode, value: unknown[], path: string): SchemaProblem | undefined {
  if (node.minItems !== undefined && value.length < node.minItems) {
    return { path, message: node.minItems === 1 ? 'must not be empty' : `must have at least ${node.minItems} items` };
  }
  const prefix = node.prefixItems ?? [];
  if (node.items === false && value.length > prefix.length) {
    return { path, message: `must have at most ${prefix.length} items` };
  }
  for (let i = 0; i < value.length; i++) {
    const item = i < prefix.length ? prefix[i] : typeof node.items === 'object' ? node.items : undefined;
    if (!item) continue;
    const problem = check(root, item, value[i], `${path}[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The problem of the alternative that fits the value's type best: a string is judged by the
 * alternative listing strings, an array by the array one. Otherwise, what the value may be.
 */
function checkAnyOf(root: SchemaNode, options: SchemaNode[], value: unknown, path: string): SchemaProblem | undefined {
  const problems = options.map((option) => check(root, option, value, path));
  if (problems.some((p) => p === undefined)) return undefined;
  const resolved = options.map((option) => (option.$ref ? resolveRef(root, option.$ref) : option));
  const index = resolved.findIndex((option) => typeOf(option) === jsonType(value));
  if (index >= 0) return problems[index];
  const kinds = resolved.map((option) => (option.enum ? `one of ${option.enum.join(', ')}` : article(typeOf(option) ?? 'value')));
  return { path, message: `must be ${kinds.join(', or ')}` };
}

function typeOf(node: SchemaNode): string | undefined {
  if (node.type) return node.type;
  if (node.enum && node.enum.length > 0) return jsonType(node.enum[0]);
  return undefined;
}

function resolveRef(root: SchemaNode, ref: string): SchemaNode {
  const match = /^#\/\$defs\/(.+)$/.exec(ref);
  const target = match && root.$defs && Object.hasOwn(root.$defs, match[1]!) ? root.$defs[match[1]!] : undefined;
  if (!target) throw new Error(`config schema: cannot resolve ${ref}`);
  return target;
}

function hasType(value: unknown, type: NonNullable<SchemaNode['type']>): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return jsonType(value) === type;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  const type = jsonType(value);
  if (type === 'string' || type === 'number' || type === 'boolean') return `${type} ${JSON.stringify(value)}`;
  return type === 'null' ? 'null' : article(type);
}
