/** The admin API's JSON shapes the console reads (see GET /api/openapi.json). */

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export interface TenantSummary {
  tenant: string;
  revision: number;
  updatedAt: string | null;
  modules: number;
}

export interface TenantPage {
  tenants: TenantSummary[];
  next?: string;
  unreadable?: { tenant: string; message: string }[];
}

export interface ModuleState {
  module: string;
  state: 'core' | 'enabled' | 'disabled' | 'blocked' | 'failed';
  reason: string;
  requiredBy: string[];
  needs: string[];
}

export interface Tenant {
  tenant: string;
  modules: string[];
  unavailable: { module: string; reason: string; message: string }[];
  flags: Record<string, JsonValue>;
  ownFlags: Record<string, JsonValue>;
  revision: number;
  updatedAt: string | null;
  moduleStates: ModuleState[];
}

export interface FlagDeclaration {
  type: 'boolean' | 'string' | 'number' | 'json';
  default?: JsonValue;
  description?: string;
}

export interface ModuleRecord {
  name: string;
  version: string;
  description?: string;
  dependencies: Record<string, string>;
  flags: Record<string, FlagDeclaration>;
  core: boolean;
}

export interface Modules {
  modules: ModuleRecord[];
  order: string[];
  layers: string[][];
  cycles: string[][];
  blocked: { module: string; reason: string; cause: string }[];
  registry: { source: string; loadedAt: string };
}

export interface PlannedChange {
  module?: string;
  flag?: string;
  action: 'enable' | 'disable' | 'set' | 'unset';
  reason: string;
  from?: JsonValue;
  to?: JsonValue;
}

export interface Change {
  tenant: string;
  changes: PlannedChange[];
  revision: number;
  dryRun: boolean;
}

export interface TenantSettings {
  modules: string[];
  flags: Record<string, JsonValue>;
}

export interface HistoryEntry {
  revision: number;
  at: string;
  actor: string;
  operation: string;
  before: TenantSettings;
  after: TenantSettings;
}

export interface Finding {
  check: 'store' | 'registry' | 'tenant';
  subject: string;
  message: string;
}

export interface Health {
  status: 'ok' | 'degraded' | 'stale' | 'failing';
  reason?: string;
  since?: string;
  store: { kind: string; location: string };
  registry: { source: string; loadedAt: string | null; modules: number; reloadFailure?: string };
  modules: {
    failed: { module: string; reason: string }[];
    blocked: { module: string; reason: string }[];
  };
  doctor: { ok: boolean; tenants: number; complete: boolean; findings: Finding[] };
}

/** The body of every API error. */
export interface ErrorBody {
  code: string;
  message: string;
  alternative?: 'withDeps' | 'cascade';
  paths?: string[][];
  problem?: string;
  fix?: string;
}
