import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createExpressMiddleware, tenantFromHeader } from '../../src/express.js';
import type { ModuleHooks } from '../../src/runtime/types.js';
import { createTestModreg } from '../../src/testing.js';

const ping = (name: string): ModuleHooks => ({
  setup: ({ router }) => {
    router.get('/ping', (req: express.Request, res: express.Response) => {
      const { tenant } = req as express.Request & { tenant: { id: string; flags: object } };
      res.json({ module: name, tenant: tenant.id, flags: tenant.flags });
    });
  },
});

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function get(url: string, tenant?: string) {
  const response = await fetch(
    url,
    tenant === undefined ? {} : { headers: { 'x-tenant-id': tenant } },
  );
  return { status: response.status, body: await response.json() };
}

describe('the Express adapter', () => {
  it('serves a module for the tenants that enabled it, 403 for the others, 400 without a tenant', async () => {
    const modreg = await createTestModreg({
      modules: [
        {
          name: 'billing',
          routes: { prefix: '/billing' },
          flags: { 'billing.beta': { type: 'boolean', default: false } },
          hooks: ping('billing'),
        },
      ],
      tenants: { acme: { modules: ['billing'], flags: { 'billing.beta': true } } },
    });
    onTestFinished(() => modreg.close());
    const app = express();
    app.use(createExpressMiddleware(modreg, { resolveTenant: tenantFromHeader() }));
    const url = await serve(app);
    expect(await get(`${url}/billing/ping`, 'acme')).toEqual({
      status: 200,
      body: { module: 'billing', tenant: 'acme', flags: { 'billing.beta': true } },
    });
    expect(await get(`${url}/billing/ping`, 'globex')).toMatchObject({
      status: 403,
      body: { error: 'module-disabled', module: 'billing', tenant: 'globex' },
    });
    expect(await get(`${url}/billing/ping`)).toMatchObject({
      status: 400,
      body: { error: 'tenant-required' },
    });
    expect(await get(`${url}/billing/ping`, '../etc')).toMatchObject({
      status: 400,
      body: { error: 'tenant-invalid' },
    });
  });

  it('mounts a module added to the registry after the first request, without a restart', async () => {
    const modreg = await createTestModreg({
      modules: [{ name: 'billing', routes: { prefix: '/billing' }, hooks: ping('billing') }],
      tenants: { acme: { modules: ['billing'] } },
    });
    onTestFinished(() => modreg.close());
    const app = express();
    app.use(createExpressMiddleware(modreg, { resolveTenant: tenantFromHeader() }));
    app.use((_req, res) => void res.status(404).json({ error: 'not-found' }));
    const url = await serve(app);
    expect((await get(`${url}/billing/ping`, 'acme')).status).toBe(200);
    expect((await get(`${url}/crm/ping`, 'acme')).status).toBe(404);
    await modreg.register(
      { name: 'crm', version: '1.0.0', routes: { prefix: '/crm' } },
      ping('crm'),
    );
    expect((await get(`${url}/crm/ping`, 'acme')).status).toBe(403);
    await modreg.enable('acme', 'crm');
    expect(await get(`${url}/crm/ping`, 'acme')).toMatchObject({
      status: 200,
      body: { module: 'crm', tenant: 'acme' },
    });
    expect((await get(`${url}/billing/ping`, 'acme')).status).toBe(200);
  });
});
