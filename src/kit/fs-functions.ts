/**
 * @fileoverview Rule kit: the file-system functions whose path arguments name files, the modules
 * they come from, and the sources of request-unique names. One table, imported by the analysis
 * (path values), the shared-tmp-path rule and the tmp-paths transform, so detection and fix can
 * never disagree about which call touches a file.
 */
export type FsOp = 'write' | 'read';

export interface FsFunction {
  op: FsOp;
  /** Argument indexes holding paths, and the access of each when they differ. */
  args: number[];
  ops?: FsOp[];
  /** Creates a directory (or its parents). */
  creates?: 'dir' | 'parents';
}

export const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'fs-extra', 'fs-extra/esm', 'graceful-fs']);
export const PATH_MODULES = new Set(['path', 'node:path', 'path/posix', 'node:path/posix']);
export const OS_MODULES = new Set(['os', 'node:os']);
export const CRYPTO_MODULES = new Set(['crypto', 'node:crypto']);
export const UNIQUE_PACKAGES: Record<string, Set<string>> = {
  uuid: new Set(['v1', 'v4', 'v6', 'v7', 'default']),
  nanoid: new Set(['nanoid', 'default']),
  ulid: new Set(['ulid', 'monotonicFactory', 'default']),
  '@paralleldrive/cuid2': new Set(['createId', 'default']),
  cuid: new Set(['default']),
};

/** Property names that carry a per-request id (`context.awsRequestId`, API Gateway's `requestContext.requestId`). */
export const REQUEST_ID_PROPS = new Set(['awsRequestId', 'aws_request_id', 'requestId']);

export const FS_FUNCTIONS: Record<string, FsFunction> = {};
function define(names: string[], fn: FsFunction): void {
  for (const name of names) {
    FS_FUNCTIONS[name] = fn;
    FS_FUNCTIONS[`${name}Sync`] = fn;
  }
}
define(['writeFile', 'appendFile', 'truncate', 'rm', 'rmdir', 'unlink', 'open', 'chmod', 'chown', 'utimes', 'lchown', 'lutimes'], { op: 'write', args: [0] });
define(['mkdir'], { op: 'write', args: [0], creates: 'dir' });
define(['readFile', 'readdir', 'exists', 'stat', 'lstat', 'access', 'readlink', 'realpath', 'opendir'], { op: 'read', args: [0] });
define(['copyFile', 'cp', 'symlink', 'link'], { op: 'write', args: [0, 1], ops: ['read', 'write'] });
define(['rename'], { op: 'write', args: [0, 1], ops: ['write', 'write'] });
FS_FUNCTIONS.createWriteStream = { op: 'write', args: [0] };
FS_FUNCTIONS.createReadStream = { op: 'read', args: [0] };
// fs-extra
define(['outputFile', 'outputJson', 'outputJSON'], { op: 'write', args: [0], creates: 'parents' });
define(['writeJson', 'writeJSON', 'ensureFile', 'remove', 'ensureLink', 'ensureSymlink'], { op: 'write', args: [0] });
define(['ensureDir', 'mkdirp', 'mkdirs', 'emptyDir'], { op: 'write', args: [0], creates: 'dir' });
define(['readJson', 'readJSON', 'pathExists'], { op: 'read', args: [0] });
define(['copy'], { op: 'write', args: [0, 1], ops: ['read', 'write'] });
define(['move'], { op: 'write', args: [0, 1], ops: ['write', 'write'] });

/** The `fs` method name of a resolved callee path (`['promises', 'writeFile']` -> `writeFile`). */
export function getFsFunction(module: string, path: string[]): { name: string; fn: FsFunction } | undefined {
  if (!FS_MODULES.has(module) || path.length === 0 || path.length > 2) return undefined;
  if (path.length === 2 && path[0] !== 'promises') return undefined;
  const name = path[path.length - 1]!;
  const fn = Object.hasOwn(FS_FUNCTIONS, name) ? FS_FUNCTIONS[name] : undefined;
  return fn ? { name, fn } : undefined;
}

/** Modules that run other programs, whose commands and arguments can name /tmp files. */
export const CHILD_PROCESS_MODULES = new Set(['child_process', 'node:child_process', 'execa']);

/**
 * How a child-process function takes its command: `shell` (one command line: `exec`, `execSync`,
 * execa's `execaCommand`) or `file` (a program and an array of arguments: `spawn`, `execFile`, `execa`).
 * Either may take an options object whose `cwd` is where the program writes relative files.
 */
export const CHILD_PROCESS_FUNCTIONS: Record<string, 'shell' | 'file'> = {
  exec: 'shell',
  execSync: 'shell',
  execaCommand: 'shell',
  execaCommandSync: 'shell',
  spawn: 'file',
  spawnSync: 'file',
  execFile: 'file',
  execFileSync: 'file',
  execa: 'file',
  execaSync: 'file',
  default: 'file',
};
