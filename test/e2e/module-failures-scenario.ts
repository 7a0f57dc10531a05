import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';
import { get, startServer } from './helpers.js';

/**
 * A server script on fixtures/runtime-failures (a module whose setup throws, one whose activate
 * never settles, one requiring the first): the healthy modules keep serving, the others answer
 * 503 with the reason. The script serves `/health` and `/modules/:tenant` too; every HTTP
 * adapter has one.
 */
export function describeFailingModulesServer(title: string, script: string): void {
  describe(title, () => {
    it('keeps serving the healthy module and answers 503 with the reason for the others', async () => {
      const cwd = await copyFixture(join(fixturesDir, 'runtime-failures'));
      expect((await runCli(['discover'], { cwd })).code).toBe(0);
      const modules = ['healthy', 'broken', 'hangs', 'needs-broken'];
      expect((await runCli(['enable', 'acme', ...modules], { cwd })).code).toBe(0);
      const server = await startServer({ script, env: { MODREG_ROOT: cwd } });

      for (const module of ['healthy', 'core']) {
        expect(await get(server.url, `/${module}/ping`, 'acme')).toEqual({
          status: 200,
          body: { module, tenant: 'acme' },
        });
      }
      expect(await get(server.url, '/broken/ping', 'acme')).toMatchObject({
        status: 503,
        body: {
          error: 'module-unavailable',
          module: 'broken',
          tenant: 'acme',
          state: 'failed',
          reason: expect.stringMatching(/setup failed: broken on purpose/),
        },
      });
      expect(await get(server.url, '/hangs/ping', 'acme')).toMatchObject({
        status: 503,
        body: {
          module: 'hangs',
          state: 'failed',
          reason: expect.stringMatching(
            /"hangs" activate for tenant "acme" failed: timed out after 200 ms/,
          ),
        },
      });
      expect(await get(server.url, '/needs-broken/ping', 'acme')).toMatchObject({
        status: 503,
        body: {
          module: 'needs-broken',
          state: 'blocked',
          reason: 'requires "broken", which failed',
        },
      });
      // Failures are per module: a tenant without them is refused as usual, not failed.
      expect((await get(server.url, '/broken/ping', 'globex')).status).toBe(403);

      expect(server.running()).toBe(true);
      expect(await get(server.url, '/healthy/ping', 'acme')).toMatchObject({ status: 200 });
      expect(await get(server.url, '/health')).toMatchObject({
        status: 200,
        body: {
          status: 'degraded',
          reason: expect.stringMatching(/^module "broken" failed: .*broken on purpose/),
          modules: {
            failed: [
              { module: 'broken', reason: expect.stringMatching(/broken on purpose/) },
              { module: 'hangs', reason: expect.stringMatching(/timed out after 200 ms/) },
            ],
            blocked: [],
          },
          stats: { hookFailures: 2 },
        },
      });
      // Nobody passed a logger: the failures are on stderr all the same.
      expect(server.output()).toMatch(/modreg: module "broken" setup failed: broken on purpose/);
      expect(server.output()).toMatch(/modreg: module "hangs" activate for tenant "acme" failed/);
      const states = (await get(server.url, '/modules/acme')).body as { module: string }[];
      expect(Object.fromEntries(states.map(({ module, ...rest }) => [module, rest]))).toEqual({
        core: { state: 'loaded' },
        healthy: { state: 'loaded' },
        broken: { state: 'failed', reason: expect.any(String) },
        hangs: { state: 'failed', reason: expect.any(String) },
        'needs-broken': { state: 'blocked', reason: 'requires "broken", which failed' },
      });
      // A hook that never settled does not keep the process from closing.
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    });
  });
}
