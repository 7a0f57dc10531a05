import { describe, expect, it, onTestFinished } from 'vitest';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createTestModreg, createTestRegistry } from '../../src/testing.js';
import { createControlledStore } from '../runtime/controlled-store.js';
import { ping, testApp } from './fastify-app.js';

const billing = {
  name: 'billing',
  routes: { prefix: '/billing' },
  flags: { 'billing.beta': { type: 'boolean' as const, default: false } },
};

describe('the Fastify plugin', () => {
  it('serves a module for the tenants that enabled it, 403 for the others, 400 without a valid tenant', async () => {
    let setups = 0;
    const hooks = ping('billing');
    const modreg = await createTestModreg({
      modules: [
        {
          ...billing,
          hooks: {
            setup: (ctx) => {
              setups++;
              return hooks.setup?.(ctx);
            },
          },
        },
      ],
      tenants: { acme: { modules: ['billing'], flags: { 'billing.beta': true } } },
    });
    onTestFinished(() => modreg.close());
    const { call } = await testApp(modreg);
    // setup runs when a tenant first needs the module, after Fastify is ready.
    expect(setups).toBe(0);

    expect(await call({ url: '/billing/ping', tenant: 'acme' })).toEqual({
      status: 200,
      body: { module: 'billing', tenant: 'acme', flags: { 'billing.beta': true } },
    });
    expect(setups).toBe(1);
    expect(await call({ url: '/billing/ping', tenant: 'globex' })).toEqual({
      status: 403,
      body: {
        error: 'module-disabled',
        module: 'billing',
        tenant: 'globex',
        message: 'Module "billing" is not enabled for tenant "globex".',
      },
    });
    expect(await call({ url: '/billing/ping' })).toEqual({
      status: 400,
      body: {
        error: 'tenant-required',
        module: 'billing',
        message: 'No tenant found for this request.',
      },
    });
    expect(await call({ url: '/billing/ping', tenant: '../etc' })).toEqual({
      status: 400,
      body: {
        error: 'tenant-invalid',
        module: 'billing',
        message: expect.stringContaining('"../etc"'),
      },
    });
    // A path the module does not serve is Fastify's 404, once the tenant is let through.
    expect(await call({ url: '/billing/nothing', tenant: 'acme' })).toMatchObject({
      status: 404,
    });
  });

  it('makes a module live when it is enabled and refuses it again once disabled, without a restart', async () => {
    const modreg = await createTestModreg({
      modules: [{ ...billing, hooks: ping('billing') }],
      tenants: { acme: {} },
    });
    onTestFinished(() => modreg.close());
    const { call } = await testApp(modreg);
    expect((await call({ url: '/billing/ping', tenant: 'acme' })).status).toBe(403);

    await modreg.enable('acme', 'billing');
    expect(await call({ url: '/billing/ping', tenant: 'acme' })).toEqual({
      status: 200,
      body: { module: 'billing', tenant: 'acme', flags: { 'billing.beta': false } },
    });
    await modreg.updateFlags('acme', { set: { 'billing.beta': true } });
    expect(await call({ url: '/billing/ping', tenant: 'acme' })).toMatchObject({
      body: { flags: { 'billing.beta': true } },
    });
    await modreg.disable('acme', 'billing');
    expect(await call({ url: '/billing/ping', tenant: 'acme' })).toMatchObject({
      status: 403,
      body: { error: 'module-disabled', module: 'billing', tenant: 'acme' },
    });
  });

  it('answers 503 for a module that failed and one blocked behind it, and serves the others', async () => {
    const modreg = await createTestModreg({
      modules: [
        { name: 'healthy', routes: { prefix: '/healthy' }, hooks: ping('healthy') },
        {
          name: 'broken',
          routes: { prefix: '/broken' },
          hooks: {
            setup: () => {
              throw new Error('broken on purpose');
            },
          },
        },
        {
          name: 'needs-broken',
          dependencies: ['broken'],
          routes: { prefix: '/needs-broken' },
          hooks: ping('needs-broken'),
        },
      ],
      tenants: { acme: { modules: ['healthy', 'broken', 'needs-broken'] } },
    });
    onTestFinished(() => modreg.close());
    const { call } = await testApp(modreg);
    expect(await call({ url: '/broken/ping', tenant: 'acme' })).toEqual({
      status: 503,
      body: {
        error: 'module-unavailable',
        module: 'broken',
        tenant: 'acme',
        state: 'failed',
        reason: 'module "broken" setup failed: broken on purpose',
      },
    });
    expect(await call({ url: '/needs-broken/ping', tenant: 'acme' })).toEqual({
      status: 503,
      body: {
        error: 'module-unavailable',
        module: 'needs-broken',
        tenant: 'acme',
        state: 'blocked',
        reason: 'requires "broken", which failed',
      },
    });
    expect(await call({ url: '/healthy/ping', tenant: 'acme' })).toMatchObject({ status: 200 });
  });

  it('answers 503 for a tenant never seen while the store is down, and serves a cached one', async () => {
    const controlled = createControlledStore({
      tenants: { acme: { modules: ['billing'], flags: {} } },
    });
    const modreg = createModreg({
      registry: createTestRegistry([billing]),
      store: controlled.store,
      modules: { billing: ping('billing') },
      logger: false,
      storeTimeoutMs: 200,
    });
    onTestFinished(() => modreg.close());
    const { call } = await testApp(modreg);
    expect((await call({ url: '/billing/ping', tenant: 'acme' })).status).toBe(200);

    controlled.down = true;
    expect(await call({ url: '/billing/ping', tenant: 'globex' })).toEqual({
      status: 503,
      body: {
        error: 'state-unavailable',
        module: 'billing',
        tenant: 'globex',
        message: expect.stringContaining('Cannot read tenant "globex"'),
      },
    });
    expect((await call({ url: '/billing/ping', tenant: 'acme' })).status).toBe(200);
  });

  it('leaves the app its own routes, hooks, 404 and request.tenant null outside module routes', async () => {
    const modreg = await createTestModreg({
      modules: [{ ...billing, hooks: ping('billing') }],
      tenants: { acme: { modules: ['billing'] } },
    });
    onTestFinished(() => modreg.close());
    const { app, call } = await testApp(modreg, {
      before: (app) => {
        app.get('/billing/status', async (request) => ({ own: true, tenant: request.tenant }));
        app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not-found' }));
        app.addHook('onSend', async (_request, reply) => void reply.header('x-app-hook', 'ran'));
      },
    });
    // The app's hooks run for module routes too: they are Fastify routes of the app.
    const served = await app.inject({ url: '/billing/ping', headers: { 'x-tenant-id': 'acme' } });
    expect(served.statusCode).toBe(200);
    expect(served.headers['x-app-hook']).toBe('ran');
    // A static route of the app wins over the module prefix's wildcard, as Fastify matches.
    expect(await call({ url: '/billing/status', tenant: 'acme' })).toEqual({
      status: 200,
      body: { own: true, tenant: null },
    });
    expect(await call({ url: '/elsewhere', tenant: 'acme' })).toEqual({
      status: 404,
      body: { error: 'not-found' },
    });
    expect(await call({ url: '/billing/missing', tenant: 'acme' })).toEqual({
      status: 404,
      body: { error: 'not-found' },
    });
    // OPTIONS is left to the app (CORS preflights): modreg mounts the methods routes take.
    expect(await call({ url: '/billing/ping', tenant: 'acme', method: 'OPTIONS' })).toEqual({
      status: 404,
      body: { error: 'not-found' },
    });
  });

  it('mounts the modules under the prefix of the context it is registered in', async () => {
    const modreg = await createTestModreg({
      modules: [{ ...billing, hooks: ping('billing') }],
      tenants: { acme: { modules: ['billing'] } },
    });
    onTestFinished(() => modreg.close());
    const { modregPlugin, tenantFromHeader } = await import('../../src/fastify.js');
    const { default: Fastify } = await import('fastify');
    const app = Fastify();
    onTestFinished(() => app.close());
    await app.register(
      async (api) => {
        await api.register(modregPlugin, { modreg, resolveTenant: tenantFromHeader() });
      },
      { prefix: '/api' },
    );
    const headers = { 'x-tenant-id': 'acme' };
    const served = await app.inject({ url: '/api/billing/ping', headers });
    expect(served.statusCode).toBe(200);
    expect(served.json()).toMatchObject({ module: 'billing', tenant: 'acme' });
    expect((await app.inject({ url: '/billing/ping', headers })).statusCode).toBe(404);
  });

  it('fails the boot with a usage error for a missing option, and with why modreg cannot start', async () => {
    const modreg = await createTestModreg({ modules: [{ ...billing, hooks: ping('billing') }] });
    onTestFinished(() => modreg.close());
    await expect(testApp(modreg, { plugin: { resolveTenant: undefined } })).rejects.toMatchObject({
      name: 'ModregError',
      code: 'usage',
      message: expect.stringMatching(/needs \{ resolveTenant \}.*tenantFromHeader/),
    });

    const unstarted = createModreg({
      registry: '/nonexistent/registry.json',
      store: createControlledStore().store,
      logger: false,
    });
    onTestFinished(() => unstarted.close());
    await expect(testApp(unstarted)).rejects.toMatchObject({
      name: 'ModregError',
      code: 'environment',
      message: expect.stringContaining('/nonexistent/registry.json'),
    });
  });

  it('follows the fastify-plugin conventions: named modreg, for Fastify 5, its decoration at the app level', async () => {
    const { modregPlugin } = await import('../../src/fastify.js');
    const plugin = modregPlugin as unknown as Record<symbol, unknown>;
    expect(plugin[Symbol.for('skip-override')]).toBe(true);
    expect(plugin[Symbol.for('fastify.display-name')]).toBe('modreg');
    expect(plugin[Symbol.for('plugin-meta')]).toMatchObject({ name: 'modreg', fastify: '5.x' });
    const modreg = await createTestModreg({ modules: [{ ...billing, hooks: ping('billing') }] });
    onTestFinished(() => modreg.close());
    const { app } = await testApp(modreg);
    expect(app.hasPlugin('modreg')).toBe(true);
    expect(app.hasRequestDecorator('tenant')).toBe(true);
  });
});

describe('tenant resolvers for Fastify', () => {
  it('read the tenant from a header or the first label of the host name', async () => {
    const { tenantFromHeader, tenantFromSubdomain } = await import('../../src/fastify.js');
    const request = (headers: Record<string, string | string[]>, hostname = 'localhost') =>
      ({ headers, hostname }) as unknown as import('fastify').FastifyRequest;
    expect(tenantFromHeader()(request({ 'x-tenant-id': 'acme' }))).toBe('acme');
    expect(tenantFromHeader('X-Org')(request({ 'x-org': 'globex' }))).toBe('globex');
    expect(tenantFromHeader()(request({ 'x-tenant-id': '' }))).toBeUndefined();
    expect(tenantFromHeader()(request({}))).toBeUndefined();
    expect(tenantFromSubdomain()(request({}, 'acme.example.com'))).toBe('acme');
    expect(tenantFromSubdomain()(request({}, 'example.com'))).toBeUndefined();
  });

  it('may be async, and a resolver that throws goes to Fastify error handling', async () => {
    const modreg = await createTestModreg({
      modules: [{ ...billing, hooks: ping('billing') }],
      tenants: { acme: { modules: ['billing'] } },
    });
    onTestFinished(() => modreg.close());
    const fromSession = (async (request) => {
      if (request.headers['x-broken'] !== undefined) throw new Error('session store down');
      return request.headers['x-tenant-id'] as string | undefined;
    }) satisfies import('../../src/fastify.js').ResolveTenant;
    const { app } = await testApp(modreg, { plugin: { resolveTenant: fromSession } });
    const served = await app.inject({ url: '/billing/ping', headers: { 'x-tenant-id': 'acme' } });
    expect(served.statusCode).toBe(200);
    const failed = await app.inject({ url: '/billing/ping', headers: { 'x-broken': '1' } });
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toMatchObject({ message: 'session store down' });
  });
});
