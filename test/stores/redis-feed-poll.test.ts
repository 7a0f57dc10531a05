import { Redis } from 'ioredis';
import { expect, it, onTestFinished } from 'vitest';
import { createRedisStore } from '../../src/stores/redis.js';
import { shardKeys } from '../../src/stores/redis-keys.js';
import { describeWithRedisCluster } from '../helpers/redis-cluster.js';
import { describeWithRedis, startRedis, testPrefix } from '../helpers/redis-server.js';
import { counter } from './conformance.js';
import { recordListener } from './redis-feed-recorder.js';
import { waitUntil } from './redis-targets.js';

/** Script calls (EVALSHA and EVAL) the server has run since its stats were reset. */
async function scriptCalls(client: Redis): Promise<number> {
  const stats = await client.info('commandstats');
  const calls = (name: string) =>
    Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
  return calls('evalsha') + calls('eval');
}

describeWithRedis('redis store feed poll', () => {
  it('reads the positions of all 64 shards of a single server in one call while nothing changes, and still finds a lost change', async () => {
    // A server of its own: no other test's store polls it meanwhile.
    const server = await startRedis();
    onTestFinished(() => server.stop());
    const admin = new Redis(server.url);
    onTestFinished(() => void admin.disconnect());
    const prefix = testPrefix();
    const drop = { all: false };
    const store = await createRedisStore({
      url: server.url,
      prefix,
      feedIntervalMs: 50,
      dropNotification: () => drop.all,
    });
    onTestFinished(() => store.close());
    const writer = await createRedisStore({ url: server.url, prefix });
    onTestFinished(() => writer.close());
    const feed = recordListener();
    await store.subscribe(feed.listener);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin.config('RESETSTAT');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // About 20 polls in that second: one call each, where each poll used to be 64.
    const calls = await scriptCalls(admin);
    expect(calls).toBeGreaterThanOrEqual(5);
    expect(calls).toBeLessThan(64);
    drop.all = true;
    await writer.update('acme', counter());
    await waitUntil(() => feed.announced('acme', 1), 4000, 'the lost change found by a poll');
  });

  it('says which feed key a poll cannot read when one holds another type of value', async () => {
    const server = await startRedis();
    onTestFinished(() => server.stop());
    const admin = new Redis(server.url);
    onTestFinished(() => void admin.disconnect());
    const prefix = testPrefix();
    const store = await createRedisStore({ url: server.url, prefix, feedIntervalMs: 50 });
    onTestFinished(() => store.close());
    const feed = recordListener();
    await store.subscribe(feed.listener);
    const { feed: key } = shardKeys(prefix, 17);
    await admin.set(key, 'not a hash');
    await waitUntil(() => feed.count('pause') > 0, 4000, 'the poll to pause the feed');
    const pause = feed.heard.find((h) => h.kind === 'pause');
    expect(pause).toMatchObject({ reason: expect.stringContaining(key) });
  });
});

describeWithRedisCluster('redis cluster store feed poll', (cluster) => {
  it("reads each shard's position alone (HMGET) while nothing changes, and still finds a lost change", async () => {
    const admins = cluster().nodes.map((node) => new Redis(node.url));
    onTestFinished(() => {
      for (const admin of admins) admin.disconnect();
    });
    const prefix = testPrefix();
    const drop = { all: false };
    const store = await createRedisStore({
      url: cluster().url,
      prefix,
      feedIntervalMs: 50,
      dropNotification: () => drop.all,
    });
    onTestFinished(() => store.close());
    const writer = await createRedisStore({ url: cluster().url, prefix });
    onTestFinished(() => writer.close());
    const feed = recordListener();
    await store.subscribe(feed.listener);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(admins.map((admin) => admin.config('RESETSTAT')));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // About 20 polls: 64 scripts each before; now none while no shard moves.
    const calls = (await Promise.all(admins.map(scriptCalls))).reduce((a, b) => a + b, 0);
    expect(calls).toBeLessThan(64);
    drop.all = true;
    await writer.update('acme', counter());
    await waitUntil(() => feed.announced('acme', 1), 4000, 'the lost change found by a poll');
  });
});
