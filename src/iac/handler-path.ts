/**
 * @fileoverview Resolution of a Lambda handler string (`path/to/module.exportName`) to the code
 * file and export it names. Only existence is checked: nothing is read or loaded.
 */
import * as path from 'node:path';

/** Source extensions tried for a Node.js handler module, in order of preference. */
export const NODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

export interface HandlerResolution {
  codeFile?: string;
  exportName?: string;
}

type RuntimeFamily = 'node' | 'python' | 'unknown' | 'other';

export function runtimeFamily(runtime: string | undefined): RuntimeFamily {
  if (runtime === undefined || runtime.includes('${')) return 'unknown';
  if (/^nodejs/i.test(runtime)) return 'node';
  if (/^python/i.test(runtime)) return 'python';
  return 'other';
}

/**
 * Resolves `handler` against `codeRoot`. The last `.` separates the export; the module path is
 * tried with each source extension (`.py` for Python, and also when the runtime is unknown).
 * `index` files are not implied (Lambda does not do that). For Node.js, a module path with more
 * dots (`lib/orders.handlers.create`) is also tried the way the Node.js runtime splits it: at the
 * first dot of the last path segment (module `lib/orders`, export `handlers`).
 */
export function resolveHandler(options: {
  handler: string | undefined;
  codeRoot: string | undefined;
  runtime?: string;
  fileExists: (absPath: string) => boolean;
}): HandlerResolution {
  const handler = options.handler?.trim();
  if (!handler) return {};
  const family = runtimeFamily(options.runtime);
  if (family === 'other') return {};
  const lastDot = handler.lastIndexOf('.');
  const lastSlash = handler.lastIndexOf('/');
  if (lastDot <= lastSlash + 1 || lastDot === handler.length - 1) return {};
  const exportName = handler.slice(lastDot + 1);
  // `${file(handlers.yml):main}` and the like: the export itself is not written out.
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) return {};
  if (options.codeRoot === undefined || handler.includes('${')) return { exportName };

  const candidates: { module: string; exportName: string; extensions: readonly string[] }[] = [];
  const modulePath = handler.slice(0, lastDot);
  if (family === 'python') {
    candidates.push({ module: modulePath.replace(/\./g, '/'), exportName, extensions: ['.py'] });
  } else {
    const extensions = family === 'unknown' ? [...NODE_EXTENSIONS, '.py'] : NODE_EXTENSIONS;
    candidates.push({ module: modulePath, exportName, extensions });
    const firstDot = handler.indexOf('.', lastSlash + 1);
    if (firstDot < lastDot) {
      const rest = handler.slice(firstDot + 1);
      candidates.push({ module: handler.slice(0, firstDot), exportName: rest.split('.')[0]!, extensions });
    }
    if (family === 'unknown') {
      candidates.push({ module: modulePath.replace(/\./g, '/'), exportName, extensions: ['.py'] });
    }
  }
  for (const candidate of candidates) {
    const base = path.resolve(options.codeRoot, candidate.module);
    for (const extension of candidate.extensions) {
      const file = base + extension;
      if (options.fileExists(file)) return { codeFile: file, exportName: candidate.exportName };
    }
  }
  return { exportName };
}

/** The first existing file among `file` and `file` + each Node.js extension. */
export function resolveEntryFile(file: string, fileExists: (absPath: string) => boolean): string | undefined {
  if (fileExists(file)) return file;
  for (const extension of NODE_EXTENSIONS) {
    if (fileExists(file + extension)) return file + extension;
  }
  return undefined;
}

/** The nearest of `start` and its ancestors for which `holds(dir)` is true. */
export function findAncestor(start: string, holds: (dir: string) => boolean): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (holds(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
