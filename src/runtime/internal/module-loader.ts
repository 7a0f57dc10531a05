import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleRecord } from '../registry/types.js';
import { createTenantQueue } from '../stores/tenant-queue.js';
import { createRouteRecorder, type RouteRecorder } from './route-recorder.js';
import type { RuntimeRegistry } from './runtime-registry.js';
import type { Logger, ModuleHooks, ModuleStatus, TenantSnapshot } from './types.js';

/** Options for {@link createModuleLoader}. */
export interface ModuleLoaderOptions {
  registry: () => RuntimeRegistry;
  /** Module code given directly, by name; other modules import their `entry`. */
  modules?: Record<string, ModuleHooks>;
  hookTimeoutMs: number;
  logger: Logger;
  onHookFailure: () => void;
}

/** Runs module code: `setup` once per process, `activate`/`deactivate` per tenant, `teardown`. */
export interface ModuleLoader {
  /** Activates what the snapshot enables and is not loaded, deactivates what it no longer enables. */
  sync(snapshot: TenantSnapshot): Promise<void>;
  /** Deactivates everything of the tenant and forgets its failures (for a reload). */
  unload(tenant: string): Promise<void>;
  /** Every module's state for the tenant. */
  statuses(snapshot: TenantSnapshot): ModuleStatus[];
  /** One module's state for the tenant. */
  status(snapshot: TenantSnapshot, module: string): ModuleStatus;
  isLoaded(tenant: string, module: string): boolean;
  /** The router of a module (recording until an HTTP adapter follows it). */
  router(module: string): RouteRecorder;
  /** Tenants with loaded modules. */
  tenants(): string[];
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
  // The revision each tenant was last synced at: syncing it again at that revision is free.
  const syncedAt = new Map<string, number>();
  const queue = createTenantQueue();
  const { logger } = options;

  const runningOf = (name: string): Running => {
    let entry = running.get(name);
    if (entry === undefined) {
      entry = { router: createRouteRecorder() };
      running.set(name, entry);
    }
    return entry;
  };

  const hook = async (what: string, run: () => unknown): Promise<string | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(run),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`timed out after ${options.hookTimeoutMs} ms`)),
            options.hookTimeoutMs,
          );
        }),
      ]);
      return undefined;
    } catch (error) {
      const reason = `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
      options.onHookFailure();
      logger.error(reason, { error });
      return reason;
    } finally {
      clearTimeout(timer);
    }
  };

  /** Loads the module's code and runs its `setup`, once per process. */
  const prepare = (record: ModuleRecord): Promise<void> => {
    const entry = runningOf(record.name);
    entry.ready ??= (async () => {
      try {
        entry.hooks =
          options.modules?.[record.name] ?? (await importHooks(record, options.registry().root));
      } catch (error) {
        entry.failure = `loading ${record.entry} failed: ${error instanceof Error ? error.message : String(error)}`;
        options.onHookFailure();
        logger.error(`module "${record.name}": ${entry.failure}`, { error });
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

  const deactivate = async (tenant: string, name: string, flags: TenantSnapshot | undefined) => {
    const registry = options.registry();
    const record = registry.planning.modules.get(name);
    const hooks = running.get(name)?.hooks;
    if (record !== undefined && hooks?.deactivate !== undefined) {
      const context = { tenant, module: record, flags: flags?.flags() ?? {}, logger };
      await hook(`module "${name}" deactivate for tenant "${tenant}"`, () =>
        hooks.deactivate?.(context),
      );
    }
  };

  const sync = async (snapshot: TenantSnapshot) => {
    if (syncedAt.get(snapshot.tenant) === snapshot.revision) return;
    await queue.run(snapshot.tenant, async () => {
      const { tenant } = snapshot;
      if (syncedAt.get(tenant) === snapshot.revision) return;
      const registry = options.registry();
      const mine: TenantModules = tenants.get(tenant) ?? new Map();
      tenants.set(tenant, mine);
      const wanted = snapshot.modules;
      const wantedSet = new Set(wanted);
      const gone = [...mine.keys()].filter((name) => !wantedSet.has(name)).reverse();
      for (const name of gone) {
        if (mine.get(name)?.state === 'loaded') await deactivate(tenant, name, snapshot);
        mine.delete(name);
      }
      for (const name of wanted) {
        if (mine.get(name)?.state === 'loaded' || mine.get(name)?.state === 'failed') continue;
        const record = registry.planning.modules.get(name) as ModuleRecord;
        const stuck = Object.keys(record.dependencies).find(
          (dep) => mine.get(dep)?.state !== 'loaded',
        );
        if (stuck !== undefined) {
          mine.set(name, {
            state: 'blocked',
            reason: `requires "${stuck}", which ${mine.get(stuck)?.state === 'failed' ? 'failed' : 'is not loaded'}`,
          });
          continue;
        }
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
      syncedAt.set(tenant, snapshot.revision);
    });
  };

  const status = (snapshot: TenantSnapshot, module: string): ModuleStatus => {
    const blocked = options.registry().planning.blocked.get(module);
    if (blocked !== undefined) return { module, state: 'blocked', reason: blocked };
    if (!snapshot.isModuleEnabled(module)) return { module, state: 'disabled' };
    const known = tenants.get(snapshot.tenant)?.get(module);
    if (known === undefined) return { module, state: 'enabled' };
    return known.reason === undefined
      ? { module, state: known.state }
      : { module, state: known.state, reason: known.reason };
  };

  return {
    sync,
    unload: (tenant) =>
      queue.run(tenant, async () => {
        const mine = tenants.get(tenant);
        if (mine === undefined) return;
        for (const [name, { state }] of [...mine].reverse()) {
          if (state === 'loaded') await deactivate(tenant, name, undefined);
        }
        tenants.delete(tenant);
        syncedAt.delete(tenant);
        for (const entry of running.values()) {
          if (entry.failure !== undefined && entry.hooks === undefined) entry.ready = undefined;
        }
      }),
    statuses(snapshot) {
      return options.registry().names.map((module) => status(snapshot, module));
    },
    status,
    isLoaded: (tenant, module) => tenants.get(tenant)?.get(module)?.state === 'loaded',
    router: (module) => runningOf(module).router,
    tenants: () => [...tenants.keys()],
    async close() {
      await Promise.all([...tenants.keys()].map((tenant) => this.unload(tenant)));
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
}

/** A module's hooks from its entry: named exports, or an object as default export. */
async function importHooks(record: ModuleRecord, root: string): Promise<ModuleHooks> {
  if (record.entry === null) return {};
  const loaded = (await import(pathToFileURL(resolve(root, record.entry)).href)) as ModuleHooks & {
    default?: unknown;
  };
  const fallback = loaded.default;
  if (
    loaded.setup === undefined &&
    loaded.activate === undefined &&
    typeof fallback === 'object' &&
    fallback !== null
  ) {
    return fallback as ModuleHooks;
  }
  return loaded;
}
