import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createExpressMiddleware, tenantFromHeader } from '../../src/express.js';
import { createModreg } from '../../src/runtime/create-modreg.js';
import type { Modreg } from '../../src/runtime/modreg.js';
import type { ModuleHooks } from '../../src/runtime/types.js';
import { createTestRegistry } from '../../src/testing.js';
import { createControlledStore } from '../runtime/controlled-store.js';
import { testApp } from './fastify-app.js';

/** One module written once, with framework-neutral routes only. */
const notes: ModuleHooks = {
  setup: ({ router }) => {
    router.route({
      method: 'GET',
      path: '/:id',
      handler: ({ tenant, params, query }) => ({
        tenant: tenant.id,
        id: params.id,
        query,
        beta: tenant.flags['notes.beta'],
      }),
    });
    router.route({
      method: 'POST',
      path: '/',
      handler: ({ body, respond }) => respond(201, { created: body }),
    });
    router.route({ method: 'DELETE', path: '/:id', handler: () => undefined });
  },
};

const registry = createTestRegistry([
  {
    name: 'notes',
    routes: { prefix: '/notes' },
    flags: { 'notes.beta': { type: 'boolean', default: false } },
  },
  { name: 'broken', routes: { prefix: '/broken' } },
  { name: 'needs-broken', dependencies: ['broken'], routes: { prefix: '/needs-broken' } },
]);

/** One request through both adapters of one instance: what each answered. */
async function both(modreg: Modreg) {
  const app = express();
  app.use(express.json());
  app.use(createExpressMiddleware(modreg, { resolveTenant: tenantFromHeader() }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fastify = await testApp(modreg);
  return async (method: string, url: string, tenant?: string, payload?: object) => {
    const headers: Record<string, string> = tenant === undefined ? {} : { 'x-tenant-id': tenant };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(base + url, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
    const text = await response.text();
    const viaExpress = { status: response.status, body: text === '' ? '' : JSON.parse(text) };
    const viaFastify = await fastify.call({
      method: method as 'GET',
      url,
      ...(tenant === undefined ? {} : { tenant }),
      ...(payload === undefined ? {} : { payload }),
    });
    return { viaExpress, viaFastify };
  };
}

describe('the Fastify and Express adapters side by side', () => {
  it('answer every request to one module the same: its results and every refusal', async () => {
    const controlled = createControlledStore({
      tenants: {
        acme: { modules: ['notes', 'broken', 'needs-broken'], flags: { 'notes.beta': true } },
      },
    });
    const modreg = createModreg({
      registry,
      store: controlled.store,
      modules: {
        notes,
        broken: {
          setup: () => {
            throw new Error('broken on purpose');
          },
        },
      },
      logger: false,
      storeTimeoutMs: 200,
    });
    onTestFinished(() => modreg.close());
    const request = await both(modreg);
    const cases: [string, string, string | undefined, object?][] = [
      ['GET', '/notes/7?sort=asc', 'acme'],
      ['POST', '/notes/', 'acme', { text: 'hi' }],
      ['DELETE', '/notes/7', 'acme'],
      ['GET', '/notes/7', 'globex'],
      ['GET', '/notes/7', undefined],
      ['GET', '/notes/7', '../etc'],
      ['GET', '/broken/x', 'acme'],
      ['GET', '/needs-broken/x', 'acme'],
    ];
    const statuses: number[] = [];
    for (const [method, url, tenant, payload] of cases) {
      const { viaExpress, viaFastify } = await request(method, url, tenant, payload);
      expect(viaFastify, `${method} ${url} as ${tenant}`).toEqual(viaExpress);
      statuses.push(viaFastify.status);
    }
    expect(statuses).toEqual([200, 201, 204, 403, 400, 400, 503, 503]);
    expect((await request('GET', '/notes/7?sort=asc', 'acme')).viaFastify.body).toEqual({
      tenant: 'acme',
      id: '7',
      query: { sort: 'asc' },
      beta: true,
    });

    controlled.down = true;
    const { viaExpress, viaFastify } = await request('GET', '/notes/7', 'initech');
    expect(viaFastify).toEqual(viaExpress);
    expect(viaFastify).toMatchObject({ status: 503, body: { error: 'state-unavailable' } });
  });
});
