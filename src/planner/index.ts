/**
 * The planner: pure functions that turn a request (enable, disable, set flags, roll back)
 * and one tenant's state into a {@link Plan}, or refuse it with a `ModregError`.
 */

export { TENANT_ID_RULE, validateTenantId } from '../tenant/tenant-id.js';
export { planDisable } from './disable.js';
export { planEnable } from './enable.js';
export { parseFlagInput } from './flag-input.js';
export { FLAG_KEY_PATTERN, flagValues } from './flag-values.js';
export { type FlagChanges, planFlags } from './flags.js';
export { type PlannedUpdate, plannedUpdate } from './plan-update.js';
export {
  createPlanningRegistry,
  enabledModules,
  type PlanningSource,
} from './planning-registry.js';
export { planImport, planRollback } from './rollback.js';
export { rollbackTarget } from './rollback-target.js';
export {
  type DisableOptions,
  type EnableOptions,
  type FlagOptions,
  MAX_FLAG_VALUE_BYTES,
  type Plan,
  type PlannedChange,
  type PlanningRegistry,
} from './types.js';
