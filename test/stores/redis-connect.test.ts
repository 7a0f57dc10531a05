import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedisStore } from '../../src/stores/redis.js';
import type { UpdateRequest } from '../../src/stores/types.js';
import { describeWithRedis, startRedis, testPrefix } from '../helpers/redis-server.js';
import { serverTarget } from './redis-targets.js';

describeWithRedis('redis store: connecting', (redis) => {
  const { open } = serverTarget(redis);

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
function change(modules: string[], flags: Record<string, boolean> = {}): UpdateRequest {
  return { apply: () => ({ modules, flags }), actor: 'tester', operation: 'test' };
}
