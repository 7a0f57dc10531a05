import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { createRedisStore } from '../../src/stores/redis.js';
import { describeWithRedisCluster } from '../helpers/redis-cluster.js';
import { freePort, haltRedis, launchRedis } from '../helpers/redis-process.js';
import { describeWithRedis, testPrefix } from '../helpers/redis-server.js';
import { allTenants, counter } from './conformance.js';
import { recordListener } from './redis-feed-recorder.js';
import { waitUntil } from './redis-targets.js';

const PASSWORD = 'pa55-word';

/** A server requiring PASSWORD, stopped after the test. */
async function guardedServer(): Promise<string> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'modreg-redis-auth-'));
  const child = await launchRedis(port, dir, ['--requirepass', PASSWORD]);
  onTestFinished(async () => {
    await haltRedis(child);
    await rm(dir, { recursive: true, force: true });
  });
  return `127.0.0.1:${port}`;
}

/** Opens a store with the password in the URL, and checks commits, listing and the feed. */
async function worksWithPassword(node: string): Promise<void> {
  const url = `redis://default:${PASSWORD}@${node}`;
  const store = await createRedisStore({ url, prefix: testPrefix() });
  onTestFinished(() => store.close());
  expect(store.location).not.toContain(PASSWORD);
  const feed = recordListener();
  await store.subscribe(feed.listener);
  const tenants = Array.from({ length: 20 }, (_, i) => `a${i}`);
  await Promise.all(tenants.map((tenant) => store.update(tenant, counter())));
  expect((await allTenants(store)).sort()).toEqual([...tenants].sort());
  await waitUntil(() => tenants.every((tenant) => feed.announced(tenant, 1)));
  for (const wrong of [`redis://default:wrong@${node}`, `redis://${node}`]) {
    const refused = createRedisStore({ url: wrong });
    await expect(refused).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringMatching(
        /refused the connection: (WRONGPASS|NOAUTH).* redis:\/\/user:password@host:port\.$/,
      ),
    });
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('wrong@') });
  }
}

describeWithRedis('redis store with a password', () => {
  it('takes user and password from the URL, for its pub/sub connection too', async () => {
    await worksWithPassword(await guardedServer());
  });
});

describeWithRedisCluster(
  'redis cluster store with a password',
  (cluster) => {
    it('gives the URL’s user and password to every node, and to its pub/sub connection', async () => {
      await worksWithPassword(`127.0.0.1:${cluster().nodes[1]?.port}`);
    });
  },
  { password: PASSWORD },
);
