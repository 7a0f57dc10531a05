import type { ModuleRecord } from '../../registry/types.js';
import { createTenantQueue } from '../../stores/tenant-queue.js';
import type { Logger, ModuleHooks, ModuleProblem, ModuleStatus, TenantSnapshot } from '../types.js';
import { runHook } from './hook-runner.js';
import { importHooks } from './import-hooks.js';
import { createRouteRecorder, type RouteRecorder } from './route-recorder.js';
import type { RuntimeRegistry } from './runtime-registry.js';

/** Options for {@link createModuleLoader}. */
export interface ModuleLoaderOptions {
  registry: () => RuntimeRegistry;
  /** Module code given directly, by name; other modules import their `entry`. */
  modules: ReadonlyMap<string, ModuleHooks>;
  hookTimeoutMs: number;
  logger: Logger;
  onHookFailure: () => void;
  /** The newest snapshot of a tenant: a sync always brings the tenant to it. */
  latest: (tenant: string) => TenantSnapshot | undefined;
}

/** Runs module code: `setup` once per process, `activate`/`deactivate` per tenant, `teardown`. */
export interface ModuleLoader {
  /**
   * Brings the tenant's modules to its newest snapshot (`snapshot` when none is cached):
   * activates what it enables and is not loaded, deactivates what it no longer enables.
   */
  sync(snapshot: TenantSnapshot): Promise<void>;
  /** Deactivates everything of the tenant and forgets its failures (for a reload). */
  unload(tenant: string): Promise<void>;
  /** One module's state for the tenant of `snapshot`. */
  status(snapshot: TenantSnapshot, module: string): ModuleStatus;
  isLoaded(tenant: string, module: string): boolean;
  /** True when the tenant has modules loaded (so its changes must be followed). */
  has(tenant: string): boolean;
  tenants(): IterableIterator<string>;
  /** The routes of a module (recorded until an HTTP adapter follows them). */
  routes(module: string): RouteRecorder;
  /** Modules whose code failed: at setup, or at activate for some tenant. */
  failures(): ModuleProblem[];
  /**
   * The registry changed from `previous`: removed modules are deactivated and torn down, and
   * every tenant is checked again on its next sync.
   */
  registryChanged(previous: RuntimeRegistry, removed: readonly string[]): Promise<void>;
  /** Deactivates every tenant, then tears every set-up module down (reverse load order). */
  close(): Promise<void>;
}

interface Running {
  hooks?: ModuleHooks;
  /** Set when code loading or `setup` failed. */
  failure?: string;
  ready?: Promise<void>;
  router: RouteRecorder;
}

type TenantModules = Map<string, { state: 'loaded' | 'failed' | 'blocked'; reason?: string }>;

/** Creates a loader; nothing runs until a tenant is synced. */
export function createModuleLoader(options: ModuleLoaderOptions): ModuleLoader {
  const running = new Map<string, Running>();
  const tenants = new Map<string, TenantModules>();
  // The snapshot each tenant was last synced to: syncing it to that one again is free.
  const syncedWith = new Map<string, TenantSnapshot>();
  const queue = createTenantQueue();
  const { logger } = options;
  const hook = (what: string, run: () => unknown) =>
    runHook(what, run, options.hookTimeoutMs).then((failure) => {
      if (failure !== undefined) {
        options.onHookFailure();
        logger.error(`modreg: ${failure}`);
      }
      return failure;
    });

  const runningOf = (name: string): Running => {
    let entry = running.get(name);
    if (entry === undefined) {
      entry = { router: createRouteRecorder() };
      running.set(name, entry);
    }
    return entry;
  };

  /** Loads the module's code and runs its `setup`, once per process. */
  const prepare = (record: ModuleRecord): Promise<void> => {
    const entry = runningOf(record.name);
    entry.ready ??= (async () => {
      try {
        entry.hooks =
          options.modules.get(record.name) ?? (await importHooks(record, options.registry().root));
      } catch (error) {
        entry.failure = `module "${record.name}": loading ${record.entry} failed: ${error instanceof Error ? error.message : String(error)}`;
        options.onHookFailure();
        logger.error(`modreg: ${entry.failure}`);
        return;
      }
      const setup = entry.hooks.setup;
      if (setup !== undefined) {
        entry.failure = await hook(`module "${record.name}" setup`, () =>
          setup.call(entry.hooks, { module: record, router: entry.router, logger }),
        );
      }
    })();
    return entry.ready;
  };

  const deactivate = async (
    tenant: string,
    name: string,
    snapshot?: TenantSnapshot,
    registry = options.registry(),
  ) => {
    const record = registry.planning.modules.get(name);
    const hooks = running.get(name)?.hooks;
    if (record === undefined || hooks?.deactivate === undefined) return;
    const context = { tenant, module: record, flags: snapshot?.flags() ?? {}, logger };
    await hook(`module "${name}" deactivate for tenant "${tenant}"`, () =>
      hooks.deactivate?.(context),
    );
  };

  const bringTo = async (snapshot: TenantSnapshot) => {
    const { tenant } = snapshot;
    const registry = options.registry();
    const mine: TenantModules = tenants.get(tenant) ?? new Map();
    tenants.set(tenant, mine);
    const wanted = new Set(snapshot.modules);
    for (const name of [...mine.keys()].reverse()) {
      if (wanted.has(name)) continue;
      if (mine.get(name)?.state === 'loaded') await deactivate(tenant, name, snapshot);
      mine.delete(name);
    }
    for (const name of snapshot.modules) {
      const record = registry.planning.modules.get(name) as ModuleRecord;
      const stuck = Object.keys(record.dependencies).find(
        (dep) => mine.get(dep)?.state !== 'loaded',
      );
      const known = mine.get(name);
      if (stuck !== undefined) {
        if (known?.state === 'loaded') await deactivate(tenant, name, snapshot);
        const why = mine.get(stuck)?.state === 'failed' ? 'failed' : 'is not loaded';
        mine.set(name, { state: 'blocked', reason: `requires "${stuck}", which ${why}` });
        continue;
      }
      if (known?.state === 'loaded' || known?.state === 'failed') continue;
      await prepare(record);
      const entry = runningOf(name);
      if (entry.failure !== undefined) {
        mine.set(name, { state: 'failed', reason: entry.failure });
        continue;
      }
      const activate = entry.hooks?.activate;
      const failure =
        activate === undefined
          ? undefined
          : await hook(`module "${name}" activate for tenant "${tenant}"`, () =>
              activate.call(entry.hooks, {
                tenant,
                module: record,
                flags: snapshot.flags(),
                logger,
              }),
            );
      mine.set(
        name,
        failure === undefined ? { state: 'loaded' } : { state: 'failed', reason: failure },
      );
    }
    syncedWith.set(tenant, snapshot);
  };

  const loader: ModuleLoader = {
    async sync(snapshot) {
      const { tenant } = snapshot;
      if (syncedWith.get(tenant) === (options.latest(tenant) ?? snapshot)) return;
      await queue.run(tenant, async () => {
        const target = options.latest(tenant) ?? snapshot;
        if (syncedWith.get(tenant) !== target) await bringTo(target);
      });
    },
    unload: (tenant) =>
      queue.run(tenant, async () => {
        const mine = tenants.get(tenant);
        if (mine === undefined) return;
        for (const [name, { state }] of [...mine].reverse()) {
          if (state === 'loaded') await deactivate(tenant, name);
        }
        tenants.delete(tenant);
        syncedWith.delete(tenant);
        for (const entry of running.values()) {
          if (entry.failure !== undefined && entry.hooks === undefined) entry.ready = undefined;
        }
      }),
    status(snapshot, module) {
      const blocked = options.registry().planning.blocked.get(module);
      if (blocked !== undefined) return { module, state: 'blocked', reason: blocked };
      if (!snapshot.isModuleEnabled(module)) return { module, state: 'disabled' };
      const known = tenants.get(snapshot.tenant)?.get(module);
      if (known === undefined) return { module, state: 'enabled' };
      return known.reason === undefined
        ? { module, state: known.state }
        : { module, state: known.state, reason: known.reason };
    },
    isLoaded: (tenant, module) => tenants.get(tenant)?.get(module)?.state === 'loaded',
    has: (tenant) => tenants.has(tenant),
    tenants: () => tenants.keys(),
    routes: (module) => runningOf(module).router,
    failures() {
      const failed = new Map<string, string>();
      for (const [name, entry] of running) if (entry.failure) failed.set(name, entry.failure);
      for (const mine of tenants.values()) {
        for (const [name, { state, reason }] of mine) {
          if (state === 'failed' && !failed.has(name)) failed.set(name, reason ?? 'failed');
        }
      }
      return [...failed].map(([module, reason]) => ({ module, reason }));
    },
    async registryChanged(previous, removed) {
      const gone = new Set(removed);
      await Promise.all(
        [...tenants.keys()].map((tenant) =>
          queue.run(tenant, async () => {
            const mine = tenants.get(tenant);
            for (const name of [...(mine?.keys() ?? [])].reverse()) {
              if (!gone.has(name)) continue;
              if (mine?.get(name)?.state === 'loaded') {
                await deactivate(tenant, name, undefined, previous);
              }
              mine?.delete(name);
            }
            syncedWith.delete(tenant);
          }),
        ),
      );
      for (const name of removed) {
        const entry = running.get(name);
        const teardown = entry?.hooks?.teardown;
        if (entry?.failure === undefined && teardown !== undefined) {
          await hook(`module "${name}" teardown`, () => teardown.call(entry?.hooks));
        }
        running.delete(name);
      }
    },
    async close() {
      await Promise.all([...tenants.keys()].map((tenant) => loader.unload(tenant)));
      const order = options.registry().names;
      for (const name of [...order].reverse()) {
        const entry = running.get(name);
        const teardown = entry?.hooks?.teardown;
        if (entry?.failure === undefined && teardown !== undefined) {
          await hook(`module "${name}" teardown`, () => teardown.call(entry?.hooks));
        }
      }
      running.clear();
    },
  };
  return loader;
}
