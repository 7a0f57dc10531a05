import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli, spawnCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';
import { get, pollStatus, startServer } from './helpers.js';

/**
 * The end-to-end run of a server script on fixtures/saas over the JSON store: a server in its
 * own process, the CLI in others enabling and disabling a module for a tenant (403 ↔ 200).
 * Every HTTP adapter's example server runs it.
 */
export function describeJsonStoreServer(title: string, script: string): void {
  describe(title, () => {
    it('serves a module once the CLI enables it for the tenant, and 403s it once disabled', async () => {
      const cwd = await copyFixture(join(fixturesDir, 'saas'));
      // The CLI reads the registry file; the server scans modules/ itself.
      expect((await runCli(['discover'], { cwd })).code).toBe(0);
      const server = await startServer({
        script,
        env: { MODREG_ROOT: cwd, MODREG_MODULES: 'modules' },
      });

      const refused = await get(server.url, '/billing/plans', 'acme');
      expect(refused).toEqual({
        status: 403,
        body: {
          error: 'module-disabled',
          module: 'billing',
          tenant: 'acme',
          message: 'Module "billing" is not enabled for tenant "acme".',
        },
      });
      expect(await get(server.url, '/billing/plans')).toMatchObject({
        status: 400,
        body: { error: 'tenant-required', module: 'billing' },
      });

      const enabled = await spawnCli(['enable', 'acme', 'billing', '--with-deps'], { cwd });
      expect(enabled).toMatchObject({ code: 0, stderr: '' });
      const served = await pollStatus(server.url, '/billing/plans', 'acme', 200);
      expect(served.body).toMatchObject({ module: 'billing', tenant: 'acme' });
      // users came with billing; another tenant is untouched.
      expect((await get(server.url, '/users/', 'acme')).status).toBe(200);
      expect((await get(server.url, '/billing/plans', 'globex')).status).toBe(403);

      const disabled = await spawnCli(['disable', 'acme', 'billing', '--cascade'], { cwd });
      expect(disabled).toMatchObject({ code: 0, stderr: '' });
      const gone = await pollStatus(server.url, '/billing/plans', 'acme', 403);
      expect(gone.body).toMatchObject({
        error: 'module-disabled',
        module: 'billing',
        tenant: 'acme',
      });
      expect((await get(server.url, '/users/', 'acme')).status).toBe(200);

      const health = await get(server.url, '/health');
      expect(health).toMatchObject({
        status: 200,
        body: { status: 'ok', store: { kind: 'json' }, stats: { failures: 0, hookFailures: 0 } },
      });
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    });
  });
}
