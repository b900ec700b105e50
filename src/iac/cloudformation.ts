/**
 * @fileoverview SAM and CloudFormation templates (YAML or JSON): `AWS::Serverless::Function` (with
 * `Globals.Function` defaults) and `AWS::Lambda::Function` resources, then what invokes each of
 * them (template-wiring.ts) and whether an earlier build had them without LMI (previous-build.ts).
 */
import * as path from 'node:path';
import { applyImageHandler, type ImageSource } from './container-image.js';
import { findAncestor, resolveEntryFile, resolveHandler } from './handler-path.js';
import { readTemplateInlineCode } from './inline-code.js';
import { isDependencyBuild, isLibraryContent } from './layers.js';
import { markLmiAddedToExisting } from './previous-build.js';
import type { ResourceScope } from './references.js';
import { readTemplateWiring } from './template-wiring.js';
import type { IacFunction, IacLmiConfig, InfrastructureReader, ReaderContext } from './types.js';
import { asNumber, asObject, asString, isObject, referenceList, referenceToString, type PlainObject } from './values.js';
import { parseJson, parseYaml, type ParsedDocument } from './yaml.js';

const SAM_FUNCTION = 'AWS::Serverless::Function';
const CFN_FUNCTION = 'AWS::Lambda::Function';

/** Parses a template file by extension (`.json` strictly as JSON, anything else as YAML). */
export function parseTemplateFile(file: string, text: string): ParsedDocument {
  return /\.json$/i.test(file) ? parseJson(file, text) : parseYaml(text);
}

/** A parsed CloudFormation/SAM template, for readers of other resource types to build on. */
interface Template {
  file: string;
  dir: string;
  body: PlainObject;
  resources: PlainObject;
  document: ParsedDocument;
}

/**
 * Parses a template and reports its problems. Returns `undefined` for an unparsable file or a
 * document that is not a CloudFormation template (no `Resources` map: ignored silently).
 */
function loadTemplate(file: string, ctx: ReaderContext): Template | undefined {
  const document = parseTemplateFile(file, ctx.readFile(file));
  if (document.errors.length > 0) {
    for (const error of document.errors) ctx.errors.push({ file, ...error });
    return undefined;
  }
  const body = asObject(document.value);
  const resources = asObject(body?.Resources);
  if (!body || !resources) return undefined;
  for (const problem of document.warnings) ctx.errors.push({ file, ...problem });
  return { file, dir: path.dirname(file), body, resources, document };
}

/** SAM and CloudFormation templates (YAML with the CloudFormation tags, or JSON), parsed as data. */
export const cloudFormationReader: InfrastructureReader = {
  name: 'SAM/CloudFormation',
  reads: 'infrastructure',
  accepts: () => true,
  read: (file, ctx) => readCloudFormation(file, ctx),
};

function readCloudFormation(file: string, ctx: ReaderContext): IacFunction[] {
  const template = loadTemplate(file, ctx);
  if (!template || isCopyOfCdkApp(template, ctx)) return [];
  const functions: IacFunction[] = [];
  for (const [logicalId, resource] of Object.entries(template.resources)) {
    if (!isObject(resource)) continue;
    const line = template.document.lineOf(['Resources', logicalId]) ?? 1;
    if (resource.Type === SAM_FUNCTION) functions.push(samFunction(template, logicalId, resource, line, ctx));
    else if (resource.Type === CFN_FUNCTION) functions.push(cfnFunction(template, logicalId, resource, line, ctx));
  }
  markPublishedVersions(template, functions);
  const globals = asObject(asObject(template.body.Globals)?.Function) ?? {};
  readTemplateWiring(templateScope(template, ctx), new Map(functions.map((fn) => [fn.logicalId, fn])), globals);
  markLmiAddedToExisting(file, functions, { resources: template.resources, globals });
  return functions;
}

/**
 * A template that `cdk synth` wrote (it carries `AWS::CDK::Metadata` or `aws:cdk:path`) and that was
 * committed inside the JavaScript/TypeScript CDK app it came from (a `cdk.json` in its directory or
 * above whose `app` runs Node), outside `cdk.out`: a copy of what the app declares, whose code is an S3
 * asset. The app is read instead; reading the copy too would list each function twice, the second
 * time with no code. A copy of a Python, Java or other app is kept: that app is not read, so the copy is
 * the only record of its event sources and settings.
 */
function isCopyOfCdkApp(template: Template, ctx: ReaderContext): boolean {
  const synthesized = Object.values(template.resources).some(
    (resource) => isObject(resource) && (resource.Type === 'AWS::CDK::Metadata' || typeof asObject(resource.Metadata)?.['aws:cdk:path'] === 'string'),
  );
  if (!synthesized) return false;
  const app = findAncestor(template.dir, (dir) => ctx.fileExists(path.join(dir, 'cdk.json')));
  return app !== undefined && runsOnNode(path.join(app, 'cdk.json'), ctx);
}

/** Whether a cdk.json's `app` command runs a JavaScript/TypeScript app (`npx ts-node bin/app.ts`, `node bin/app.js`), read as data. */
function runsOnNode(cdkJson: string, ctx: ReaderContext): boolean {
  let app: unknown;
  try {
    app = asObject(JSON.parse(ctx.readFile(cdkJson)))?.app;
  } catch {
    return false;
  }
  if (typeof app !== 'string') return false;
  return /\b(node|ts-node|tsx|npx|npm|yarn|pnpm|bun|deno)\b|\.[cm]?[jt]sx?\b/.test(app) && !/\b(python3?|mvn|gradlew?|java|dotnet|go)\b/.test(app);
}

/** The template's resources as a scope for reference resolution. */
function templateScope(template: Template, ctx: ReaderContext): ResourceScope {
  return {
    file: template.file,
    document: template.document,
    resources: template.resources,
    parameters: asObject(template.body.Parameters) ?? {},
    resourcesPath: ['Resources'],
    where: 'this template',
    json: /\.json$/i.test(template.file),
    errors: ctx.errors,
  };
}

/** `{ Ref: Parameter }` with a literal `Default` is replaced by that default; other values are returned as they are. */
function parameterDefault(template: Template, value: unknown): unknown {
  if (isObject(value) && typeof value.Ref === 'string' && Object.keys(value).length === 1) {
    const parameter = asObject(asObject(template.body.Parameters)?.[value.Ref]);
    const fallback = parameter?.Default;
    if (typeof fallback === 'string' || typeof fallback === 'number') return fallback;
  }
  return value;
}

function samFunction(template: Template, logicalId: string, resource: PlainObject, line: number, ctx: ReaderContext): IacFunction {
  const props = asObject(resource.Properties) ?? {};
  const globals = asObject(asObject(asObject(template.body.Globals)?.Function)) ?? {};
  const setting = (name: string): unknown => parameterDefault(template, props[name] !== undefined ? props[name] : globals[name]);

  const fn: IacFunction = { logicalId, kind: 'sam', source: { file: template.file, line } };
  const runtime = asString(setting('Runtime'));
  const handler = asString(setting('Handler'));
  if (runtime !== undefined) fn.runtime = runtime;
  if (handler !== undefined) fn.handler = handler;
  assignNumbers(fn, asNumber(setting('MemorySize')), asNumber(setting('Timeout')));
  assignSettingFacts(template, fn, props, setting, {
    ...asObject(asObject(globals.Environment)?.Variables),
    ...asObject(asObject(props.Environment)?.Variables),
  });

  // SAM prepends global list entries to the function's own.
  const layers = [...(referenceList(globals.Layers) ?? []), ...(referenceList(props.Layers) ?? [])];
  if (globals.Layers !== undefined || props.Layers !== undefined) assignLayers(template, fn, layers);

  assignPlatformSettings(template, fn, setting);
  // SAM publishes versions with `AutoPublishAlias`; without it, whether SAM publishes one for an LMI function is not known here.
  if (setting('AutoPublishAlias') !== undefined || setting('PublishToLatestPublished') === true) fn.publishesVersion = true;

  const capacity = mergeMaps(globals.CapacityProviderConfig, props.CapacityProviderConfig);
  if (capacity) {
    fn.lmi = lmiConfig(
      referenceToString(capacity.Arn),
      asNumber(parameterDefault(template, capacity.PerExecutionEnvironmentMaxConcurrency)),
      asNumber(parameterDefault(template, capacity.ExecutionEnvironmentMemoryGiBPerVCpu)),
    );
  }

  const isImage = setting('PackageType') === 'Image' || props.ImageUri !== undefined;
  const hasInlineCode = props.InlineCode !== undefined;
  if (hasInlineCode) assignInlineCode(template, fn, 'InlineCode', ['Resources', logicalId, 'Properties', 'InlineCode'], props.InlineCode);
  if (!isImage && !hasInlineCode) {
    const codeRoot = localCodeRoot(template.dir, setting('CodeUri'));
    const remote = remoteCodeOf(setting('CodeUri'));
    if (remote !== undefined) fn.remoteCode = remote;
    const metadata = asObject(resource.Metadata);
    const entryPoints = asObject(metadata?.BuildProperties)?.EntryPoints;
    const entry = Array.isArray(entryPoints) ? asString(entryPoints[0]) : undefined;
    if (codeRoot !== undefined && metadata?.BuildMethod === 'esbuild' && entry !== undefined) {
      const resolved = resolveHandler({ handler, codeRoot: undefined, runtime, fileExists: ctx.fileExists });
      if (resolved.exportName !== undefined) fn.exportName = resolved.exportName;
      const codeFile = resolveEntryFile(path.resolve(codeRoot, entry), ctx.fileExists);
      if (codeFile !== undefined) fn.codeFile = codeFile;
    } else {
      applyHandler(fn, resolveHandler({ handler, codeRoot, runtime, fileExists: ctx.fileExists }));
    }
  } else if (isImage) {
    applyImageHandler(fn, imageSource(template, resource, props), ctx);
  } else {
    applyHandler(fn, resolveHandler({ handler, codeRoot: undefined, runtime, fileExists: ctx.fileExists }));
  }
  return fn;
}

/** The function's layers, and those of them the template shows to be libraries only (src/iac/layers.ts). */
function assignLayers(template: Template, fn: IacFunction, layers: string[]): void {
  fn.layers = layers;
  const libraries = layers.filter((layer) => {
    const resource = asObject(template.resources[layer]);
    if (resource?.Type !== 'AWS::Serverless::LayerVersion') return false;
    if (isDependencyBuild(asObject(resource.Metadata)?.BuildMethod)) return true;
    const contentUri = asObject(resource.Properties)?.ContentUri;
    const content = contentUri === undefined ? undefined : localCodeRoot(template.dir, contentUri);
    return content !== undefined && isLibraryContent(content);
  });
  if (libraries.length > 0) fn.libraryLayers = libraries;
}

function cfnFunction(template: Template, logicalId: string, resource: PlainObject, line: number, ctx: ReaderContext): IacFunction {
  const props = asObject(resource.Properties) ?? {};
  const setting = (name: string): unknown => parameterDefault(template, props[name]);
  const fn: IacFunction = { logicalId, kind: 'cloudformation', source: { file: template.file, line } };
  const runtime = asString(setting('Runtime'));
  const handler = asString(setting('Handler'));
  if (runtime !== undefined) fn.runtime = runtime;
  if (handler !== undefined) fn.handler = handler;
  assignNumbers(fn, asNumber(setting('MemorySize')), asNumber(setting('Timeout')));
  assignSettingFacts(template, fn, props, setting, asObject(asObject(props.Environment)?.Variables) ?? {});
  const layers = referenceList(props.Layers);
  if (layers) assignLayers(template, fn, layers);

  assignPlatformSettings(template, fn, setting);
  // An `AWS::Lambda::Version` of the function also publishes one (see readCloudFormation).
  fn.publishesVersion = setting('PublishToLatestPublished') === true || setting('PublishToLatestPublished') === 'true';

  const capacity = asObject(props.CapacityProviderConfig);
  if (capacity) {
    const managed = asObject(capacity.LambdaManagedInstancesCapacityProviderConfig) ?? {};
    fn.lmi = lmiConfig(
      referenceToString(managed.CapacityProviderArn),
      asNumber(parameterDefault(template, managed.PerExecutionEnvironmentMaxConcurrency)),
      asNumber(parameterDefault(template, managed.ExecutionEnvironmentMemoryGiBPerVCpu)),
    );
  }

  // `Code` is a local path only in templates meant for `aws cloudformation package`; S3 and ZipFile code is not on disk.
  const code = props.Code;
  const codeRoot = code === undefined ? template.dir : localCodeRoot(template.dir, code);
  const remote = remoteCodeOf(code);
  if (remote !== undefined) fn.remoteCode = remote;
  if (asObject(code)?.ZipFile !== undefined)
    assignInlineCode(template, fn, 'ZipFile', ['Resources', logicalId, 'Properties', 'Code', 'ZipFile'], asObject(code)!.ZipFile);
  if (props.PackageType === 'Image') applyImageHandler(fn, imageSource(template, resource, props), ctx);
  else applyHandler(fn, resolveHandler({ handler, codeRoot, runtime, fileExists: ctx.fileExists }));
  return fn;
}

/** The function's inline code, read as text when it is literal (src/iac/inline-code.ts). */
function assignInlineCode(template: Template, fn: IacFunction, kind: 'InlineCode' | 'ZipFile', keyPath: string[], value: unknown): void {
  fn.inlineCode = kind;
  const read = readTemplateInlineCode(template.document, keyPath, value);
  if ('source' in read) fn.inlineSource = read.source;
  else fn.inlineProblem = read.problem;
}

/**
 * An image function's build as SAM CLI reads it (`sam build` builds `AWS::Lambda::Function`s
 * too): `Metadata.DockerContext` relative to the template, `Metadata.Dockerfile` relative to the
 * context; `ImageConfig.Command` overrides the image's `CMD`.
 */
function imageSource(template: Template, resource: PlainObject, props: PlainObject): ImageSource {
  const metadata = asObject(resource.Metadata);
  const contextValue = asString(metadata?.DockerContext);
  const dockerfile = asString(metadata?.Dockerfile);
  const command = asObject(props.ImageConfig)?.Command;
  const first = Array.isArray(command) ? asString(parameterDefault(template, command[0])) : undefined;
  const source: ImageSource = {};
  if (contextValue !== undefined && !contextValue.includes('${')) {
    source.context = path.resolve(template.dir, contextValue);
    if (dockerfile !== undefined) source.dockerfile = path.resolve(source.context, dockerfile);
  }
  if (first !== undefined) source.command = first;
  return source;
}

/**
 * Settings written but not statically known, the lines of the settings the function itself
 * writes, and the Node.js worker count its environment sets.
 */
function assignSettingFacts(template: Template, fn: IacFunction, props: PlainObject, setting: (name: string) => unknown, environment: PlainObject): void {
  const unknown: NonNullable<IacFunction['unknownSettings']> = [];
  if (setting('Runtime') !== undefined && asString(setting('Runtime')) === undefined) unknown.push('runtime');
  if (setting('MemorySize') !== undefined && asNumber(setting('MemorySize')) === undefined) unknown.push('memorySize');
  if (setting('Timeout') !== undefined && asNumber(setting('Timeout')) === undefined) unknown.push('timeout');
  if (unknown.length > 0) fn.unknownSettings = unknown;
  const lines: NonNullable<IacFunction['settingLines']> = {};
  const base = ['Resources', fn.logicalId, 'Properties'];
  const keys = {
    runtime: 'Runtime',
    memorySize: 'MemorySize',
    layers: 'Layers',
    capacityProvider: 'CapacityProviderConfig',
    logFormat: 'LoggingConfig',
    publish: fn.kind === 'sam' && props.AutoPublishAlias !== undefined ? 'AutoPublishAlias' : 'PublishToLatestPublished',
  } as const;
  for (const [name, key] of Object.entries(keys) as [keyof typeof keys, string][]) {
    const line = props[key] !== undefined ? template.document.lineOf([...base, key]) : undefined;
    if (line !== undefined) lines[name] = line;
  }
  if (Object.keys(lines).length > 0) fn.settingLines = lines;
  const workers = asNumber(parameterDefault(template, environment.AWS_LAMBDA_NODEJS_WORKER_COUNT));
  if (workers !== undefined) fn.nodeWorkerCount = workers;
}

/** `LoggingConfig.LogFormat` and `FunctionScalingConfig`, for the LMI limits of lmi-runtime-support. */
function assignPlatformSettings(template: Template, fn: IacFunction, setting: (name: string) => unknown): void {
  const logFormat = asString(parameterDefault(template, asObject(setting('LoggingConfig'))?.LogFormat));
  if (logFormat !== undefined) fn.logFormat = logFormat;
  const scaling = asObject(setting('FunctionScalingConfig'));
  if (scaling) {
    const own = template.document.lineOf(['Resources', fn.logicalId, 'Properties', 'FunctionScalingConfig']);
    const line = own ?? template.document.lineOf(['Globals', 'Function', 'FunctionScalingConfig']) ?? fn.source.line;
    fn.scaling = { source: { file: template.file, line } };
    const min = asNumber(parameterDefault(template, scaling.MinExecutionEnvironments));
    const max = asNumber(parameterDefault(template, scaling.MaxExecutionEnvironments));
    if (min !== undefined) fn.scaling.min = min;
    if (max !== undefined) fn.scaling.max = max;
  }
}

/** `AWS::Lambda::Version` resources publish a version of the function their `FunctionName` references. */
function markPublishedVersions(template: Template, functions: IacFunction[]): void {
  for (const resource of Object.values(template.resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::Lambda::Version') continue;
    const name = asObject(resource.Properties)?.FunctionName;
    const id = isObject(name) ? (typeof name.Ref === 'string' ? name.Ref : Array.isArray(name['Fn::GetAtt']) ? name['Fn::GetAtt'][0] : undefined) : undefined;
    const fn = functions.find((candidate) => candidate.logicalId === id);
    if (fn) fn.publishesVersion = true;
  }
}

/**
 * The S3 object a `CodeUri`/`Code` names: an `s3://` string (a packaged template), SAM's
 * `{ Bucket, Key }` or CloudFormation's `{ S3Bucket, S3Key }` (keys written as intrinsics show as `…`).
 */
function remoteCodeOf(code: unknown): string | undefined {
  if (typeof code === 'string') return /^s3:\/\//i.test(code) ? code : undefined;
  const object = asObject(code);
  const bucket = object?.Bucket ?? object?.S3Bucket;
  if (bucket === undefined) return undefined;
  const key = object?.Key ?? object?.S3Key;
  return `s3://${typeof bucket === 'string' ? bucket : '…'}/${typeof key === 'string' ? key : '…'}`;
}

/** The directory a local `CodeUri`/`Code` string names (default: the template's directory); `undefined` for S3 or intrinsic values. */
function localCodeRoot(templateDir: string, codeUri: unknown): string | undefined {
  if (codeUri === undefined || codeUri === null) return templateDir;
  if (typeof codeUri !== 'string') return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(codeUri) || codeUri.includes('${')) return undefined;
  return path.resolve(templateDir, codeUri);
}

function mergeMaps(base: unknown, override: unknown): PlainObject | undefined {
  const a = asObject(base);
  const b = asObject(override);
  if (!a && !b) return undefined;
  return { ...a, ...b };
}

export function lmiConfig(capacityProvider: string | undefined, maxConcurrency: number | undefined, memoryGiBPerVCpu: number | undefined): IacLmiConfig {
  const lmi: IacLmiConfig = {};
  if (capacityProvider !== undefined) lmi.capacityProvider = capacityProvider;
  if (maxConcurrency !== undefined) lmi.perExecutionEnvironmentMaxConcurrency = maxConcurrency;
  if (memoryGiBPerVCpu !== undefined) lmi.memoryGiBPerVCpu = memoryGiBPerVCpu;
  return lmi;
}

export function assignNumbers(fn: IacFunction, memorySize: number | undefined, timeout: number | undefined): void {
  if (memorySize !== undefined) fn.memorySize = memorySize;
  if (timeout !== undefined) fn.timeout = timeout;
}

export function applyHandler(fn: IacFunction, resolved: { codeFile?: string; exportName?: string }): void {
  if (resolved.codeFile !== undefined) fn.codeFile = resolved.codeFile;
  if (resolved.exportName !== undefined) fn.exportName = resolved.exportName;
}
