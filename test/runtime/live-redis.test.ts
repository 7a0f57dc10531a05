import { Cluster } from 'ioredis';
import { expect, it, onTestFinished } from 'vitest';
import { createModreg } from '../../src/runtime/create-modreg.js';
import type { Modreg } from '../../src/runtime/modreg.js';
import type { ChangeEvent } from '../../src/runtime/types.js';
import type { Store, UpdateRequest } from '../../src/stores/types.js';
import { createTestRegistry } from '../../src/testing.js';
import { describeWithRedisCluster } from '../helpers/redis-cluster.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { clusterTarget, type RedisTarget, serverTarget } from '../stores/redis-targets.js';

const registry = createTestRegistry([
  { name: 'users' },
  { name: 'billing', dependencies: ['users'] },
]);

/** A change as the CLI makes it from another process: these modules, nothing else. */
const set = (modules: string[], revisionFloor?: number): UpdateRequest => ({
  apply: () => ({ modules, flags: {} }),
  actor: 'elsewhere',
  operation: 'test',
  ...(revisionFloor === undefined ? {} : { revisionFloor }),
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 1500): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An instance on the target, under the prefix of `writer`, and the changes it fires. */
async function instance(target: RedisTarget, writer: Store) {
  const prefix = encodeURIComponent(target.prefixOf(writer));
  const modreg = createModreg({
    registry,
    store: `${target.url()}?prefix=${prefix}`,
    cacheTtlMs: 3_600_000,
    logger: false,
  });
  onTestFinished(() => modreg.close());
  await modreg.ready();
  const changes: ChangeEvent[] = [];
  modreg.on('change', (event) => changes.push(event));
  return { modreg, changes };
}

/**
 * What issue 7 found broken, run against a real Redis: every instance converges on the last
 * committed revision within 1 s (the 1.5 s here leave room for a loaded machine), whatever
 * happened to its notifications.
 */
function liveCases(target: RedisTarget): void {
  it(`converges after its subscriber connections are killed (${target.name})`, async () => {
    const writer = await target.open();
    const { modreg, changes } = await instance(target, writer);
    const tenants = ['a', 'b', 'c'];
    for (const tenant of tenants) await modreg.snapshot(tenant);
    await target.onEveryNode('CLIENT', 'KILL', 'TYPE', 'pubsub');
    for (const tenant of tenants) await writer.update(tenant, set(['users']));
    await waitFor(
      () => tenants.every((t) => modreg.peek(t)?.revision === 1),
      'every tenant at revision 1',
    );
    expect(new Set(changes.map((e) => e.tenant))).toEqual(new Set(tenants));
    await waitFor(() => modreg.health().status === 'ok', 'health ok again', 5000);
  });

  it(`loses no change of a burst from several writers (${target.name})`, async () => {
    const writer = await target.open();
    const other = await target.sibling(writer);
    const { modreg } = await instance(target, writer);
    const tenants = ['a', 'b', 'c', 'd', 'e'];
    for (const tenant of tenants) await modreg.snapshot(tenant);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? writer : other).update(tenants[i % 5] as string, {
          ...set(i % 3 === 0 ? ['users'] : ['users', 'billing']),
        }),
      ),
    );
    await waitFor(
      () => tenants.every((t) => modreg.peek(t)?.revision === 10),
      'every tenant at revision 10',
    );
    for (const tenant of tenants) {
      expect(modreg.peek(tenant)?.modules).toEqual((await writer.read(tenant)).modules);
    }
  });

  it(`serves an emptied store at once, and an import after it as a newer revision (${target.name})`, async () => {
    const writer = await target.open();
    const { modreg, changes } = await instance(target, writer);
    await modreg.snapshot('acme');
    await writer.update('acme', set(['users']));
    await writer.update('acme', set(['users', 'billing']));
    await waitFor(() => modreg.peek('acme')?.revision === 2, 'revision 2');
    await target.onEveryNode('FLUSHALL');
    await waitFor(() => modreg.peek('acme')?.revision === 0, 'the emptied state');
    expect(modreg.peek('acme')?.isModuleEnabled('billing')).toBe(false);
    // What `modreg import` does: the exported revision (2) is the floor.
    await writer.update('acme', set(['users', 'billing'], 2));
    await waitFor(() => modreg.peek('acme')?.revision === 3, 'the import, at revision 3');
    expect(modreg.peek('acme')?.isModuleEnabled('billing')).toBe(true);
    // Changes close together may be seen as one; these two never are.
    expect(changes.slice(-2).map((e) => [e.previousRevision, e.revision])).toEqual([
      [2, 0],
      [0, 3],
    ]);
  });
}

describeWithRedis('runtime on a Redis server: live state', (redis) => {
  const target = serverTarget(redis);
  liveCases(target);

  it('answers within its deadline while Redis is stopped, serving what it holds, and recovers', async () => {
    const server = redis();
    if (server.pid === undefined) return;
    const writer = await target.open();
    const { modreg } = await instance(target, writer);
    await writer.update('acme', set(['users']));
    expect((await modreg.snapshot('acme')).modules).toEqual(['users']);
    process.kill(server.pid, 'SIGSTOP');
    try {
      const began = Date.now();
      await expect(modreg.snapshot('never-seen')).rejects.toMatchObject({ code: 'environment' });
      await expect(modreg.enable('acme', 'billing')).rejects.toMatchObject({
        code: 'environment',
      });
      expect(Date.now() - began).toBeLessThan(6000);
      expect((await modreg.snapshot('acme')).modules).toEqual(['users']);
      await waitFor(() => modreg.health().status === 'stale', 'health stale', 3000);
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    await waitFor(() => modreg.health().status === 'ok', 'health ok after SIGCONT', 10_000);
    expect((await modreg.snapshot('never-seen')).revision).toBe(0);
  });
});

describeWithRedisCluster('runtime on a Redis Cluster: live state', (cluster) => {
  const target = clusterTarget(cluster);
  liveCases(target);

  it('runs on a Cluster client made by the user, connected before it is given', async () => {
    const writer = await target.open();
    const node = cluster().nodes[2];
    const client = new Cluster([{ host: '127.0.0.1', port: node?.port as number }]);
    onTestFinished(() => void client.disconnect());
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', reject);
    });
    const modreg: Modreg = createModreg({
      registry,
      store: { redis: client, prefix: target.prefixOf(writer) },
      logger: false,
    });
    onTestFinished(() => modreg.close());
    await modreg.ready();
    expect((await modreg.snapshot('acme')).revision).toBe(0);
    await writer.update('acme', set(['users']));
    await waitFor(() => modreg.peek('acme')?.revision === 1, 'revision 1');
    await modreg.enable('acme', 'billing');
    expect((await writer.read('acme')).modules).toEqual(['billing', 'users']);
  });
});
