/**
 * @fileoverview The function a module-level name is bound to: `function f() {}`,
 * `const f = async () => {}` or `const f = function () {}` (exported or not).
 */
import { getModuleDeclarations } from './get-module-declarations.js';
import type { AstPath, RecipeContext } from './types.js';

export function findModuleFunction(ctx: RecipeContext, name: string): AstPath | undefined {
  return getModuleDeclarations(ctx).functions.get(name);
}
