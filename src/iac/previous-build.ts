/**
 * @fileoverview Was an LMI function created without LMI? A capacity provider can only be given to
 * a function when it is created ("It can't be added or removed after the function resource has
 * been created", SAM `CapacityProviderConfig` docs): adding it to a deployed function
 * means replacing the function. Nothing here talks to AWS, so the evidence is the last build
 * output beside the infrastructure code, which is what was (or is about to be) deployed:
 * `.aws-sam/build/template.*` (sam build), `.serverless/cloudformation-template-update-stack.json`
 * (serverless package/deploy) and `cdk.out/*.template.json` (cdk synth). A function that the build
 * output has under the same id without a capacity provider is marked `lmiAddedToExisting`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IacFunction } from './types.js';
import { collectReferences } from './references.js';
import { asObject, asString, isObject } from './values.js';
import { parseJson, parseYaml } from './yaml.js';
import { isFile } from '../util/is-file.js';

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);

interface BuiltFunction {
  hasLmi: boolean;
  file: string;
}

/** What the infrastructure file itself says about what points at its functions. */
export interface WrittenResources {
  /** The CloudFormation resources written in the file (a template's `Resources`, serverless.yml's `resources.Resources`). */
  resources?: Record<string, unknown>;
  /** SAM `Globals.Function`. */
  globals?: Record<string, unknown>;
  /** A CDK app's root, where `cdk.out` is. */
  cdkAppRoot?: string;
}

/**
 * Marks the LMI functions of one infrastructure file that its last build output has without LMI,
 * with what has to be re-pointed at the new function: the resources written in the file that
 * reference it (event source mappings, permissions, URLs, aliases, alarms, ...) and the weighted
 * traffic shifting that cannot span an LMI and an on-demand version.
 */
export function markLmiAddedToExisting(infraFile: string, functions: readonly IacFunction[], written: WrittenResources = {}): void {
  const candidates = functions.filter((fn) => fn.lmi !== undefined);
  if (candidates.length === 0) return;
  let built: Map<string, BuiltFunction>;
  try {
    built = builtFunctions(infraFile, candidates[0]!.kind, written.cdkAppRoot);
  } catch {
    return; // A build directory we cannot read is no evidence either way.
  }
  for (const fn of candidates) {
    const key = buildKey(fn);
    const previous = built.get(key);
    if (!previous || previous.hasLmi) continue;
    fn.lmiAddedToExisting = { evidence: previous.file, referencedBy: referencesTo(key, written.resources) };
    const shifting = trafficShifting(key, written);
    if (shifting !== undefined) fn.lmiAddedToExisting.trafficShifting = shifting;
  }
}

/** Resources of `resources` whose properties reference `id`, as `` `Id` (Type) ``, in the order written. */
function referencesTo(id: string, resources: Record<string, unknown> | undefined): string[] {
  const found: string[] = [];
  for (const [other, value] of Object.entries(resources ?? {})) {
    if (other === id || !isObject(value)) continue;
    let hit = false;
    collectReferences(value.Properties, (target) => (hit ||= target === id), { embedded: true });
    if (hit) found.push(`\`${other}\` (${asString(value.Type) ?? 'unknown type'})`);
  }
  return found;
}

/** A SAM `DeploymentPreference` (the function's or the Globals'), or an `AWS::Lambda::Alias` with `RoutingConfig` on the function. */
function trafficShifting(id: string, written: WrittenResources): string | undefined {
  const resource = asObject(written.resources?.[id]);
  if (asObject(resource?.Properties)?.DeploymentPreference !== undefined || written.globals?.DeploymentPreference !== undefined) {
    return '`DeploymentPreference`';
  }
  for (const [other, value] of Object.entries(written.resources ?? {})) {
    const props = asObject(asObject(value)?.Properties);
    if (asObject(value)?.Type !== 'AWS::Lambda::Alias' || props?.RoutingConfig === undefined) continue;
    let hit = false;
    collectReferences(props.FunctionName, (target) => (hit ||= target === id), { embedded: true });
    if (hit) return `the \`RoutingConfig\` of \`${other}\``;
  }
  return undefined;
}

function buildKey(fn: IacFunction): string {
  // The Serverless Framework names a function's resource `<Normalized>LambdaFunction`.
  return fn.kind === 'serverless' ? `${normalizeServerlessName(fn.logicalId)}LambdaFunction` : fn.logicalId;
}

export function normalizeServerlessName(name: string): string {
  const normalized = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return normalized.charAt(0).toUpperCase() + normalized.slice(1);
}

function builtFunctions(infraFile: string, kind: IacFunction['kind'], cdkAppRoot: string | undefined): Map<string, BuiltFunction> {
  const dir = path.dirname(infraFile);
  const result = new Map<string, BuiltFunction>();
  if (kind === 'sam' || kind === 'cloudformation') {
    for (const name of ['template.yaml', 'template.yml', 'template.json']) {
      const file = path.join(dir, '.aws-sam', 'build', name);
      if (isFile(file)) readBuiltTemplate(file, result, (id) => id);
    }
  } else if (kind === 'serverless') {
    const file = path.join(dir, '.serverless', 'cloudformation-template-update-stack.json');
    if (isFile(file)) readBuiltTemplate(file, result, (id) => id);
  } else if (cdkAppRoot !== undefined) {
    const out = path.join(cdkAppRoot, 'cdk.out');
    if (!fs.existsSync(out)) return result;
    for (const name of fs.readdirSync(out).sort()) {
      if (!name.endsWith('.template.json')) continue;
      // CDK logical ids carry a hash; the construct path (`Stack/WorkerFn/Resource`) names the construct.
      readBuiltTemplate(path.join(out, name), result, (_id, resource) => {
        const cdkPath = asString(asObject(resource.Metadata)?.['aws:cdk:path']);
        const segments = cdkPath?.split('/') ?? [];
        return segments.length >= 2 && segments[segments.length - 1] === 'Resource' ? segments[segments.length - 2] : undefined;
      });
    }
  }
  return result;
}

function readBuiltTemplate(
  file: string,
  into: Map<string, BuiltFunction>,
  keyOf: (logicalId: string, resource: Record<string, unknown>) => string | undefined,
): void {
  const text = fs.readFileSync(file, 'utf8');
  const document = file.endsWith('.json') ? parseJson(file, text) : parseYaml(text);
  const body = asObject(document.value);
  const resources = asObject(body?.Resources);
  if (!body || !resources) return;
  const globalLmi = asObject(asObject(body.Globals)?.Function)?.CapacityProviderConfig !== undefined;
  for (const [id, value] of Object.entries(resources)) {
    if (!isObject(value) || !FUNCTION_TYPES.has(String(value.Type))) continue;
    const key = keyOf(id, value);
    if (key === undefined) continue;
    const props = asObject(value.Properties) ?? {};
    const hasLmi = props.CapacityProviderConfig !== undefined || (value.Type === 'AWS::Serverless::Function' && globalLmi);
    into.set(key, { hasLmi, file });
  }
}
