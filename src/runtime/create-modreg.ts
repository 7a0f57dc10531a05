import { resolve } from 'node:path';
import { ModregError } from '../errors.js';
import {
  planDisable,
  planEnable,
  planFlags,
  plannedUpdate,
  validateTenantId,
} from '../planner/index.js';
import type { Plan } from '../planner/types.js';
import { toModuleRecord } from '../registry/normalize.js';
import { createModuleConfigValidator } from '../registry/schema-validator.js';
import type { ModuleConfig, ModuleRecord } from '../registry/types.js';
import { tenantPages } from '../stores/pages.js';
import type { Store } from '../stores/types.js';
import type { JsonValue, TenantState } from '../tenant/types.js';
import { createExpressMiddleware, type ExpressAdapterOptions } from './adapters/express.js';
import { createModuleLoader } from './module-loader.js';
import { resolveStore, withConfig } from './runtime-options.js';
import { loadRuntimeRegistry, type RuntimeRegistry, withModule } from './runtime-registry.js';
import { createStateSync, type StateSync } from './state-sync.js';
import type {
  ChangeEvent,
  Logger,
  ModregOptions,
  ModuleHooks,
  ModuleStatus,
  RuntimeChange,
  TenantSnapshot,
} from './types.js';

/** What {@link createModreg} returns; see the README's runtime section for the whole surface. */
export type Modreg = ReturnType<typeof createModreg>;

const silent: Logger = { info() {}, warn() {}, error() {} };

/**
 * A modreg runtime for one server process: reads the registry and the store, answers which
 * modules and flags each tenant has (through a cache kept current by the store's change
 * notifications), runs module code per tenant, and changes state through the same planner
 * as the CLI. Starts at once; `ready()` resolves when the registry is loaded and the store
 * answers. Close it with `close()`.
 */
export function createModreg(options: ModregOptions = {}) {
  const root = options.root ?? resolve('.');
  const logger = options.logger ?? silent;
  const actor = options.actor ?? 'modreg-runtime';
  let registry: RuntimeRegistry | undefined;
  let store: Store | undefined;
  let sync: StateSync | undefined;
  let ownsStore = false;
  let initialized = false;
  const getRegistry = () => registry as RuntimeRegistry;
  // Module code given in code, by name: options.modules, and what register() adds.
  const code: Record<string, ModuleHooks> = { ...options.modules };
  const loader = createModuleLoader({
    registry: getRegistry,
    modules: code,
    hookTimeoutMs: options.hookTimeoutMs ?? 5000,
    logger,
    onHookFailure: () => sync?.hookFailed(),
  });

  const starting = (async () => {
    const settings = await withConfig(options, root);
    registry = await loadRuntimeRegistry(settings, root);
    const opened = await resolveStore(settings, root);
    store = opened.store;
    ownsStore = opened.owned;
    sync = createStateSync({
      store,
      registry: getRegistry,
      cacheTtlMs: options.cacheTtlMs ?? 300_000,
      retryMs: options.retryMs ?? 1000,
      logger,
      tracks: (tenant) => loader.tenants().includes(tenant),
      onSnapshot: async (snapshot) => {
        if (loader.tenants().includes(snapshot.tenant)) await loader.sync(snapshot);
      },
    });
    await store.read('modreg-health-probe');
    await sync.start();
    initialized = true;
  })();
  // A failed start is reported by every call that awaits it, not as an unhandled rejection.
  starting.catch(() => undefined);

  const ready = async () => {
    await starting;
    return { store: store as Store, sync: sync as StateSync, registry: getRegistry() };
  };
  const snapshot = async (tenant: string): Promise<TenantSnapshot> => {
    validateTenantId(tenant);
    return (await ready()).sync.snapshot(tenant);
  };
  const change = async (
    tenant: string,
    plan: (current: TenantState) => Plan,
    who?: string,
  ): Promise<RuntimeChange> => {
    validateTenantId(tenant);
    const { store: state, sync: current } = await ready();
    const update = plannedUpdate(who ?? actor, plan);
    const result = await state.update(tenant, update.request);
    await current.accept(result.state);
    return { tenant, changes: update.plan()?.changes ?? [], revision: result.state.revision };
  };
  const loadModulesForTenant = async (tenant: string): Promise<ModuleStatus[]> => {
    const view = await snapshot(tenant);
    await loader.sync(view);
    return loader.statuses(view);
  };
  const enable = (
    tenant: string,
    modules: string[],
    opts: { withDeps?: boolean; actor?: string } = {},
  ) =>
    change(
      tenant,
      (now) =>
        planEnable(getRegistry().planning, now, modules, { withDeps: opts.withDeps === true }),
      opts.actor,
    );
  const disable = (
    tenant: string,
    modules: string[],
    opts: { cascade?: boolean; actor?: string } = {},
  ) =>
    change(
      tenant,
      (now) =>
        planDisable(getRegistry().planning, now, modules, { cascade: opts.cascade === true }),
      opts.actor,
    );
  const updateFlags = (
    tenant: string,
    changes: { set?: Record<string, JsonValue>; unset?: string[] },
    opts: { strict?: boolean; actor?: string } = {},
  ) =>
    change(
      tenant,
      (now) => planFlags(getRegistry().planning, now, changes, { strict: opts.strict === true }),
      opts.actor,
    );
  const isModuleEnabled = async (tenant: string, module: string) =>
    (await snapshot(tenant)).isModuleEnabled(module);
  const isFeatureEnabled = async (tenant: string, key: string) =>
    Boolean((await snapshot(tenant)).flag(key));
  const getFlags = async (tenant: string) => (await snapshot(tenant)).flags();
  const invalidateCache = (tenant: string) => sync?.cache.delete(tenant);
  const clearAllCache = () => sync?.cache.clear();
  const getStats = () => (sync === undefined ? undefined : sync.stats());
  const reloadModulesForTenant = async (tenant: string) => {
    await loader.unload(tenant);
    invalidateCache(tenant);
    return loadModulesForTenant(tenant);
  };

  const instance = {
    ready: async () => void (await ready()),
    initialize: async () => void (await ready()),
    isInitialized: () => initialized,
    /** Reads every tenant into the cache once: the first full sync. */
    async synced() {
      const { store: state, sync: current } = await ready();
      for await (const tenants of tenantPages(state)) {
        for (const tenant of tenants) await current.refresh(tenant);
      }
    },
    snapshot,
    /** The cached snapshot, fresh or not, without touching the store; undefined when not cached. */
    peek: (tenant: string) => sync?.cache.last(tenant),
    isModuleEnabled,
    isFeatureEnabled,
    getFlags,
    enable,
    disable,
    updateFlags,
    loadModulesForTenant,
    getModulesForTenant: async (tenant: string) => loader.statuses(await snapshot(tenant)),
    isModuleLoadedForTenant: (tenant: string, module: string) => loader.isLoaded(tenant, module),
    invalidateCache,
    clearAllCache,
    getStats,
    /** An alias of getStats(). */
    stats: getStats,
    health: () =>
      sync?.health() ?? {
        status: 'failing' as const,
        reason: 'not started yet',
        store: { kind: 'unknown', location: '' },
      },
    /** Registry problems and blocked modules: why a module would not load. */
    validateModuleDependencies: () => {
      const { planning, problems } = getRegistry();
      return {
        problems,
        blocked: [...planning.blocked].map(([module, reason]) => ({ module, reason })),
      };
    },
    on: (event: 'change', listener: (change: ChangeEvent) => void) =>
      void sync?.events.on(event, listener),
    off: (event: 'change', listener: (change: ChangeEvent) => void) =>
      void sync?.events.off(event, listener),
    /** For adapters: the module owning a route prefix, and its router. */
    internals: { loader, registry: getRegistry },
    registry: {
      initialize: async () => void (await ready()),
      /** Loads the registry again (the registry file, or a new scan), and drops cached snapshots. */
      async discoverModules() {
        await ready();
        registry = await loadRuntimeRegistry(await withConfig(options, root), root);
        sync?.cache.clear();
        return [...registry.planning.modules.values()];
      },
      /**
       * Adds (or replaces) a module given in code — its config and hooks — and orders the
       * registry again; cached snapshots are dropped. Its dependencies must already be there.
       */
      async register(config: ModuleConfig, hooks: ModuleHooks = {}): Promise<ModuleRecord> {
        await ready();
        const issues = createModuleConfigValidator().validate(config);
        if (issues.length > 0) {
          const list = issues
            .map((issue) => `${issue.pointer || '/'}: ${issue.message}`)
            .join('; ');
          throw new ModregError(
            'invalid',
            `Cannot register module "${String(config.name)}": ${list}`,
          );
        }
        const record = toModuleRecord(
          { ...config },
          `modules/${config.name}`,
          `modules/${config.name}/module.config.json`,
        );
        code[record.name] = hooks;
        registry = withModule(getRegistry(), record);
        sync?.cache.clear();
        return record;
      },
      get: (name: string): ModuleRecord | undefined => registry?.planning.modules.get(name),
      list: (): ModuleRecord[] => [...(registry?.planning.modules.values() ?? [])],
    },
    loader: {
      loadModulesForTenant,
      enableModuleForTenant: (tenant: string, module: string, opts?: { withDeps?: boolean }) =>
        enable(tenant, [module], opts),
      disableModuleForTenant: (tenant: string, module: string, opts?: { cascade?: boolean }) =>
        disable(tenant, [module], opts),
      reloadModulesForTenant,
      isModuleLoadedForTenant: (tenant: string, module: string) => loader.isLoaded(tenant, module),
      getModulesForTenant: async (tenant: string) => loader.statuses(await snapshot(tenant)),
    },
    flags: {
      getFeatureFlags: getFlags,
      isFeatureEnabled,
      isModuleEnabled,
      updateFeatureFlags: (
        tenant: string,
        set: Record<string, JsonValue>,
        opts?: { strict?: boolean },
      ) => updateFlags(tenant, { set }, opts),
      invalidateCache,
      clearAllCache,
    },
    /** Express 5 middleware serving each module's routes under its prefix (see the adapter). */
    express: (adapter: ExpressAdapterOptions) => createExpressMiddleware(instance, adapter),
    async close() {
      await starting.catch(() => undefined);
      await sync?.stop();
      if (registry !== undefined) await loader.close();
      if (ownsStore) await store?.close();
    },
  };
  return instance;
}
