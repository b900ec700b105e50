/**
 * @fileoverview The handlers whose invocations load a file: its module-level code runs in every
 * process or worker thread that imports it, so init-time facts of the file belong to them.
 */
import type { CheckContext, HandlerInfo } from '../rules/define.js';

export function handlersLoading(ctx: Pick<CheckContext, 'handlers'>, file: number): HandlerInfo[] {
  const prefix = `${file}#`;
  return ctx.handlers.filter((h) => h.file === file || h.reach.functions.has(file) || [...h.reach.bindings].some((b) => b.startsWith(prefix)));
}
