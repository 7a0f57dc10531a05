import type { FlagDeclaration, ModuleRecord } from '../registry/types.js';
import type { JsonValue, TenantSettings } from '../tenant/types.js';

/** What the planner needs of the registry: modules, load order, and what cannot load. */
export interface PlanningRegistry {
  modules: ReadonlyMap<string, ModuleRecord>;
  /** Loadable modules in load order. */
  order: readonly string[];
  /** Modules that cannot load, with the reason (cycle, missing dependency, …). */
  blocked: ReadonlyMap<string, string>;
  /** Every declared flag by key, with the module declaring it. */
  flags: ReadonlyMap<string, { module: string; declaration: FlagDeclaration }>;
  /** Modules with `core: true` that can load: enabled for every tenant. */
  core: readonly string[];
}

/** One step of a plan. */
export interface PlannedChange {
  /** The module switched, for `enable` / `disable`. */
  module?: string;
  /** The flag changed, for `set` / `unset`. */
  flag?: string;
  action: 'enable' | 'disable' | 'set' | 'unset';
  /** Why: `requested`, or `required by billing`, `requires invoicing` (with `withDeps` / `cascade`). */
  reason: string;
  from?: JsonValue;
  to?: JsonValue;
}

/** What a change to one tenant would do, in order, and the settings it leads to. */
export interface Plan {
  tenant: string;
  /** In the order they apply: enables in load order, disables dependents first. */
  changes: PlannedChange[];
  next: TenantSettings;
  /** The operation as recorded in history, e.g. `enable billing (with dependencies)`. */
  operation: string;
}

/** Options of {@link planEnable}. */
export interface EnableOptions {
  /** Enable missing required dependencies too, in load order. @default false */
  withDeps?: boolean;
}

/** Options of {@link planDisable}. */
export interface DisableOptions {
  /** Disable the enabled modules that require these too, dependents first. @default false */
  cascade?: boolean;
}

/** Options of {@link planFlags}. */
export interface FlagOptions {
  /** Refuse flags no module declares. @default false */
  strict?: boolean;
}

/** Largest flag value accepted, in bytes of its JSON text. */
export const MAX_FLAG_VALUE_BYTES = 8192;
