import type { PlannedChange } from '../planner/types.js';
import type { ConfigFile } from '../project-config.js';
import type { RegistryFile } from '../registry/registry-file.js';
import type { ModuleRecord } from '../registry/types.js';
import type { Store } from '../stores/types.js';
import type { JsonValue } from '../tenant/types.js';

/** Where log lines go; `console` fits. */
export interface Logger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** The per-process side of a module: what its `setup` hook gets. */
export interface ModuleContext {
  module: ModuleRecord;
  /** Register the module's routes here; the HTTP adapter mounts it under the module's prefix. */
  router: ModuleRouter;
  logger: Logger;
}

/** The router a module's `setup` registers routes on (an Express Router with the adapter). */
export interface ModuleRouter {
  get(path: string, ...handlers: unknown[]): unknown;
  post(path: string, ...handlers: unknown[]): unknown;
  put(path: string, ...handlers: unknown[]): unknown;
  patch(path: string, ...handlers: unknown[]): unknown;
  delete(path: string, ...handlers: unknown[]): unknown;
  use(...handlers: unknown[]): unknown;
}

/** What `activate` / `deactivate` get: one tenant, its flags at that moment. */
export interface TenantContext {
  tenant: string;
  module: ModuleRecord;
  flags: Readonly<Record<string, JsonValue>>;
  logger: Logger;
}

/** The lifecycle hooks a module's entry exports; all optional. */
export interface ModuleHooks {
  setup?(ctx: ModuleContext): unknown;
  activate?(ctx: TenantContext): unknown;
  deactivate?(ctx: TenantContext): unknown;
  teardown?(): unknown;
}

/** Where a module stands for one tenant. */
export type ModuleState = 'loaded' | 'failed' | 'blocked' | 'disabled' | 'enabled';

/** One module's state for one tenant, as {@link Modreg.getModulesForTenant} reports it. */
export interface ModuleStatus {
  module: string;
  /**
   * `loaded`: activated for the tenant; `enabled`: on, not loaded yet; `failed`: its setup or
   * activate hook threw or timed out; `blocked`: a module it requires failed or cannot load;
   * `disabled`: off for the tenant.
   */
  state: ModuleState;
  /** Why it failed or is blocked. */
  reason?: string;
}

/** A read-only view of one tenant at one revision: every lookup on it is synchronous. */
export interface TenantSnapshot {
  readonly tenant: string;
  readonly revision: number;
  /** Enabled modules in load order, core modules included. */
  readonly modules: readonly string[];
  isModuleEnabled(module: string): boolean;
  /** The flag's value (the declared default when the tenant set none), or undefined. */
  flag(key: string): JsonValue | undefined;
  /** Every flag: declared defaults overlaid by the tenant's values. */
  flags(): Record<string, JsonValue>;
}

/** Counters since the instance was created. */
export interface RuntimeStats {
  hits: number;
  misses: number;
  /** hits ÷ (hits + misses), 0 before any lookup. */
  hitRate: number;
  tenantsCached: number;
  /** Tenant reads from the store. */
  loads: number;
  /** Store operations that failed. */
  failures: number;
  /** The newest change seen from the store. */
  lastChange: { tenant: string; revision: number; at: string } | null;
  /** Module hook failures (setup, activate, deactivate, teardown). */
  hookFailures: number;
}

/** How the instance is doing. */
export interface Health {
  /** `ok`; `stale`: the store fails and cached state is served; `failing`: nothing to serve. */
  status: 'ok' | 'stale' | 'failing';
  reason?: string;
  /** Since when the store has been failing. */
  since?: string;
  store: { kind: string; location: string };
}

/** Options for {@link createModreg}. */
export interface ModregOptions {
  /**
   * A modreg config (the file the CLI reads): its path, relative to `root`; `true` to find it
   * from `root` as the CLI does; or its content. Its `registry`, `store` and `historyLimit`
   * fill in the options not given here.
   */
  config?: string | true | ConfigFile;
  /**
   * The modules: a registry file written by `modreg discover` (default
   * `.modreg/registry.json` under `root`), its content, or `{ modulesDir }` to discover them
   * at start.
   */
  registry?: string | RegistryFile | { modulesDir: string; ignore?: string[]; jsonOnly?: boolean };
  /**
   * The state: a JSON store directory (default `.modreg/state` under `root`), a redis:// URL,
   * an ioredis client, or any {@link Store}.
   */
  store?: string | Store | { redis: unknown; prefix?: string };
  /** Paths are relative to this directory. @default process.cwd() at the call */
  root?: string;
  /** Changes kept per tenant by a store this instance opens. @default 100 */
  historyLimit?: number;
  /** How long a cached tenant is trusted without a change notification. @default 300000 */
  cacheTtlMs?: number;
  /** Longest a module hook may run before the module counts as failed. @default 5000 */
  hookTimeoutMs?: number;
  /** How often a failing store is retried, to catch up once it answers. @default 1000 */
  retryMs?: number;
  /** Who changes made through this instance are recorded as. @default 'modreg-runtime' */
  actor?: string;
  logger?: Logger;
  /** Module code by name, instead of importing each module's `entry` (tests, bundles). */
  modules?: Record<string, ModuleHooks>;
}

/** A change seen or made: emitted as `change`. */
export interface ChangeEvent {
  tenant: string;
  revision: number;
  modules: readonly string[];
}

/** The result of an enable / disable / flag update through the runtime. */
export interface RuntimeChange {
  tenant: string;
  changes: PlannedChange[];
  revision: number;
}
