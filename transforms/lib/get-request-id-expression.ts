/**
 * @fileoverview The expression for the invocation's request id inside a handler:
 * `context.awsRequestId` through the handler's second parameter, which is added when the
 * handler does not declare it (typed `{ awsRequestId: string }` in TypeScript, so no
 * `aws-lambda` types are needed).
 */
import { addParameter } from './add-parameter.js';
import { getParams, isObjectProperty } from './nodes.js';
import type { AstNode, AstPath, RecipeContext } from './types.js';

const added = new WeakMap<AstNode, string>();

export function getRequestIdExpression(ctx: RecipeContext, fnPath: AstPath): string | undefined {
  const fn = fnPath.node;
  const memo = added.get(fn);
  if (memo) return memo;
  const params = getParams(fn);
  const second = params[1];
  let result: string | undefined;
  if (second) {
    const target = second.type === 'AssignmentPattern' ? second.left : second;
    if (target.type === 'Identifier') result = `${target.name}.awsRequestId`;
    else if (target.type === 'ObjectPattern') {
      const prop = target.properties.find((p: AstNode) => isObjectProperty(p) && !p.computed && p.key.name === 'awsRequestId');
      if (prop && prop.value.type === 'Identifier') result = prop.value.name;
    }
  } else {
    const name = pickName(ctx, fnPath);
    const type = ctx.isTypeScript ? ': { awsRequestId: string }' : '';
    const event = params.length === 0 ? (ctx.isTypeScript ? '_event: unknown, ' : '_event, ') : '';
    if (addParameter(ctx, fn, `${event}${name}${type}`)) result = `${name}.awsRequestId`;
  }
  if (result) added.set(fn, result);
  return result;
}

/** `context`, unless the handler already reads an outer variable of that name. */
function pickName(ctx: RecipeContext, fnPath: AstPath): string {
  for (const name of ['context', 'lambdaContext', 'invocationContext']) {
    const clash = ctx.j(fnPath).find(ctx.j.Identifier, { name }).size() > 0;
    if (!clash) return name;
  }
  return 'lambdaContext_';
}
