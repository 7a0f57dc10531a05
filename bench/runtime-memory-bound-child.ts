import { createModreg } from '../src/runtime/create-modreg.js';
import type { Store } from '../src/stores/types.js';
import { createGeneratedStore } from './generated-store.js';
import { generatedRegistry, runtimeTenantName } from './runtime-tenants.js';

/**
 * Run by runtime-memory.ts as `node --expose-gc --import tsx bench/runtime-memory-bound-child.ts
 * <bound> <stored> <visited>`: what an instance bounded to `bound` cached tenants holds, first
 * over a store of exactly `bound` tenants (all cached), then over one of `stored` tenants after
 * synced() and a snapshot() of `visited` tenants spread over all of them (each a miss, each
 * evicting another). Prints one JSON line ({@link BoundReport}); heap after forced collections,
 * each instance's reading taken against the heap before it started reading.
 */
export interface BoundReport {
  bound: number;
  stored: number;
  visited: number;
  /** heapUsed growth with `bound` tenants stored, all cached. */
  heapAllCached: number;
  /** heapUsed growth with `stored` tenants stored, after the visits. */
  heapAfterVisits: number;
  /** Tenants cached at the end, and evictions made. */
  cached: number;
  evictions: number;
  visitMs: number;
}

/** snapshot() calls out at once while visiting: a server's concurrent requests. */
const CONCURRENT = 100;

async function heapHeld(store: Store, bound: number, visit: (i: number) => string, visits: number) {
  const collect = globalThis.gc;
  if (collect === undefined) throw new Error('run with --expose-gc');
  const modreg = createModreg({
    registry: generatedRegistry(),
    store,
    cacheMaxTenants: bound,
    logger: false,
  });
  try {
    await modreg.ready();
    // Compiled code counts in heapUsed: warm the cache path, then empty the cache.
    for (let i = 0; i < 1000; i++) await modreg.snapshot(runtimeTenantName(i));
    modreg.invalidateAll();
    const before = settledHeap(collect);
    await modreg.synced();
    const started = performance.now();
    // Names made as they are asked, as requests bring them: a list of them would count too.
    for (let i = 0; i < visits; i += CONCURRENT) {
      const batch = Array.from({ length: Math.min(CONCURRENT, visits - i) }, (_, j) =>
        visit(i + j),
      );
      await Promise.all(batch.map((tenant) => modreg.snapshot(tenant)));
    }
    const visitMs = performance.now() - started;
    const stats = modreg.stats();
    return {
      heap: settledHeap(collect) - before,
      cached: stats.tenantsCached,
      evictions: stats.evictions,
      visitMs,
    };
  } finally {
    await modreg.close();
  }
}

function settledHeap(collect: () => void): number {
  for (let i = 0; i < 3; i++) collect();
  return process.memoryUsage().heapUsed;
}

const [bound, stored, visited] = process.argv.slice(2).map(Number) as [number, number, number];
const all = await heapHeld(createGeneratedStore(bound), bound, runtimeTenantName, 0);
// Every (stored / visited)-th tenant, past the ones synced() read: each visit a miss.
const step = Math.max(1, Math.floor(stored / visited));
const visit = (i: number) => runtimeTenantName((i * step + 1) % stored);
const bounded = await heapHeld(createGeneratedStore(stored), bound, visit, visited);
const report: BoundReport = {
  bound,
  stored,
  visited,
  heapAllCached: all.heap,
  heapAfterVisits: bounded.heap,
  cached: bounded.cached,
  evictions: bounded.evictions,
  visitMs: bounded.visitMs,
};
console.log(JSON.stringify(report));
