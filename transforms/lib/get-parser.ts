/**
 * @fileoverview The jscodeshift parser for a file: `tsx` for TypeScript, `babel` for JavaScript
 * (Flow-free JS with JSX; the TypeScript grammar would misread `<T>(x)` casts in .js files).
 */
export function getParser(file: string): 'tsx' | 'babel' {
  return /\.(c|m)?tsx?$/i.test(file) && !/\.d\.(c|m)?ts$/i.test(file) ? 'tsx' : 'babel';
}
