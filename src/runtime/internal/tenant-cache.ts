/** What the cache needs of an entry: a use mark for eviction. */
export interface CacheEntry {
  /** Looked up since the clock hand last passed: kept on the next eviction sweep. */
  used: boolean;
}

/** Entries by tenant, at most `maxTenants` of them (least recently used go first). */
export interface TenantCache<E extends CacheEntry> {
  /** The entry for a request: counts a hit or a miss and marks it used. */
  lookup(tenant: string): E | undefined;
  /** The entry, counting nothing and leaving its use mark alone. */
  peek(tenant: string): E | undefined;
  /** Stores an entry, evicting the least recently used one when the cache is full. */
  set(tenant: string, entry: E): void;
  delete(tenant: string): void;
  clear(): void;
  tenants(): IterableIterator<string>;
  readonly size: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

/**
 * Creates an empty cache. Eviction is CLOCK (second chance): a lookup only sets a flag, so the
 * hot path pays no reordering; the sweep passes over used entries once, clearing the flag, and
 * drops the first unused one. The map's own insertion order is the clock face.
 *
 * The hand exists only while evicting: a Map iterator keeps every table the map outgrew or was
 * cleared from, entries and all, until it next moves — a hand made up front and never moved (a
 * cache that never fills) kept every snapshot ever cached.
 */
export function createTenantCache<E extends CacheEntry>(
  maxTenants = Number.POSITIVE_INFINITY,
): TenantCache<E> {
  const entries = new Map<string, E>();
  let hand: Iterator<[string, E]> | undefined;
  let hits = 0;
  let misses = 0;
  let evictions = 0;

  const evictOne = () => {
    // Two passes at most: the first may only clear use marks.
    for (let step = 0; step < 2 * entries.size + 1; step++) {
      hand ??= entries[Symbol.iterator]();
      let next = hand.next();
      if (next.done === true) {
        hand = entries[Symbol.iterator]();
        next = hand.next();
        if (next.done === true) return;
      }
      const [tenant, entry] = next.value;
      if (entry.used) entry.used = false;
      else {
        entries.delete(tenant);
        evictions++;
        return;
      }
    }
  };

  return {
    lookup(tenant) {
      const entry = entries.get(tenant);
      if (entry === undefined) misses++;
      else {
        hits++;
        entry.used = true;
      }
      return entry;
    },
    peek: (tenant) => entries.get(tenant),
    set(tenant, entry) {
      if (entries.size >= maxTenants && !entries.has(tenant)) evictOne();
      entries.set(tenant, entry);
    },
    delete: (tenant) => void entries.delete(tenant),
    clear() {
      entries.clear();
      hand = undefined;
    },
    tenants: () => entries.keys(),
    get size() {
      return entries.size;
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    get evictions() {
      return evictions;
    },
  };
}
