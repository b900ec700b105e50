/**
 * @fileoverview Container-image functions (SAM/CloudFormation `PackageType: Image`, CDK
 * `DockerImageFunction`): the handler is the function's command (`ImageConfig.Command`, CDK
 * `cmd`) or else the image's `CMD` (`CMD ["app.lambdaHandler"]`), and the code is what the
 * Dockerfile copies into the task root (`COPY src/ ${LAMBDA_TASK_ROOT}/`). The Dockerfile is
 * parsed with `dockerfile-ast` (the parser of the Docker language server: line continuations,
 * exec and shell forms, flags, heredocs, multi-stage builds), never built or run.
 *
 * Only the last stage is the image Lambda runs. What it copies from an earlier stage
 * (`COPY --from=build /app/dist ./`) is that stage's build output: its sources are what that
 * stage copied into the folder the output is under, so those folders of the build context are
 * code roots too (the handler file must still exist there: nothing is guessed).
 *
 * A handler string means something only to a Lambda runtime: the AWS base images
 * (`public.ecr.aws/lambda/nodejs:22`, `amazon/aws-lambda-python:3.13`) or another base image
 * whose `ENTRYPOINT` starts the runtime interface client (`aws-lambda-ric`, `awslambdaric`). An
 * image of neither kind (a web server behind the Lambda Web Adapter, a custom runtime) has no
 * handler this tool can follow.
 */
import * as path from 'node:path';
import { DockerfileParser, From, JSONInstruction, Copy, type Instruction } from 'dockerfile-ast';
import { resolveHandler, type HandlerResolution } from './handler-path.js';
import type { IacFunction, ReaderContext } from './types.js';

/** Where Lambda's base images put the function code (and their default `WORKDIR`). */
const TASK_ROOT = '/var/task';
/** `public.ecr.aws/lambda/nodejs`, `amazon/aws-lambda-python`, `lambda/provided` (image names without registry or tag). */
const LAMBDA_BASE = /^(?:(?:.*\/)?lambda\/|amazon\/aws-lambda-)(nodejs|python|provided|java|dotnet|ruby)$/;
/** The runtime interface clients a non-Lambda base image starts in its `ENTRYPOINT`. */
const RUNTIME_CLIENTS: ReadonlyArray<[RegExp, ImageRuntime]> = [
  [/aws-lambda-ric/, 'nodejs'],
  [/awslambdaric/, 'python'],
];

type ImageRuntime = 'nodejs' | 'python';

interface ImageCode {
  /** The image's `CMD` (first element): the handler, when a Lambda runtime runs the image. */
  command?: string;
  /** Folders of the build context whose files land in the task root, in the order the Dockerfile copies them. */
  codeRoots: string[];
  /** The runtime family the base image or the runtime interface client names. */
  runtime?: ImageRuntime;
  /**
   * No Node.js or Python handler string applies: the image runs no Lambda runtime (a web server,
   * no runtime interface client) or another language's (`lambda/provided`, `lambda/java`).
   */
  noHandler?: true;
}

/** A build stage: its base, working directory and which image folders hold which context folders. */
interface Stage {
  name?: string;
  base?: string;
  workdir: string;
  /** Image folder (absolute, posix) -> context folders whose content was copied into it. */
  folders: Map<string, string[]>;
  command?: string;
  entrypoint?: string;
}

/** What a Dockerfile says about the function in it; `undefined` when it cannot be read. */
function readDockerfile(dockerfile: string, context: string, readFile: (file: string) => string): ImageCode | undefined {
  let text: string;
  try {
    text = readFile(dockerfile);
  } catch {
    return undefined;
  }
  const stages = readStages(DockerfileParser.parse(text).getInstructions(), context);
  const last = stages[stages.length - 1];
  if (!last) return { codeRoots: [] };
  const image: ImageCode = { codeRoots: [] };
  const family = last.base ? LAMBDA_BASE.exec(imageName(last.base))?.[1] : undefined;
  const client = last.entrypoint ? RUNTIME_CLIENTS.find(([pattern]) => pattern.test(last.entrypoint!))?.[1] : undefined;
  if (family === 'nodejs' || family === 'python') image.runtime = family;
  else if (client) image.runtime = client;
  // `FROM ${BASE}` is not judged; a known base without a Node.js or Python runtime has no handler to follow.
  else if (family || (last.base !== undefined && !last.base.includes('$'))) {
    image.noHandler = true;
    return image;
  }
  if (last.command !== undefined) image.command = last.command;
  // The runtime interface client loads handlers from its working directory; Lambda's images from the task root.
  const taskRoot = family ? TASK_ROOT : last.workdir;
  image.codeRoots = rootsOf(last.folders, taskRoot);
  return image;
}

/** The handler of an image function: its code file among the image's code roots (the build context last). */
function resolveImageHandler(options: {
  command: string | undefined;
  image: ImageCode | undefined;
  context: string | undefined;
  fileExists: (file: string) => boolean;
}): HandlerResolution {
  const { image, fileExists } = options;
  if (image?.noHandler) return {};
  const command = options.command ?? image?.command;
  const runtime = image?.runtime;
  const roots = [...(image?.codeRoots ?? [])];
  if (options.context !== undefined && !roots.includes(options.context)) roots.push(options.context);
  let resolved = resolveHandler({ handler: command, codeRoot: undefined, ...(runtime ? { runtime } : {}), fileExists });
  for (const codeRoot of roots) {
    const found = resolveHandler({ handler: command, codeRoot, ...(runtime ? { runtime } : {}), fileExists });
    if (found.codeFile !== undefined) return found;
    resolved = found;
  }
  return resolved;
}

/** Where an image function's code is built from, as its infrastructure code says. */
export interface ImageSource {
  /** The build context (SAM `Metadata.DockerContext`, CDK `fromImageAsset(dir)`), absolute. */
  context?: string;
  /** The Dockerfile, absolute (default: `Dockerfile` in the context). */
  dockerfile?: string;
  /** The function's own command (`ImageConfig.Command`, CDK `cmd`): it overrides the image's `CMD`. */
  command?: string;
}

/**
 * Sets an image function's handler, code file and export from its command and Dockerfile. A
 * Dockerfile that cannot be read is reported at the function; without a build context (an
 * `ImageUri` built elsewhere) only the export of the function's own command is known.
 */
export function applyImageHandler(fn: IacFunction, source: ImageSource, ctx: ReaderContext): void {
  let image: ImageCode | undefined;
  if (source.context !== undefined) {
    const dockerfile = source.dockerfile ?? path.join(source.context, 'Dockerfile');
    image = readDockerfile(dockerfile, source.context, ctx.readFile);
    if (!image) {
      ctx.errors.push({
        file: fn.source.file,
        line: fn.source.line,
        message: `${fn.logicalId}: the Dockerfile \`${path.relative(path.dirname(fn.source.file), dockerfile) || dockerfile}\` could not be read: the image's code was not found`,
      });
    }
  }
  const command = source.command ?? image?.command;
  const resolved = resolveImageHandler({ command, image, context: image ? source.context : undefined, fileExists: ctx.fileExists });
  // The handler is only claimed when the image was read: a command run by an image built elsewhere is not this scan's code.
  if (image && !image.noHandler && command !== undefined) fn.handler = command;
  if (resolved.codeFile !== undefined) fn.codeFile = resolved.codeFile;
  if (resolved.exportName !== undefined) fn.exportName = resolved.exportName;
}

function readStages(instructions: Instruction[], context: string): Stage[] {
  const stages: Stage[] = [];
  let stage: Stage | undefined;
  for (const instruction of instructions) {
    if (instruction instanceof From) {
      const base = instruction.getImage() ?? undefined;
      // `FROM build AS test`: a stage built on an earlier one starts with its files.
      const parent = stages.find((s) => s.name !== undefined && s.name === base);
      stage = parent
        ? { ...parent, folders: new Map([...parent.folders].map(([k, v]) => [k, [...v]])), name: instruction.getBuildStage() ?? undefined }
        : { base, workdir: TASK_ROOT, folders: new Map(), ...(instruction.getBuildStage() ? { name: instruction.getBuildStage()! } : {}) };
      if (!parent && base !== undefined && !LAMBDA_BASE.test(imageName(base))) stage.workdir = '/';
      stages.push(stage);
      continue;
    }
    if (!stage) continue;
    const keyword = instruction.getKeyword();
    if (keyword === 'WORKDIR') {
      const dir = instruction.getArguments()[0]?.getValue();
      if (dir !== undefined) stage.workdir = path.posix.resolve(stage.workdir, expand(dir));
    } else if (keyword === 'CMD') {
      const command = argumentsOf(instruction)[0];
      if (command === undefined) delete stage.command;
      else stage.command = command;
    } else if (keyword === 'ENTRYPOINT') {
      stage.entrypoint = argumentsOf(instruction).join(' ');
      // An ENTRYPOINT resets an inherited CMD (Docker's rule).
      delete stage.command;
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      copyInto(stage, instruction, stages, context);
    }
  }
  return stages;
}

/** Records which context folders a `COPY`/`ADD` puts into which image folder. */
function copyInto(stage: Stage, instruction: Instruction, stages: Stage[], context: string): void {
  const args = argumentsOf(instruction);
  if (args.length < 2 || args.some((arg) => arg.startsWith('<<'))) return;
  const destination = expand(args[args.length - 1]!);
  const sources = args.slice(0, -1);
  const target = path.posix.resolve(stage.workdir, destination);
  // `COPY a.js b.js ./` and `COPY src/ /var/task/` copy into a folder; `COPY app.py /var/task/main.py` names the file.
  const intoFolder = /\/$/.test(destination) || sources.length > 1 || destination === '.' || !path.posix.extname(destination);
  const from = instruction instanceof Copy ? instruction.getFromFlag()?.getValue() : undefined;
  if (from !== undefined && from !== null) {
    const earlier = stages.find((s, index) => s !== stage && (s.name === from || String(index) === from));
    if (!earlier) return; // an image reference: its files are not in the build context
    for (const source of sources) {
      const folder = path.posix.resolve(earlier.workdir, isFileLike(source) ? path.posix.dirname(expand(source)) : expand(source));
      const roots = [...earlier.folders].filter(([dir]) => dir === folder || folder.startsWith(`${dir === '/' ? '' : dir}/`)).flatMap(([, r]) => r);
      addFolder(stage, intoFolder ? target : path.posix.dirname(target), roots);
    }
    return;
  }
  for (const source of sources) {
    if (/^[a-z]+:\/\//i.test(source)) continue; // ADD <url>
    const local = path.resolve(context, expand(source));
    if (local !== context && !local.startsWith(context + path.sep)) continue;
    // `COPY app.js ./` and `COPY shared/*.py ./`: the file's folder; `COPY src/ ./` or `COPY . ./`: the folder itself.
    const root = isFileLike(source) ? path.dirname(local) : local;
    addFolder(stage, intoFolder ? target : path.posix.dirname(target), [root]);
  }
}

function addFolder(stage: Stage, folder: string, roots: string[]): void {
  const list = stage.folders.get(folder) ?? [];
  for (const root of roots) if (!list.includes(root)) list.push(root);
  stage.folders.set(folder, list);
}

/**
 * The context folders that stand for the task root: those copied into it, and those copied into
 * a subfolder of it whose path they end with (`COPY src ./src` makes the context the root).
 */
function rootsOf(folders: Map<string, string[]>, taskRoot: string): string[] {
  const roots: string[] = [];
  const add = (root: string): void => {
    if (!roots.includes(root)) roots.push(root);
  };
  for (const [folder, list] of folders) {
    if (folder === taskRoot) list.forEach(add);
    else if (folder.startsWith(`${taskRoot}/`)) {
      const below = folder
        .slice(taskRoot.length + 1)
        .split('/')
        .join(path.sep);
      for (const root of list) if (root.endsWith(path.sep + below)) add(root.slice(0, -below.length - 1));
    }
  }
  return roots;
}

/** `app.js`, `shared/*.py`: a file (or files); `src`, `src/`, `.`: a folder. */
function isFileLike(source: string): boolean {
  return !/[/\\]$/.test(source) && source !== '.' && (path.posix.extname(source) !== '' || source.includes('*'));
}

/** The image name without registry host and tag (`public.ecr.aws/lambda/nodejs:22` -> `lambda/nodejs`). */
function imageName(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastColon = withoutDigest.lastIndexOf(':');
  const name = lastColon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, lastColon) : withoutDigest;
  const [first, ...rest] = name.split('/');
  return rest.length > 0 && /[.:]|^localhost$/.test(first!) ? rest.join('/') : name;
}

/** The task root variable Lambda's images define; other variables are left as written. */
function expand(value: string): string {
  return value.replace(/\$\{?LAMBDA_TASK_ROOT\}?/g, TASK_ROOT);
}

/** The arguments of an instruction in either form: `["a", "b"]` (exec) or `a b` (shell); flags (`--chown=...`) left out. */
function argumentsOf(instruction: Instruction): string[] {
  const json = instruction instanceof JSONInstruction ? instruction.getJSONStrings() : [];
  if (json.length > 0) return json.map((j) => j.getJSONValue());
  return instruction
    .getArguments()
    .map((a) => a.getValue())
    .filter((value) => !value.startsWith('--'));
}
