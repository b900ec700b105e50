/**
 * @fileoverview References between resources of one template (or of a serverless.yml
 * `resources.Resources` section): `Ref`, `Fn::GetAtt` and whole-string `Fn::Sub` references are
 * resolved to the resource they name, and a reference to a resource that does not exist becomes
 * an error entry (the scan goes on). Only the references the checks follow are resolved (event
 * source queues and streams, dead-letter queues, destinations); nothing else in a template is
 * validated, because SAM and the Serverless Framework generate resources (roles, aliases, APIs)
 * that a template may name without defining.
 */
import type { ScanError } from '../types.js';
import type { IacLocation, IacQueue } from './types.js';
import { asNumber, asObject, asString, isObject, referenceToString, type PlainObject } from './values.js';
import type { ParsedDocument } from './yaml.js';

/** The resources a reference can name, and where problems go. */
export interface ResourceScope {
  file: string;
  document: ParsedDocument;
  resources: PlainObject;
  parameters: PlainObject;
  /** Key path of the resources map in the document (`['Resources']`, `['resources', 'Resources']`). */
  resourcesPath: (string | number)[];
  /** How a missing reference's container is named in the error (`this template`). */
  where: string;
  /** JSON documents show references in their long form. */
  json: boolean;
  errors: ScanError[];
}

export interface ResourceReference {
  id: string;
  attribute?: string;
  /** The reference as written, for messages (`!GetAtt Queue.Arn`). */
  text: string;
}

/**
 * The resource a value names: `{ Ref: X }`, `{ 'Fn::GetAtt': [X, A] }`, `{ 'Fn::GetAtt': 'X.A' }`, or
 * `{ 'Fn::Sub': '${X.A}' }` / `'${X}'` when the whole string is one reference. Anything else
 * (ARN strings, imports, parameters spliced into strings) names no resource of the template.
 */
export function referencedResource(value: unknown, json: boolean): ResourceReference | undefined {
  if (!isObject(value) || Object.keys(value).length !== 1) return undefined;
  if (typeof value.Ref === 'string') {
    return { id: value.Ref, text: json ? `{ "Ref": "${value.Ref}" }` : `!Ref ${value.Ref}` };
  }
  const getAtt = value['Fn::GetAtt'];
  let parts: string[] | undefined;
  if (Array.isArray(getAtt) && getAtt.length >= 1 && getAtt.every((part) => typeof part === 'string')) parts = getAtt as string[];
  else if (typeof getAtt === 'string') parts = [getAtt.split('.')[0]!, getAtt.split('.').slice(1).join('.')];
  if (parts) {
    const [id, ...rest] = parts;
    const attribute = rest.join('.') || undefined;
    const shown = attribute ? `${id}.${attribute}` : id;
    return {
      id: id!,
      ...(attribute ? { attribute } : {}),
      text: json ? `{ "Fn::GetAtt": [${parts.map((part) => JSON.stringify(part)).join(', ')}] }` : `!GetAtt ${shown}`,
    };
  }
  const sub = value['Fn::Sub'];
  const template = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' && sub.length === 1 ? sub[0] : undefined;
  const match = template === undefined ? null : /^\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}$/.exec(template);
  if (match) {
    return {
      id: match[1]!,
      ...(match[2] ? { attribute: match[2] } : {}),
      text: json ? `{ "Fn::Sub": "${template}" }` : `!Sub '${template}'`,
    };
  }
  return undefined;
}

/**
 * The resource of this scope a value names. A reference to a resource that does not exist (and is
 * neither a parameter nor a pseudo parameter) is recorded as an error at `keyPath` when `report`.
 */
export function resolveResource(
  scope: ResourceScope,
  value: unknown,
  keyPath: (string | number)[],
  report = true,
): { id: string; resource: PlainObject } | undefined {
  const reference = referencedResource(value, scope.json);
  if (!reference) return undefined;
  if (Object.hasOwn(scope.resources, reference.id)) {
    const resource = asObject(scope.resources[reference.id]);
    return resource ? { id: reference.id, resource } : undefined;
  }
  if (reference.id.startsWith('AWS::')) return undefined;
  if (reference.attribute === undefined && Object.hasOwn(scope.parameters, reference.id)) return undefined;
  if (report) {
    const position = scope.document.positionOf(keyPath);
    scope.errors.push({
      file: scope.file,
      ...(position ? { line: position.line, column: position.column } : {}),
      message: `${reference.text}: no resource ${reference.id} in ${scope.where}`,
    });
  }
  return undefined;
}

/** `{ Ref: Parameter }` with a literal `Default` is replaced by that default; other values are returned as they are. */
export function withParameterDefault(scope: Pick<ResourceScope, 'parameters'>, value: unknown): unknown {
  if (isObject(value) && typeof value.Ref === 'string' && Object.keys(value).length === 1) {
    const parameter = asObject(scope.parameters[value.Ref]);
    const fallback = parameter?.Default;
    if (typeof fallback === 'string' || typeof fallback === 'number') return fallback;
  }
  return value;
}

export function locate(scope: ResourceScope, keyPath: (string | number)[], fallback: (string | number)[] = []): IacLocation {
  const position = scope.document.positionOf(keyPath) ?? scope.document.positionOf(fallback);
  return position ? { file: scope.file, ...position } : { file: scope.file, line: 1 };
}

/** An `AWS::SQS::Queue` resource of the scope as a queue model; dead-letter targets that name missing resources are reported. */
export function queueOf(scope: ResourceScope, id: string, resource: PlainObject): IacQueue | undefined {
  if (resource.Type !== 'AWS::SQS::Queue') return undefined;
  const props = asObject(resource.Properties) ?? {};
  const queuePath = [...scope.resourcesPath, id];
  const queue: IacQueue = { id, source: locate(scope, queuePath) };
  if (props.VisibilityTimeout !== undefined) {
    const timeout = asNumber(withParameterDefault(scope, props.VisibilityTimeout));
    if (timeout === undefined) queue.visibilityTimeoutUnknown = true;
    else queue.visibilityTimeout = timeout;
  }
  let redrive: unknown = props.RedrivePolicy;
  // Older templates write the redrive policy as a JSON string.
  if (typeof redrive === 'string') {
    try {
      redrive = JSON.parse(redrive);
    } catch {
      redrive = { deadLetterTargetArn: redrive };
    }
  }
  const policy = asObject(redrive);
  if (policy) {
    const targetValue = policy.deadLetterTargetArn ?? policy.DeadLetterTargetArn;
    resolveResource(scope, targetValue, [...queuePath, 'Properties', 'RedrivePolicy', 'deadLetterTargetArn']);
    const deadLetterTarget = referenceToString(targetValue);
    const maxReceiveCount = asNumber(withParameterDefault(scope, policy.maxReceiveCount ?? policy.MaxReceiveCount));
    queue.redrive = {
      ...(deadLetterTarget !== undefined ? { deadLetterTarget } : {}),
      ...(maxReceiveCount !== undefined ? { maxReceiveCount } : {}),
    };
  }
  return queue;
}

/** The destination ARN/reference of `{ Destination: X }` / `{ Arn: X }` / `X`, reporting missing resources. */
export function destinationOf(scope: ResourceScope, value: unknown, keyPath: (string | number)[]): string | undefined {
  // `{ Destination: X }` / `{ Arn: X }` configuration objects, or the reference itself (`!GetAtt Dlq.Arn`).
  const isReference = isObject(value) && Object.keys(value).length === 1 && /^(Ref|Fn::)/.test(Object.keys(value)[0]!);
  const object = isReference ? undefined : asObject(value);
  const key = object
    ? object.Destination !== undefined
      ? 'Destination'
      : object.Arn !== undefined
        ? 'Arn'
        : object.TargetArn !== undefined
          ? 'TargetArn'
          : undefined
    : undefined;
  const target = object ? (key ? object[key] : undefined) : value;
  if (target === undefined || target === null) return object && object.Type !== undefined ? asString(object.Type) : undefined;
  resolveResource(scope, target, key ? [...keyPath, key] : keyPath);
  return referenceToString(target);
}

/**
 * Calls `found` with the id of every resource `value` references: `Ref`, `Fn::GetAtt`, whole-string
 * `Fn::Sub`, anywhere inside it; with `embedded`, also the `${Id}` / `${Id.Attr}` parts of a longer
 * `Fn::Sub` string (`arn:aws:execute-api:...:${Api}/*`).
 */
export function collectReferences(value: unknown, found: (id: string) => void, options: { embedded?: boolean } = {}, depth = 0): void {
  if (depth > 20) return;
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, found, options, depth + 1);
    return;
  }
  if (!isObject(value)) return;
  const reference = referencedResource(value, false);
  if (reference) {
    found(reference.id);
    return;
  }
  if (options.embedded) {
    const sub = value['Fn::Sub'];
    const template = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
    for (const match of template?.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g) ?? []) found(match[1]!);
  }
  for (const child of Object.values(value)) collectReferences(child, found, options, depth + 1);
}
