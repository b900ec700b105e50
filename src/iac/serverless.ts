/**
 * @fileoverview Serverless Framework service files (serverless.yml/yaml/json): `functions.<name>`
 * with `provider` defaults. Variables (`${self:...}`, `${env:...}`, `${opt:...}`, `${file(...)}`)
 * are never resolved: they stay strings, and numbers written with them are unknown.
 */
import * as path from 'node:path';
import { applyHandler, assignNumbers, lmiConfig, parseTemplateFile } from './cloudformation.js';
import { resolveHandler } from './handler-path.js';
import type { IacFunction, ReaderContext } from './types.js';
import { asNumber, asObject, asString, isObject, referenceList, referenceToString, type PlainObject } from './values.js';

export function isServerlessFile(file: string): boolean {
  return /^serverless\.(ya?ml|json)$/i.test(path.basename(file));
}

export function readServerless(file: string, ctx: ReaderContext): IacFunction[] {
  const document = parseTemplateFile(file, ctx.readFile(file));
  if (document.errors.length > 0) {
    for (const error of document.errors) ctx.errors.push({ file, ...error });
    return [];
  }
  const body = asObject(document.value);
  if (!body) return [];
  for (const problem of document.unknownTags) ctx.errors.push({ file, ...problem });
  const provider = asObject(body.provider) ?? {};
  const serviceDir = path.dirname(file);

  // `functions` is a map, or a list of maps (merged), possibly with `${file(...)}` entries we cannot follow.
  const entries: { name: string; definition: unknown; keyPath: (string | number)[] }[] = [];
  if (isObject(body.functions)) {
    for (const [name, definition] of Object.entries(body.functions)) entries.push({ name, definition, keyPath: ['functions', name] });
  } else if (Array.isArray(body.functions)) {
    body.functions.forEach((group, index) => {
      if (!isObject(group)) return;
      for (const [name, definition] of Object.entries(group)) entries.push({ name, definition, keyPath: ['functions', index, name] });
    });
  }

  const functions: IacFunction[] = [];
  for (const { name, definition, keyPath } of entries) {
    const props: PlainObject = asObject(definition) ?? {};
    const line = document.lineOf(keyPath) ?? 1;
    const fn: IacFunction = { logicalId: name, kind: 'serverless', source: { file, line } };
    const runtime = asString(props.runtime ?? provider.runtime);
    const handler = asString(props.handler);
    if (runtime !== undefined) fn.runtime = runtime;
    if (handler !== undefined) fn.handler = handler;
    assignNumbers(fn, asNumber(props.memorySize ?? provider.memorySize), asNumber(props.timeout ?? provider.timeout));
    const layers = referenceList(props.layers ?? provider.layers);
    if (layers) fn.layers = layers;

    const capacity = props.capacityProvider;
    if (capacity !== undefined && capacity !== null && capacity !== false) {
      if (isObject(capacity)) {
        fn.lmi = lmiConfig(
          referenceToString(capacity.name ?? capacity.arn),
          asNumber(capacity.maxConcurrency),
          asNumber(capacity.memoryPerVCpu),
        );
      } else {
        fn.lmi = lmiConfig(referenceToString(capacity), undefined, undefined);
      }
    }

    const codeRoot = props.image !== undefined ? undefined : serviceDir;
    applyHandler(fn, resolveHandler({ handler, codeRoot, runtime, fileExists: ctx.fileExists }));
    functions.push(fn);
  }
  return functions;
}
