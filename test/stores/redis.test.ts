import { Redis } from 'ioredis';
import { expect, it, onTestFinished } from 'vitest';
import { shardOf, tenantKeys } from '../../src/stores/redis-keys.js';
import type { Store, StoreEvent, UpdateRequest } from '../../src/stores/types.js';
import { describeWithRedis, testPrefix } from '../helpers/redis-server.js';
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

function _escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
