import { join } from 'node:path';
import { expect, it } from 'vitest';
import { shardHashTag, shardOf } from '../../src/stores/redis-keys.js';
import { hashSlot } from '../../src/stores/redis-slot.js';
import { fixturesDir, runCli, spawnCli } from '../helpers/cli.js';
import { describeWithRedisCluster } from '../helpers/redis-cluster.js';
import { testPrefix } from '../helpers/redis-server.js';
import { copyFixture } from '../helpers/temp-dir.js';

describeWithRedisCluster('the CLI on a Redis Cluster', (cluster) => {
  it('enables, lists and shows a tenant through a node that does not hold its shard', {
    timeout: 60_000,
  }, async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
    const prefix = testPrefix();
    const holder = cluster().nodeOfSlot(hashSlot(shardHashTag(prefix, shardOf('acme'))));
    const elsewhere = cluster().nodes.filter((node) => node !== holder);
    const store = (node: { url: string }) => `${node.url}?prefix=${encodeURIComponent(prefix)}`;
    const via = elsewhere[0] as { url: string };

    const enabled = await spawnCli(
      ['enable', 'acme', 'invoicing', '--with-deps', '--json', '--store', store(via)],
      { cwd },
    );
    expect(enabled).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(enabled.stdout)).toMatchObject({ tenant: 'acme', revision: 1 });

    for (const node of elsewhere) {
      const tenants = await spawnCli(['tenants', '--json', '--store', store(node)], { cwd });
      expect(tenants.code).toBe(0);
      expect(JSON.parse(tenants.stdout).tenants.map((t: { tenant: string }) => t.tenant)).toEqual([
        'acme',
      ]);
      const status = await spawnCli(['status', 'acme', '--json', '--store', store(node)], { cwd });
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        tenant: 'acme',
        modules: ['core', 'auth', 'users', 'billing', 'invoicing'],
        revision: 1,
      });
    }
  });
});
