import { Cluster, Redis } from 'ioredis';
import { expect, it, onTestFinished } from 'vitest';
import { createRedisStore } from '../../src/stores/redis.js';
import { SHARD_COUNT, shardHashTag, shardOf, tenantKeys } from '../../src/stores/redis-keys.js';
import { hashSlot } from '../../src/stores/redis-slot.js';
import type { UpdateRequest } from '../../src/stores/types.js';
import { describeWithRedisCluster, type TestRedisCluster } from '../helpers/redis-cluster.js';
import { testPrefix } from '../helpers/redis-server.js';
import { allTenants, counter, describeStoreConformance } from './conformance.js';
import { itLosesNothingAcrossProcesses } from './processes.js';
import { clusterTarget } from './redis-targets.js';

describeWithRedisCluster('redis cluster store', (cluster) => {
  const target = clusterTarget(cluster);
  const { open, sibling, prefixOf } = target;

  describeStoreConformance({ name: 'redis cluster', open: (options) => open(options), sibling });

  it('works through a URL naming any node, with tenants on every node', async () => {
    const prefix = testPrefix();
    const tenants = Array.from({ length: 40 }, (_, i) => `tenant-${i}`);
    const holders = new Set(tenants.map((tenant) => ownerOf(cluster(), prefix, tenant)));
    expect(holders.size).toBe(3);
    for (const node of cluster().nodes) {
      const store = await open({ url: node.url, prefix });
      await Promise.all(tenants.map((tenant) => store.update(tenant, counter())));
      expect((await allTenants(store, 7)).sort()).toEqual([...tenants].sort());
      expect((await store.readMany(tenants)).map((state) => state.flags.count)).toEqual(
        tenants.map(() => cluster().nodes.indexOf(node) + 1),
      );
      expect((await store.history('tenant-3')).length).toBe(cluster().nodes.indexOf(node) + 1);
    }
  });

  it('commits through a node that holds neither the tenant nor its index, and lists it', async () => {
    const prefix = testPrefix();
    const other = cluster().nodes.find((node) => node.port !== ownerOf(cluster(), prefix, 'acme'));
    const store = await open({ url: other?.url as string, prefix });
    const result = await store.update('acme', set(['billing']));
    expect(result.state.revision).toBe(1);
    expect(await store.list()).toEqual({ tenants: ['acme'] });
    expect(await store.read('acme')).toEqual(result.state);
  });

  it('reads many tenants from every shard in one call, in the order asked', async () => {
    const store = await open();
    const tenants = Array.from({ length: 500 }, (_, i) => `t${i}`);
    expect(new Set(tenants.map(shardOf)).size).toBe(SHARD_COUNT);
    await Promise.all(tenants.slice(0, 250).map((tenant) => store.update(tenant, counter())));
    const asked = [...tenants].reverse();
    const states = await store.readMany(asked);
    expect(states.map((state) => state.tenant)).toEqual(asked);
    expect(states.map((state) => state.revision)).toEqual(
      asked.map((tenant) => (Number(tenant.slice(1)) < 250 ? 1 : 0)),
    );
  });

  it('works with a Cluster client made as users make it, never closing it', async () => {
    const client = new Cluster([{ host: '127.0.0.1', port: cluster().nodes[1]?.port as number }]);
    onTestFinished(() => void client.disconnect());
    const before = await pubsubClients(cluster());
    const store = await open({ client, historyLimit: 2 });
    expect(store.location).toMatch(
      /^redis:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/,
    );
    const events: string[] = [];
    await store.subscribe({ onChange: (event) => void events.push(event.tenant) });
    for (let i = 0; i < 4; i++) await store.update('acme', counter());
    expect((await store.history('acme')).map((h) => h.revision)).toEqual([4, 3]);
    await waitFor(() => events.length >= 1);
    expect(await pubsubClients(cluster())).toBe(before + 1);
    await store.close();
    expect(client.status).toBe('ready');
    expect(await client.get('nothing-here')).toBeNull();
    expect(await pubsubClients(cluster())).toBe(before);

    // A client that is already ready is taken as it is.
    const again = await open({ client });
    expect((await again.read('acme')).revision).toBe(0);
  });

  it('makes a Cluster client of its own from a plain client connected to a node', async () => {
    const plain = new Redis(cluster().nodes[2]?.port as number, '127.0.0.1');
    onTestFinished(() => void plain.disconnect());
    const store = await open({ client: plain });
    const tenants = Array.from({ length: 20 }, (_, i) => `p${i}`);
    await Promise.all(tenants.map((tenant) => store.update(tenant, counter())));
    expect((await allTenants(store)).sort()).toEqual([...tenants].sort());
    await store.close();
    expect(plain.status).toBe('ready');
  });

  it('names the cluster, not one server, in its location and errors', async () => {
    const { nodes } = cluster();
    const seeds = `${nodes[1]?.port},127.0.0.1:${nodes[2]?.port}`.replace(/^/, '127.0.0.1:');
    const store = await open({ url: `${nodes[0]?.url}?seeds=${seeds}` });
    const shown = nodes.map((node) => `127.0.0.1:${node.port}`);
    expect(store.location).toBe(`redis://${shown.join(',')}`);
    const keys = tenantKeys(prefixOf(store), 'acme');
    const raw = await target.raw();
    await raw.set(keys.state, 'not a hash');
    await expect(store.read('acme')).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining(`at redis://${shown.join(',')}`),
    });
    await expect(createRedisStore({ url: `${nodes[0]?.url}/2` })).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('only database 0'),
    });
  });

  it('refuses a store in the key layout before shards', async () => {
    const prefix = testPrefix();
    const raw = await target.raw();
    await raw.sadd(`${prefix}tenants`, 'acme');
    await expect(createRedisStore({ url: cluster().url, prefix })).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('key layout of earlier modreg versions'),
    });
  });

  itLosesNothingAcrossProcesses(async () => {
    const node = cluster().nodes[2] as { url: string };
    return `${node.url}?prefix=${encodeURIComponent(testPrefix())}`;
  });
});

/** The port of the node that holds `tenant`'s shard. */
function ownerOf(cluster: TestRedisCluster, prefix: string, tenant: string): number {
  return cluster.nodeOfSlot(hashSlot(shardHashTag(prefix, shardOf(tenant)))).port;
}

async function pubsubClients(cluster: TestRedisCluster): Promise<number> {
  let count = 0;
  for (const node of cluster.nodes) {
    const client = new Redis(node.port, '127.0.0.1');
    const list = (await client.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    client.disconnect();
    count += list.split('\n').filter((line) => line.trim() !== '').length;
  }
  return count;
}

function set(modules: string[]): UpdateRequest {
  return { apply: () => ({ modules, flags: {} }), actor: 'tester', operation: 'test' };
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
