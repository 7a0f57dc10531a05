import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeRegistryFile } from '../../src/registry/registry-file.js';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createMemoryStore, createTestModreg, createTestRegistry } from '../../src/testing.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ping, testApp } from './fastify-app.js';

describe('the Fastify plugin when the registry changes', () => {
  it('serves a module added later under a prefix it mounted, once the tenant enables it', async () => {
    const modreg = await createTestModreg({
      modules: [{ name: 'billing', routes: { prefix: '/billing' }, hooks: ping('billing') }],
      tenants: { acme: { modules: ['billing'] } },
    });
    onTestFinished(() => modreg.close());
    const { call, logged } = await testApp(modreg);
    expect((await call({ url: '/billing/admin/ping', tenant: 'acme' })).status).toBe(404);

    await modreg.register(
      { name: 'billing-admin', version: '1.0.0', routes: { prefix: '/billing/admin' } },
      ping('billing-admin'),
    );
    expect(await call({ url: '/billing/admin/ping', tenant: 'acme' })).toMatchObject({
      status: 403,
      body: { error: 'module-disabled', module: 'billing-admin' },
    });
    await modreg.enable('acme', 'billing-admin');
    expect(await call({ url: '/billing/admin/ping', tenant: 'acme' })).toMatchObject({
      status: 200,
      body: { module: 'billing-admin', tenant: 'acme' },
    });
    // The module that owns /billing keeps the rest of it.
    expect(await call({ url: '/billing/ping', tenant: 'acme' })).toMatchObject({
      status: 200,
      body: { module: 'billing' },
    });
    expect(logged).toEqual([]);
  });

  it('answers 404 for a module added later under a new prefix, and logs that a restart serves it', async () => {
    const modreg = await createTestModreg({
      modules: [{ name: 'billing', routes: { prefix: '/billing' }, hooks: ping('billing') }],
      tenants: { acme: { modules: ['billing'] } },
    });
    onTestFinished(() => modreg.close());
    const { call, logged } = await testApp(modreg);
    await modreg.register(
      { name: 'crm', version: '1.0.0', routes: { prefix: '/crm' } },
      ping('crm'),
    );
    await modreg.enable('acme', 'crm');
    expect((await call({ url: '/crm/ping', tenant: 'acme' })).status).toBe(404);
    expect(logged).toEqual([
      expect.stringMatching(
        /module "crm" \(prefix \/crm\) was added after the Fastify plugin was registered.*served after a restart \(or register the plugin with catchAll: true\)/,
      ),
    ]);
    expect((await call({ url: '/billing/ping', tenant: 'acme' })).status).toBe(200);

    // The same registry, a new app (a restart): crm is mounted.
    const restarted = await testApp(modreg);
    expect(await restarted.call({ url: '/crm/ping', tenant: 'acme' })).toMatchObject({
      status: 200,
      body: { module: 'crm' },
    });
  });

  it('with catchAll, serves a module added later under a new prefix without a restart, and leaves other paths to the app', async () => {
    const modreg = await createTestModreg({
      modules: [{ name: 'billing', routes: { prefix: '/billing' }, hooks: ping('billing') }],
      tenants: { acme: { modules: ['billing'] } },
    });
    onTestFinished(() => modreg.close());
    const { call, logged } = await testApp(modreg, {
      plugin: { catchAll: true },
      before: (app) => {
        app.get('/', async () => ({ home: true }));
        app.get('/about/*', async () => ({ about: true }));
      },
    });
    expect((await call({ url: '/crm/ping', tenant: 'acme' })).status).toBe(404);
    await modreg.register(
      { name: 'crm', version: '1.0.0', routes: { prefix: '/crm' } },
      ping('crm'),
    );
    expect(await call({ url: '/crm/ping', tenant: 'acme' })).toMatchObject({
      status: 403,
      body: { error: 'module-disabled', module: 'crm' },
    });
    await modreg.enable('acme', 'crm');
    expect(await call({ url: '/crm/ping', tenant: 'acme' })).toMatchObject({
      status: 200,
      body: { module: 'crm', tenant: 'acme' },
    });
    // The app's own routes, and paths no module serves, are untouched.
    expect(await call({ url: '/', tenant: 'acme' })).toMatchObject({
      status: 200,
      body: { home: true },
    });
    expect(await call({ url: '/about/us' })).toMatchObject({ status: 200, body: { about: true } });
    expect((await call({ url: '/nowhere', tenant: 'acme' })).status).toBe(404);
    expect((await call({ url: '/billing/ping', tenant: 'acme' })).status).toBe(200);
    expect(logged).toEqual([]);
  });

  it('answers 404 for the routes of a module removed from the registry file', async () => {
    const file = join(await tempDir(), 'registry.json');
    const both = [
      { name: 'billing', routes: { prefix: '/billing' } },
      { name: 'crm', routes: { prefix: '/crm' } },
    ];
    await writeRegistryFile(file, createTestRegistry(both));
    const store = createMemoryStore({
      tenants: { acme: { modules: ['billing', 'crm'], flags: {} } },
    });
    const modreg = createModreg({
      registry: file,
      store,
      modules: { billing: ping('billing'), crm: ping('crm') },
      logger: false,
    });
    onTestFinished(async () => {
      await modreg.close();
      await store.close();
    });
    const { call } = await testApp(modreg);
    expect((await call({ url: '/crm/ping', tenant: 'acme' })).status).toBe(200);

    await writeRegistryFile(file, createTestRegistry(both.slice(0, 1)));
    await modreg.reloadRegistry();
    expect((await call({ url: '/crm/ping', tenant: 'acme' })).status).toBe(404);
    expect((await call({ url: '/billing/ping', tenant: 'acme' })).status).toBe(200);
  });

  it('stops following the registry when the app closes', async () => {
    const modreg = await createTestModreg({
      modules: [{ name: 'billing', routes: { prefix: '/billing' }, hooks: ping('billing') }],
    });
    onTestFinished(() => modreg.close());
    const { app, logged } = await testApp(modreg);
    await app.close();
    await modreg.register(
      { name: 'crm', version: '1.0.0', routes: { prefix: '/crm' } },
      ping('crm'),
    );
    // An app still following would have logged that /crm is not mounted.
    expect(logged).toEqual([]);
  });
});
