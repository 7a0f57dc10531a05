import type { AdminHandler, AdminOptions } from '../admin/types.js';
import type { FlagChanges } from '../planner/flags.js';
import type { FlagDeclaration, ModuleConfig, ModuleRecord, Problem } from '../registry/types.js';
import type { ListOptions, TenantPage } from '../stores/types.js';
import type { HistoryEntry, JsonValue, TenantState } from '../tenant/types.js';
import type { ReplacedSystemNames } from './legacy-names.js';
import type {
  Health,
  ModregEvents,
  ModuleHooks,
  ModuleRoutes,
  ModuleStatus,
  RuntimeChange,
  RuntimeStats,
  TenantSnapshot,
} from './types.js';

/** Starting, syncing and stopping the instance. */
export interface ModregLifecycle {
  /** Resolves once the registry is loaded and the store answers; rejects with why not. */
  ready(): Promise<void>;
  /**
   * The first full sync: every tenant of the store read into the cache (at most
   * `cacheMaxTenants` of them), in pipelined batches.
   */
  synced(): Promise<void>;
  /** True once `ready()` has resolved. */
  isReady(): boolean;
  /** Deactivates every tenant's modules, tears them down, and closes what it opened. */
  close(): Promise<void>;
}

/** Reading one tenant's state: what a request handler asks. */
export interface TenantLookups {
  /**
   * The tenant's snapshot: the cached one (also while the store fails: stale-on-error), or
   * read from the store. Rejects with an `environment` error when the store fails and the
   * tenant was never seen, an `invalid` one for a bad tenant id.
   */
  snapshot(tenant: string): Promise<TenantSnapshot>;
  /**
   * The cached snapshot, synchronously, without touching the store; undefined when not
   * cached. It counts as a use of the tenant (it is kept in a bounded cache), and one past
   * `cacheTtlMs` is read again in the background.
   */
  peek(tenant: string): TenantSnapshot | undefined;
  /** `(await snapshot(tenant)).isModuleEnabled(module)`. */
  isModuleEnabled(tenant: string, module: string): Promise<boolean>;
  /** True when the flag's value (the tenant's, else the declared default) is truthy. */
  isFeatureEnabled(tenant: string, key: string): Promise<boolean>;
  /** Every flag of the tenant: declared defaults overlaid by the tenant's values. */
  getFlags(tenant: string): Promise<Record<string, JsonValue>>;
  /**
   * The tenant's state as the store holds it now — the modules as stored (also those that no
   * longer load), its own flag values, revision and time of change — read past the cache,
   * within the store deadline: what `status` and the admin API show.
   */
  state(tenant: string): Promise<TenantState>;
  /** {@link TenantLookups.state} of several tenants, in one store round trip where it can. */
  states(tenants: readonly string[]): Promise<TenantState[]>;
  /** One page of the store's tenants, in the store's order. */
  tenants(options?: ListOptions): Promise<TenantPage>;
  /** The tenant's latest changes, newest first. @default limit 20 */
  history(tenant: string, options?: { limit?: number }): Promise<HistoryEntry[]>;
}

/** What every change takes. */
export interface ChangeOptions {
  /** Recorded in the history. @default the instance's `actor` */
  actor?: string;
  /** Plan only: say what would change, write nothing. @default false */
  dryRun?: boolean;
  /** Refuse (a `conflict` error) unless the tenant is still at this revision. */
  expectedRevision?: number;
}

/** Options of {@link TenantChanges.enable}. */
export interface EnableChangeOptions extends ChangeOptions {
  /** Enable missing required dependencies too, in load order. @default false */
  withDeps?: boolean;
}

/** Options of {@link TenantChanges.disable}. */
export interface DisableChangeOptions extends ChangeOptions {
  /** Disable the enabled modules that require these too, dependents first. @default false */
  cascade?: boolean;
}

/** Options of {@link TenantChanges.updateFlags}. */
export interface FlagChangeOptions extends ChangeOptions {
  /** Refuse flags no module declares. @default false */
  strict?: boolean;
}

/**
 * Changing one tenant's state, through the same planner as the CLI: a refusal is a
 * `refused` ModregError naming the dependency paths, and nothing is written.
 */
export interface TenantChanges {
  /** Switches modules on (one name or several); required dependencies must be on, or `withDeps`. */
  enable(
    tenant: string,
    modules: string | readonly string[],
    options?: EnableChangeOptions,
  ): Promise<RuntimeChange>;
  /** Switches modules off; refused while an enabled module requires them, unless `cascade`. */
  disable(
    tenant: string,
    modules: string | readonly string[],
    options?: DisableChangeOptions,
  ): Promise<RuntimeChange>;
  /**
   * Sets and unsets flags: `{ set: { 'billing.currency': 'USD' }, unset: ['billing.beta'] }`.
   * A declared flag takes only values of its type; an unknown key in `changes` is refused.
   */
  updateFlags(
    tenant: string,
    changes: FlagChanges,
    options?: FlagChangeOptions,
  ): Promise<RuntimeChange>;
  /** Restores the settings the tenant had after `revision` (0: nothing enabled), as a new revision. */
  rollback(tenant: string, revision: number, options?: ChangeOptions): Promise<RuntimeChange>;
}

/** Running module code per tenant, and what HTTP adapters need of it. */
export interface ModuleRuntime {
  /** Runs the hooks the tenant's modules need (setup, activate) and says where each stands. */
  loadModulesForTenant(tenant: string): Promise<ModuleStatus[]>;
  /** Every module's state for the tenant, without running any hook. */
  moduleStatuses(tenant: string): Promise<ModuleStatus[]>;
  /**
   * One module's state for the tenant, its modules loaded first as needed: what an adapter
   * asks per request (`loaded` → serve; `disabled` → 403; `failed`/`blocked` → 503).
   */
  moduleStatus(tenant: string, module: string): Promise<ModuleStatus>;
  /** Deactivates the tenant's modules, forgets their failures, and loads them again. */
  reloadModulesForTenant(tenant: string): Promise<ModuleStatus[]>;
  /** The routes the module's `setup` registers, for an HTTP adapter to mount. */
  moduleRoutes(module: string): ModuleRoutes;
}

/** What the registry holds now, as {@link RegistryAccess.registryInfo} reports it. */
export interface RegistryInfo {
  /** Loadable modules in load order. */
  order: readonly string[];
  /** Modules that cannot load, with the reason. */
  blocked: readonly { module: string; reason: string }[];
  /** Config problems found when the modules were discovered (none from a registry file). */
  problems: readonly Problem[];
  /** The registry file, the modules directory, or `code`. */
  source: string;
  /** When this instance loaded it (ISO time). */
  loadedAt: string;
}

/** The modules this instance knows. */
export interface RegistryAccess {
  /** Every module, in load order, blocked ones last. */
  modules(): readonly ModuleRecord[];
  /** One module by name. */
  module(name: string): ModuleRecord | undefined;
  /** Load order, blocked modules and config problems. */
  registryInfo(): RegistryInfo;
  /** A declared flag: its declaration and the module declaring it; undefined when undeclared. */
  flagDeclaration(key: string): { module: string; declaration: FlagDeclaration } | undefined;
  /** Adds (or replaces) a module given in code — its config and hooks — and orders again. */
  register(config: ModuleConfig, hooks?: ModuleHooks): Promise<ModuleRecord>;
  /** Loads the registry again (the registry file, or a new scan) now, without waiting for the watch. */
  reloadRegistry(): Promise<RegistryInfo>;
}

/** Watching the instance. */
export interface Observability {
  stats(): RuntimeStats;
  health(): Health;
  /** Listens to `change` (a tenant held here changed), `commit` (any tenant), `reset`, `registry` or `health`. */
  on<E extends keyof ModregEvents>(event: E, listener: (payload: ModregEvents[E]) => void): void;
  off<E extends keyof ModregEvents>(event: E, listener: (payload: ModregEvents[E]) => void): void;
  /** Drops one tenant from the cache: the next lookup reads it again. */
  invalidate(tenant: string): void;
  /** Drops every tenant from the cache. */
  invalidateAll(): void;
}

/** The admin server on this instance, to mount in the host's own HTTP server. */
export interface AdminServer {
  /**
   * The admin API and console as a node:http handler (`app.use('/admin', modreg.admin({
   * authorize }))`), its code loaded on the first request. Needs `authorize` or `tokens`.
   */
  admin(options: AdminOptions): AdminHandler;
}

/**
 * A modreg runtime for one server process, made by `createModreg`. Each operation has one
 * name here; the names of the system modreg replaces are under `legacy`.
 */
export interface Modreg
  extends ModregLifecycle,
    TenantLookups,
    TenantChanges,
    ModuleRuntime,
    RegistryAccess,
    Observability,
    AdminServer {
  /** The operations under the names of the system modreg replaces (see ReplacedSystemNames). */
  readonly legacy: ReplacedSystemNames;
}
