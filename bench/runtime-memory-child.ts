import { createModreg } from '../src/runtime/create-modreg.js';
import { createMemoryStore } from '../src/stores/memory.js';
import type { Store } from '../src/stores/types.js';
import type { JsonValue } from '../src/tenant/types.js';
import { generatedRegistry, generatedTenants } from './runtime-tenants.js';

/**
 * Run by runtime-memory.ts as `node --expose-gc --import tsx bench/runtime-memory-child.ts
 * <tenants>`: fills one instance's cache with every tenant of a memory store and prints one
 * JSON line of heap readings ({@link MemoryReport}), each taken after forced collections.
 */
export interface MemoryReport {
  tenants: number;
  /** Tenants in the instance's cache after filling it. */
  cached: number;
  /** heapUsed with the store filled, the code warmed and the cache empty. */
  heapBefore: number;
  /** heapUsed with every tenant cached. */
  heapCached: number;
  /** heapUsed once a bare Map of Sets over the same reads is held as well. */
  heapBare: number;
}

const SEED = 0x3e3;
const WARM_TENANTS = 1_000;

async function measure(count: number): Promise<MemoryReport> {
  const collect = globalThis.gc;
  if (collect === undefined) throw new Error('run with --expose-gc');
  const { store, names } = filledStore(count);
  const modreg = createModreg({ registry: generatedRegistry(), store });
  try {
    await modreg.ready();
    // Compiled code counts in heapUsed: warm the cache path first, then empty the cache.
    for (const tenant of names.slice(0, WARM_TENANTS)) await modreg.snapshot(tenant);
    modreg.invalidateAll();
    const heapBefore = settledHeap(collect);
    for (const tenant of names) await modreg.snapshot(tenant);
    const heapCached = settledHeap(collect);
    const cached = modreg.stats()?.tenantsCached ?? 0;
    const bare = new Map<string, { modules: Set<string>; flags: Record<string, JsonValue> }>();
    for (const tenant of names) {
      const state = await store.read(tenant);
      bare.set(state.tenant, { modules: new Set(state.modules), flags: state.flags });
    }
    const heapBare = settledHeap(collect);
    if (bare.size !== count || modreg.peek(names[0] as string) === undefined) {
      throw new Error(`held ${bare.size} bare entries for ${count} tenants`);
    }
    return { tenants: count, cached, heapBefore, heapCached, heapBare };
  } finally {
    await modreg.close();
    await store.close();
  }
}

/** The store, filled here so the generated input is garbage before the first reading. */
function filledStore(count: number): { store: Store; names: string[] } {
  const tenants = generatedTenants(count, SEED);
  return { store: createMemoryStore({ tenants }), names: Object.keys(tenants) };
}

function settledHeap(collect: () => void): number {
  for (let i = 0; i < 3; i++) collect();
  return process.memoryUsage().heapUsed;
}

const report = await measure(Number(process.argv[2] ?? 100_000));
console.log(JSON.stringify(report));
