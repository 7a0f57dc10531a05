import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAdminHandler } from '../../src/admin/create-admin-handler.js';
import { READ_TOKEN, startAdmin, TEST_TOKENS, WRITE_TOKEN } from './helpers/admin-server.js';
import { shopModreg } from './helpers/shop.js';

/** A raw request, for bodies fetch cannot send: a stream larger than the limit, no length. */
function rawPost(base: string, path: string, chunks: Buffer[], headers: Record<string, string>) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = httpRequest(new URL(path, base), { method: 'POST', headers }, (res) => {
        let body = '';
        res.on('data', (data) => {
          body += data;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', reject);
      let i = 0;
      const next = () => {
        if (i === chunks.length) return req.end();
        // A sender that keeps going after the answer: the server stops reading and closes.
        req.write(chunks[i++], (error) =>
          error ? resolve({ status: -1, body: '', headers: {} }) : next(),
        );
      };
      next();
    },
  );
}

describe('what the admin API accepts', () => {
  it('no anonymous access: 401 with WWW-Authenticate, for every path, the unknown ones too', async () => {
    const admin = await startAdmin(await shopModreg());
    for (const [method, path] of [
      ['GET', '/api/tenants'],
      ['GET', '/api/health'],
      ['GET', '/api/events'],
      ['POST', '/api/tenants/acme/enable'],
      ['GET', '/api/nothing-here'],
    ]) {
      const none = await admin.request(method as string, path as string, { token: null });
      expect(none.status, path).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="modreg"');
      const wrong = await admin.request(method as string, path as string, {
        token: `${WRITE_TOKEN}x`,
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    for (const header of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      `bearer  ${WRITE_TOKEN.slice(0, 8)}`,
      WRITE_TOKEN,
    ]) {
      const reply = await admin.request('GET', '/api/tenants', {
        token: null,
        headers: { authorization: header },
      });
      expect(reply.status, header).toBe(401);
    }
    expect(
      (
        await admin.request('GET', '/api/tenants', {
          token: null,
          headers: { authorization: `bearer ${WRITE_TOKEN}` },
        })
      ).status,
    ).toBe(200);
  });

  it('a read-only token reads and asks for dry runs; a change with it is 403 and writes nothing', async () => {
    const admin = await startAdmin(await shopModreg());
    const change = { modules: ['users'] };
    const forbidden = await admin.request('POST', '/api/tenants/acme/enable', {
      token: READ_TOKEN,
      body: change,
    });
    expect(forbidden).toMatchObject({
      status: 403,
      body: {
        error: {
          code: 'forbidden',
          message: expect.stringContaining('"reader" has read-only access'),
        },
      },
    });
    for (const [method, path, body] of [
      ['POST', '/api/tenants/acme/disable', { modules: ['users'] }],
      ['PATCH', '/api/tenants/acme/flags', { set: { 'billing.seats': 1 } }],
      ['POST', '/api/tenants/acme/rollback', { to: 0 }],
      ['POST', '/api/bulk', { action: 'enable', modules: ['users'], tenants: ['acme'] }],
    ] as const) {
      expect((await admin.request(method, path, { token: READ_TOKEN, body })).status, path).toBe(
        403,
      );
    }
    const dryRun = await admin.request('POST', '/api/tenants/acme/enable', {
      token: READ_TOKEN,
      body: { ...change, dryRun: true },
    });
    expect(dryRun).toMatchObject({
      status: 200,
      body: { dryRun: true, changes: [{ module: 'users' }] },
    });
    expect((await admin.request('GET', '/api/tenants/acme', { token: READ_TOKEN })).status).toBe(
      404,
    );
  });

  it("authorize(req), sync or async, decides; its actor is the history's; null is 401, a bad answer 500", async () => {
    const modreg = await shopModreg();
    const admin = await startAdmin(modreg, {
      authorize: async (req) => {
        const user = req.headers['x-user'];
        if (user === 'broken') return { actor: '', access: 'write' };
        if (user === 'throws') throw new Error('session store down');
        return typeof user === 'string'
          ? { actor: user, access: user === 'ro' ? 'read' : 'write' }
          : null;
      },
    });
    const as = (user: string) => ({ token: null, headers: { 'x-user': user } });
    expect((await admin.request('GET', '/api/tenants', { token: null })).status).toBe(401);
    expect(
      (
        await admin.request('POST', '/api/tenants/acme/enable', {
          ...as('alice'),
          body: { modules: ['users'] },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin.request('POST', '/api/tenants/acme/enable', {
          ...as('ro'),
          body: { modules: ['billing'] },
        })
      ).status,
    ).toBe(403);
    expect((await admin.request('GET', '/api/tenants/acme/history', as('ro'))).body).toMatchObject({
      history: [{ actor: 'alice' }],
    });
    for (const user of ['broken', 'throws']) {
      expect(await admin.request('GET', '/api/tenants', as(user))).toMatchObject({
        status: 500,
        body: { error: { code: 'internal' } },
      });
    }
    const sync = await startAdmin(modreg, { authorize: () => ({ actor: 'bob', access: 'read' }) });
    expect((await sync.request('GET', '/api/tenants/acme', { token: null })).status).toBe(200);
  });

  it('refuses options that would let anyone in, or tokens anyone could guess', async () => {
    const modreg = await shopModreg();
    expect(() => createAdminHandler(modreg, {})).toThrow(/no anonymous access/);
    expect(() => createAdminHandler(modreg, { tokens: [] })).toThrow(/No admin tokens/);
    expect(() =>
      createAdminHandler(modreg, { tokens: [{ token: 'short', actor: 'a', access: 'write' }] }),
    ).toThrow(/shorter than 16/);
    expect(() =>
      createAdminHandler(modreg, { tokens: [{ token: WRITE_TOKEN, actor: '', access: 'write' }] }),
    ).toThrow(/no actor/);
    expect(() =>
      createAdminHandler(modreg, {
        tokens: [{ token: WRITE_TOKEN, actor: 'a', access: 'admin' as never }],
      }),
    ).toThrow(/"read" or "write"/);
    expect(() => modreg.admin({})).toThrow(/no anonymous access/);
    expect(() => createAdminHandler(modreg, { tokens: TEST_TOKENS, maxBulkTenants: 0 })).toThrow(
      /maxBulkTenants is a whole number/,
    );
    expect(() => createAdminHandler(modreg, { tokens: TEST_TOKENS, maxBodyBytes: 1.5 })).toThrow(
      /maxBodyBytes/,
    );
  });

  it('JSON only (415), at most 64 KiB (413, reading stopped), well-formed (400)', async () => {
    const admin = await startAdmin(await shopModreg());
    const path = '/api/tenants/acme/enable';
    const body = JSON.stringify({ modules: ['users'] });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    ]) {
      const reply = await admin.request('POST', path, { body, headers: { 'content-type': type } });
      expect(reply.status, type).toBe(415);
      expect(reply.body).toMatchObject({ error: { code: 'unsupported-media-type' } });
    }
    expect(
      (
        await admin.request('POST', path, {
          body,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        })
      ).status,
    ).toBe(200);
    const big = JSON.stringify({ modules: ['users'], padding: 'x'.repeat(70_000) });
    expect(await admin.request('POST', path, { body: big })).toMatchObject({
      status: 413,
      body: { error: { code: 'too-large' } },
    });
    const chunk = Buffer.alloc(16_384, 0x20);
    const streamed = await rawPost(
      admin.base,
      path,
      Array.from({ length: 2000 }, () => chunk),
      {
        authorization: `Bearer ${WRITE_TOKEN}`,
        'content-type': 'application/json',
        'transfer-encoding': 'chunked',
      },
    );
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: 'too-large' } });
    for (const text of ['{"modules": [', '', 'null', '"users"']) {
      const reply = await admin.request('POST', path, { body: text });
      expect(reply.status, text).toBe(400);
    }
    expect((await admin.request('GET', '/api/tenants/acme')).body).toMatchObject({ revision: 1 });
  });

  it('security headers on every response: API, errors, 404, 405, the console and its 404s', async () => {
    // startAdmin's request checks the headers on each; these are the responses not seen elsewhere.
    const admin = await startAdmin(await shopModreg());
    const notFound = await admin.request('GET', '/api/tenants/acme/nothing');
    expect(notFound).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    const wrongMethod = await admin.request('DELETE', '/api/tenants/acme');
    expect(wrongMethod).toMatchObject({
      status: 405,
      body: { error: { code: 'method-not-allowed' } },
    });
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect((await admin.request('PUT', '/api/tenants/acme/enable')).headers.get('allow')).toBe(
      'POST',
    );
    const page = await admin.request('GET', '/', { token: null });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<title>modreg admin</title>');
    expect((await admin.request('HEAD', '/index.html', { token: null })).status).toBe(200);
    for (const path of [
      '/missing.js',
      '/.hidden',
      '/%2e%2e/package.json',
      '/..%2F..%2Fpackage.json',
      '/a%00b',
      '/%E0%A4%A',
    ]) {
      const reply = await admin.request('GET', path, { token: null });
      expect(reply.status, path).toBe(404);
      expect(reply.body).toMatchObject({ error: { code: 'not-found' } });
    }
    expect((await admin.request('POST', '/', { token: null, body: {} })).status).toBe(404);
  });
});
