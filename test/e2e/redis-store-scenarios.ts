import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { fixturesDir, runCli, spawnCli } from '../helpers/cli.js';
import { describeWithRedis, startRedis, testPrefix } from '../helpers/redis-server.js';
import { copyFixture } from '../helpers/temp-dir.js';
import { get, pollStatus, pollUntil, redisCommand, startServer } from './helpers.js';

/** A copy of fixtures/saas with its registry file, and the environment pointing at `redisUrl`. */
async function project(redisUrl: string) {
  const cwd = await copyFixture(join(fixturesDir, 'saas'));
  expect((await runCli(['discover'], { cwd })).code).toBe(0);
  const env = { MODREG_STORE: `${redisUrl}?prefix=${testPrefix()}` };
  const cli = (...args: string[]) => spawnCli(args, { cwd, env });
  const serverEnv = { ...env, MODREG_ROOT: cwd, MODREG_MODULES: 'modules' };
  return { cwd, env, cli, serverEnv };
}

/**
 * The end-to-end runs of a server script on fixtures/saas over a real Redis: the CLI in
 * another process flipping a module 403 ↔ 200, two servers sharing one Redis, and Redis going
 * away and coming back. `title` names the server ("the example server"); every HTTP adapter's
 * example server runs them.
 */
export function describeRedisStoreServer(title: string, script: string): void {
  describeWithRedis(`${title} on Redis`, (redis) => {
    it('serves a module once the CLI enables it for the tenant, and 403s it once disabled', async () => {
      const { cli, serverEnv } = await project(redis().url);
      const server = await startServer({ script, env: serverEnv });

      expect(await get(server.url, '/billing/plans', 'acme')).toMatchObject({
        status: 403,
        body: { error: 'module-disabled', module: 'billing', tenant: 'acme' },
      });
      expect((await get(server.url, '/billing/plans')).status).toBe(400);

      expect(await cli('enable', 'acme', 'billing', '--with-deps')).toMatchObject({ code: 0 });
      const served = await pollStatus(server.url, '/billing/plans', 'acme', 200);
      expect(served.body).toMatchObject({ module: 'billing', tenant: 'acme' });

      expect(await cli('disable', 'acme', 'billing', '--cascade')).toMatchObject({ code: 0 });
      await pollStatus(server.url, '/billing/plans', 'acme', 403);
      expect(await get(server.url, '/health')).toMatchObject({
        status: 200,
        body: { status: 'ok', store: { kind: 'redis' } },
      });
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    });

    it('shows a change made through the CLI on two servers sharing the Redis', async () => {
      const { cli, serverEnv } = await project(redis().url);
      const servers = await Promise.all([
        startServer({ script, env: serverEnv }),
        startServer({ script, env: serverEnv }),
      ]);
      for (const server of servers) {
        expect((await get(server.url, '/crm/contacts', 'acme')).status).toBe(403);
      }

      expect(await cli('enable', 'acme', 'crm', '--with-deps')).toMatchObject({ code: 0 });
      for (const server of servers) await pollStatus(server.url, '/crm/contacts', 'acme', 200);

      expect(await cli('disable', 'acme', 'crm')).toMatchObject({ code: 0 });
      for (const server of servers) await pollStatus(server.url, '/crm/contacts', 'acme', 403);
    });
  });

  describeWithRedis(`${title} when Redis goes away and comes back`, () => {
    it('serves the last known state while Redis is down, and follows changes again after', async ({
      skip,
    }) => {
      // A Redis of its own: this test shuts it down.
      const own = await startRedis();
      onTestFinished(() => own.stop());
      if (own.restart === undefined) skip('REDIS_URL is set: that server is not ours to shut down');
      const restart = own.restart as () => Promise<void>;
      const { cli, serverEnv } = await project(own.url);
      const server = await startServer({ script, env: serverEnv });
      expect(await cli('enable', 'acme', 'billing', '--with-deps')).toMatchObject({ code: 0 });
      await pollStatus(server.url, '/billing/plans', 'acme', 200);

      // SAVE first: the helper's Redis does not persist, and a restart must not lose the state.
      await redisCommand(own.url, 'SHUTDOWN SAVE');
      await pollUntil(
        () =>
          redisCommand(own.url, 'PING').then(
            () => 'up',
            () => 'down',
          ),
        (state) => state === 'down',
      );
      expect((await get(server.url, '/billing/plans', 'acme')).status).toBe(200);
      expect((await get(server.url, '/crm/contacts', 'acme')).status).toBe(403);
      // The lost notification connection alone (cache hits only) tells health the store is down.
      await pollUntil(
        () => get(server.url, '/health'),
        (reply) => (reply.body as { status: string }).status === 'stale',
        5000,
      );
      // A tenant never seen has nothing to fall back on.
      expect(await get(server.url, '/billing/plans', 'globex')).toMatchObject({
        status: 503,
        body: { error: 'state-unavailable', module: 'billing', tenant: 'globex' },
      });
      expect(await cli('enable', 'acme', 'crm')).toMatchObject({ code: 3 });

      await restart();
      await pollUntil(
        () => get(server.url, '/health'),
        (reply) => (reply.body as { status: string }).status === 'ok',
        5000,
      );
      expect((await get(server.url, '/billing/plans', 'acme')).status).toBe(200);
      expect(await cli('enable', 'acme', 'crm', '--with-deps')).toMatchObject({ code: 0 });
      await pollStatus(server.url, '/crm/contacts', 'acme', 200, 5000);
      expect((await get(server.url, '/health')).body).toMatchObject({ status: 'ok' });
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    });
  });
}
