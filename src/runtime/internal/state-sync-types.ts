import type { Store, StoreEvent } from '../../stores/types.js';
import type { TenantState } from '../../tenant/types.js';
import type { Logger, RuntimeStats, TenantSnapshot } from '../types.js';
import type { RuntimeRegistry } from './runtime-registry.js';
import type { StoreWatch } from './store-watch.js';

/** Options for `createStateSync` (state-sync.ts). */
export interface StateSyncOptions {
  store: Store;
  registry: () => RuntimeRegistry;
  cacheTtlMs: number;
  cacheMaxTenants?: number;
  storeTimeoutMs: number;
  retryMs: number;
  logger: Logger;
  /** Tenants kept current even when not cached (their modules are loaded). */
  tracked(): Iterable<string>;
  isTracked(tenant: string): boolean;
  /** A tenant's snapshot changed (another revision, or other answers); never awaited. */
  onChange(snapshot: TenantSnapshot, previous: TenantSnapshot | undefined): void;
  /** The store's condition changed (see StoreWatch). */
  onStoreHealth(): void;
  /** The store announced a commit, for any tenant (held or not); may repeat. */
  onCommit(event: StoreEvent): void;
  /** The store announced a reset: it cannot say which tenants changed. */
  onReset(reason: string): void;
}

/**
 * Keeps tenant snapshots in step with the store. The store's change feed is the main path
 * (a hint that a tenant changed, never trusted as the new state itself); what is cached is
 * always a read's answer. Reads of one tenant never overlap, and a read that started before a
 * hint arrived is followed by another, so a notification is never answered with an older read.
 * Which of two answers is newer is told by when they were asked, not by their revision alone:
 * a read that started after the cached answer came back wins even with a lower revision (the
 * store was emptied or replaced).
 */
export interface StateSync {
  /** Subscribes to the store's feed. */
  start(): Promise<void>;
  /** The tenant's snapshot: cached (read again in the background once expired), or read. */
  snapshot(tenant: string): Promise<TenantSnapshot>;
  /**
   * The cached snapshot, without waiting and without counting in the stats; it counts as a
   * use (for eviction), and one past its TTL is read again in the background.
   */
  peek(tenant: string): TenantSnapshot | undefined;
  /** Reads the tenant now. */
  refresh(tenant: string): Promise<TenantSnapshot>;
  /** Reads tenants in pipelined batches, taking what is read as the truth. */
  refreshAll(tenants: Iterable<string>): Promise<void>;
  /** Reads every cached and tracked tenant again (after a registry change). */
  rebuild(): Promise<void>;
  /** Reads the store's tenants into the cache, page by page, up to the cache's bound. */
  syncAll(): Promise<void>;
  /** A clock tick, taken before a change is asked of the store. */
  tick(): number;
  /** Caches a state the store just committed (asked at tick `from`): no second read. */
  accept(state: TenantState, from: number): TenantSnapshot;
  invalidate(tenant: string): void;
  invalidateAll(): void;
  stats(hookFailures: number): RuntimeStats;
  readonly watch: StoreWatch;
  stop(): Promise<void>;
}
