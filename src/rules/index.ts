/**
 * @fileoverview The rule registry. A meta-test keeps it whole: every rule file is listed here,
 * ids equal file names, and every rule has docs and fixtures.
 */
import type { Rule } from './define.js';
import eventSourceBackpressure from './event-source-backpressure.js';
import globalMutableState from './global-mutable-state.js';
import lifecycle from './lifecycle.js';
import lmiRuntimeSupport from './lmi-runtime-support.js';
import poolUndersized from './pool-undersized.js';
import sharedDbConnection from './shared-db-connection.js';
import sharedTmpPath from './shared-tmp-path.js';
import threadSharedState from './thread-shared-state.js';
import uncheckedTimeout from './unchecked-timeout.js';
import unsafeSharedCollection from './unsafe-shared-collection.js';
import unstructuredLogging from './unstructured-logging.js';

/** In checklist order. */
export const rules: ReadonlyArray<Rule> = [
  globalMutableState,
  threadSharedState,
  sharedTmpPath,
  sharedDbConnection,
  poolUndersized,
  eventSourceBackpressure,
  unstructuredLogging,
  unsafeSharedCollection,
  lifecycle,
  uncheckedTimeout,
  lmiRuntimeSupport,
] as ReadonlyArray<Rule>;

export function getRule(id: string): Rule | undefined {
  return rules.find((r) => r.id === id);
}
