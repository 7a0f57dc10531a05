import type { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import type { Store } from '../../src/stores/types.js';
import { collector } from '../helpers/gc.js';
import { describeWithRedisCluster } from '../helpers/redis-cluster.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { seededTenant, seedTenants } from './redis-seed.js';
import { clusterTarget, serverTarget } from './redis-targets.js';

describeWithRedis('redis store at 100,000 tenants', (redis) => {
  const target = serverTarget(redis);

  it('pages through them all and reads them in batches of 1000, in bounded work and flat memory', {
    timeout: 240_000,
  }, async () => {
    const store = await target.open();
    const raw = (await target.raw()) as Redis;
    await seedTenants(raw, target.prefixOf(store), TENANTS);

    const seen = new Set<string>();
    let pages = 0;
    for await (const tenants of pagesOf(store)) {
      const states = await store.readMany(tenants);
      expect(states.map((state) => state.tenant)).toEqual(tenants);
      expect(states.every((state) => state.revision === 1)).toBe(true);
      for (const tenant of tenants) seen.add(tenant);
      pages++;
    }
    expect(seen.size).toBe(TENANTS);
    expect(seen.has(seededTenant(TENANTS - 1))).toBe(true);
    expect(pages).toBeLessThanOrEqual(TENANTS / 1000 + 64);

    // One page is a bounded number of commands, whatever the number of tenants. (Only on a
    // server of this test's own: a shared REDIS_URL runs other tests' commands meanwhile.)
    if (process.env.REDIS_URL === undefined) {
      const before = await commandCalls(raw);
      const { next } = await store.list({ limit: 1000 });
      const page = await store.list({ limit: 1000, cursor: next as string });
      expect(page.tenants).toHaveLength(1000);
      const used = (await commandCalls(raw)) - before - 1;
      expect(used).toBeLessThanOrEqual(4 * 64);
      const stats = await raw.info('commandstats');
      expect(stats).not.toMatch(/cmdstat_(smembers|keys|scan|sscan|zrange|hkeys):/);
    }

    // Nothing accumulates in the store: a second full pass ends where it began.
    const gc = collector();
    gc();
    const start = process.memoryUsage().heapUsed;
    let count = 0;
    for await (const tenants of pagesOf(store)) count += (await store.readMany(tenants)).length;
    gc();
    const grown = process.memoryUsage().heapUsed - start;
    expect(count).toBe(TENANTS);
    expect(grown).toBeLessThan(8 * 1024 * 1024);
  });
});

describeWithRedisCluster('redis cluster store at 20,000 tenants', (cluster) => {
  const target = clusterTarget(cluster);

  it('pages through them all across the nodes and reads them in batches', {
    timeout: 120_000,
  }, async () => {
    const store = await target.open();
    await seedTenants(await target.raw(), target.prefixOf(store), 20_000);
    const seen = new Set<string>();
    for await (const tenants of pagesOf(store)) {
      const states = await store.readMany(tenants);
      expect(states.map((state) => state.revision)).toEqual(tenants.map(() => 1));
      for (const tenant of tenants) seen.add(tenant);
    }
    expect(seen.size).toBe(20_000);
  });
});

const TENANTS = 100_000;

async function* pagesOf(store: Store): AsyncGenerator<string[]> {
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    if (page.tenants.length > 0) yield page.tenants;
    cursor = page.next;
  } while (cursor !== undefined);
}

/** Commands the server has run so far (INFO commandstats). */
async function commandCalls(client: Redis): Promise<number> {
  const stats = await client.info('commandstats');
  return [...stats.matchAll(/:calls=(\d+)/g)].reduce((sum, [, calls]) => sum + Number(calls), 0);
}
