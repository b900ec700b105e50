/**
 * @fileoverview The public API of lmi-audit. The CLI is a thin layer over it; tests call it directly.
 */
export { scan } from './scan.js';
export { fix, type FixOptions, type FixResult, type FixFileResult, type FixFileStatus, type FixMarker } from './fix/index.js';
export { rules, getRule } from './rules/index.js';
export { toolVersion } from './version.js';
export { UsageError, ConfigurationError } from './errors.js';
export { loadConfig, validateConfig } from './config/load.js';
export { getConfigurableRuleIds, resolveGate } from './scan-control.js';
export * from './types.js';
export type { RuleDocs, RuleMeta } from './rules/types.js';
