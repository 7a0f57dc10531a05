import { expect, it } from 'vitest';
import { CHANGE_LOG_LENGTH, shardOf } from '../../src/stores/redis-keys.js';
import type { Store } from '../../src/stores/types.js';
import { describeWithRedisCluster } from '../helpers/redis-cluster.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { counter } from './conformance.js';
import { recordListener } from './redis-feed-recorder.js';
import { clusterTarget, type RedisTarget, serverTarget, waitUntil } from './redis-targets.js';

describeWithRedis('redis store feed', (redis) => {
  const target = serverTarget(redis);
  feedCases(target);

  it('resets, then announces again, after Redis restarted empty', async (context) => {
    if (redis().restart === undefined) context.skip();
    const { store, writer, feed } = await following(target);
    const tenants = ['a', 'b', 'c'];
    for (const tenant of tenants) await writer.update(tenant, counter());
    await waitUntil(() => tenants.every((t) => feed.announced(t, 1)));
    await redis().restart?.();
    await waitUntil(() => tenants.every((t) => feed.resetsOf(t).length === 1), 10_000, 'resets');
    expect(feed.count('pause')).toBeGreaterThan(0);
    await waitUntil(
      () =>
        writer.update('a', counter()).then(
          () => true,
          () => false,
        ),
      10_000,
      'Redis to take writes again',
    );
    const seen = feed.heard.length;
    await waitUntil(() =>
      feed.heard.slice(seen).some((h) => h.kind === 'change' && h.tenant === 'a'),
    );
    await waitUntil(() => feed.heard.at(-1)?.kind === 'resume' || feed.count('resume') > 0);
    expect(tenants.map((t) => feed.resetsOf(t).length)).toEqual([1, 1, 1]);
    await store.close();
  });
});

describeWithRedisCluster('redis cluster store feed', (cluster) => {
  feedCases(clusterTarget(cluster));
});

/** The feed's cases, on one server and on a Cluster alike. */
function feedCases(target: RedisTarget): void {
  it('announces every change of bursts from three instances by onChange, without a reset', async () => {
    const { writer, feed } = await following(target);
    const writers = [writer, await target.sibling(writer), await target.sibling(writer)];
    const tenants = ['acme', 'beta', 'gamma', 'delta', 'eps', 'zeta'];
    const counts = new Map<string, number>();
    for (let burst = 0; burst < 4; burst++) {
      await Promise.all(
        Array.from({ length: 36 }, (_, i) => {
          const tenant = tenants[i % tenants.length] as string;
          counts.set(tenant, (counts.get(tenant) ?? 0) + 1);
          return (writers[i % 3] as Store).update(tenant, counter());
        }),
      );
    }
    await waitUntil(() => tenants.every((t) => feed.announced(t, counts.get(t) ?? 0)), 5000);
    expect(feed.count('reset')).toBe(0);
    expect(feed.count('pause')).toBe(0);
  });

  it('announces what is committed after every pub/sub connection was killed, in about a second', async () => {
    const { writer, feed } = await following(target);
    await target.onEveryNode('CLIENT', 'KILL', 'TYPE', 'pubsub');
    const committed: { tenant: string; at: number }[] = [];
    const tenants = ['k1', 'k2', 'k3', 'k4', 'k5'];
    await Promise.all(
      tenants.map(async (tenant) => {
        await writer.update(tenant, counter());
        committed.push({ tenant, at: Date.now() });
      }),
    );
    await waitUntil(() => tenants.every((t) => feed.announced(t, 1)), 1500, 'the announcements');
    await waitUntil(() => feed.count('resume') > 0, 3000, 'the feed to resume');
    expect(feed.heard.findIndex((h) => h.kind === 'pause')).toBeGreaterThanOrEqual(0);
    const resumed = feed.heard.findIndex((h) => h.kind === 'resume');
    const resumedAt = feed.heard[resumed]?.at ?? 0;
    // What was committed while paused is announced before onResume.
    for (const { tenant } of committed.filter((c) => c.at < resumedAt)) {
      const announcedAt = feed.heard.findIndex((h) => h.kind === 'change' && h.tenant === tenant);
      expect(announcedAt).toBeLessThan(resumed);
    }
    expect(feed.count('reset')).toBe(0);
  });

  it('announces changes whose notifications were all lost, through its poll', async () => {
    const { writer, feed } = await following(target, { dropNotification: () => true });
    const tenants = ['p1', 'p2', 'p3', 'p4'];
    for (const tenant of tenants) await writer.update(tenant, counter());
    await writer.update('p1', counter());
    await waitUntil(() => tenants.every((t) => feed.announced(t, t === 'p1' ? 2 : 1)), 2000);
    expect(feed.count('reset')).toBe(0);
    expect(feed.count('pause')).toBe(0);
  });

  it('reads the change log when a notification shows a gap, without waiting for the poll', async () => {
    const odd = (text: string) => (JSON.parse(text) as { seq: number }).seq % 2 === 1;
    const { writer, feed } = await following(target, {
      feedIntervalMs: 60_000,
      dropNotification: odd,
    });
    for (let i = 0; i < 10; i++) await writer.update('gappy', counter());
    await waitUntil(() => feed.announced('gappy', 10), 2000);
    const revisions = feed.heard.flatMap((h) => (h.kind === 'change' ? [h.revision] : []));
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(feed.count('reset')).toBe(0);
  });

  it('resets just the shard whose change log was trimmed past what it missed', async () => {
    let dropping = true;
    const { writer, feed } = await following(target, {
      feedIntervalMs: 60_000,
      dropNotification: () => dropping,
    });
    const inShard = sameShard(5, 10);
    const elsewhere = 'elsewhere';
    expect(shardOf(elsewhere)).not.toBe(5);
    for (let done = 0; done < CHANGE_LOG_LENGTH + 1; done += inShard.length) {
      await Promise.all(inShard.map((tenant) => writer.update(tenant, counter())));
    }
    dropping = false;
    await writer.update(inShard[0] as string, counter());
    await waitUntil(() => feed.count('reset') === 1, 3000);
    const [reset] = feed.resetsOf(inShard[3] as string);
    expect(reset).toMatchObject({ reason: expect.stringContaining('missed') });
    expect(feed.resetsOf(elsewhere)).toEqual([]);
  });

  it('resets each emptied shard once after FLUSHALL, racing commits included, then announces again', async () => {
    const { writer, feed } = await following(target);
    const tenants = Array.from({ length: 12 }, (_, i) => `f${i}`);
    await Promise.all(tenants.map((tenant) => writer.update(tenant, counter())));
    await waitUntil(() => tenants.every((t) => feed.announced(t, 1)));
    await target.onEveryNode('FLUSHALL');
    // Commits right away: their notifications (a new generation) race the poll.
    const again = tenants.slice(0, 6);
    await Promise.all(again.map((tenant) => writer.update(tenant, counter())));
    await waitUntil(() => tenants.every((t) => feed.resetsOf(t).length > 0), 2000, 'the resets');
    const seen = feed.heard.length;
    await writer.update('f0', counter());
    await waitUntil(() =>
      feed.heard.slice(seen).some((h) => h.kind === 'change' && h.tenant === 'f0'),
    );
    // Several polls later: still one reset per tenant.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(tenants.map((t) => feed.resetsOf(t).length)).toEqual(tenants.map(() => 1));
    expect(feed.resetsOf('f0')[0]).toMatchObject({ reason: expect.stringContaining('emptied') });
    const after = feed.heard.filter((h) => h.kind === 'change' && h.tenant === 'f0').at(-1);
    expect(after).toMatchObject({ revision: 2 });
  });

  it('keeps telling other listeners when one throws', async () => {
    const { store, writer, feed } = await following(target);
    await store.subscribe({
      onChange: () => {
        throw new Error('a listener bug');
      },
    });
    await writer.update('x', counter());
    await writer.update('x', counter());
    await waitUntil(() => feed.announced('x', 2));
  });
}

/** A store following the feed (its recorder subscribed), and another to write with. */
async function following(target: RedisTarget, options: Parameters<RedisTarget['open']>[0] = {}) {
  const store = await target.open(options);
  const writer = await target.sibling(store);
  const feed = recordListener();
  await store.subscribe(feed.listener);
  return { store, writer, feed };
}

/** `count` tenant ids in shard `shard`. */
function sameShard(shard: number, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) if (shardOf(`s${i}`) === shard) ids.push(`s${i}`);
  return ids;
}
