import { expect, it, onTestFinished } from 'vitest';
import { createRedisStore } from '../../src/stores/redis.js';
import { shardHashTag, shardOf } from '../../src/stores/redis-keys.js';
import { hashSlot } from '../../src/stores/redis-slot.js';
import type { Store } from '../../src/stores/types.js';
import { describeWithRedisCluster } from '../helpers/redis-cluster.js';
import { describeWithRedis, startRedis, testPrefix } from '../helpers/redis-server.js';
import { counter } from './conformance.js';
import { recordListener } from './redis-feed-recorder.js';
import { waitUntil } from './redis-targets.js';

/** A generous bound for "about the deadline" on a loaded machine: not a speed goal. */
const WITHIN = 4000;

describeWithRedis('redis store deadlines', () => {
  /** A server of its own (this test stops it), a store on it, and SIGSTOP / SIGCONT. */
  const stoppable = async (context: { skip(note?: string): void }) => {
    const server = await startRedis();
    onTestFinished(() => server.stop());
    if (server.pid === undefined) context.skip('REDIS_URL is set: that server is not ours to stop');
    const pid = server.pid as number;
    const store = await createRedisStore({
      url: server.url,
      prefix: testPrefix(),
      commandTimeoutMs: 300,
      feedIntervalMs: 100,
    });
    onTestFinished(() => store.close());
    let stopped = false;
    onTestFinished(() => {
      if (stopped) process.kill(pid, 'SIGCONT');
    });
    return {
      store,
      stop: () => {
        stopped = true;
        process.kill(pid, 'SIGSTOP');
      },
      resume: () => {
        stopped = false;
        process.kill(pid, 'SIGCONT');
      },
    };
  };

  it('fails every call within about the deadline while Redis does not answer, and works after', async (context) => {
    const { store, stop, resume } = await stoppable(context);
    await store.update('acme', counter());
    stop();
    const calls: [string, () => Promise<unknown>][] = [
      ['read', () => store.read('acme')],
      ['readMany', () => store.readMany(['acme', 'beta'])],
      ['list', () => store.list()],
      ['update', () => store.update('beta', counter())],
      ['history', () => store.history('acme')],
    ];
    for (const [name, call] of calls) {
      const started = Date.now();
      await expect(call(), name).rejects.toMatchObject({
        name: 'ModregError',
        code: 'environment',
        message: expect.stringMatching(/^Redis at redis:\/\/\S+ did not answer within 300 ms/),
      });
      expect(Date.now() - started, name).toBeLessThan(WITHIN);
    }
    resume();
    expect(await store.read('acme')).toMatchObject({ revision: 1 });
    expect((await store.update('acme', counter())).state.revision).toBe(2);
    expect((await store.readMany(['acme', 'beta'])).map((s) => s.revision)).toEqual([2, 0]);
    expect(await store.list()).toEqual({ tenants: ['acme'] });
    expect(await store.history('acme')).toHaveLength(2);
  });

  it('says an update that timed out at its commit may or may not have been applied; the feed catches up', async (context) => {
    const { store, stop, resume } = await stoppable(context);
    await store.update('acme', counter());
    const feed = recordListener();
    await store.subscribe(feed.listener);
    const update = store.update('acme', {
      ...counter(),
      apply(current) {
        // Between the read and the commit.
        stop();
        return counter().apply(current);
      },
    });
    await expect(update).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining(
        'committing revision 2 of tenant "acme", which may or may not have been applied',
      ),
    });
    await waitUntil(() => feed.count('pause') > 0, WITHIN, 'the feed to pause');
    resume();
    // The commit was sent and Redis ran it once it went on: the feed announces it.
    await waitUntil(() => feed.announced('acme', 2), WITHIN, 'the late commit announced');
    await waitUntil(() => feed.count('resume') > 0, WITHIN, 'the feed to resume');
    expect(await store.read('acme')).toMatchObject({ revision: 2, flags: { count: 2 } });
    expect(feed.count('reset')).toBe(0);
  });

  it('refuses a subscription within about the deadline, and closes, while Redis does not answer', async (context) => {
    const { store, stop } = await stoppable(context);
    stop();
    const started = Date.now();
    await expect(store.subscribe(recordListener().listener)).rejects.toMatchObject({
      code: 'environment',
    });
    await store.close();
    expect(Date.now() - started).toBeLessThan(WITHIN * 2);
  });
});

describeWithRedisCluster('redis cluster store deadlines', (cluster) => {
  it('fails calls for the shards of a node that does not answer, and serves the others', async () => {
    const prefix = testPrefix();
    // A deadline the other nodes meet even on a loaded machine.
    const store: Store = await createRedisStore({
      url: cluster().url,
      prefix,
      commandTimeoutMs: 1000,
    });
    onTestFinished(() => store.close());
    const nodeOf = (tenant: string) =>
      cluster().nodeOfSlot(hashSlot(shardHashTag(prefix, shardOf(tenant))));
    const tenants = Array.from({ length: 30 }, (_, i) => `n${i}`);
    const victim = nodeOf('n0');
    const elsewhere = tenants.find((tenant) => nodeOf(tenant) !== victim) as string;
    await Promise.all(tenants.map((tenant) => store.update(tenant, counter())));
    process.kill(victim.pid as number, 'SIGSTOP');
    try {
      const started = Date.now();
      await expect(store.read('n0')).rejects.toMatchObject({
        code: 'environment',
        message: expect.stringMatching(
          /^Redis Cluster at 127\.0\.0\.1:\d+ did not answer within 1000 ms/,
        ),
      });
      await expect(store.update('n0', counter())).rejects.toMatchObject({ code: 'environment' });
      expect(Date.now() - started).toBeLessThan(WITHIN);
      expect((await store.read(elsewhere)).revision).toBe(1);
    } finally {
      process.kill(victim.pid as number, 'SIGCONT');
    }
    await waitUntil(
      () =>
        store.read('n0').then(
          (state) => state.revision === 1,
          () => false,
        ),
      WITHIN,
      'the node to answer again',
    );
  });
});
