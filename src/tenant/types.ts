/** A JSON value, as flags hold them. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** What is switched on for one tenant, as stored. */
export interface TenantSettings {
  /** Enabled modules, sorted by name. Core modules are on for every tenant and not stored. */
  modules: string[];
  /** Flag values the tenant has set, by key (declared defaults are not stored). */
  flags: Record<string, JsonValue>;
}

/** One tenant's committed state. */
export interface TenantState extends TenantSettings {
  tenant: string;
  /** Increased by every change; 0 for a tenant never written. */
  revision: number;
  /** ISO time of the last change; null for a tenant never written. */
  updatedAt: string | null;
}

/** One committed change, kept in the tenant's history. */
export interface HistoryEntry {
  revision: number;
  /** ISO time of the change. */
  at: string;
  /** Who made it: `--actor`, the OS user, an admin token's actor, or the runtime's name. */
  actor: string;
  /** What was asked, in the planner's words, e.g. `enable billing (with dependencies)`. */
  operation: string;
  before: TenantSettings;
  after: TenantSettings;
}

/** The state of a tenant never written. */
export function emptyState(tenant: string): TenantState {
  return { tenant, modules: [], flags: {}, revision: 0, updatedAt: null };
}
