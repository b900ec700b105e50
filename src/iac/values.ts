/**
 * @fileoverview Helpers for the plain values parsed from templates: type guards, numbers that may
 * be written as strings, and a best-effort string form of intrinsic functions.
 */

export type PlainObject = Record<string, unknown>;

export function isObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): PlainObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number, or a string holding one (`'512'`); anything else (`${self:x}`, `!Ref P`) is unknown. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * A reference as a string: strings as written, `{ Ref: X }` -> `X`, `{ 'Fn::GetAtt': [X, 'Arn'] }` ->
 * `X.Arn`, `Fn::Sub` -> its template, `Fn::Join` of strings -> the joined string, other values as JSON.
 */
export function referenceToString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const key = keys[0]!;
      const arg = value[key];
      if (key === 'Ref' && typeof arg === 'string') return arg;
      if (key === 'Fn::GetAtt' && Array.isArray(arg) && arg.every((part) => typeof part === 'string')) return arg.join('.');
      if (key === 'Fn::Sub') {
        if (typeof arg === 'string') return arg;
        if (Array.isArray(arg) && typeof arg[0] === 'string') return arg[0];
      }
      if (key === 'Fn::ImportValue' && typeof arg === 'string') return arg;
      if (key === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
        const parts = arg[1].map(referenceToString);
        if (parts.every((part): part is string => part !== undefined)) return parts.join(arg[0]);
      }
    }
  }
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

export function referenceList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map(referenceToString).filter((item): item is string => item !== undefined);
}
