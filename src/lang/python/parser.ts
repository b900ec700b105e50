/**
 * @fileoverview The Python parser: tree-sitter's Python grammar compiled to WebAssembly
 * (`tree-sitter-python.wasm`, shipped in the `tree-sitter-python` package) run by
 * `web-tree-sitter`. Nothing is built or downloaded: both `.wasm` files come from
 * node_modules. Loading is asynchronous and costs ~50 ms, so it happens once per thread and only
 * when a scan has Python files (`initPythonParser`); parsing is synchronous afterwards.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Load the grammar (once per thread; later calls share the first). */
export function initPythonParser(): Promise<void> {
  loading ??= (async () => {
    const { Parser: ParserClass, Language } = await import('web-tree-sitter');
    await ParserClass.init();
    const require = createRequire(import.meta.url);
    const wasm = path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
    const language = await Language.load(wasm);
    const p = new ParserClass();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
}

/** The parser, once `initPythonParser` has finished; undefined before. */
export function getPythonParser(): Parser | undefined {
  return parser;
}
