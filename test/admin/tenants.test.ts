import { describe, expect, it } from 'vitest';
import { startAdmin } from './helpers/admin-server.js';
import { shopModreg } from './helpers/shop.js';

describe('reading through the admin API', () => {
  it('GET /api/modules: the registry as discover --json shows it, with layers, cycles and blocked causes', async () => {
    const admin = await startAdmin(await shopModreg());
    const { status, body } = await admin.request('GET', '/api/modules');
    expect(status).toBe(200);
    const view = body as {
      modules: { name: string }[];
      order: string[];
      layers: string[][];
      cycles: string[][];
      blocked: unknown[];
    };
    expect(view.order).toEqual([
      'analytics',
      'core',
      'sessions',
      'auth',
      'users',
      'billing',
      'invoicing',
      'reports',
    ]);
    expect(
      view.modules
        .map((m) => m.name)
        .slice(-3)
        .sort(),
    ).toEqual(['ghost', 'loop-a', 'loop-b']);
    expect(view.layers[0]).toEqual(['analytics', 'core', 'sessions']);
    expect(view.cycles).toEqual([['loop-a', 'loop-b', 'loop-a']]);
    expect(view.blocked).toHaveLength(3);
    expect(view.blocked).toEqual(
      expect.arrayContaining([
        {
          module: 'ghost',
          reason: 'requires "ledger", which is not among the modules',
          cause: 'missing-dependency',
        },
        {
          module: 'loop-a',
          reason: expect.stringContaining('loop-a → loop-b → loop-a'),
          cause: 'cycle',
        },
        {
          module: 'loop-b',
          reason: expect.stringContaining('loop-a → loop-b → loop-a'),
          cause: 'cycle',
        },
      ]),
    );
  });

  it("GET /api/tenants/{tenant}: status plus every module's state and why, with the revision as ETag", async () => {
    const admin = await startAdmin(await shopModreg());
    await admin.request('POST', '/api/tenants/acme/enable', {
      body: { modules: ['invoicing'], withDeps: true },
    });
    const { status, headers, body } = await admin.request('GET', '/api/tenants/acme');
    expect(status).toBe(200);
    expect(headers.get('etag')).toBe('"1"');
    expect(body).toMatchObject({
      tenant: 'acme',
      modules: ['core', 'sessions', 'auth', 'users', 'billing', 'invoicing'],
      unavailable: [],
      flags: { 'billing.currency': 'EUR', 'billing.seats': 5 },
      ownFlags: {},
      revision: 1,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const states = Object.fromEntries(
      (body as { moduleStates: { module: string }[] }).moduleStates.map(({ module, ...rest }) => [
        module,
        rest,
      ]),
    );
    expect(states).toEqual({
      analytics: { state: 'disabled', reason: 'disabled', requiredBy: [], needs: [] },
      core: {
        state: 'core',
        reason: 'core: on for every tenant',
        requiredBy: ['users'],
        needs: [],
      },
      sessions: {
        state: 'core',
        reason: 'core: required by auth',
        requiredBy: ['auth'],
        needs: [],
      },
      auth: { state: 'core', reason: 'core: on for every tenant', requiredBy: [], needs: [] },
      users: {
        state: 'enabled',
        reason: 'required by billing, invoicing',
        requiredBy: ['billing', 'invoicing'],
        needs: [],
      },
      billing: {
        state: 'enabled',
        reason: 'required by invoicing',
        requiredBy: ['invoicing'],
        needs: [],
      },
      invoicing: { state: 'enabled', reason: 'enabled', requiredBy: [], needs: [] },
      reports: { state: 'disabled', reason: 'disabled', requiredBy: [], needs: [] },
      ghost: {
        state: 'blocked',
        reason: 'blocked: requires "ledger", which is not among the modules',
        requiredBy: [],
        needs: [],
      },
      'loop-a': {
        state: 'blocked',
        reason: expect.stringMatching(
          /^blocked: is in a dependency cycle: loop-a → loop-b → loop-a/,
        ),
        requiredBy: [],
        needs: [],
      },
      'loop-b': {
        state: 'blocked',
        reason: expect.stringMatching(/^blocked: /),
        requiredBy: [],
        needs: [],
      },
    });
    const fresh = await admin.request('POST', '/api/tenants/globex/enable', {
      body: { modules: ['users'] },
    });
    expect(fresh.status).toBe(200);
    const globex = (await admin.request('GET', '/api/tenants/globex')).body as {
      moduleStates: { module: string; reason: string; needs: string[] }[];
    };
    expect(globex.moduleStates.find((m) => m.module === 'invoicing')).toMatchObject({
      reason: 'needs billing',
      needs: ['billing'],
    });
  });

  it('404 for a tenant never written (view and history), 400 for an id that is not one', async () => {
    const admin = await startAdmin(await shopModreg());
    for (const path of ['/api/tenants/nobody', '/api/tenants/nobody/history']) {
      const reply = await admin.request('GET', path);
      expect(reply.status).toBe(404);
      expect(reply.body).toMatchObject({
        error: {
          code: 'not-found',
          message: expect.stringContaining('"nobody" has never been written'),
        },
      });
    }
    for (const id of ['..%2Fetc', '__proto__', '-x', 'a%00b', 'x'.repeat(129), '%E2%9C%93']) {
      const reply = await admin.request('GET', `/api/tenants/${id}`);
      expect(reply.status, id).toBe(400);
      expect(reply.body).toMatchObject({
        error: { code: 'invalid', message: expect.stringContaining('tenant id') },
      });
    }
    expect((await admin.request('GET', '/api/tenants/%E0%A4%A')).status).toBe(400);
  });

  it('a module whose code failed for the tenant in this server is shown failed, with the reason', async () => {
    const { createTestModreg } = await import('../../src/runtime/testing.js');
    const modreg = await createTestModreg({
      modules: [
        { name: 'users' },
        {
          name: 'billing',
          dependencies: ['users'],
          hooks: {
            activate: () => {
              throw new Error('no payment provider');
            },
          },
        },
      ],
    });
    const admin = await startAdmin(modreg);
    await admin.request('POST', '/api/tenants/acme/enable', {
      body: { modules: ['billing'], withDeps: true },
    });
    await modreg.loadModulesForTenant('acme');
    const { body } = await admin.request('GET', '/api/tenants/acme');
    expect((body as { moduleStates: unknown[] }).moduleStates).toEqual([
      {
        module: 'users',
        state: 'enabled',
        reason: 'required by billing',
        requiredBy: ['billing'],
        needs: [],
      },
      {
        module: 'billing',
        state: 'failed',
        reason: expect.stringContaining('failed: '),
        requiredBy: [],
        needs: [],
      },
    ]);
    expect(JSON.stringify(body)).toContain('no payment provider');
    await modreg.close();
  });

  it('ids such as constructor and toString are ordinary tenants', async () => {
    const admin = await startAdmin(await shopModreg());
    for (const id of ['constructor', 'toString', 'hasOwnProperty']) {
      expect(
        (await admin.request('POST', `/api/tenants/${id}/enable`, { body: { modules: ['users'] } }))
          .status,
      ).toBe(200);
      expect((await admin.request('GET', `/api/tenants/${id}`)).body).toMatchObject({
        tenant: id,
        revision: 1,
      });
    }
  });

  it('a tenant seeded without history is read as the store holds it, with its time', async () => {
    const admin = await startAdmin(
      await shopModreg({ seeded: { modules: ['users'], flags: { 'billing.seats': 9 } } }),
    );
    const { body } = await admin.request('GET', '/api/tenants/seeded');
    expect(body).toMatchObject({
      tenant: 'seeded',
      revision: 1,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ownFlags: { 'billing.seats': 9 },
    });
    expect((await admin.request('GET', '/api/tenants/seeded/history')).body).toEqual({
      tenant: 'seeded',
      history: [],
    });
  });

  it('GET /api/tenants pages through every tenant with revision, time and module count', async () => {
    const admin = await startAdmin(await shopModreg());
    const ids = ['t1', 't2', 't3', 't4', 't5'];
    for (const id of ids)
      await admin.request('POST', `/api/tenants/${id}/enable`, {
        body: { modules: ['billing'], withDeps: true },
      });
    const seen: unknown[] = [];
    let cursor: string | undefined;
    do {
      const reply = await admin.request(
        'GET',
        `/api/tenants?limit=2${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      expect(reply.status).toBe(200);
      const page = reply.body as { tenants: unknown[]; next?: string };
      expect(page.tenants.length).toBeLessThanOrEqual(2);
      seen.push(...page.tenants);
      cursor = page.next;
    } while (cursor !== undefined);
    expect(seen).toHaveLength(5);
    expect(seen).toContainEqual({
      tenant: 't3',
      revision: 1,
      updatedAt: expect.any(String),
      modules: 5,
    });
    for (const bad of ['limit=0', 'limit=501', 'limit=x', 'cursor=%3F%3F']) {
      expect((await admin.request('GET', `/api/tenants?${bad}`)).status, bad).toBe(400);
    }
  });

  it('GET …/history: newest first, as history --json, bounded by limit', async () => {
    const admin = await startAdmin(await shopModreg());
    await admin.request('POST', '/api/tenants/acme/enable', { body: { modules: ['users'] } });
    await admin.request('PATCH', '/api/tenants/acme/flags', {
      body: { set: { 'billing.seats': 7 } },
    });
    const { body } = await admin.request('GET', '/api/tenants/acme/history?limit=1');
    expect(body).toEqual({
      tenant: 'acme',
      history: [
        {
          revision: 2,
          at: expect.any(String),
          actor: 'admin-token',
          operation: 'set billing.seats = 7',
          before: { modules: ['users'], flags: {} },
          after: { modules: ['users'], flags: { 'billing.seats': 7 } },
        },
      ],
    });
    expect((await admin.request('GET', '/api/tenants/acme/history?limit=1001')).status).toBe(400);
  });
});
