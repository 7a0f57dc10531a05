import type { TenantSnapshot } from './types.js';

/** Snapshots by tenant, each trusted until its TTL runs out or a change notification. */
export interface TenantCache {
  /** A snapshot still within its TTL, or undefined; counts a hit or a miss. */
  fresh(tenant: string, now: number): TenantSnapshot | undefined;
  /** Any cached snapshot, expired or not: what is served while the store fails. */
  last(tenant: string): TenantSnapshot | undefined;
  /**
   * Stores `snapshot` unless a newer revision is cached (an older one never replaces a newer
   * one); returns the snapshot now cached.
   */
  put(snapshot: TenantSnapshot, now: number): TenantSnapshot;
  /** Makes the tenant's snapshot expired, keeping it for stale-on-error. */
  expire(tenant: string): void;
  delete(tenant: string): void;
  clear(): void;
  tenants(): string[];
  readonly size: number;
  readonly hits: number;
  readonly misses: number;
}

interface Entry {
  snapshot: TenantSnapshot;
  expiresAt: number;
}

/** Creates an empty cache whose entries live `ttlMs`. */
export function createTenantCache(ttlMs: number): TenantCache {
  const entries = new Map<string, Entry>();
  let hits = 0;
  let misses = 0;
  return {
    fresh(tenant, now) {
      const entry = entries.get(tenant);
      if (entry !== undefined && entry.expiresAt > now) {
        hits++;
        return entry.snapshot;
      }
      misses++;
      return undefined;
    },
    last: (tenant) => entries.get(tenant)?.snapshot,
    put(snapshot, now) {
      const entry = entries.get(snapshot.tenant);
      if (entry !== undefined && entry.snapshot.revision > snapshot.revision) return entry.snapshot;
      if (entry === undefined) entries.set(snapshot.tenant, { snapshot, expiresAt: now + ttlMs });
      else {
        entry.snapshot = snapshot;
        entry.expiresAt = now + ttlMs;
      }
      return snapshot;
    },
    expire(tenant) {
      const entry = entries.get(tenant);
      if (entry !== undefined) entry.expiresAt = 0;
    },
    delete: (tenant) => void entries.delete(tenant),
    clear: () => entries.clear(),
    tenants: () => [...entries.keys()],
    get size() {
      return entries.size;
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
  };
}
