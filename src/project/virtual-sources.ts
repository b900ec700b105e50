/**
 * @fileoverview Inline code (`Code.ZipFile`, SAM `InlineCode`, CDK `Code.fromInline`) as virtual
 * sources: in-memory files the scan summarises and checks like the project's own, never written
 * to disk. Each gets a path below its infrastructure file, which is a file and so can hold no
 * real one (`template.yaml/OrdersFunction/index.js`), that names it in function ids; the
 * findings, errors and function lines found in it are moved to the infrastructure file's lines
 * at the end of the analysis, so every reporter shows where the code is written.
 */
import * as path from 'node:path';
import type { IacFunction, IacInlineLine } from '../iac/types.js';
import type { Finding } from '../types.js';

export interface VirtualSource {
  /** The virtual file's absolute path. */
  path: string;
  text: string;
  fn: IacFunction;
  lines: readonly IacInlineLine[];
}

/** A place in a real file. */
export interface RealPosition {
  file: string;
  line: number;
  column: number;
}

export class VirtualSources {
  private readonly byPath = new Map<string, VirtualSource>();

  /**
   * A virtual source for each function whose inline code was read as text, for a Node.js or Python
   * runtime: the file's name is the handler's module (`index.handler` -> `index`), its extension the
   * runtime's (`.mjs` for Node.js code with `import`/`export` statements, as Lambda needs). The
   * function's `codeFile` becomes that path, so the scan finds its handler like any other.
   */
  static fromFunctions(functions: readonly IacFunction[]): VirtualSources {
    const sources = new VirtualSources();
    for (const fn of functions) {
      const inline = fn.inlineSource;
      if (!inline || fn.codeFile || !fn.exportName || !fn.handler) continue;
      const extension = getExtension(fn.runtime, inline.text);
      if (!extension) continue;
      const module = fn.handler.slice(0, fn.handler.lastIndexOf('.')) || 'index';
      const file = path.join(fn.source.file, fn.logicalId, `${module}${extension}`);
      fn.codeFile = file;
      sources.byPath.set(file, { path: file, text: inline.text, fn, lines: inline.lines });
    }
    return sources;
  }

  get size(): number {
    return this.byPath.size;
  }

  [Symbol.iterator](): IterableIterator<VirtualSource> {
    return this.byPath.values();
  }

  has(file: string): boolean {
    return this.byPath.has(file);
  }

  get(file: string): VirtualSource | undefined {
    return this.byPath.get(file);
  }

  /** Where a line and column of a virtual file are written (a real file's position is returned as it is). */
  toRealPosition(file: string, line: number, column: number): RealPosition {
    const source = this.byPath.get(file);
    if (!source) return { file, line, column };
    const lines = source.lines;
    const at = lines[Math.min(Math.max(line, 1), lines.length) - 1];
    if (!at) return { file: source.fn.source.file, line: source.fn.source.line, column: 1 };
    return { file: source.fn.source.file, line: at.line, column: at.exact === false ? at.column : at.column + column - 1 };
  }

  /**
   * A finding of a virtual file moved to its infrastructure file. It names no transform: `fix`
   * does not rewrite code written inside infrastructure code (src/fix/index.ts says why).
   */
  toRealFinding(finding: Finding): Finding {
    if (!this.byPath.has(finding.file)) return finding;
    const start = this.toRealPosition(finding.file, finding.line, finding.column);
    const end = this.toRealPosition(finding.file, finding.endLine, finding.endColumn);
    return { ...finding, file: start.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, fix: null };
  }
}

/** `.js` / `.mjs` for Node.js runtimes, `.py` for Python ones; `undefined` for any other runtime. */
function getExtension(runtime: string | undefined, text: string): string | undefined {
  if (runtime?.startsWith('python')) return '.py';
  if (!runtime?.startsWith('nodejs')) return undefined;
  return /^\s*(import\s*[\w{*'"]|export\s)/m.test(text) ? '.mjs' : '.js';
}
