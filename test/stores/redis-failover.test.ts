import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { shardHashTag, shardOf } from '../../src/stores/redis-keys.js';
import { hashSlot } from '../../src/stores/redis-slot.js';
import { describeWithRedisCluster, type TestClusterNode } from '../helpers/redis-cluster.js';
import { counter } from './conformance.js';
import { recordListener } from './redis-feed-recorder.js';
import { clusterTarget, waitUntil } from './redis-targets.js';

// A cluster of its own: this test kills one of its nodes.
describeWithRedisCluster('redis cluster store feed when its subscriber’s node dies', (cluster) => {
  const target = clusterTarget(cluster);

  it('subscribes on another node and goes on announcing the changes of the nodes left', {
    timeout: 60_000,
  }, async () => {
    const store = await target.open();
    const prefix = target.prefixOf(store);
    const feed = recordListener();
    await store.subscribe(feed.listener);
    const channel = `${prefix}changes`;
    const victim = await subscriberNode(cluster().nodes, channel);
    const survivor = cluster().nodes.find((node) => node !== victim) as TestClusterNode;
    const writer = await target.open({ url: survivor.url, prefix });
    const nodeOf = (tenant: string) =>
      cluster().nodeOfSlot(hashSlot(shardHashTag(prefix, shardOf(tenant))));
    const tenants = Array.from({ length: 40 }, (_, i) => `f${i}`).filter(
      (tenant) => nodeOf(tenant) !== victim,
    );
    expect(tenants.length).toBeGreaterThan(5);
    await writer.update(tenants[0] as string, counter());
    await waitUntil(() => feed.announced(tenants[0] as string, 1));

    await victim.kill();
    await waitUntil(() => feed.count('pause') > 0, 5000, 'the feed to pause');
    // The subscription moves to a node that is up; changes on the nodes left reach it.
    await waitUntil(
      async () =>
        (await subscriberNode(cluster().nodes, channel).catch(() => undefined)) !== undefined,
      10_000,
      'a subscriber on another node',
    );
    for (const tenant of tenants) await writer.update(tenant, counter());
    await waitUntil(
      () => tenants.every((tenant) => feed.announced(tenant, tenant === tenants[0] ? 2 : 1)),
      5000,
      'the changes announced',
    );
    // Shards of the dead node cannot be followed: the feed stays paused, as it must.
    expect(feed.count('resume')).toBe(0);
  });
});

/** The live node holding the store's subscription to `channel`. */
async function subscriberNode(nodes: TestClusterNode[], channel: string): Promise<TestClusterNode> {
  for (const node of nodes) {
    if (node.pid === undefined) continue;
    const client = new Redis(node.port, '127.0.0.1', { maxRetriesPerRequest: 0 });
    try {
      const [, count] = (await client.pubsub('NUMSUB', channel)) as [string, number];
      if (count > 0) return node;
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`no node has a subscriber on ${channel}`);
}
