import { createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createRedisStore } from '../../src/stores/redis.js';
import { shardOf, tenantKeys } from '../../src/stores/redis-keys.js';
import type { Store, StoreEvent, UpdateRequest } from '../../src/stores/types.js';
import { describeWithRedis, startRedis, testPrefix } from '../helpers/redis-server.js';
import { counter, describeStoreConformance } from './conformance.js';
import { itLosesNothingAcrossProcesses } from './processes.js';
import { deleteKeys, scanKeys, serverTarget, waitUntil } from './redis-targets.js';

describeWithRedis('redis store', (redis) => {
  const target = serverTarget(redis);
  const { open, sibling, prefixOf } = target;
  const raw = async () => (await target.raw()) as Redis;

  describeStoreConformance({ name: 'redis', open: (options) => open(options), sibling });

  it('keeps a tenant in its shard: state, history, index, feed position and change log', async () => {
    const store = await open();
    const prefix = prefixOf(store);
    await store.update('acme', change(['billing'], { beta: true }));
    await store.update('acme', change(['crm']));
    // The shard of an id is part of the format: it must never change.
    expect([shardOf('acme'), shardOf('Acme.2'), shardOf('t0')]).toEqual([47, 19, 41]);
    const tag = `${prefix}{${prefix}s:47}:`;
    const client = await raw();
    expect((await scanKeys(client as Redis, `${prefix}*`)).sort()).toEqual(
      [`${tag}feed`, `${tag}h:acme`, `${tag}log`, `${tag}t:acme`, `${tag}tenants`].sort(),
    );
    expect(await client.hgetall(`${tag}t:acme`)).toEqual({
      revision: '2',
      updatedAt: (await store.read('acme')).updatedAt,
      modules: '["crm"]',
      flags: '{}',
      commit: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await client.llen(`${tag}h:acme`)).toBe(2);
    expect(await client.zrangebylex(`${tag}tenants`, '-', '+')).toEqual(['acme']);
    const feed = await client.hgetall(`${tag}feed`);
    expect(feed).toEqual({ generation: expect.stringMatching(/^[0-9a-f-]{36}$/), seq: '2' });
    expect((await client.lrange(`${tag}log`, 0, -1)).map((e) => JSON.parse(e))).toEqual([
      { seq: 2, tenant: 'acme', revision: 2 },
      { seq: 1, tenant: 'acme', revision: 1 },
    ]);
    expect(await client.exists(`${prefix}tenants`)).toBe(0);
  });

  it('caps the history at historyLimit and the change log at 1000 entries', async () => {
    const store = await open({ historyLimit: 3 });
    for (let i = 0; i < 5; i++) await store.update('acme', change([`m${i}`]));
    expect((await store.history('acme')).map((h) => h.revision)).toEqual([5, 4, 3]);
    const keys = tenantKeys(prefixOf(store), 'acme');
    const client = await raw();
    expect(await client.llen(keys.history)).toBe(3);
    expect((await store.read('acme')).modules).toEqual(['m4']);
    for (let i = 0; i < 10; i++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => store.update(`acme-${i}-${j}`, counter())),
      );
    }
    expect(await client.llen(keys.log)).toBeLessThanOrEqual(1000);
  });

  it.each([
    ['fields of its own', ['HSET', 'k', 'owner', 'someone-else']],
    [
      'modules that are not JSON',
      [
        'HSET',
        'k',
        'revision',
        '1',
        'updatedAt',
        '2024-01-01T00:00:00.000Z',
        'modules',
        '[b',
        'flags',
        '{}',
      ],
    ],
    [
      'a revision that is not a number',
      [
        'HSET',
        'k',
        'revision',
        'x',
        'updatedAt',
        '2024-01-01T00:00:00.000Z',
        'modules',
        '[]',
        'flags',
        '{}',
      ],
    ],
    ['a string instead of a hash', ['SET', 'k', 'hello']],
  ])('reports a state key with %s and never overwrites it', async (_, command) => {
    const store = await open();
    const keys = tenantKeys(prefixOf(store), 'acme');
    const client = await raw();
    const [name, , ...args] = command as [string, string, ...string[]];
    await client.call(name, keys.state, ...args);
    const dump = await client.dump(keys.state);
    await expect(store.read('acme')).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringMatching(
        new RegExp(
          `^Redis key "${escapeRegExp(keys.state)}" at redis://.* was not written by modreg or is corrupt`,
        ),
      ),
    });
    await expect(store.readMany(['acme'])).rejects.toMatchObject({ code: 'environment' });
    await expect(store.update('acme', change(['x']))).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining(keys.state),
    });
    expect(await client.dump(keys.state)).toEqual(dump);
    expect(await client.exists(keys.history, keys.index, keys.feed, keys.log)).toBe(0);
  });

  it.each(['history', 'index', 'feed', 'log'] as const)(
    'refuses to commit beside a %s key modreg did not write, writing nothing',
    async (which) => {
      const store = await open();
      await store.update('acme', change(['a']));
      const keys = tenantKeys(prefixOf(store), 'acme');
      const client = await raw();
      await client.del(keys[which]);
      await client.set(keys[which], 'mine');
      const before = await client.hgetall(keys.state);
      await expect(store.update('acme', change(['b']))).rejects.toMatchObject({
        code: 'environment',
        message: expect.stringContaining(`"${keys[which]}"`),
      });
      expect(await client.hgetall(keys.state)).toEqual(before);
      expect(await client.get(keys[which])).toBe('mine');
    },
  );

  it('refuses a feed hash without a valid sequence number, writing nothing', async () => {
    const store = await open();
    await store.update('acme', change(['a']));
    const keys = tenantKeys(prefixOf(store), 'acme');
    const client = await raw();
    await client.hset(keys.feed, 'seq', 'many');
    await expect(store.update('acme', change(['b']))).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining(keys.feed),
    });
    expect((await store.read('acme')).revision).toBe(1);
  });

  it('refuses a store in the key layout before shards, touching nothing', async () => {
    const prefix = testPrefix();
    onTestFinished(() => deleteKeys(redis().url, prefix));
    const client = await raw();
    await client.sadd(`${prefix}tenants`, 'acme');
    await client.hset(`${prefix}{acme}:state`, { revision: '1', modules: '[]', flags: '{}' });
    await expect(createRedisStore({ url: redis().url, prefix })).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringMatching(
        /key layout of earlier modreg versions .*modreg export .*modreg import tenants\.json/,
      ),
    });
    expect((await scanKeys(client, `${prefix}*`)).sort()).toEqual(
      [`${prefix}tenants`, `${prefix}{acme}:state`].sort(),
    );
  });

  it('refuses a key prefix with braces, which would move keys out of their shard', async () => {
    for (const prefix of ['a{b', 'x}', '{app}:']) {
      await expect(createRedisStore({ url: redis().url, prefix })).rejects.toMatchObject({
        code: 'usage',
        message: expect.stringContaining('without braces'),
      });
    }
  });

  it('names the tenant, the expected and the actual revision in a conflict', async () => {
    const store = await open();
    await store.update('acme', change(['a']));
    await store.update('acme', change(['b']));
    await expect(
      store.update('acme', { ...change(['c']), expectedRevision: 1 }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/Tenant "acme" is at revision 2, not 1/),
    });
  });

  it('refuses a tenant id that would break the key layout', async () => {
    const store = await open();
    for (const id of ['a}b', '{acme}', '', 'has space', 'a:b']) {
      await expect(store.read(id)).rejects.toMatchObject({ code: 'invalid' });
      await expect(store.update(id, change(['a']))).rejects.toMatchObject({ code: 'invalid' });
    }
  });

  it('applies the change again when another writer commits between read and commit', async () => {
    const prefix = testPrefix();
    const other = await open({ prefix });
    const client = new Redis(redis().url);
    onTestFinished(() => void client.quit());
    let stale = true;
    // The first read is answered only after the other store has committed revision 1.
    const slowReads = new Proxy(client, {
      get(object, name) {
        const value = Reflect.get(object, name, object);
        if (name === 'hgetall' && stale) {
          stale = false;
          return async (key: string) => {
            const hash = await object.hgetall(key);
            await other.update('acme', counter());
            return hash;
          };
        }
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
    const store = await open({ prefix, client: slowReads });
    const seen: number[] = [];
    const result = await store.update('acme', {
      ...counter(),
      apply: (current) => {
        seen.push(current.revision);
        return counter().apply(current);
      },
    });
    expect(seen).toEqual([0, 1]);
    expect(result.state).toMatchObject({ revision: 2, flags: { count: 2 } });
    expect((await store.history('acme')).map((h) => h.after.flags.count)).toEqual([2, 1]);
  });

  it('recognises a commit the client sent twice (a resend after a lost reply): applied once', async () => {
    const client = new Redis(redis().url);
    onTestFinished(() => void client.quit());
    // As ioredis does when a connection drops after the script ran but before its reply came.
    const resending = new Proxy(client, {
      get(object, name) {
        const value = Reflect.get(object, name, object);
        if (name === 'evalsha' || name === 'eval') {
          return async (...args: never[]) => {
            await (value as (...a: never[]) => Promise<unknown>).apply(object, args);
            return (value as (...a: never[]) => Promise<unknown>).apply(object, args);
          };
        }
        return typeof value === 'function' ? value.bind(object) : value;
      },
    });
    const store = await open({ client: resending });
    const result = await store.update('acme', counter());
    expect(result.state).toMatchObject({ revision: 1, flags: { count: 1 } });
    expect(await store.read('acme')).toMatchObject({ revision: 1, flags: { count: 1 } });
    expect(await store.history('acme')).toHaveLength(1);
    const keys = tenantKeys(prefixOf(store), 'acme');
    expect(await client.hget(keys.feed, 'seq')).toBe('1');
  });

  it('loses no update: 30 at once from 3 instances', async () => {
    const first = await open();
    const stores = [first, await sibling(first), await sibling(first)];
    let applied = 0;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (stores[i % 3] as Store).update('acme', {
          ...counter(),
          apply: (current) => {
            applied++;
            return counter().apply(current);
          },
        }),
      ),
    );
    const state = await first.read('acme');
    expect(state).toMatchObject({ revision: 30, flags: { count: 30 } });
    const history = await first.history('acme');
    expect(history.map((h) => h.revision)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
    expect(history.map((h) => h.after.flags.count)).toEqual(history.map((h) => h.revision));
    expect(applied).toBeGreaterThanOrEqual(30);
  });

  it('pages through 300 tenants of every shard, each once, stable, with any page size', async () => {
    const store = await open();
    const ids = Array.from({ length: 300 }, (_, i) => `tenant-${i}`);
    await Promise.all(ids.map((id) => store.update(id, counter())));
    const pages = async (limit: number) => {
      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.tenants.length).toBeLessThanOrEqual(limit);
        listed.push(...page.tenants);
        cursor = page.next;
      } while (cursor !== undefined);
      return listed;
    };
    const byOne = await pages(1);
    expect([...byOne].sort()).toEqual([...ids].sort());
    expect(new Set(byOne).size).toBe(300);
    for (const limit of [7, 64, 299, 300, 1000]) expect(await pages(limit)).toEqual(byOne);
    expect(await store.list({ limit: 300 })).toEqual({ tenants: byOne });
  });

  it('tells subscribers of another instance’s changes and ignores malformed messages', async () => {
    const store = await open();
    const prefix = prefixOf(store);
    const other = await sibling(store);
    const events: StoreEvent[] = [];
    const seconds: StoreEvent[] = [];
    const unsubscribe = await store.subscribe({ onChange: (event) => void events.push(event) });
    await store.subscribe({ onChange: (event) => void seconds.push(event) });
    const client = await raw();
    for (const junk of [
      'not json',
      '{"tenant":"a b","revision":1}',
      '{"tenant":"x"}',
      '[1]',
      '{"shard":1,"seq":1,"generation":"g","tenant":"acme","revision":1}',
    ]) {
      await client.publish(`${prefix}changes`, junk);
    }
    await other.update('acme', counter());
    await waitUntil(() => events.length > 0 && seconds.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).toEqual([{ tenant: 'acme', revision: 1 }]);
    expect(seconds).toEqual(events);
    await unsubscribe();
    await other.update('acme', counter());
    await waitUntil(() => seconds.length === 2);
    expect(events).toHaveLength(1);
  });

  it('leaves a client it was given open, honours historyLimit, and closes its pub/sub connection', async () => {
    const client = new Redis(redis().url);
    onTestFinished(() => void client.quit());
    const store = await open({ client, historyLimit: 2 });
    const channel = `${prefixOf(store)}changes`;
    await store.subscribe({ onChange: () => {} });
    for (let i = 0; i < 4; i++) await store.update('acme', change([`m${i}`]));
    expect((await store.history('acme')).map((h) => h.revision)).toEqual([4, 3]);
    expect(await client.pubsub('NUMSUB', channel)).toEqual([channel, 1]);
    await store.close();
    expect(client.status).toBe('ready');
    expect(await client.ping()).toBe('PONG');
    expect(await client.pubsub('NUMSUB', channel)).toEqual([channel, 0]);
  });

  it('takes a client given before it is connected (lazyConnect) and one still connecting', async () => {
    const lazy = new Redis(redis().url, { lazyConnect: true });
    const eager = new Redis(redis().url);
    onTestFinished(() => {
      lazy.disconnect();
      eager.disconnect();
    });
    for (const client of [lazy, eager]) {
      const store = await open({ client });
      await store.update('acme', counter());
      expect((await store.read('acme')).revision).toBeGreaterThan(0);
    }
  });

  it('shows its URL without the password', async (context) => {
    const url = new URL(redis().url);
    if (url.password !== '') context.skip();
    url.username = 'default';
    url.password = 'secret';
    // The default user has no password here, so Redis accepts any.
    const store = await open({ url: url.href });
    url.password = '';
    expect(store.location).toBe(url.href);
    expect(store.location).not.toContain('secret');
  });

  it('fails fast while Redis is down', async (context) => {
    if (process.env.REDIS_URL) context.skip();
    const server = await startRedis();
    const store = await createRedisStore({ url: server.url, prefix: testPrefix() });
    await store.update('acme', change(['a']));
    await server.stop();
    for (const call of [() => store.read('acme'), () => store.update('acme', change(['b']))]) {
      const started = Date.now();
      await expect(call()).rejects.toMatchObject({
        code: 'environment',
        message: expect.stringContaining(`Cannot reach Redis at ${server.url}`),
      });
      expect(Date.now() - started).toBeLessThan(1000);
    }
    await store.close();
  });
});

describe('redis store: connection failures', () => {
  afterEach(() => vi.restoreAllMocks());

  it('rejects within 5 s, without an unhandled error event, when Redis is unreachable', async () => {
    const printed = vi.spyOn(console, 'error');
    const started = Date.now();
    const failure = createRedisStore({ url: 'redis://127.0.0.1:1' });
    await expect(failure).rejects.toMatchObject({
      name: 'ModregError',
      code: 'environment',
      message: expect.stringMatching(
        /^Cannot reach Redis at redis:\/\/127\.0\.0\.1:1: connect ECONNREFUSED .*\. Start Redis, or point --store \/ MODREG_STORE at it\.$/,
      ),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(printed).not.toHaveBeenCalled();
  });

  it('gives up after connectTimeoutMs on a server that never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const started = Date.now();
    await expect(
      createRedisStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'environment', message: expect.stringContaining('300 ms') });
    expect(Date.now() - started).toBeLessThan(2000);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it.each([
    ['http://localhost', /is not a Redis URL/],
    ['redis://127.0.0.1:abc', /not a Redis URL|port/],
    ['redis://127.0.0.1:6390/abc', /"\/abc" is not a Redis database/],
    ['redis://127.0.0.1:6390?prefx=a:', /unknown parameter "prefx"/],
    ['redis://127.0.0.1:6390?seeds=nohost', /"nohost" is not host:port/],
  ])('refuses %s as a usage error naming the bad part', async (url, message) => {
    await expect(createRedisStore({ url })).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringMatching(message),
    });
  });

  it('refuses option values that are not whole numbers of at least 1', async () => {
    for (const options of [
      { historyLimit: 0 },
      { commandTimeoutMs: -1 },
      { feedIntervalMs: 1.5 },
    ]) {
      await expect(
        createRedisStore({ url: 'redis://127.0.0.1:1', ...options }),
      ).rejects.toMatchObject({
        code: 'usage',
      });
    }
  });
});

describeWithRedis('redis store: separate processes', (redis) => {
  itLosesNothingAcrossProcesses(async () => {
    const prefix = testPrefix();
    onTestFinished(() => deleteKeys(redis().url, prefix));
    return `${redis().url}?prefix=${encodeURIComponent(prefix)}`;
  });
});

function change(modules: string[], flags: Record<string, boolean> = {}): UpdateRequest {
  return { apply: () => ({ modules, flags }), actor: 'tester', operation: 'test' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
