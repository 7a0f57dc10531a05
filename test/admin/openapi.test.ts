import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/admin/api/routes.js';
import { ofrepRoutes } from '../../src/admin/ofrep/ofrep-routes.js';
import { adminOpenApiDocument } from '../../src/admin/openapi/document.js';
import { startAdmin } from './helpers/admin-server.js';
import { document } from './helpers/openapi-check.js';
import { shopModreg } from './helpers/shop.js';

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with plain JSON Schema 2020-12 and a bearer scheme over everything', () => {
    const doc = adminOpenApiDocument() as Record<string, unknown>;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc).toMatchObject({
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    });
  });

  it('describes exactly the operations the handler routes', async () => {
    const modreg = await shopModreg();
    const api = {
      modreg,
      views: {} as never,
      events: {} as never,
      maxBulkTenants: 1,
      healthTenantLimit: 1,
    };
    const routes = [...apiRoutes(api), ...ofrepRoutes(api, {})];
    const routed = routes.map((r) => `${r.method} ${r.path}`).sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => ['get', 'post', 'patch', 'put', 'delete'].includes(key))
          .map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(documented).toEqual(routed);
  });

  it('gives every operation an id, a summary, and the error responses of what it can do', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue;
        const op = operation as {
          operationId?: string;
          summary?: string;
          responses: Record<string, unknown>;
        };
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z]+$/);
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(['200', '401', '500']),
        );
        if (path.startsWith('/ofrep/')) {
          // Any token may evaluate (no 403), and OFREP clients read failure bodies on 400, 404
          // and 500 only, so a store that does not answer is a 500 GENERAL, not a 503.
          expect(Object.keys(op.responses), `${method} ${path}`).toEqual(
            expect.arrayContaining(['400', '413', '415']),
          );
        } else if (method !== 'get') {
          expect(Object.keys(op.responses), `${method} ${path}`).toEqual(
            expect.arrayContaining(['400', '403', '413', '415', '503']),
          );
        }
      }
    }
  });

  it('is served at GET /api/openapi.json, to an authenticated caller', async () => {
    const admin = await startAdmin(await shopModreg());
    const reply = await admin.request('GET', '/api/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(adminOpenApiDocument());
    expect((await admin.request('GET', '/api/openapi.json', { token: null })).status).toBe(401);
  });
});

describe('the response check the tests use', () => {
  const headers = new Headers({ 'content-type': 'application/json', etag: '"1"' });
  it('refuses a body that does not match, an undocumented status and a missing header', async () => {
    const { checkResponse } = await import('./helpers/openapi-check.js');
    const tenant = { method: 'GET', path: '/api/tenants/acme', headers };
    expect(() => checkResponse({ ...tenant, status: 200, body: { tenant: 'acme' } })).toThrow(
      /does not match/,
    );
    expect(() => checkResponse({ ...tenant, status: 418, body: {} })).toThrow(
      /does not document status 418/,
    );
    expect(() =>
      checkResponse({
        ...tenant,
        status: 404,
        headers: new Headers(),
        body: { error: { code: 'not-found', message: 'x' } },
      }),
    ).toThrow(/content type/);
    expect(() =>
      checkResponse({ ...tenant, status: 404, body: { error: { code: 'refused', message: 'x' } } }),
    ).toThrow(/does not match/);
    expect(() =>
      checkResponse({
        method: 'POST',
        path: '/api/bulk',
        status: 401,
        headers,
        body: { error: { code: 'unauthorized', message: 'x' } },
      }),
    ).toThrow(/WWW-Authenticate/);
  });
});
