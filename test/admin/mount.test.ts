import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadedFiles } from '../helpers/loaded-packages.js';
import { consoleSource, send, TEST_TOKENS, WRITE_TOKEN } from './helpers/admin-server.js';
import { shopModreg } from './helpers/shop.js';

async function listening(server: Server): Promise<string> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the admin handler in a host app', () => {
  it("Express: app.use('/admin', modreg.admin(…)), behind the app's own JSON parser", async () => {
    const modreg = await shopModreg();
    const admin = modreg.admin({ tokens: TEST_TOKENS, consoleDir: consoleSource, logger: false });
    onTestFinished(() => admin.close());
    const app = express();
    app.use(express.json());
    app.use('/admin', admin);
    app.get('/hello', (_req, res) => {
      res.send('host route');
    });
    const root = await listening(createServer(app));
    const base = `${root}/admin/`;
    const enabled = await send(base, 'POST', 'api/tenants/acme/enable', {
      body: { modules: ['users'] },
    });
    expect(enabled).toMatchObject({ status: 200, body: { tenant: 'acme', revision: 1 } });
    expect((await send(base, 'GET', 'api/tenants/acme')).body).toMatchObject({
      modules: ['core', 'sessions', 'auth', 'users'],
    });
    expect(
      (
        await send(base, 'POST', 'api/tenants/acme/enable', {
          body: { modules: ['users'], x: 'y'.repeat(70_000) },
        })
      ).status,
    ).toBe(413);
    const bare = await fetch(`${root}/admin?x=1`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/admin/?x=1');
    expect((await send(base, 'GET', '', { token: null })).text).toContain(
      '<title>modreg admin</title>',
    );
    // What is not the handler's goes on to the app.
    expect(await (await fetch(`${root}/hello`)).text()).toBe('host route');
    const missing = await fetch(`${root}/admin/no-such-file.js`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Cannot GET /admin/no-such-file.js');
  });

  it('Fastify: a catch-all route that hijacks the reply, its body left unparsed, basePath set', async () => {
    const modreg = await shopModreg();
    const admin = modreg.admin({
      tokens: TEST_TOKENS,
      basePath: '/admin',
      consoleDir: consoleSource,
      logger: false,
    });
    onTestFinished(() => admin.close());
    const app = Fastify({ forceCloseConnections: true });
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      const forward = (request: FastifyRequest, reply: FastifyReply) => {
        reply.hijack();
        admin(request.raw, reply.raw);
      };
      scope.all('/admin', forward);
      scope.all('/admin/*', forward);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    onTestFinished(() => app.close());
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/admin/`;
    expect(
      (
        await send(base, 'POST', 'api/tenants/acme/enable', {
          body: { modules: ['billing'], withDeps: true },
        })
      ).status,
    ).toBe(200);
    expect((await send(base, 'GET', 'api/tenants/acme')).body).toMatchObject({ revision: 1 });
    expect((await send(base, 'GET', 'api/tenants', { token: null })).status).toBe(401);
    expect((await send(base, 'GET', '', { token: null })).status).toBe(200);
  });

  it('modreg.admin() with options it cannot start with answers 500 (with the headers) and logs why', async () => {
    const modreg = await shopModreg();
    const errors: string[] = [];
    const admin = modreg.admin({
      tokens: [{ token: 'short', actor: 'a', access: 'write' }],
      logger: { info() {}, warn() {}, error: (message) => errors.push(message) },
    });
    const base = await listening(createServer(admin));
    const reply = await send(base, 'GET', '/api/tenants', { token: 'short' });
    expect(reply).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
    expect(errors).toEqual([expect.stringContaining('shorter than 16 characters')]);
  });

  it('modreg.admin() loads the admin code on its first request, not before; the core entry never does', async () => {
    const adminFiles = (files: string[]) =>
      files
        .filter((f) => f.includes('/dist/admin/'))
        .map((f) => f.slice(f.indexOf('/dist/admin/') + 12));
    const created = await loadedFiles(`
      const { createModreg } = await import('modreg');
      const { createTestRegistry, createMemoryStore } = await import('modreg/testing');
      const modreg = createModreg({ registry: createTestRegistry([{ name: 'users' }]), store: createMemoryStore(), logger: false });
      await modreg.ready();
      modreg.admin({ tokens: [{ token: ${JSON.stringify(WRITE_TOKEN)}, actor: 'a', access: 'read' }] });
      await modreg.close();
    `);
    // Only the few lines that import the rest on the first request.
    expect(adminFiles(created)).toEqual(['lazy-handler.js']);
    const used = await loadedFiles(`
      const { createModreg } = await import('modreg');
      const { createTestRegistry, createMemoryStore } = await import('modreg/testing');
      const { createServer } = await import('node:http');
      const modreg = createModreg({ registry: createTestRegistry([{ name: 'users' }]), store: createMemoryStore(), logger: false });
      const admin = modreg.admin({ tokens: [{ token: ${JSON.stringify(WRITE_TOKEN)}, actor: 'a', access: 'read' }] });
      const server = createServer(admin).listen(0, '127.0.0.1');
      await new Promise((done) => server.once('listening', done));
      const reply = await fetch('http://127.0.0.1:' + server.address().port + '/api/modules', { headers: { authorization: 'Bearer ${WRITE_TOKEN}' } });
      if (reply.status !== 200) throw new Error('status ' + reply.status);
      await admin.close(); server.close(); await modreg.close();
    `);
    expect(adminFiles(used)).toContain('create-admin-handler.js');
  });
});
