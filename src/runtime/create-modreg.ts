import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { createLazyAdminHandler } from '../admin/lazy-handler.js';
import { ModregError } from '../errors.js';
import type { Store } from '../stores/types.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import { changeEvent } from './internal/change-event.js';
import { createChanges } from './internal/changes.js';
import { withDeadline } from './internal/deadline.js';
import { composeHealth } from './internal/health.js';
import { createLiveRegistry, type LiveRegistry } from './internal/live-registry.js';
import { createModuleLoader } from './internal/module-loader.js';
import { resolveStore, withConfig } from './internal/runtime-options.js';
import { type RuntimeRegistry, resolveRegistrySource } from './internal/runtime-registry.js';
import { createStarter } from './internal/starter.js';
import { createStateSync, type StateSync } from './internal/state-sync.js';
import { createLegacyNames } from './legacy-names.js';
import type { Modreg, RegistryInfo } from './modreg.js';
import type { ModregOptions } from './options.js';
import type { Health, Logger, ModregEvents, ModuleStatus, TenantSnapshot } from './types.js';

/**
 * A modreg runtime for one server process: reads the registry and the store, answers which
 * modules and flags each tenant has (through a cache the store's change feed keeps current),
 * runs module code per tenant, and changes state through the same planner as the CLI. It
 * starts at once; `ready()` resolves when the registry is loaded and the store answers. A start
 * that fails for a reason that may pass (the store unreachable, no registry file yet) is
 * retried every `retryMs`. Close it with `close()`.
 */
export function createModreg(options: ModregOptions = {}): Modreg {
  const root = options.root ?? resolve('.');
  const logger = resolveLogger(options.logger);
  const storeTimeoutMs = options.storeTimeoutMs ?? 2000;
  const retryMs = options.retryMs ?? 1000;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const code = new Map(Object.entries(options.modules ?? {}));
  let live: LiveRegistry | undefined;
  let store: Store | undefined;
  let ownsStore = false;
  let sync: StateSync | undefined;
  let subscribed = false;
  let hookFailures = 0;
  let lastHealth = '';
  const createdAt = new Date().toISOString();

  const registry = (): RuntimeRegistry => {
    if (live === undefined) {
      throw new ModregError('usage', 'modreg is not ready yet: await modreg.ready() first.');
    }
    return live.current();
  };
  const emit = <E extends keyof ModregEvents>(event: E, payload: ModregEvents[E]) => {
    try {
      events.emit(event, payload);
    } catch (error) {
      logger.error(`modreg: a "${event}" listener threw: ${(error as Error)?.message ?? error}`);
    }
  };
  const healthChanged = () => {
    const now = health();
    const key = `${now.status} ${now.reason ?? ''}`;
    if (key === lastHealth) return;
    lastHealth = key;
    emit('health', now);
  };
  const deadline = <T>(call: Promise<T>, doing: string): Promise<T> =>
    withDeadline(call, storeTimeoutMs, `${store?.kind} store ${store?.location}`, doing);

  const loader = createModuleLoader({
    registry,
    modules: code,
    hookTimeoutMs: options.hookTimeoutMs ?? 5000,
    logger,
    onHookFailure: () => {
      hookFailures++;
      healthChanged();
    },
    latest: (tenant) => sync?.peek(tenant),
  });

  const startOnce = async () => {
    const settings = await withConfig(options, root);
    live ??= await createLiveRegistry({
      source: resolveRegistrySource(settings.registry, root),
      root,
      pollMs: options.registryPollMs ?? 1000,
      logger,
      onReplaced: async (previous, event) => {
        await loader.registryChanged(previous, event.removed);
        await sync?.rebuild().catch(() => undefined);
        emit('registry', event);
        healthChanged();
      },
      onReloadFailure: healthChanged,
    });
    if (store === undefined) ({ store, owned: ownsStore } = await resolveStore(settings, root));
    const opened = store;
    sync ??= createStateSync({
      store: opened,
      registry,
      cacheTtlMs: options.cacheTtlMs ?? 300_000,
      ...(options.cacheMaxTenants === undefined
        ? {}
        : { cacheMaxTenants: options.cacheMaxTenants }),
      storeTimeoutMs,
      retryMs,
      logger,
      tracked: () => loader.tenants(),
      isTracked: (tenant) => loader.has(tenant),
      onChange: (snapshot, previous) => {
        if (previous !== undefined) emit('change', changeEvent(previous, snapshot));
        if (loader.has(snapshot.tenant)) {
          void loader.sync(snapshot).catch((error: unknown) => {
            logger.error(`modreg: loading the modules of "${snapshot.tenant}" failed: ${error}`);
          });
        }
      },
      onStoreHealth: healthChanged,
      onCommit: (event) => emit('commit', event),
      onReset: (reason) => emit('reset', { reason }),
    });
    if (!subscribed) {
      await sync.start();
      subscribed = true;
    }
    await deadline(opened.list({ limit: 1 }), 'listing tenants');
  };
  const starter = createStarter({ attempt: startOnce, retryMs, logger, onChange: healthChanged });
  const { ready } = starter;
  const running = async () => {
    if (!starter.started) await ready();
    return { store: store as Store, sync: sync as StateSync };
  };
  const snapshot = async (tenant: string): Promise<TenantSnapshot> => {
    validateTenantId(tenant);
    return (starter.started ? (sync as StateSync) : (await running()).sync).snapshot(tenant);
  };
  const statuses = (view: TenantSnapshot): ModuleStatus[] =>
    registry().names.map((module) => loader.status(view, module));
  const loadModulesForTenant = async (tenant: string) => {
    const view = await snapshot(tenant);
    await loader.sync(view);
    return statuses(sync?.peek(tenant) ?? view);
  };
  const registryInfo = (): RegistryInfo => {
    const current = registry();
    return {
      order: current.planning.order,
      blocked: [...current.planning.blocked].map(([module, reason]) => ({ module, reason })),
      problems: current.problems,
      source: current.source,
      loadedAt: live?.loadedAt() ?? '',
    };
  };
  const health = (): Health =>
    composeHealth({
      store: { kind: store?.kind ?? 'unknown', location: store?.location ?? '' },
      ...(starter.started
        ? {}
        : { starting: starter.problem ?? { reason: 'starting', since: createdAt } }),
      ...(sync?.watch.problem() === undefined ? {} : { storeProblem: sync.watch.problem() }),
      storeFailing: sync?.watch.failing ?? false,
      tenantsCached: sync?.stats(0).tenantsCached ?? 0,
      registry: {
        source: live?.current().source ?? '',
        loadedAt: live?.loadedAt() ?? null,
        modules: live?.current().names.length ?? 0,
        ...(live?.reloadFailure() === undefined ? {} : { reloadFailure: live.reloadFailure() }),
      },
      failed: live === undefined ? [] : loader.failures(),
      blocked: live === undefined ? [] : registryInfo().blocked,
    });

  const modreg: Omit<Modreg, 'legacy'> = {
    ready,
    async synced() {
      await (await running()).sync.syncAll();
    },
    isReady: () => starter.started,
    snapshot,
    peek: (tenant) => sync?.peek(tenant),
    isModuleEnabled: async (tenant, module) => (await snapshot(tenant)).isModuleEnabled(module),
    isFeatureEnabled: async (tenant, key) => Boolean((await snapshot(tenant)).flag(key)),
    getFlags: async (tenant) => (await snapshot(tenant)).flags(),
    state: async (tenant) => {
      validateTenantId(tenant);
      const { store: state } = await running();
      return deadline(state.read(tenant), `reading tenant "${tenant}"`);
    },
    states: async (tenants) => {
      for (const tenant of tenants) validateTenantId(tenant);
      const { store: state } = await running();
      return deadline(state.readMany(tenants), `reading ${tenants.length} tenants`);
    },
    tenants: async (page) => deadline((await running()).store.list(page), 'listing tenants'),
    history: async (tenant, { limit = 20 } = {}) => {
      validateTenantId(tenant);
      const { store: state } = await running();
      return deadline(state.history(tenant, { limit }), `reading the history of "${tenant}"`);
    },
    ...createChanges({
      started: running,
      registry,
      actor: options.actor ?? 'modreg-runtime',
      deadline,
    }),
    loadModulesForTenant,
    moduleStatuses: async (tenant) => statuses(await snapshot(tenant)),
    async moduleStatus(tenant, module) {
      const view = await snapshot(tenant);
      if (!registry().index.has(module)) {
        return { module, state: 'disabled', reason: `there is no module "${module}"` };
      }
      if (!view.isModuleEnabled(module)) return loader.status(view, module);
      await loader.sync(view);
      return loader.status(sync?.peek(tenant) ?? view, module);
    },
    async reloadModulesForTenant(tenant) {
      validateTenantId(tenant);
      await loader.unload(tenant);
      sync?.invalidate(tenant);
      return loadModulesForTenant(tenant);
    },
    moduleRoutes: (module) => loader.routes(module),
    modules: () => {
      if (live === undefined) return [];
      const { names, planning } = live.current();
      return names.flatMap((name) => planning.modules.get(name) ?? []);
    },
    module: (name) => live?.current().planning.modules.get(name),
    registryInfo,
    flagDeclaration: (key) => live?.current().planning.flags.get(key),
    async register(config, hooks = {}) {
      await ready();
      const before = code.get(config.name);
      code.set(config.name, hooks);
      try {
        return await (live as LiveRegistry).register(config);
      } catch (error) {
        if (before === undefined) code.delete(config.name);
        else code.set(config.name, before);
        throw error;
      }
    },
    async reloadRegistry() {
      await ready();
      await (live as LiveRegistry).reload();
      const failure = live?.reloadFailure();
      if (failure !== undefined) throw new ModregError('environment', failure);
      return registryInfo();
    },
    stats: () =>
      sync?.stats(hookFailures) ?? {
        hits: 0,
        misses: 0,
        hitRate: 0,
        tenantsCached: 0,
        evictions: 0,
        loads: 0,
        failures: 0,
        lastChange: null,
        hookFailures,
      },
    health,
    on: (event, listener) => void events.on(event, listener),
    off: (event, listener) => void events.off(event, listener),
    invalidate: (tenant) => sync?.invalidate(tenant),
    invalidateAll: () => sync?.invalidateAll(),
    admin: (adminOptions) => createLazyAdminHandler(modreg as Modreg, adminOptions),
    async close() {
      await starter.stop();
      live?.close();
      await sync?.stop();
      if (live !== undefined) await loader.close();
      if (ownsStore) await store?.close();
      events.removeAllListeners();
    },
  };
  return Object.assign(modreg, { legacy: createLegacyNames(modreg, loader.isLoaded) });
}

/** The logger the options ask for: theirs, none, or warnings and errors on the console. */
function resolveLogger(given: Logger | false | undefined): Logger {
  if (given === false) return { info() {}, warn() {}, error() {} };
  if (given !== undefined) return given;
  return {
    info() {},
    warn: (message) => console.warn(message),
    error: (message) => console.error(message),
  };
}
