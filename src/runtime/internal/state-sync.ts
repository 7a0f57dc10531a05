import { isModregError, ModregError } from '../../errors.js';
import { tenantPages } from '../../stores/pages.js';
import { MAX_PAGE_SIZE, type StoreEvent, type Unsubscribe } from '../../stores/types.js';
import type { TenantState } from '../../tenant/types.js';
import type { RuntimeStats, TenantSnapshot } from '../types.js';
import { inBatches } from './batch-runner.js';
import { withDeadline } from './deadline.js';
import { type CachedSnapshot, createSnapshot, sameAnswers } from './snapshot.js';
import type { StateSync, StateSyncOptions } from './state-sync-types.js';
import { createStoreWatch } from './store-watch.js';
import { createTenantCache } from './tenant-cache.js';

export type { StateSync, StateSyncOptions } from './state-sync-types.js';

/** Creates the sync; nothing happens until `start`. */
export function createStateSync(options: StateSyncOptions): StateSync {
  const { store, logger } = options;
  const cache = createTenantCache<CachedSnapshot>(options.cacheMaxTenants);
  const reads = new Map<string, Reading>();
  const batches = new Set<Promise<void>>();
  let clock = 0;
  let loads = 0;
  let lastChange: RuntimeStats['lastChange'] = null;
  let unsubscribe: Unsubscribe | undefined;
  const tick = () => ++clock;
  const deadline = <T>(call: Promise<T>, doing: string) =>
    withDeadline(call, options.storeTimeoutMs, `${store.kind} store ${store.location}`, doing);
  const watch = createStoreWatch({
    store,
    logger,
    retryMs: options.retryMs,
    probe: () => deadline(store.list({ limit: 1 }), 'listing tenants'),
    onChange: options.onStoreHealth,
    settled: () => settled(),
    onRecovered: (tenants) => void refreshAll(tenants).catch(() => undefined),
  });

  /**
   * Caches what an observation begun at tick `from` found, unless what is held is newer: an
   * answer to a question asked after the held answer came back always wins; an older question's
   * answer only with a higher revision. `rebuild` replaces the snapshot even at the same
   * revision (the registry changed, or the store was replaced), telling listeners only when
   * its answers differ.
   */
  const accept = (state: TenantState, from: number, rebuild = false): TenantSnapshot => {
    const { tenant } = state;
    const previous = cache.peek(tenant);
    const to = tick();
    const expiresAt = Date.now() + options.cacheTtlMs;
    if (previous !== undefined) {
      if (from < previous.seenAt && state.revision <= previous.revision) return previous;
      if (state.revision === previous.revision && !rebuild) {
        previous.seenAt = to;
        previous.expiresAt = expiresAt;
        return previous;
      }
    }
    const snapshot = createSnapshot(options.registry(), state, to, expiresAt);
    snapshot.used = previous?.used ?? false;
    cache.set(tenant, snapshot);
    const same =
      previous !== undefined &&
      previous.revision === snapshot.revision &&
      sameAnswers(previous, snapshot);
    if (!same) options.onChange(snapshot, previous);
    return snapshot;
  };

  const refresh = (tenant: string, rebuild = false): Promise<TenantSnapshot> => {
    const running = reads.get(tenant);
    if (running !== undefined) {
      if (rebuild) running.again = true;
      return running.promise;
    }
    const reading = { hinted: 0, again: false } as Reading;
    reading.promise = (async () => {
      let anew = rebuild;
      try {
        for (;;) {
          const from = tick();
          reading.hinted = 0;
          reading.again = false;
          loads++;
          const state = await deadline(store.read(tenant), `reading tenant "${tenant}"`);
          watch.answered();
          const snapshot = accept(state, from, anew);
          // A reset or registry change came while this read was out: read once more.
          if (reading.again) anew = true;
          // A hint that arrived while this read was out may announce a commit it missed.
          else if (reading.hinted <= state.revision) return snapshot;
        }
      } catch (error) {
        watch.failed(error, tenant);
        throw error;
      } finally {
        reads.delete(tenant);
      }
    })();
    reads.set(tenant, reading);
    return reading.promise;
  };

  const refreshAll = async (tenants: Iterable<string>): Promise<void> => {
    const work = inBatches(tenants, (batch) => {
      const alone = batch.filter((tenant) => {
        const running = reads.get(tenant);
        if (running !== undefined) running.again = true;
        return running === undefined;
      });
      return alone.length === 0 ? undefined : readBatch(alone);
    });
    batches.add(work);
    try {
      await work;
    } finally {
      batches.delete(work);
    }
  };

  const readBatch = async (tenants: string[]) => {
    const from = tick();
    loads += tenants.length;
    let states: TenantState[];
    try {
      states = await deadline(store.readMany(tenants), `reading ${tenants.length} tenants`);
    } catch (error) {
      for (const tenant of tenants) watch.failed(error, tenant);
      throw error;
    }
    watch.answered();
    for (const state of states) accept(state, from, true);
  };

  const onHint = (event: StoreEvent) => {
    const { tenant, revision } = event;
    lastChange = { tenant, revision, at: new Date().toISOString() };
    options.onCommit(event);
    const running = reads.get(tenant);
    if (running !== undefined) {
      running.hinted = Math.max(running.hinted, revision);
      return;
    }
    const held = cache.peek(tenant);
    if (held === undefined ? !options.isTracked(tenant) : held.revision === revision) {
      return;
    }
    void refresh(tenant).catch(() => undefined);
  };

  /** `cached`, read again in the background once its TTL ran out. */
  const renewed = (cached: CachedSnapshot): CachedSnapshot => {
    if (cached.expiresAt <= Date.now() && !reads.has(cached.tenant)) {
      void refresh(cached.tenant).catch(() => undefined);
    }
    return cached;
  };

  const held = () => new Set([...cache.tenants(), ...options.tracked()]);

  const settled = async () => {
    while (reads.size > 0 || batches.size > 0) {
      await Promise.allSettled([...[...reads.values()].map((r) => r.promise), ...batches]);
    }
  };

  return {
    watch,
    async start() {
      unsubscribe = await store.subscribe({
        onChange: onHint,
        onReset: (reason, affects) => {
          options.onReset(reason);
          logger.info(`modreg: ${reason}; reading the tenants held again`);
          const tenants = [...held()].filter((tenant) => affects?.(tenant) ?? true);
          void refreshAll(tenants).catch(() => undefined);
        },
        onPause: (reason) => watch.paused(reason),
        onResume: () => watch.resumed(),
      });
    },
    async snapshot(tenant) {
      const cached = cache.lookup(tenant);
      if (cached !== undefined) return renewed(cached);
      try {
        return await refresh(tenant);
      } catch (error) {
        if (isModregError(error) && error.code !== 'environment') throw error;
        throw new ModregError(
          'environment',
          `Cannot read tenant "${tenant}" from the ${store.kind} store (${store.location}), and it is not cached: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    },
    peek(tenant) {
      const cached = cache.peek(tenant);
      if (cached === undefined) return undefined;
      cached.used = true;
      return renewed(cached);
    },
    refresh: (tenant) => refresh(tenant),
    refreshAll,
    rebuild: () => refreshAll(held()),
    async syncAll() {
      const room = options.cacheMaxTenants ?? Number.POSITIVE_INFINITY;
      let read = 0;
      // Big pages: fewer listing round trips, each overlapping the reads of the page before.
      for await (const page of tenantPages(store, MAX_PAGE_SIZE)) {
        const wanted = page.slice(0, Math.max(0, room - read));
        await refreshAll(wanted);
        read += wanted.length;
        if (read >= room) return;
      }
    },
    tick,
    accept: (state, from) => accept(state, from),
    invalidate: (tenant) => cache.delete(tenant),
    invalidateAll: () => cache.clear(),
    stats(hookFailures) {
      const lookups = cache.hits + cache.misses;
      return {
        hits: cache.hits,
        misses: cache.misses,
        hitRate: lookups === 0 ? 0 : cache.hits / lookups,
        tenantsCached: cache.size,
        evictions: cache.evictions,
        loads,
        failures: watch.failures,
        lastChange,
        hookFailures,
      };
    },
    async stop() {
      watch.stop();
      await unsubscribe?.();
      await settled();
    },
  };
}

/** One tenant's read in flight. */
interface Reading {
  promise: Promise<TenantSnapshot>;
  /** The highest revision announced while it was out: read again when it answered lower. */
  hinted: number;
  /** Read again when it answers, whatever it says (a reset or a registry change came). */
  again: boolean;
}
