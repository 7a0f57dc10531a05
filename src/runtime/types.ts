import type { PlannedChange } from '../planner/types.js';
import type { ModuleRecord } from '../registry/types.js';
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
  /** Register the module's routes here; the HTTP adapter mounts them under the module's prefix. */
  router: ModuleRouter;
  logger: Logger;
}

/**
 * The router a module's `setup` registers routes on. Handlers are the HTTP framework's own
 * (Express handlers for `modreg/express`); the adapter mounts them under `routes.prefix`.
 */
export interface ModuleRouter {
  get(path: string, ...handlers: unknown[]): unknown;
  post(path: string, ...handlers: unknown[]): unknown;
  put(path: string, ...handlers: unknown[]): unknown;
  patch(path: string, ...handlers: unknown[]): unknown;
  delete(path: string, ...handlers: unknown[]): unknown;
  use(...handlers: unknown[]): unknown;
}

/** A route a module registered in `setup`: a router method, its path, its handlers. */
export interface RecordedRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete' | 'use';
  args: unknown[];
}

/** The routes of one module, for HTTP adapters: those registered so far and those to come. */
export interface ModuleRoutes {
  readonly routes: readonly RecordedRoute[];
  /** Calls `listener` for every route, past and future; returns a function that stops it. */
  follow(listener: (route: RecordedRoute) => void): () => void;
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

/** One module's state for one tenant. */
export interface ModuleStatus {
  module: string;
  /**
   * `loaded`: activated for the tenant; `enabled`: on, not loaded yet; `failed`: its setup or
   * activate hook threw or timed out; `blocked`: it cannot load (a cycle, a missing or failed
   * requirement); `disabled`: off for the tenant.
   */
  state: ModuleState;
  /** Why it failed or is blocked. */
  reason?: string;
}

/** A read-only view of one tenant at one revision: every lookup on it is synchronous. */
export interface TenantSnapshot {
  readonly tenant: string;
  /** The store revision this view shows; 0 for a tenant never written. */
  readonly revision: number;
  /** Enabled modules in load order, core modules included. */
  readonly modules: readonly string[];
  isModuleEnabled(module: string): boolean;
  /**
   * The flag's value: the tenant's own, else the declared default (null for a flag declared
   * without one; `hasOwnFlag` and `Modreg.flagDeclaration` tell those apart), or undefined for
   * a key neither set nor declared. A value set before the registry changed the flag's type
   * gives way to the default. Values are frozen: every lookup shares them.
   */
  flag(key: string): JsonValue | undefined;
  /** True when the tenant itself set `key` (false when the declared default applies). */
  hasOwnFlag(key: string): boolean;
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
  /** Tenants dropped from the cache to stay within `cacheMaxTenants`. */
  evictions: number;
  /** Tenant reads from the store (one per tenant, batched or not). */
  loads: number;
  /** Store operations that failed. */
  failures: number;
  /** The newest change seen from the store. */
  lastChange: { tenant: string; revision: number; at: string } | null;
  /** Module hook failures (setup, activate, deactivate, teardown). */
  hookFailures: number;
}

/** A problem with one module, as {@link Health} lists it. */
export interface ModuleProblem {
  module: string;
  reason: string;
}

/** How the instance is doing. */
export interface Health {
  /**
   * `ok`; `degraded`: every tenant's state is current, but some modules failed or are
   * blocked; `stale`: this instance cannot guarantee the latest state (the store or its
   * change feed fails) and serves the last known one; `failing`: nothing to serve (not started,
   * or the store failed before anything was read).
   */
  status: 'ok' | 'degraded' | 'stale' | 'failing';
  /** Why it is not `ok`. */
  reason?: string;
  /** Since when it has not been `ok` (ISO time). */
  since?: string;
  store: { kind: string; location: string };
  registry: {
    /** The registry file, `modulesDir`, or `code` for registry content given in the call. */
    source: string;
    /** When this instance last loaded it (ISO time). */
    loadedAt: string | null;
    modules: number;
    /** The registry source changed but could not be loaded again: the one before is used. */
    reloadFailure?: string;
  };
  /** Modules whose code failed (setup, or activate for some tenant) or that cannot load. */
  modules: { failed: readonly ModuleProblem[]; blocked: readonly ModuleProblem[] };
}

/** A tenant's state changed, wherever the change came from: emitted as `change`. */
export interface ChangeEvent {
  tenant: string;
  revision: number;
  /** The revision held before; lower, or higher after the store was emptied or replaced. */
  previousRevision: number;
  /** Enabled modules now, in load order. */
  modules: readonly string[];
  /** Modules switched on or off by this change. */
  modulesChanged: readonly string[];
  /** Flags whose value (as a lookup answers it) differs. */
  flagsChanged: readonly string[];
}

/** The registry changed: emitted as `registry`. */
export interface RegistryEvent {
  added: readonly string[];
  removed: readonly string[];
  /** Modules whose version, dependencies, flags or routes changed. */
  changed: readonly string[];
}

/** What the instance emits, by event name. */
export interface ModregEvents {
  /** A tenant this instance holds changed, wherever the change came from. */
  change: ChangeEvent;
  /**
   * The store announced a commit, for any tenant, held here or not (the admin API's event
   * stream); the same commit may be announced more than once.
   */
  commit: { tenant: string; revision: number };
  /** The store cannot say which tenants changed (it was emptied or replaced): read again. */
  reset: { reason: string };
  registry: RegistryEvent;
  /** `health()` changed status. */
  health: Health;
}

/** The result of an enable / disable / flag update / rollback through the runtime. */
export interface RuntimeChange {
  tenant: string;
  /** In the order they apply; empty when nothing had to change. */
  changes: PlannedChange[];
  /** The tenant's revision after the change (the current one for a dry run). */
  revision: number;
  dryRun: boolean;
}
