import type { Cluster, Redis } from 'ioredis';
import { tenantKeys } from '../../src/stores/redis-keys.js';

/** The id of seeded tenant `index`: `t0000042`. */
export function seededTenant(index: number): string {
  return `t${String(index).padStart(7, '0')}`;
}

/**
 * Writes tenants `0 … count - 1` straight into the store's key layout — each one's state hash
 * at revision 1 and its entry in its shard's index — through pipelines, one per shard on a
 * Cluster: many tenants fast, without a commit each (no history, no change log).
 */
export async function seedTenants(
  client: Redis | Cluster,
  prefix: string,
  count: number,
): Promise<void> {
  const state = {
    revision: '1',
    updatedAt: '2024-01-01T00:00:00.000Z',
    modules: '["billing","users"]',
    flags: '{"plan":"pro"}',
  };
  for (let start = 0; start < count; start += BATCH) {
    const byShard = new Map<number, string[]>();
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const tenant = seededTenant(i);
      const { shard } = tenantKeys(prefix, tenant);
      byShard.set(shard, [...(byShard.get(shard) ?? []), tenant]);
    }
    await Promise.all(
      [...byShard.values()].map(async (tenants) => {
        const pipeline = client.pipeline();
        for (const tenant of tenants) {
          const keys = tenantKeys(prefix, tenant);
          pipeline.hset(keys.state, state);
          pipeline.zadd(keys.index, 0, tenant);
        }
        const failed = ((await pipeline.exec()) ?? []).find(([error]) => error !== null);
        if (failed) throw new Error(`seeding Redis failed: ${failed[0]?.message}`);
      }),
    );
  }
}

const BATCH = 5000;
