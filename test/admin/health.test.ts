import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createTestRegistry } from '../../src/runtime/testing.js';
import { runCli } from '../helpers/cli.js';
import { createControlledStore } from '../runtime/controlled-store.js';
import { startAdmin } from './helpers/admin-server.js';
import { saasProject } from './helpers/project.js';
import { SHOP_MODULES } from './helpers/shop.js';

describe('GET /api/health', () => {
  it("reports the instance's health with doctor's findings: all clear", async () => {
    const project = await saasProject();
    await runCli(['enable', 'acme', 'invoicing', '--with-deps'], { cwd: project.cwd });
    const admin = await startAdmin(await project.instance(), {
      doctor: { modulesDir: join(project.cwd, 'modules'), root: project.cwd },
    });
    const { status, body } = await admin.request('GET', '/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      store: { kind: 'json', location: join(project.cwd, '.modreg/state') },
      registry: {
        source: join(project.cwd, '.modreg/registry.json'),
        modules: 16,
        loadedAt: expect.any(String),
      },
      modules: { failed: [], blocked: [] },
      doctor: { ok: true, tenants: 1, complete: true, findings: [] },
    });
  });

  it('finds a registry older than the modules on disk, and a tenant whose module no longer loads', async () => {
    const project = await saasProject();
    await runCli(['enable', 'acme', 'billing', '--with-deps'], { cwd: project.cwd });
    const admin = await startAdmin(await project.instance(), {
      doctor: { modulesDir: join(project.cwd, 'modules'), root: project.cwd },
      healthTenantLimit: 1,
    });
    const config = join(project.cwd, 'modules/billing/module.config.json');
    const billing = JSON.parse(await readFile(config, 'utf8'));
    billing.dependencies = { ...billing.dependencies, crm: '*' };
    await writeFile(config, JSON.stringify(billing));
    const stale = (await admin.request('GET', '/api/health')).body as {
      doctor: { findings: unknown[] };
    };
    expect(stale.doctor.findings).toEqual([
      {
        check: 'registry',
        subject: join(project.cwd, '.modreg/registry.json'),
        message:
          'the dependencies of "billing" changed since the registry file was written; run "modreg discover".',
      },
    ]);
    // The new registry reaches the running instance; now acme's billing lacks crm.
    expect((await runCli(['discover'], { cwd: project.cwd })).code).toBe(0);
    await runCli(['enable', 'globex', 'users'], { cwd: project.cwd });
    await expect
      .poll(
        async () =>
          ((await admin.request('GET', '/api/health')).body as { doctor: unknown }).doctor,
        { timeout: 5000 },
      )
      .toMatchObject({
        ok: false,
        tenants: 1,
        complete: false,
        findings: [
          {
            check: 'tenant',
            subject: expect.any(String),
            message: expect.stringContaining('now requires'),
          },
        ],
      });
    const acme = (await admin.request('GET', '/api/tenants/acme')).body;
    expect(acme).toMatchObject({ unavailable: [{ module: 'billing', reason: 'unmet' }] });
    expect((acme as { modules: string[] }).modules).not.toContain('billing');
  });

  it('answers before the instance has started, saying why; the other routes are 503 meanwhile', async () => {
    const controlled = createControlledStore();
    controlled.down = true;
    const modreg = createModreg({
      registry: createTestRegistry(SHOP_MODULES),
      store: controlled.store,
      logger: false,
      retryMs: 50,
    });
    onTestFinished(() => modreg.close());
    const admin = await startAdmin(modreg);
    const health = await admin.request('GET', '/api/health');
    expect(health).toMatchObject({
      status: 200,
      body: {
        status: 'failing',
        doctor: {
          ok: false,
          findings: [{ check: 'store', message: expect.stringContaining('not started yet') }],
        },
      },
    });
    const tenants = await admin.request('GET', '/api/tenants');
    expect(tenants).toMatchObject({
      status: 503,
      body: { error: { code: 'environment', message: expect.stringContaining('has not started') } },
    });
    controlled.down = false;
    await expect.poll(async () => (await admin.request('GET', '/api/tenants')).status).toBe(200);
  });
});
