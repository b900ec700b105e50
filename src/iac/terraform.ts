/**
 * @fileoverview Terraform root modules: the `.tf` files of one directory, read as one module.
 * `aws_lambda_function` resources become functions (runtime, memory, timeout, layers, the
 * handler's code from the `source_dir`/`source_file` of the `data "archive_file"` its `filename`
 * names, `capacity_provider_config`, `publish`/`publish_to`, `logging_config`); what wires them is
 * read from the same module: `aws_lambda_event_source_mapping` (with the `aws_sqs_queue` it polls,
 * its `visibility_timeout_seconds` and `redrive_policy`, or an `aws_sqs_queue_redrive_policy`),
 * `aws_lambda_function_event_invoke_config`, `aws_lambda_function_scaling_config`, SNS
 * subscriptions, S3 notifications, EventBridge targets, schedules and function URLs.
 *
 * The HCL is parsed by `@cdktn/hcl2json` (HashiCorp's HCL parser compiled to WebAssembly), which
 * is asynchronous, so the files are parsed ahead of the (synchronous) readers by
 * {@link parseTerraformFiles}. Nothing is evaluated and `terraform` is never run: a value is known
 * when it is a literal, or a `var.x` / `local.x` whose default is one; anything else stays
 * unknown. `module` blocks are followed: a local child module (`source = "./modules/fn"`) is read
 * with the module block's arguments as its variables, once per call (its functions are named
 * `module.<call>.aws_lambda_function.<name>`; a directory that another module calls is not read on
 * its own as well), and a call of the registry's `terraform-aws-modules/lambda/aws` is a function
 * of its own (`handler`, `runtime`, `source_path`, ...). A resource with `count`/`for_each` is one
 * function: every instance runs the same code. `.tf.json` files are read like `.tf` files. The
 * parser's output has no positions, so lines are found in the file's text by block header and
 * attribute name.
 */
import * as path from 'node:path';
import { resolveHandler } from './handler-path.js';
import { applyHandler } from './cloudformation.js';
import { addEvent, assignDefined, polledServiceOfArn } from './template-wiring.js';
import type {
  IacEventKind,
  IacEventSource,
  IacFunction,
  IacLocation,
  IacPolledService,
  IacQueue,
  InfrastructureReader,
  ParsedTerraformFile,
  ReaderContext,
} from './types.js';
import { asNumber, asObject, asString, isObject, type PlainObject } from './values.js';

/** `main.tf`, or `main.tf.json` (Terraform's JSON syntax). */
export function isTerraformFile(file: string): boolean {
  return /\.tf(\.json)?$/i.test(file);
}

function isJsonSyntax(file: string): boolean {
  return /\.json$/i.test(file);
}

/**
 * Parses the `.tf` files among `files` (the parser loads only when there is one). A file that
 * cannot be read or parsed is returned with its error, for the reader to report.
 */
export async function parseTerraformFiles(files: readonly string[], readFile: (file: string) => string): Promise<Map<string, ParsedTerraformFile>> {
  const parsed = new Map<string, ParsedTerraformFile>();
  const terraform = files.filter(isTerraformFile).map((file) => path.resolve(file));
  if (terraform.length === 0) return parsed;
  const { parse } = await import('@cdktn/hcl2json');
  for (const file of terraform) {
    let text: string;
    try {
      text = readFile(file);
    } catch (error) {
      parsed.set(file, { file, text: '', error: { message: `could not read infrastructure: ${messageOf(error)}` } });
      continue;
    }
    if (isJsonSyntax(file)) {
      // The JSON syntax is the parser's own output shape: blocks as objects (or lists), expressions as `${...}` strings.
      try {
        parsed.set(file, { file, text, body: asObject(JSON.parse(text)) ?? {} });
      } catch (error) {
        parsed.set(file, { file, text, error: { message: `Terraform JSON parse error: ${messageOf(error)}` } });
      }
      continue;
    }
    try {
      const body = (await parse(path.basename(file), text)) as unknown;
      parsed.set(file, { file, text, body: asObject(body) ?? {} });
    } catch (error) {
      parsed.set(file, { file, text, error: parseError(file, messageOf(error)) });
    }
  }
  return parsed;
}

/** `parse config: [main.tf:2,24-3,1: Invalid multi-line string; ...]` -> line 2, column 24 and the first diagnostic. */
function parseError(file: string, message: string): NonNullable<ParsedTerraformFile['error']> {
  const name = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${name}:(\\d+),(\\d+)(?:-[\\d,]+)?: ([^\\]]*?)(?= ${name}:\\d|\\]|$)`).exec(message);
  if (!match) return { message: `Terraform parse error: ${message}` };
  return { message: `Terraform parse error: ${match[3]!.trim()}`, line: Number(match[1]), column: Number(match[2]) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Terraform `.tf` files, parsed ahead by {@link parseTerraformFiles}; each file is read with the rest of its directory's module. */
export const terraformReader: InfrastructureReader = {
  name: 'Terraform',
  reads: 'infrastructure',
  accepts: (file) => isTerraformFile(file),
  read: (file, ctx) => readTerraform(file, ctx),
};

/** One block of the module: `resource "type" "name"` or `data "type" "name"`, with where it is. */
interface Block {
  type: string;
  name: string;
  body: PlainObject;
  file: ParsedTerraformFile;
  line: number;
}

interface Module {
  dir: string;
  resources: Map<string, Block>;
  data: Map<string, Block>;
  /** `module "name"` calls, by name (`type` is `module`). */
  calls: Map<string, Block>;
  variables: Map<string, unknown>;
  locals: Map<string, unknown>;
  /** What names of this module's resources start with: `''` for a root module, `module.<call>.` for a called one. */
  prefix: string;
  /** The `module` block (in the calling module) this instance was read for. */
  call?: Block;
}

/** Arguments of a `module` block that are not the child's variables. */
const META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
/** The registry's Lambda module, by registry address or GitHub URL. */
const LAMBDA_MODULE =
  /^(?:registry\.terraform\.io\/)?terraform-aws-modules\/lambda\/aws(?:\/\/|$)|github\.com[/:]terraform-aws-modules\/terraform-aws-lambda(?:\.git)?(?:[/?]|$)/;
/** How deep `module` calls are followed (a call cycle ends there too). */
const MAX_MODULE_DEPTH = 8;

const modules = new WeakMap<ReadonlyMap<string, ParsedTerraformFile>, Map<string, Module>>();

function readTerraform(file: string, ctx: ReaderContext): IacFunction[] {
  const resolved = path.resolve(file);
  const parsed = ctx.terraform?.get(resolved);
  if (!parsed || !ctx.terraform) {
    ctx.errors.push({
      file: resolved,
      message: 'could not read infrastructure: Terraform files are parsed before the read (parseTerraformFiles), and this one was not',
    });
    return [];
  }
  if (parsed.error) {
    ctx.errors.push({
      file: resolved,
      message: parsed.error.message,
      ...(parsed.error.line !== undefined ? { line: parsed.error.line } : {}),
      ...(parsed.error.column !== undefined ? { column: parsed.error.column } : {}),
    });
    return [];
  }
  const module = moduleOf(ctx.terraform, path.dirname(resolved));
  // A directory another module calls is read through each call, with that call's arguments.
  const called = calledDirectories(ctx.terraform);
  if (called.has(module.dir)) return [];
  return readModule(ctx.terraform, module, ctx, 0)
    .filter((entry) => entry.file === resolved)
    .map((entry) => entry.fn);
}

/** A function and the file its definition (the resource, or the root's `module` call) is written in. */
interface Found {
  fn: IacFunction;
  file: string;
}

/**
 * The functions of `module` and of the modules it calls, wired by what the module's resources say;
 * each is charged to the file of the resource or of the top-level `module` call that brings it.
 */
function readModule(all: ReadonlyMap<string, ParsedTerraformFile>, module: Module, ctx: ReaderContext, depth: number): Found[] {
  const functions = new Map<string, IacFunction>();
  for (const block of module.resources.values()) {
    if (block.type !== 'aws_lambda_function') continue;
    functions.set(block.name, readFunction(module, block, ctx));
  }
  const found: Found[] = [...functions.entries()].map(([name]) => ({
    fn: functions.get(name)!,
    file: module.resources.get(`aws_lambda_function.${name}`)!.file.file,
  }));
  const byCall = new Map<string, IacFunction[]>();
  for (const call of module.calls.values()) {
    const source = stringOf(module, call.body.source);
    if (source === undefined) continue;
    let inner: IacFunction[] = [];
    if (LAMBDA_MODULE.test(source)) inner = [registryFunction(module, call, ctx)];
    else if (/^\.\.?(\/|$)/.test(source) && depth < MAX_MODULE_DEPTH) {
      const dir = path.resolve(module.dir, source);
      const child = moduleOf(all, dir);
      if (child.resources.size > 0 || child.calls.size > 0) inner = readModule(all, instantiate(module, call, child), ctx, depth + 1).map((entry) => entry.fn);
    }
    byCall.set(call.name, inner);
    for (const fn of inner) found.push({ fn, file: call.file.file });
  }
  wireFunctions(module, { functions, byCall });
  // In the order written: by file, then line (the parser's output is ordered by name).
  for (const { fn } of found) {
    fn.events?.sort((a, b) => (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : a.source.line - b.source.line));
  }
  return found;
}

/** The directories some parsed module calls as a local child module. */
const calledCache = new WeakMap<ReadonlyMap<string, ParsedTerraformFile>, Set<string>>();

function calledDirectories(all: ReadonlyMap<string, ParsedTerraformFile>): Set<string> {
  const cached = calledCache.get(all);
  if (cached) return cached;
  const dirs = new Set<string>();
  calledCache.set(all, dirs);
  for (const dir of new Set([...all.values()].filter((file) => file.body).map((file) => path.dirname(file.file)))) {
    const module = moduleOf(all, dir);
    for (const call of module.calls.values()) {
      const source = stringOf(module, call.body.source);
      if (source !== undefined && /^\.\.?(\/|$)/.test(source)) {
        const child = path.resolve(dir, source);
        if (child !== dir) dirs.add(child);
      }
    }
  }
  return dirs;
}

/**
 * The child module as `call` instantiates it: the call's arguments, valued in the calling module
 * (`${path.module}` there is the caller's directory), are the child's variables.
 */
function instantiate(parent: Module, call: Block, child: Module): Module {
  const variables = new Map(child.variables);
  for (const [name, value] of Object.entries(call.body)) {
    if (META_ARGUMENTS.has(name)) continue;
    const known = valueOf(parent, value);
    variables.set(name, typeof known === 'string' ? known.replace(/\$\{path\.(module|root|cwd)\}/g, parent.dir) : known);
  }
  return { ...child, variables, prefix: `${parent.prefix}module.${call.name}.`, call };
}

/**
 * A call of `terraform-aws-modules/lambda/aws`: one function, from the module's inputs
 * (`handler`, `runtime`, `memory_size`, `timeout`, `layers`, `publish`, `environment_variables`,
 * and the code from `source_path`: a directory, a file, or a list of either or of `{ path = ... }`).
 */
function registryFunction(module: Module, call: Block, ctx: ReaderContext): IacFunction {
  const props = call.body;
  const fn: IacFunction = { logicalId: `${module.prefix}module.${call.name}`, kind: 'terraform', source: { file: call.file.file, line: call.line } };
  const runtime = stringOf(module, props.runtime);
  const handler = stringOf(module, props.handler);
  if (runtime !== undefined) fn.runtime = runtime;
  if (handler !== undefined) fn.handler = handler;
  assignDefined(fn, { memorySize: numberOf(module, props.memory_size), timeout: numberOf(module, props.timeout) });
  applyCommonSettings(module, call, fn, { environment: valueOf(module, props.environment_variables) });
  const publish = valueOf(module, props.publish);
  // The module publishes no version unless told to.
  fn.publishesVersion = publish === true || publish === 'true';
  const isImage = stringOf(module, props.package_type) === 'Image' || props.image_uri !== undefined;
  const codeRoot = isImage ? undefined : sourcePathRoot(module, props.source_path, ctx);
  applyHandler(fn, resolveHandler({ handler, codeRoot, runtime, fileExists: ctx.fileExists }));
  return fn;
}

/** The code directory a `source_path` names: the first entry of a list, `path` of an object, the directory of a file. */
function sourcePathRoot(module: Module, value: unknown, ctx: ReaderContext): string | undefined {
  let entry = valueOf(module, value);
  if (Array.isArray(entry)) entry = entry[0];
  if (isObject(entry)) entry = entry.path;
  const resolved = modulePath(module, entry);
  if (resolved === undefined) return undefined;
  return /\.(?:[cm]?[jt]s|py)$/i.test(resolved) && ctx.fileExists(resolved) ? path.dirname(resolved) : resolved;
}

function moduleOf(all: ReadonlyMap<string, ParsedTerraformFile>, dir: string): Module {
  let byDir = modules.get(all);
  if (!byDir) modules.set(all, (byDir = new Map()));
  let module = byDir.get(dir);
  if (module) return module;
  module = { dir, resources: new Map(), data: new Map(), calls: new Map(), variables: new Map(), locals: new Map(), prefix: '' };
  const files = [...all.values()].filter((f) => path.dirname(f.file) === dir && f.body).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const file of files) {
    const headers = isJsonSyntax(file.file) ? jsonBlockHeaders(file) : blockHeaders(file.text);
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, named] of Object.entries(asObject(file.body![kind]) ?? {})) {
        for (const [name, list] of Object.entries(asObject(named) ?? {})) {
          const body = firstBlock(list);
          if (!body) continue;
          const key = `${type}.${name}`;
          const line = headers.get(`${kind}.${key}`) ?? 1;
          (kind === 'resource' ? module.resources : module.data).set(key, { type, name, body, file, line });
        }
      }
    }
    for (const [name, list] of Object.entries(asObject(file.body!.module) ?? {})) {
      const body = firstBlock(list);
      if (body) module.calls.set(name, { type: 'module', name, body, file, line: headers.get(`module.${name}`) ?? 1 });
    }
    for (const [name, list] of Object.entries(asObject(file.body!.variable) ?? {})) {
      const body = firstBlock(list);
      if (body && 'default' in body) module.variables.set(name, body.default);
    }
    const locals = file.body!.locals;
    for (const entry of Array.isArray(locals) ? locals : [locals]) {
      for (const [name, value] of Object.entries(asObject(entry) ?? {})) module.locals.set(name, value);
    }
  }
  byDir.set(dir, module);
  return module;
}

/** Blocks are lists of objects in the parser's output; a block written once is the first entry. */
function firstBlock(value: unknown): PlainObject | undefined {
  return Array.isArray(value) ? asObject(value[0]) : asObject(value);
}

/** `resource.aws_lambda_function.worker` (or `module.orders`) -> its header's 1-based line. */
function blockHeaders(text: string): Map<string, number> {
  const headers = new Map<string, number>();
  text.split('\n').forEach((line, index) => {
    const match = /^\s*(?:(resource|data)\s+"([^"]+)"\s+"([^"]+)"|(module)\s+"([^"]+)")/.exec(line);
    if (!match) return;
    const key = match[4] ? `module.${match[5]}` : `${match[1]}.${match[2]}.${match[3]}`;
    if (!headers.has(key)) headers.set(key, index + 1);
  });
  return headers;
}

/** The same for the JSON syntax: the line of each block's name key, after its type's key (`"aws_lambda_function": { "worker": {`). */
function jsonBlockHeaders(file: ParsedTerraformFile): Map<string, number> {
  const headers = new Map<string, number>();
  const lines = file.text.split('\n');
  const lineOf = (key: string, from: number): number => lines.findIndex((line, index) => index >= from && line.includes(`"${key}"`));
  for (const kind of ['resource', 'data'] as const) {
    const kindLine = lineOf(kind, 0);
    for (const [type, named] of Object.entries(asObject(file.body?.[kind]) ?? {})) {
      const typeLine = lineOf(type, Math.max(kindLine, 0));
      for (const name of Object.keys(asObject(named) ?? {})) {
        const line = lineOf(name, Math.max(typeLine, 0));
        if (line !== -1) headers.set(`${kind}.${type}.${name}`, line + 1);
      }
    }
  }
  const moduleLine = lineOf('module', 0);
  for (const name of Object.keys(asObject(file.body?.module) ?? {})) {
    const line = lineOf(name, Math.max(moduleLine, 0));
    if (line !== -1) headers.set(`module.${name}`, line + 1);
  }
  return headers;
}

/**
 * The 1-based line of `name = ...` or `name {` inside the block starting at `block.line`, searched up
 * to the block's closing brace; with several names, the first name found wins.
 */
function attributeLine(block: Block, ...names: string[]): number | undefined {
  for (const name of names) {
    const line = findAttribute(block, name);
    if (line !== undefined) return line;
  }
  return undefined;
}

function findAttribute(block: Block, name: string): number | undefined {
  const lines = block.file.text.split('\n');
  const json = isJsonSyntax(block.file.file);
  // `name = ...` / `name {` in HCL, `"name": ...` in the JSON syntax.
  const pattern = json ? new RegExp(`^\\s*"${name}"\\s*:`) : new RegExp(`^\\s*${name}\\s*(=|\\{)`);
  let depth = 0;
  for (let index = block.line - 1; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = raw.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/#.*$|\/\/.*$/, '');
    if (index > block.line - 1 && depth >= 1 && pattern.test(json ? raw : line)) return index + 1;
    for (const char of line) {
      if (char === '{') depth++;
      else if (char === '}') depth--;
    }
    if (index > block.line - 1 && depth <= 0) return undefined;
  }
  return undefined;
}

function location(block: Block, ...names: string[]): IacLocation {
  return { file: block.file.file, line: (names.length > 0 ? attributeLine(block, ...names) : undefined) ?? block.line };
}

/** A literal, or the literal default of `var.x` / value of `local.x`; other expressions as written. */
function valueOf(module: Module, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = /^\$\{(var|local)\.([\w-]+)\}$/.exec(value.trim());
  if (!match) return value;
  const known = (match[1] === 'var' ? module.variables : module.locals).get(match[2]!);
  return known === undefined || (typeof known === 'string' && known.includes('${')) ? value : known;
}

function stringOf(module: Module, value: unknown): string | undefined {
  const known = valueOf(module, value);
  return typeof known === 'string' && !known.includes('${') ? known : undefined;
}

function numberOf(module: Module, value: unknown): number | undefined {
  return asNumber(valueOf(module, value));
}

/** `${aws_sqs_queue.jobs.arn}` -> `{ type, name, attribute }`; `data.` references have `data: true`. */
interface Reference {
  data: boolean;
  type: string;
  name: string;
  attribute?: string;
}

function referenceOf(value: unknown): Reference | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\$\{(data\.)?([a-z][a-z0-9_]*)\.([\w-]+)(?:\[[^\]]*\])?(?:\.([\w]+))?(?:\[[^\]]*\])?\}$/.exec(value.trim());
  if (!match || match[2] === 'var' || match[2] === 'local' || match[2] === 'module' || match[2] === 'path') return undefined;
  return { data: match[1] !== undefined, type: match[2]!, name: match[3]!, ...(match[4] !== undefined ? { attribute: match[4] } : {}) };
}

/** A value for messages: `${aws_sqs_queue.dlq.arn}` -> `aws_sqs_queue.dlq.arn`, literals as written. */
function display(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const match = /^\$\{([^{}]*)\}$/.exec(value.trim());
    return match ? match[1]!.trim() : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function readFunction(module: Module, block: Block, ctx: ReaderContext): IacFunction {
  const props = block.body;
  const fn: IacFunction = {
    logicalId: `${module.prefix}aws_lambda_function.${block.name}`,
    kind: 'terraform',
    source: { file: block.file.file, line: block.line },
  };
  const runtime = stringOf(module, props.runtime);
  const handler = stringOf(module, props.handler);
  if (runtime !== undefined) fn.runtime = runtime;
  if (handler !== undefined) fn.handler = handler;
  assignDefined(fn, { memorySize: numberOf(module, props.memory_size), timeout: numberOf(module, props.timeout) });
  const unknown: NonNullable<IacFunction['unknownSettings']> = [];
  if (props.runtime !== undefined && runtime === undefined) unknown.push('runtime');
  if (props.memory_size !== undefined && fn.memorySize === undefined) unknown.push('memorySize');
  if (props.timeout !== undefined && fn.timeout === undefined) unknown.push('timeout');
  if (unknown.length > 0) fn.unknownSettings = unknown;

  const capacity = firstBlock(props.capacity_provider_config);
  if (capacity) {
    const managed = firstBlock(capacity.lambda_managed_instances_capacity_provider_config) ?? {};
    fn.lmi = {};
    assignDefined(fn.lmi, {
      capacityProvider: display(managed.capacity_provider_arn)?.replace(/\.arn$/, ''),
      perExecutionEnvironmentMaxConcurrency: numberOf(module, managed.per_execution_environment_max_concurrency),
      memoryGiBPerVCpu: numberOf(module, managed.execution_environment_memory_gib_per_vcpu),
    });
  }
  const logFormat = stringOf(module, firstBlock(props.logging_config)?.log_format);
  if (logFormat !== undefined) fn.logFormat = logFormat;
  const publish = valueOf(module, props.publish);
  const publishTo = stringOf(module, props.publish_to);
  // `publish_to = "LATEST_PUBLISHED"` publishes `$LATEST.PUBLISHED`; `publish = true` a numbered version.
  if (publishTo !== undefined || publish === true || publish === 'true') fn.publishesVersion = true;
  else if (publish === undefined || publish === false || publish === 'false') fn.publishesVersion = false;

  const lines: NonNullable<IacFunction['settingLines']> = {};
  assignDefined(lines, {
    runtime: props.runtime !== undefined ? attributeLine(block, 'runtime') : undefined,
    memorySize: props.memory_size !== undefined ? attributeLine(block, 'memory_size') : undefined,
    layers: props.layers !== undefined ? attributeLine(block, 'layers') : undefined,
    capacityProvider: capacity ? attributeLine(block, 'capacity_provider_config') : undefined,
    logFormat: props.logging_config !== undefined ? attributeLine(block, 'log_format', 'logging_config') : undefined,
    publish: props.publish_to !== undefined || props.publish !== undefined ? attributeLine(block, 'publish_to', 'publish') : undefined,
  });
  if (Object.keys(lines).length > 0) fn.settingLines = lines;

  applyCommonSettings(module, block, fn, { environment: valueOf(module, firstBlock(props.environment)?.variables) });
  const dlq = display(firstBlock(props.dead_letter_config)?.target_arn);
  if (dlq !== undefined) fn.deadLetterQueue = dlq;

  const isImage = stringOf(module, props.package_type) === 'Image' || props.image_uri !== undefined;
  const codeRoot = isImage ? undefined : codeRootOf(module, props.filename);
  applyHandler(fn, resolveHandler({ handler, codeRoot, runtime, fileExists: ctx.fileExists }));
  if (module.call) locateAtCall(fn, block, module.call);
  return fn;
}

/** The attribute of `aws_lambda_function` behind each setting line. */
const SETTING_ATTRIBUTES: Record<keyof NonNullable<IacFunction['settingLines']>, string[]> = {
  runtime: ['runtime'],
  memorySize: ['memory_size'],
  layers: ['layers'],
  capacityProvider: ['capacity_provider_config'],
  logFormat: ['logging_config'],
  publish: ['publish_to', 'publish'],
};

/**
 * A function of a called module is declared by the `module` block that calls it: that is where one
 * instance differs from another. Its settings are located at the call's argument when the child
 * writes `var.<argument>` for them, and at the call otherwise.
 */
function locateAtCall(fn: IacFunction, block: Block, call: Block): void {
  fn.source = { file: call.file.file, line: call.line };
  if (!fn.settingLines) return;
  const lines: NonNullable<IacFunction['settingLines']> = {};
  for (const setting of Object.keys(fn.settingLines) as Array<keyof typeof SETTING_ATTRIBUTES>) {
    const written = SETTING_ATTRIBUTES[setting].map((name) => block.body[name]).find((value) => value !== undefined);
    const variable = typeof written === 'string' ? /^\$\{var\.([\w-]+)\}$/.exec(written.trim())?.[1] : undefined;
    const line = variable !== undefined && call.body[variable] !== undefined ? attributeLine(call, variable) : undefined;
    if (line !== undefined) lines[setting] = line;
  }
  if (Object.keys(lines).length > 0) fn.settingLines = lines;
  else delete fn.settingLines;
}

/** Settings a function resource and a Lambda module call write alike: `layers`, and the worker count among its environment variables. */
function applyCommonSettings(module: Module, block: Block, fn: IacFunction, settings: { environment: unknown }): void {
  // Only a list written out names the layers; an expression (`var.layers`, a conditional) is not known.
  const layers = valueOf(module, block.body.layers);
  if (Array.isArray(layers)) fn.layers = layers.map(display).filter((layer): layer is string => layer !== undefined);
  const workers = numberOf(module, asObject(settings.environment)?.AWS_LAMBDA_NODEJS_WORKER_COUNT);
  if (workers !== undefined) fn.nodeWorkerCount = workers;
}

/**
 * The directory the function's code comes from: the `source_dir` (or the directory of the
 * `source_file`) of the `data "archive_file"` that `filename` names, by reference or by its
 * `output_path`. A zip built elsewhere (or S3 code) has no code root.
 */
function codeRootOf(module: Module, filename: unknown): string | undefined {
  // `data "archive_file"`, or the `resource "archive_file"` of newer archive providers.
  const archives = [...module.data.values(), ...module.resources.values()].filter((block) => block.type === 'archive_file');
  const reference = referenceOf(filename);
  let archive: Block | undefined;
  if (reference?.type === 'archive_file') archive = (reference.data ? module.data : module.resources).get(`archive_file.${reference.name}`);
  else if (typeof filename === 'string') {
    const zip = modulePath(module, filename);
    if (zip !== undefined) archive = archives.find((block) => modulePath(module, block.body.output_path) === zip);
  }
  if (!archive) return undefined;
  const sourceDir = modulePath(module, archive.body.source_dir);
  if (sourceDir !== undefined) return sourceDir;
  const sourceFile = modulePath(module, archive.body.source_file);
  return sourceFile !== undefined ? path.dirname(sourceFile) : undefined;
}

/** A path relative to the module, with `${path.module}` / `${path.root}` / `${path.cwd}` replaced; `undefined` when it holds other expressions. */
function modulePath(module: Module, value: unknown): string | undefined {
  const text = valueOf(module, value);
  if (typeof text !== 'string') return undefined;
  const replaced = text.replace(/\$\{path\.(module|root|cwd)\}/g, module.dir);
  if (replaced.includes('${')) return undefined;
  return path.resolve(module.dir, replaced);
}

/** The function a `function_name` (a reference to the function or one of its aliases, its name or its ARN) names. */
/** The functions a module's resources can name: its own, by resource name, and those each `module` call brings. */
interface KnownFunctions {
  functions: Map<string, IacFunction>;
  byCall: Map<string, IacFunction[]>;
}

function functionNamed(module: Module, known: KnownFunctions, value: unknown): IacFunction | undefined {
  const { functions } = known;
  // `module.orders.lambda_function_arn` (any output of the call): the call's function, when it brings exactly one.
  const call = typeof value === 'string' ? /^\$\{module\.([\w-]+)(?:\[[^\]]*\])?\.[\w]+/.exec(value.trim()) : null;
  if (call) {
    const inner = known.byCall.get(call[1]!);
    return inner?.length === 1 ? inner[0] : undefined;
  }
  const reference = referenceOf(value);
  if (reference && !reference.data) {
    if (reference.type === 'aws_lambda_function') return functions.get(reference.name);
    if (reference.type === 'aws_lambda_alias')
      return functionNamed(module, known, module.resources.get(`aws_lambda_alias.${reference.name}`)?.body.function_name);
    return undefined;
  }
  const name = stringOf(module, value)
    ?.replace(/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/, '')
    .split(':')[0];
  if (name === undefined) return undefined;
  for (const [key, fn] of functions) {
    if (stringOf(module, module.resources.get(`aws_lambda_function.${key}`)?.body.function_name) === name) return fn;
  }
  return undefined;
}

const STREAM_RESOURCES: Record<string, IacPolledService> = {
  aws_sqs_queue: 'sqs',
  aws_kinesis_stream: 'kinesis',
  aws_dynamodb_table: 'dynamodb',
  aws_msk_cluster: 'msk',
  aws_msk_serverless_cluster: 'msk',
  aws_mq_broker: 'mq',
  aws_docdb_cluster: 'documentdb',
  aws_docdb_elastic_cluster: 'documentdb',
};

function wireFunctions(module: Module, known: KnownFunctions): void {
  for (const block of module.resources.values()) {
    const props = block.body;
    switch (block.type) {
      case 'aws_lambda_event_source_mapping': {
        const fn = functionNamed(module, known, props.function_name);
        if (fn) addEvent(fn, eventSourceMapping(module, block));
        break;
      }
      case 'aws_lambda_function_event_invoke_config': {
        const fn = functionNamed(module, known, props.function_name);
        if (!fn) break;
        const destinations = firstBlock(props.destination_config);
        fn.asyncConfig = { source: location(block) };
        assignDefined(fn.asyncConfig, {
          maximumRetryAttempts: numberOf(module, props.maximum_retry_attempts),
          maximumEventAgeInSeconds: numberOf(module, props.maximum_event_age_in_seconds),
          onFailure: display(firstBlock(destinations?.on_failure)?.destination),
          onSuccess: display(firstBlock(destinations?.on_success)?.destination),
        });
        break;
      }
      case 'aws_lambda_function_scaling_config': {
        const fn = functionNamed(module, known, props.function_name);
        const config = firstBlock(props.function_scaling_config);
        if (!fn || !config) break;
        fn.scaling = { source: location(block, 'function_scaling_config') };
        assignDefined(fn.scaling, { min: numberOf(module, config.min_execution_environments), max: numberOf(module, config.max_execution_environments) });
        break;
      }
      case 'aws_lambda_function_url': {
        const fn = functionNamed(module, known, props.function_name);
        if (fn) addEvent(fn, { kind: 'api', type: block.type, name: `${block.type}.${block.name}`, source: location(block) });
        break;
      }
      case 'aws_sns_topic_subscription': {
        if (stringOf(module, props.protocol) !== 'lambda') break;
        const fn = functionNamed(module, known, props.endpoint);
        if (!fn) break;
        const event: IacEventSource = { kind: 'sns', type: block.type, name: `${block.type}.${block.name}`, source: location(block) };
        assignDefined(event, { target: display(props.topic_arn), deadLetterQueue: redriveOf(module, props.redrive_policy)?.deadLetterTarget });
        addEvent(fn, event);
        break;
      }
      case 'aws_cloudwatch_event_target': {
        const fn = functionNamed(module, known, props.arn);
        if (!fn) break;
        const event: IacEventSource = { kind: 'eventbridge', type: block.type, name: `${block.type}.${block.name}`, source: location(block) };
        const rule = referenceOf(props.rule);
        const ruleBlock = rule ? module.resources.get(`aws_cloudwatch_event_rule.${rule.name}`) : undefined;
        if (ruleBlock?.body.schedule_expression !== undefined) event.kind = 'schedule';
        applyTargetFailureHandling(module, event, props);
        assignDefined(event, { target: display(ruleBlock?.body.schedule_expression ?? props.rule) });
        addEvent(fn, event);
        break;
      }
      case 'aws_scheduler_schedule': {
        const target = firstBlock(props.target);
        const fn = functionNamed(module, known, target?.arn);
        if (!fn || !target) break;
        const event: IacEventSource = { kind: 'schedule', type: block.type, name: `${block.type}.${block.name}`, source: location(block) };
        applyTargetFailureHandling(module, event, target);
        assignDefined(event, { target: display(props.schedule_expression) });
        addEvent(fn, event);
        break;
      }
      case 'aws_s3_bucket_notification': {
        for (const notification of Array.isArray(props.lambda_function) ? props.lambda_function : []) {
          const fn = functionNamed(module, known, asObject(notification)?.lambda_function_arn);
          if (!fn) continue;
          const event: IacEventSource = { kind: 's3', type: block.type, name: `${block.type}.${block.name}`, source: location(block, 'lambda_function') };
          assignDefined(event, { target: display(props.bucket) });
          addEvent(fn, event);
        }
        break;
      }
    }
  }
}

/** `dead_letter_config { arn }` and `retry_policy { ... }` of an EventBridge or Scheduler target. */
function applyTargetFailureHandling(module: Module, event: IacEventSource, target: PlainObject): void {
  const dlq = display(firstBlock(target.dead_letter_config)?.arn);
  if (dlq !== undefined) event.deadLetterQueue = dlq;
  const retry = firstBlock(target.retry_policy);
  if (retry) {
    event.retryPolicy = {};
    assignDefined(event.retryPolicy, {
      maximumRetryAttempts: numberOf(module, retry.maximum_retry_attempts),
      maximumEventAgeInSeconds: numberOf(module, retry.maximum_event_age_in_seconds),
    });
  }
}

function eventSourceMapping(module: Module, block: Block): IacEventSource {
  const props = block.body;
  const reference = referenceOf(props.event_source_arn);
  const arn = stringOf(module, props.event_source_arn);
  let service: IacPolledService | undefined = reference && !reference.data ? STREAM_RESOURCES[reference.type] : undefined;
  if (service === undefined) service = polledServiceOfArn(arn);
  if (service === undefined && props.self_managed_event_source !== undefined) service = 'kafka';
  if (service === undefined && props.amazon_managed_kafka_event_source_config !== undefined) service = 'msk';
  const kind: IacEventKind = service === 'sqs' ? 'sqs' : service === 'kinesis' || service === 'dynamodb' ? 'stream' : 'other';
  const event: IacEventSource = { kind, type: block.type, name: `${block.type}.${block.name}`, source: location(block) };
  const onFailure = firstBlock(firstBlock(props.destination_config)?.on_failure)?.destination_arn;
  const bisect = valueOf(module, props.bisect_batch_on_function_error);
  assignDefined(event, {
    service,
    target: display(props.event_source_arn),
    batchSize: numberOf(module, props.batch_size),
    maximumBatchingWindow: numberOf(module, props.maximum_batching_window_in_seconds),
    bisectBatchOnFunctionError: typeof bisect === 'boolean' ? bisect : undefined,
    maximumRetryAttempts: numberOf(module, props.maximum_retry_attempts),
    maximumRecordAgeInSeconds: numberOf(module, props.maximum_record_age_in_seconds),
    onFailure: display(onFailure),
  });
  if (service === 'sqs' && reference && !reference.data) {
    const queue = module.resources.get(`aws_sqs_queue.${reference.name}`);
    if (queue) event.queue = queueOf(module, queue);
  }
  return event;
}

function queueOf(module: Module, block: Block): IacQueue {
  const queue: IacQueue = { id: `aws_sqs_queue.${block.name}`, source: location(block) };
  const visibility = block.body.visibility_timeout_seconds;
  if (visibility !== undefined) {
    const seconds = numberOf(module, visibility);
    if (seconds === undefined) queue.visibilityTimeoutUnknown = true;
    else queue.visibilityTimeout = seconds;
  }
  // The policy on the queue, or in a separate `aws_sqs_queue_redrive_policy` naming it.
  let policy = block.body.redrive_policy;
  if (policy === undefined) {
    const separate = [...module.resources.values()].find((other) => {
      if (other.type !== 'aws_sqs_queue_redrive_policy') return false;
      const target = referenceOf(other.body.queue_url);
      return target?.type === 'aws_sqs_queue' && target.name === block.name;
    });
    policy = separate?.body.redrive_policy;
  }
  const redrive = redriveOf(module, policy);
  if (redrive) queue.redrive = redrive;
  return queue;
}

/**
 * A redrive policy: a JSON string, or `jsonencode({ deadLetterTargetArn = ..., maxReceiveCount = 5 })`,
 * which the parser leaves as the expression's text.
 */
function redriveOf(module: Module, value: unknown): IacQueue['redrive'] | undefined {
  const text = valueOf(module, value);
  if (text === undefined || text === null) return undefined;
  let deadLetterTarget: string | undefined;
  let maxReceiveCount: number | undefined;
  if (typeof text === 'string' && /^\s*\{/.test(text)) {
    try {
      const policy = asObject(JSON.parse(text)) ?? {};
      deadLetterTarget = asString(policy.deadLetterTargetArn);
      maxReceiveCount = asNumber(policy.maxReceiveCount);
    } catch {
      return { deadLetterTarget: text };
    }
  } else if (typeof text === 'string') {
    const target = /["']?deadLetterTargetArn["']?\s*[=:]\s*("([^"]*)"|[^\s,}]+)/.exec(text);
    if (target) deadLetterTarget = target[2] ?? target[1];
    const count = /["']?maxReceiveCount["']?\s*[=:]\s*"?(\d+)"?/.exec(text);
    if (count) maxReceiveCount = Number(count[1]);
    if (!target && !count) deadLetterTarget = display(text);
  } else if (isObject(text)) {
    deadLetterTarget = display(text.deadLetterTargetArn);
    maxReceiveCount = asNumber(text.maxReceiveCount);
  }
  const redrive: NonNullable<IacQueue['redrive']> = {};
  assignDefined(redrive, { deadLetterTarget, maxReceiveCount });
  return redrive;
}
