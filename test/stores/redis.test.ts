import { createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createRedisStore, type RedisStoreOptions } from '../../src/stores/redis.js';
import type { Store, StoreEvent, UpdateRequest } from '../../src/stores/types.js';
import {
  describeWithRedis,
  startRedis,
  type TestRedis,
  testPrefix,
} from '../helpers/redis-server.js';
import { counter, describeStoreConformance } from './conformance.js';
import { itLosesNothingAcrossProcesses } from './processes.js';

describeWithRedis('redis store', (redis) => {
  const prefixes = new WeakMap<Store, string>();
  const open = async (options: RedisStoreOptions = {}) => {
    const prefix = options.prefix ?? testPrefix();
    const store = await createRedisStore({ url: redis().url, prefix, ...options });
    prefixes.set(store, prefix);
    onTestFinished(() => deleteKeys(redis(), prefix));
    return store;
  };
  const sibling = (store: Store) => open({ prefix: prefixes.get(store) });

  describeStoreConformance({ name: 'redis', open: (options) => open(options), sibling });

  const raw = () => rawClient(redis().url);

  it('keeps each tenant under hash-tagged keys, and an index of tenants', async () => {
    const store = await open();
    const prefix = prefixes.get(store);
    await store.update('acme', change(['billing'], { beta: true }));
    await store.update('Acme.2', change(['crm']));
    const client = raw();
    expect((await scanKeys(client, `${prefix}*`)).sort()).toEqual(
      [
        `${prefix}{Acme.2}:history`,
        `${prefix}{Acme.2}:state`,
        `${prefix}{acme}:history`,
        `${prefix}{acme}:state`,
        `${prefix}tenants`,
      ].sort(),
    );
    expect(await client.hgetall(`${prefix}{acme}:state`)).toEqual({
      revision: '1',
      updatedAt: (await store.read('acme')).updatedAt,
      modules: '["billing"]',
      flags: '{"beta":true}',
    });
    expect(await client.type(`${prefix}{acme}:history`)).toBe('list');
    expect((await client.smembers(`${prefix}tenants`)).sort()).toEqual(['Acme.2', 'acme']);
    await store.close();
  });

  it('caps the history at historyLimit', async () => {
    const store = await open({ historyLimit: 3 });
    for (let i = 0; i < 5; i++) await store.update('acme', change([`m${i}`]));
    expect((await store.history('acme')).map((h) => h.revision)).toEqual([5, 4, 3]);
    expect(await raw().llen(`${prefixes.get(store)}{acme}:history`)).toBe(3);
    expect((await store.read('acme')).modules).toEqual(['m4']);
    await store.close();
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
        '[billing',
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
    const key = `${prefixes.get(store)}{acme}:state`;
    const client = raw();
    const [name, , ...args] = command as [string, string, ...string[]];
    await client.call(name, key, ...args);
    const dump = await client.dump(key);
    await expect(store.read('acme')).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringMatching(
        new RegExp(
          `^Redis key "${escapeRegExp(key)}" at redis://.* was not written by modreg or is corrupt`,
        ),
      ),
    });
    await expect(store.update('acme', change(['x']))).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining(key),
    });
    expect(await client.dump(key)).toEqual(dump);
    expect(await client.exists(`${prefixes.get(store)}{acme}:history`)).toBe(0);
    await store.close();
  });

  it('refuses to commit beside a history key that is not a list, writing nothing', async () => {
    const store = await open();
    const prefix = prefixes.get(store);
    await store.update('acme', change(['a']));
    const client = raw();
    await client.del(`${prefix}{acme}:history`);
    await client.set(`${prefix}{acme}:history`, 'mine');
    await expect(store.update('acme', change(['b']))).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining(`${prefix}{acme}:history`),
    });
    expect(await store.read('acme')).toMatchObject({ revision: 1, modules: ['a'] });
    expect(await client.get(`${prefix}{acme}:history`)).toBe('mine');
    await expect(store.history('acme')).rejects.toMatchObject({ code: 'environment' });
    await store.close();
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
    await store.close();
  });

  it('refuses a tenant id that would break the key layout', async () => {
    const store = await open();
    for (const id of ['a}b', '{acme}', '', 'has space']) {
      await expect(store.read(id)).rejects.toMatchObject({ code: 'invalid' });
      await expect(store.update(id, change(['a']))).rejects.toMatchObject({ code: 'invalid' });
    }
    await store.close();
  });

  it('applies the change again when another writer commits between read and commit', async () => {
    const prefix = testPrefix();
    const other = await open({ prefix });
    const client = new Redis(redis().url);
    onTestFinished(() => void client.quit());
    let stale = true;
    // The first read is answered only after the other store has committed revision 1.
    const slowReads = new Proxy(client, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (name === 'hgetall' && stale) {
          stale = false;
          return async (key: string) => {
            const hash = await target.hgetall(key);
            await other.update('acme', counter());
            return hash;
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
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
    await store.close();
    await other.close();
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
    await Promise.all(stores.map((s) => s.close()));
  });

  it('tells subscribers of another instance’s changes and ignores malformed messages', async () => {
    const store = await open();
    const prefix = prefixes.get(store) as string;
    const other = await sibling(store);
    const events: StoreEvent[] = [];
    const seconds: StoreEvent[] = [];
    const unsubscribe = await store.subscribe({ onChange: (event) => void events.push(event) });
    await store.subscribe({ onChange: (event) => void seconds.push(event) });
    const client = raw();
    for (const junk of ['not json', '{"tenant":"a b","revision":1}', '{"tenant":"x"}', '[1]']) {
      await client.publish(`${prefix}changes`, junk);
    }
    await other.update('acme', counter());
    await waitFor(() => events.length > 0 && seconds.length > 0);
    expect(events).toEqual([{ tenant: 'acme', revision: 1 }]);
    expect(seconds).toEqual(events);
    await unsubscribe();
    await other.update('acme', counter());
    await waitFor(() => seconds.length === 2);
    expect(events).toHaveLength(1);
    await other.close();
    await store.close();
  });

  it('leaves a client it was given open, and closes the connection it made for pub/sub', async () => {
    const client = new Redis(redis().url);
    onTestFinished(() => void client.quit());
    const store = await open({ client });
    const channel = `${prefixes.get(store)}changes`;
    await store.subscribe({ onChange: () => {} });
    await store.update('acme', change(['a']));
    expect(await client.pubsub('NUMSUB', channel)).toEqual([channel, 1]);
    await store.close();
    expect(client.status).toBe('ready');
    expect(await client.ping()).toBe('PONG');
    expect(await client.pubsub('NUMSUB', channel)).toEqual([channel, 0]);
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
    await store.close();
  });

  it('fails fast while Redis is down', async (context) => {
    if (process.env.REDIS_URL) context.skip();
    const server = await startRedis();
    const prefix = testPrefix();
    const store = await createRedisStore({ url: server.url, prefix });
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

  it('recovers, notifications included, when Redis comes back', async (context) => {
    const server = redis();
    if (server.restart === undefined) context.skip();
    const store = await open();
    const other = await sibling(store);
    const events: StoreEvent[] = [];
    await store.subscribe({ onChange: (event) => void events.push(event) });
    await server.restart?.();
    await waitFor(
      async () =>
        await other.update('acme', counter()).then(
          () => true,
          () => false,
        ),
      10_000,
    );
    await waitFor(() => events.length > 0, 10_000);
    expect(events.at(-1)?.tenant).toBe('acme');
    await other.close();
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

  it('refuses a URL that is not a Redis URL', async () => {
    await expect(createRedisStore({ url: 'http://localhost' })).rejects.toMatchObject({
      code: 'usage',
    });
  });
});

function change(modules: string[], flags: Record<string, boolean> = {}): UpdateRequest {
  return { apply: () => ({ modules, flags }), actor: 'tester', operation: 'test' };
}

function rawClient(url: string): Redis {
  const client = new Redis(url);
  onTestFinished(() => void client.quit());
  return client;
}

async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Removes a test's keys, for a shared REDIS_URL server (a throwaway one is simply stopped). */
async function deleteKeys(server: TestRedis, prefix: string): Promise<void> {
  const client = new Redis(server.url, { maxRetriesPerRequest: 0, lazyConnect: true });
  client.on('error', () => {});
  try {
    await client.connect();
    const keys = await scanKeys(client, `${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
  } catch {
    // The server may be down on purpose in this test.
  } finally {
    client.disconnect();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 3000,
): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeWithRedis('redis store: separate processes', (redis) => {
  itLosesNothingAcrossProcesses(async () => {
    const prefix = testPrefix();
    onTestFinished(() => deleteKeys(redis(), prefix));
    return `${redis().url}?prefix=${encodeURIComponent(prefix)}`;
  });
});
