/**
 * @fileoverview Rule kit: the Python calls whose arguments name files (builtins, `os`,
 * `shutil`, `pathlib` methods, boto3's S3 transfer methods) and the shell-running calls whose
 * command strings may name `/tmp` paths. One table for the shared-tmp-path rule (and a future
 * Python tmp-paths transform), by qualified name (`os.remove`, `builtins.open`).
 */
import type { FsOp } from './fs-functions.js';

export interface PyFsFunction {
  /**
   * Positional argument indexes holding paths, with the keyword name of each. `last`: the path is
   * the last positional argument given, up to `index` (receivers that take fewer leading ones).
   */
  args: Array<{ index: number; keyword?: string; op: FsOp; last?: true }>;
}

const w = (index: number, keyword?: string) => ({ index, op: 'write' as const, ...(keyword ? { keyword } : {}) });
const r = (index: number, keyword?: string) => ({ index, op: 'read' as const, ...(keyword ? { keyword } : {}) });

/** Module functions, by qualified name. `open` is special-cased by its mode. */
export const PY_FS_FUNCTIONS: Record<string, PyFsFunction> = {
  'builtins.open': { args: [w(0, 'file')] },
  'io.open': { args: [w(0, 'file')] },
  'os.open': { args: [w(0, 'path')] },
  'os.remove': { args: [w(0, 'path')] },
  'os.unlink': { args: [w(0, 'path')] },
  'os.rmdir': { args: [w(0, 'path')] },
  'os.removedirs': { args: [w(0, 'name')] },
  'os.mkdir': { args: [w(0, 'path')] },
  'os.makedirs': { args: [w(0, 'name')] },
  'os.rename': { args: [w(0, 'src'), w(1, 'dst')] },
  'os.replace': { args: [w(0, 'src'), w(1, 'dst')] },
  'os.truncate': { args: [w(0, 'path')] },
  'os.chmod': { args: [w(0, 'path')] },
  'os.listdir': { args: [r(0, 'path')] },
  'os.scandir': { args: [r(0, 'path')] },
  'os.path.exists': { args: [r(0, 'path')] },
  'os.path.isfile': { args: [r(0, 'path')] },
  'os.path.getsize': { args: [r(0, 'filename')] },
  'shutil.copy': { args: [r(0, 'src'), w(1, 'dst')] },
  'shutil.copy2': { args: [r(0, 'src'), w(1, 'dst')] },
  'shutil.copyfile': { args: [r(0, 'src'), w(1, 'dst')] },
  'shutil.copytree': { args: [r(0, 'src'), w(1, 'dst')] },
  'shutil.move': { args: [w(0, 'src'), w(1, 'dst')] },
  'shutil.rmtree': { args: [w(0, 'path')] },
  'shutil.make_archive': { args: [w(0, 'base_name')] },
  'shutil.unpack_archive': { args: [r(0, 'filename'), w(1, 'extract_dir')] },
  'zipfile.ZipFile': { args: [w(0, 'file')] },
  'tarfile.open': { args: [w(0, 'name')] },
};

/** Methods, by name, whatever the receiver: boto3 S3 transfers (`s3.download_file(bucket, key, filename)`). */
export const PY_FS_METHODS: Record<string, PyFsFunction> = {
  // The client takes (Bucket, Key, Filename), a Bucket resource (Key, Filename), an Object (Filename): the last of up to three.
  download_file: { args: [{ ...w(2, 'Filename'), last: true }] },
  upload_file: { args: [r(0, 'Filename')] },
  extractall: { args: [w(0, 'path')] },
};

/** `pathlib.Path` methods: the receiver is the path. (`replace` is left out: it is also the string method.) */
export const PY_PATH_METHODS: Record<string, FsOp> = {
  write_text: 'write',
  write_bytes: 'write',
  touch: 'write',
  mkdir: 'write',
  unlink: 'write',
  rmdir: 'write',
  rename: 'write',
  open: 'write',
  read_text: 'read',
  read_bytes: 'read',
  exists: 'read',
  iterdir: 'read',
};

/** Calls that run a shell command: their string arguments are searched for `/tmp` paths. */
export const PY_SHELL_FUNCTIONS = new Set([
  'os.system',
  'os.popen',
  'subprocess.run',
  'subprocess.call',
  'subprocess.check_call',
  'subprocess.check_output',
  'subprocess.Popen',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  // pip run in-process (`main(['install', '--target', '/tmp/', ...])`), usually at init.
  'pip.main',
  'pip._internal.main',
  'pip._internal.cli.main.main',
]);
