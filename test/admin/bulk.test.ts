import { describe, expect, it } from 'vitest';
import { startAdmin } from './helpers/admin-server.js';
import { shopModreg } from './helpers/shop.js';

describe('POST /api/bulk', () => {
  it('plans and applies one change per listed tenant, with a result per tenant (refusals included)', async () => {
    const admin = await startAdmin(await shopModreg());
    await admin.request('POST', '/api/tenants/t2/enable', { body: { modules: ['users'] } });
    const enabled = await admin.request('POST', '/api/bulk', {
      body: { action: 'enable', modules: ['billing'], tenants: ['t1', 't2', 't3', 't2'] },
    });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({
      action: 'enable',
      dryRun: false,
      results: [
        {
          tenant: 't1',
          status: 409,
          error: { code: 'refused', alternative: 'withDeps', paths: [['billing', 'users']] },
        },
        {
          tenant: 't2',
          status: 200,
          result: { tenant: 't2', revision: 2, changes: [{ module: 'billing', action: 'enable' }] },
        },
        { tenant: 't3', status: 409 },
      ],
      summary: { tenants: 3, changed: 1, unchanged: 0, failed: 2 },
    });
    const withDeps = await admin.request('POST', '/api/bulk', {
      body: { action: 'enable', modules: ['billing'], withDeps: true, tenants: ['t1', 't2', 't3'] },
    });
    expect(withDeps.body).toMatchObject({
      summary: { tenants: 3, changed: 2, unchanged: 1, failed: 0 },
    });
    const history = await admin.request('GET', '/api/tenants/t3/history');
    expect(history.body).toMatchObject({
      history: [{ actor: 'admin-token', operation: 'enable billing (with dependencies)' }],
    });
  });

  it('takes { withModule } for every tenant with that module on; flags and disable too; dry runs write nothing', async () => {
    const admin = await startAdmin(await shopModreg());
    for (const id of ['a', 'b', 'c']) {
      await admin.request('POST', `/api/tenants/${id}/enable`, {
        body: { modules: id === 'c' ? ['users'] : ['billing'], withDeps: true },
      });
    }
    const preview = await admin.request('POST', '/api/bulk', {
      body: {
        action: 'flags',
        flags: { set: { 'billing.seats': 20 } },
        tenants: { withModule: 'billing' },
        dryRun: true,
      },
    });
    expect(preview.body).toMatchObject({
      dryRun: true,
      results: [
        { tenant: 'a', status: 200, result: { dryRun: true, revision: 1 } },
        { tenant: 'b', status: 200, result: { dryRun: true, revision: 1 } },
      ],
    });
    expect((await admin.request('GET', '/api/tenants/a')).body).toMatchObject({ revision: 1 });
    const wrongType = await admin.request('POST', '/api/bulk', {
      body: { action: 'flags', flags: { set: { 'billing.seats': 'many' } }, tenants: ['a'] },
    });
    expect(wrongType.body).toMatchObject({
      results: [{ tenant: 'a', status: 400, error: { code: 'invalid' } }],
    });
    const disabled = await admin.request('POST', '/api/bulk', {
      body: {
        action: 'disable',
        modules: ['users'],
        cascade: true,
        tenants: { withModule: 'users' },
      },
    });
    expect(disabled.body).toMatchObject({ summary: { tenants: 3, changed: 3, failed: 0 } });
  });

  it('refuses a bad request whole (400), and more tenants than the bound', async () => {
    const admin = await startAdmin(await shopModreg(), { maxBulkTenants: 2 });
    const cases: [unknown, RegExp][] = [
      [{ action: 'delete', tenants: ['a'] }, /"action" is "enable", "disable" or "flags"/],
      [{ action: 'enable', modules: ['nope'], tenants: ['a'] }, /no module of that name/],
      [{ action: 'enable', modules: ['users'], tenants: [] }, /lists no tenant/],
      [{ action: 'enable', modules: ['users'], tenants: ['a', 'b', 'c'] }, /at most 2 tenants/],
      [{ action: 'enable', modules: ['users'], tenants: ['../x'] }, /tenant id/],
      [
        { action: 'enable', modules: ['users'], tenants: { withModule: 'nope' } },
        /no module "nope"/,
      ],
      [{ action: 'enable', modules: ['users'], tenants: 'all' }, /list of tenant ids/],
      [
        { action: 'enable', modules: ['users'], cascade: true, tenants: ['a'] },
        /Unknown field "cascade"/,
      ],
      [{ action: 'flags', flags: [], tenants: ['a'] }, /"flags" is/],
      [
        { action: 'flags', flags: { sett: {} }, tenants: ['a'] },
        /Unknown field "sett".*Did you mean "set"/,
      ],
    ];
    for (const [body, message] of cases) {
      const reply = await admin.request('POST', '/api/bulk', { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body).toMatchObject({
        error: { code: 'invalid', message: expect.stringMatching(message) },
      });
    }
    for (const id of ['a', 'b', 'c'])
      await admin.request('POST', `/api/tenants/${id}/enable`, { body: { modules: ['users'] } });
    const tooMany = await admin.request('POST', '/api/bulk', {
      body: { action: 'disable', modules: ['users'], tenants: { withModule: 'users' } },
    });
    expect(tooMany).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('more than 2 tenants have "users" on') } },
    });
    const ifMatch = await admin.request('POST', '/api/bulk', {
      body: { action: 'enable', modules: ['users'], tenants: ['a'] },
      headers: { 'if-match': '"1"' },
    });
    expect(ifMatch).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('If-Match') } },
    });
    expect((await admin.request('GET', '/api/tenants/a')).body).toMatchObject({ revision: 1 });
  });
});
