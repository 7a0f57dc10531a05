import type { Redis } from 'ioredis';
import { expect, it, onTestFinished } from 'vitest';
import { createRedisStore } from '../../src/stores/redis.js';
import { tenantKeys } from '../../src/stores/redis-keys.js';
import type { UpdateRequest } from '../../src/stores/types.js';
import { describeWithRedis, testPrefix } from '../helpers/redis-server.js';
import { deleteKeys, scanKeys, serverTarget } from './redis-targets.js';

// Keys modreg did not write are reported, and never read as tenants or written over.
describeWithRedis('redis store: keys it did not write', (redis) => {
  const target = serverTarget(redis);
  const { open, prefixOf } = target;
  const raw = async () => (await target.raw()) as Redis;

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
});

function change(modules: string[], flags: Record<string, boolean> = {}): UpdateRequest {
  return { apply: () => ({ modules, flags }), actor: 'tester', operation: 'test' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
