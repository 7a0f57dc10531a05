import { EventEmitter } from 'node:events';
import { ModregError } from '../errors.js';
import type { Store, Unsubscribe } from '../stores/types.js';
import type { TenantState } from '../tenant/types.js';
import type { RuntimeRegistry } from './runtime-registry.js';
import { createSnapshot } from './snapshot.js';
import { createTenantCache, type TenantCache } from './tenant-cache.js';
import type { ChangeEvent, Health, Logger, RuntimeStats, TenantSnapshot } from './types.js';

/** Options for {@link createStateSync}. */
export interface StateSyncOptions {
  store: Store;
  registry: () => RuntimeRegistry;
  cacheTtlMs: number;
  retryMs: number;
  logger: Logger;
  /** Called with each snapshot read that is new for its tenant or newer than the cached one. */
  onSnapshot: (snapshot: TenantSnapshot) => Promise<void>;
  /** True for tenants to keep up to date even when not cached (their modules are loaded). */
  tracks: (tenant: string) => boolean;
}

/**
 * Keeps tenant snapshots in step with the store: a cache with a TTL as a safety net, change
 * notifications as the main path, the last known state served while the store fails, and a
 * catch-up of every cached tenant once it answers again (notifications sent meanwhile are lost).
 */
export interface StateSync {
  readonly cache: TenantCache;
  readonly events: EventEmitter;
  /** Subscribes to the store's changes. */
  start(): Promise<void>;
  /** The tenant's snapshot: cached, or read; the last known one while the store fails. */
  snapshot(tenant: string): Promise<TenantSnapshot>;
  /** Reads the tenant now and caches the result if it is newer. */
  refresh(tenant: string): Promise<TenantSnapshot>;
  /** Caches a state the store just committed (no second read), if it is newer. */
  accept(state: TenantState): Promise<TenantSnapshot>;
  stats(): RuntimeStats;
  health(): Health;
  /** Counts a module hook failure in the stats. */
  hookFailed(): void;
  stop(): Promise<void>;
}

/** Creates the sync; nothing happens until `start`. */
export function createStateSync(options: StateSyncOptions): StateSync {
  const { store, logger } = options;
  const cache = createTenantCache(options.cacheTtlMs);
  const events = new EventEmitter();
  const inflight = new Map<string, Promise<TenantSnapshot>>();
  let loads = 0;
  let failures = 0;
  let hookFailures = 0;
  let lastChange: RuntimeStats['lastChange'] = null;
  let failing: { since: string; reason: string } | undefined;
  // Notifications broke off: cached snapshots may be behind until they resume.
  let paused: { since: string; reason: string } | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let unsubscribe: Unsubscribe | undefined;
  let stopped = false;

  const fail = (error: unknown) => {
    failures++;
    const reason = error instanceof Error ? error.message : String(error);
    if (failing === undefined) {
      failing = { since: new Date().toISOString(), reason };
      logger.warn(`modreg: the store failed; serving the last known state (${reason})`);
      scheduleRetry();
    } else failing.reason = reason;
  };

  const catchUp = () => {
    for (const tenant of cache.tenants()) void refresh(tenant).catch(() => undefined);
  };

  const recovered = () => {
    if (failing === undefined) return;
    failing = undefined;
    logger.info('modreg: the store answers again; catching up');
    catchUp();
  };

  const scheduleRetry = () => {
    if (stopped || retryTimer !== undefined) return;
    retryTimer = setTimeout(async () => {
      retryTimer = undefined;
      const probe = cache.tenants()[0] ?? 'modreg-health-probe';
      try {
        await store.read(probe);
        recovered();
      } catch (error) {
        fail(error);
        scheduleRetry();
      }
    }, options.retryMs);
    retryTimer.unref();
  };

  const read = async (tenant: string): Promise<TenantSnapshot> => {
    loads++;
    const state = await store.read(tenant);
    recovered();
    return accept(state);
  };

  /** Caches a state the store gave, telling listeners and the loader when it is newer. */
  const accept = async (state: TenantState): Promise<TenantSnapshot> => {
    const { tenant } = state;
    const previous = cache.last(tenant);
    const snapshot = cache.put(createSnapshot(options.registry(), state), Date.now());
    if (previous === undefined || snapshot.revision > previous.revision) {
      if (previous !== undefined) {
        const event: ChangeEvent = {
          tenant,
          revision: snapshot.revision,
          modules: snapshot.modules,
        };
        events.emit('change', event);
      }
      await options.onSnapshot(snapshot);
    }
    return snapshot;
  };

  /** One read per tenant at a time: concurrent callers share it. */
  const refresh = (tenant: string): Promise<TenantSnapshot> => {
    let pending = inflight.get(tenant);
    if (pending === undefined) {
      pending = read(tenant).finally(() => inflight.delete(tenant));
      inflight.set(tenant, pending);
    }
    return pending;
  };

  return {
    cache,
    events,
    async start() {
      unsubscribe = await store.subscribe({
        onChange({ tenant, revision }) {
          lastChange = { tenant, revision, at: new Date().toISOString() };
          const cached = cache.last(tenant);
          if (cached === undefined ? options.tracks(tenant) : cached.revision < revision) {
            cache.expire(tenant);
            void refresh(tenant).catch(fail);
          }
        },
        onReset() {
          catchUp();
        },
        onPause(reason) {
          failures++;
          paused = { since: new Date().toISOString(), reason };
          logger.warn(`modreg: ${reason}; serving the last known state`);
        },
        onResume() {
          paused = undefined;
          logger.info('modreg: store notifications resumed');
        },
      });
    },
    async snapshot(tenant) {
      const fresh = cache.fresh(tenant, Date.now());
      if (fresh !== undefined) return fresh;
      try {
        return await refresh(tenant);
      } catch (error) {
        if (error instanceof ModregError && error.code !== 'environment') throw error;
        fail(error);
        const last = cache.last(tenant);
        if (last !== undefined) return last;
        throw new ModregError(
          'environment',
          `Cannot read tenant "${tenant}" from the store (${store.kind} ${store.location}) and nothing is cached: ${failing?.reason}`,
          { cause: error },
        );
      }
    },
    refresh,
    accept,
    stats() {
      const lookups = cache.hits + cache.misses;
      return {
        hits: cache.hits,
        misses: cache.misses,
        hitRate: lookups === 0 ? 0 : cache.hits / lookups,
        tenantsCached: cache.size,
        loads,
        failures,
        lastChange,
        hookFailures,
      };
    },
    health() {
      const where = { kind: store.kind, location: store.location };
      const problem = failing ?? paused;
      if (problem === undefined) return { status: 'ok', store: where };
      const status = cache.size > 0 ? 'stale' : 'failing';
      return { status, reason: problem.reason, since: problem.since, store: where };
    },
    hookFailed() {
      hookFailures++;
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await unsubscribe?.();
      await Promise.allSettled(inflight.values());
    },
  };
}
