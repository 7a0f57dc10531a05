import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ModuleRouter } from '../../src/runtime/types.js';
import { createTestModreg } from '../../src/testing.js';
import { testApp } from './fastify-app.js';

/** An app whose one module, `notes` under /notes, registers its routes with `setup`. */
async function notes(setup: (router: ModuleRouter) => void, before?: typeof beforeHook) {
  const modreg = await createTestModreg({
    modules: [
      { name: 'notes', routes: { prefix: '/notes' }, hooks: { setup: (c) => setup(c.router) } },
    ],
    tenants: { acme: { modules: ['notes'] } },
  });
  onTestFinished(() => modreg.close());
  return testApp(modreg, before === undefined ? {} : { before });
}

const beforeHook = (app: FastifyInstance) => {
  app.decorate('greeting', 'hello');
};

describe('framework-neutral routes under the Fastify plugin', () => {
  it('get the method, parameters, query, JSON body and tenant, and answer with their result', async () => {
    const { call } = await notes((router) => {
      router.route({
        method: 'POST',
        path: '/:id/comments',
        handler: ({ method, params, query, body, tenant, respond }) =>
          respond(
            201,
            { method, id: params.id, query, body, tenant: tenant.id },
            { 'x-made': '1' },
          ),
      });
      router.route({ method: 'DELETE', path: '/:id', handler: () => undefined });
      router.route({ method: 'GET', path: '/title', handler: () => 'a string' });
      router.route({ method: 'GET', path: '/', handler: () => ({ notes: [] }) });
      router.route({
        method: 'PUT',
        path: '/fail',
        handler: async () => {
          throw new Error('cannot save');
        },
      });
    });
    expect(
      await call({
        method: 'POST',
        url: '/notes/7/comments?draft=1',
        tenant: 'acme',
        payload: { text: 'hi' },
      }),
    ).toEqual({
      status: 201,
      body: {
        method: 'POST',
        id: '7',
        query: { draft: '1' },
        body: { text: 'hi' },
        tenant: 'acme',
      },
    });
    expect(await call({ method: 'DELETE', url: '/notes/7', tenant: 'acme' })).toEqual({
      status: 204,
      body: '',
    });
    // Always JSON, as under Express: a string result is a JSON string.
    expect(await call({ url: '/notes/title', tenant: 'acme' })).toEqual({
      status: 200,
      body: 'a string',
    });
    expect(await call({ method: 'PUT', url: '/notes/fail', tenant: 'acme' })).toMatchObject({
      status: 500,
      body: { message: 'cannot save' },
    });
    // A route '/' answers the prefix with and without the slash, as Fastify's prefixes do.
    for (const url of ['/notes', '/notes/']) {
      expect(await call({ url, tenant: 'acme' })).toEqual({ status: 200, body: { notes: [] } });
    }
    // HEAD for every GET, as Fastify exposes them.
    expect(await call({ method: 'HEAD', url: '/notes/', tenant: 'acme' })).toMatchObject({
      status: 200,
      body: '',
    });
    expect((await call({ method: 'GET', url: '/notes/7', tenant: 'acme' })).status).toBe(404);
  });

  it('are refused in setup when malformed: the module fails with the reason', async () => {
    const { call } = await notes((router) => {
      router.route({ method: 'FETCH', path: '/x', handler: () => 1 } as never);
    });
    expect(await call({ url: '/notes/x', tenant: 'acme' })).toMatchObject({
      status: 503,
      body: {
        error: 'module-unavailable',
        state: 'failed',
        reason: expect.stringMatching(/setup failed: router\.route\(.*its method is "FETCH"/),
      },
    });
  });
});

describe('Fastify handlers under the Fastify plugin', () => {
  it('run as Fastify runs them: this, parameters, reply.send or a returned value', async () => {
    const { call } = await notes((router) => {
      router.get('/:id', async function (this: FastifyInstance, request: FastifyRequest) {
        const { id } = request.params as { id: string };
        return {
          id,
          tenant: request.tenant?.id,
          greeting: (this as { greeting?: string }).greeting,
        };
      });
      router.post('/sent', (request: FastifyRequest, reply: FastifyReply) => {
        setImmediate(() => reply.code(202).send({ later: request.tenant?.id }));
      });
    }, beforeHook);
    expect(await call({ url: '/notes/9', tenant: 'acme' })).toEqual({
      status: 200,
      body: { id: '9', tenant: 'acme', greeting: 'hello' },
    });
    expect(await call({ method: 'POST', url: '/notes/sent', tenant: 'acme' })).toEqual({
      status: 202,
      body: { later: 'acme' },
    });
  });

  it('logs and skips what Fastify cannot run: Express middleware, several handlers', async () => {
    const { call, logged } = await notes((router) => {
      router.use((_req: unknown, _res: unknown, next: () => void) => next());
      router.get(
        '/two',
        () => 1,
        () => 2,
      );
      router.get('/one', async () => ({ ok: true }));
    });
    expect(await call({ url: '/notes/one', tenant: 'acme' })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect((await call({ url: '/notes/two', tenant: 'acme' })).status).toBe(404);
    expect(logged).toEqual([
      expect.stringMatching(
        /module "notes": a route is not mounted: router\.use takes Express middleware/,
      ),
      expect.stringMatching(
        /module "notes": a route is not mounted: router\.get\("\/two".*one \(request, reply\) handler/,
      ),
    ]);
  });

  it('serves a route the module registers after its first request', async () => {
    let later: ModuleRouter | undefined;
    const { call } = await notes((router) => {
      later = router;
      router.route({ method: 'GET', path: '/first', handler: () => ({ first: true }) });
    });
    expect((await call({ url: '/notes/first', tenant: 'acme' })).status).toBe(200);
    expect((await call({ url: '/notes/second', tenant: 'acme' })).status).toBe(404);
    later?.route({ method: 'GET', path: '/second', handler: () => ({ second: true }) });
    expect(await call({ url: '/notes/second', tenant: 'acme' })).toEqual({
      status: 200,
      body: { second: true },
    });
  });
});
