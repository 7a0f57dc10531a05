import { describe, expect, it } from 'vitest';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createTestRegistry } from '../../src/runtime/testing.js';
import { createControlledStore } from '../runtime/controlled-store.js';
import { type AdminTestServer, startAdmin } from './helpers/admin-server.js';
import { SHOP_MODULES, shopModreg } from './helpers/shop.js';

/** The tenant's revision and history length, to show that nothing was written. */
async function written(admin: AdminTestServer, tenant: string) {
  const view = await admin.request('GET', `/api/tenants/${tenant}`);
  const history = await admin.request('GET', `/api/tenants/${tenant}/history?limit=1000`);
  return {
    status: view.status,
    body: view.body,
    entries: (history.body as { history?: unknown[] }).history?.length,
  };
}

describe('changing tenants through the admin API', () => {
  it('enable and disable answer as the CLI --json, recorded as the authenticated actor', async () => {
    const admin = await startAdmin(await shopModreg());
    const enabled = await admin.request('POST', '/api/tenants/acme/enable', {
      body: { modules: ['invoicing'], withDeps: true },
    });
    expect(enabled.status).toBe(200);
    expect(enabled.headers.get('etag')).toBe('"1"');
    expect(enabled.body).toEqual({
      tenant: 'acme',
      changes: [
        { module: 'users', action: 'enable', reason: 'required by invoicing' },
        { module: 'billing', action: 'enable', reason: 'required by invoicing' },
        { module: 'invoicing', action: 'enable', reason: 'requested' },
      ],
      revision: 1,
      dryRun: false,
    });
    const disabled = await admin.request('POST', '/api/tenants/acme/disable', {
      body: { modules: ['billing'], cascade: true },
    });
    expect(disabled.body).toMatchObject({
      changes: [
        { module: 'invoicing', action: 'disable', reason: 'requires billing' },
        { module: 'billing', action: 'disable', reason: 'requested' },
      ],
      revision: 2,
    });
    const { body } = await admin.request('GET', '/api/tenants/acme/history');
    expect((body as { history: { actor: string; operation: string }[] }).history).toMatchObject([
      { actor: 'admin-token', operation: 'disable billing (and what requires it)' },
      { actor: 'admin-token', operation: 'enable invoicing (with dependencies)' },
    ]);
  });

  it('a planner refusal is 409 with the alternative and the dependency paths; nothing is written', async () => {
    const admin = await startAdmin(await shopModreg());
    const refused = await admin.request('POST', '/api/tenants/acme/enable', {
      body: { modules: ['invoicing'] },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: {
        code: 'refused',
        message: expect.stringContaining('or pass withDeps: true.'),
        alternative: 'withDeps',
        paths: [
          ['invoicing', 'users'],
          ['invoicing', 'billing'],
        ],
        problem: expect.stringContaining('Cannot enable "invoicing" for tenant "acme"'),
        fix: 'Enable them first',
      },
    });
    expect((await written(admin, 'acme')).status).toBe(404);
    await admin.request('POST', '/api/tenants/acme/enable', {
      body: { modules: ['invoicing'], withDeps: true },
    });
    const disable = await admin.request('POST', '/api/tenants/acme/disable', {
      body: { modules: ['users'] },
    });
    expect(disable.status).toBe(409);
    expect(disable.body).toMatchObject({
      error: {
        code: 'refused',
        alternative: 'cascade',
        paths: [
          ['invoicing', 'users'],
          ['billing', 'users'],
        ],
      },
    });
    const core = await admin.request('POST', '/api/tenants/acme/disable', {
      body: { modules: ['core'] },
    });
    expect(core).toMatchObject({ status: 409, body: { error: { code: 'refused', paths: [] } } });
    const blocked = await admin.request('POST', '/api/tenants/acme/enable', {
      body: { modules: ['loop-a'] },
    });
    expect(blocked).toMatchObject({
      status: 409,
      body: { error: { code: 'refused', message: expect.stringContaining('cycle') } },
    });
    expect((await written(admin, 'acme')).entries).toBe(1);
  });

  it('bad input is 400: an unknown module (with the nearest name), a wrong flag type, a bad body', async () => {
    const admin = await startAdmin(await shopModreg());
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', 'enable', { modules: ['biling'] }, /no module of that name.*Did you mean "billing"/],
      ['POST', 'disable', { modules: ['ledger'] }, /no module of that name/],
      ['POST', 'enable', { modules: [] }, /list of one or more module names/],
      ['POST', 'enable', { modules: 'billing' }, /list of one or more module names/],
      ['POST', 'enable', { modules: ['users'], withDeps: 'yes' }, /"withDeps" is true or false/],
      [
        'POST',
        'enable',
        { modules: ['users'], withDep: true },
        /Unknown field "withDep".*Did you mean "withDeps"/,
      ],
      ['POST', 'enable', ['users'], /must be a JSON object/],
      ['PATCH', 'flags', { set: { 'billing.new-checkout': 'true' } }, /declares it as a boolean/],
      ['PATCH', 'flags', { set: { 'billing.seats': '7' } }, /number/],
      ['PATCH', 'flags', { set: { 'nobody.declares': 1 }, strict: true }, /declare/],
      ['PATCH', 'flags', '{"set":{"__proto__":1}}', /__proto__/],
      ['PATCH', 'flags', { set: [] }, /set must be an object/],
      ['PATCH', 'flags', {}, /Nothing to change/],
      ['POST', 'rollback', { to: -1 }, /"to" is the revision/],
      ['POST', 'rollback', { to: '1' }, /"to" is the revision/],
    ];
    await admin.request('POST', '/api/tenants/acme/enable', { body: { modules: ['users'] } });
    for (const [method, action, body, message] of cases) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const reply = await admin.request(method, `/api/tenants/acme/${action}`, { body: text });
      expect(reply.status, `${action} ${text}`).toBe(400);
      expect(reply.body, `${action} ${text}`).toMatchObject({
        error: { code: 'invalid', message: expect.stringMatching(message) },
      });
    }
    expect((await written(admin, 'acme')).entries).toBe(1);
  });

  it('PATCH …/flags sets typed values as given JSON and unsets them; a dry run writes nothing', async () => {
    const admin = await startAdmin(await shopModreg());
    const set = await admin.request('PATCH', '/api/tenants/acme/flags', {
      body: {
        set: {
          'billing.new-checkout': true,
          'billing.limits': { invoices: 50 },
          'billing.currency': 'true',
        },
      },
    });
    expect(set).toMatchObject({ status: 200, body: { revision: 1, dryRun: false } });
    expect((await admin.request('GET', '/api/tenants/acme')).body).toMatchObject({
      ownFlags: {
        'billing.new-checkout': true,
        'billing.limits': { invoices: 50 },
        'billing.currency': 'true',
      },
    });
    const preview = await admin.request('PATCH', '/api/tenants/acme/flags', {
      body: { unset: ['billing.currency'], dryRun: true },
    });
    expect(preview.body).toEqual({
      tenant: 'acme',
      changes: [{ flag: 'billing.currency', action: 'unset', reason: 'requested', from: 'true' }],
      revision: 1,
      dryRun: true,
    });
    expect((await written(admin, 'acme')).entries).toBe(1);
    await admin.request('PATCH', '/api/tenants/acme/flags', {
      body: { unset: ['billing.currency'] },
    });
    expect((await admin.request('GET', '/api/tenants/acme')).body).toMatchObject({
      flags: { 'billing.currency': 'EUR' },
      revision: 2,
    });
  });

  it('POST …/rollback restores a revision through the planner; 404 for a tenant never written, 400 for a revision not kept', async () => {
    const admin = await startAdmin(await shopModreg());
    await admin.request('POST', '/api/tenants/acme/enable', {
      body: { modules: ['billing'], withDeps: true },
    });
    await admin.request('POST', '/api/tenants/acme/disable', { body: { modules: ['billing'] } });
    const back = await admin.request('POST', '/api/tenants/acme/rollback', { body: { to: 1 } });
    expect(back).toMatchObject({
      status: 200,
      body: { revision: 3, changes: [{ module: 'billing', action: 'enable' }] },
    });
    expect(
      (await admin.request('POST', '/api/tenants/acme/rollback', { body: { to: 9 } })).body,
    ).toMatchObject({
      error: { code: 'invalid', message: expect.stringContaining('no revision 9') },
    });
    expect(
      (await admin.request('POST', '/api/tenants/nobody/rollback', { body: { to: 0 } })).status,
    ).toBe(404);
  });

  it('If-Match: a tenant changed since answers 412 and nothing is written; the current revision goes through', async () => {
    const admin = await startAdmin(await shopModreg());
    await admin.request('POST', '/api/tenants/acme/enable', { body: { modules: ['users'] } });
    const before = await written(admin, 'acme');
    for (const [method, action, body] of [
      ['POST', 'enable', { modules: ['billing'] }],
      ['POST', 'disable', { modules: ['users'] }],
      ['PATCH', 'flags', { set: { 'billing.seats': 8 } }],
      ['POST', 'rollback', { to: 0 }],
      ['POST', 'enable', { modules: ['billing'], dryRun: true }],
    ] as const) {
      const stale = await admin.request(method, `/api/tenants/acme/${action}`, {
        body,
        headers: { 'if-match': '"0"' },
      });
      expect(stale.status, action).toBe(412);
      expect(stale.body).toMatchObject({
        error: { code: 'conflict', message: expect.stringContaining('revision 1, not 0') },
      });
    }
    expect(await written(admin, 'acme')).toEqual(before);
    const current = await admin.request('POST', '/api/tenants/acme/enable', {
      body: { modules: ['billing'] },
      headers: { 'if-match': '"1"' },
    });
    expect(current).toMatchObject({ status: 200, body: { revision: 2 } });
    expect(
      (
        await admin.request('POST', '/api/tenants/acme/enable', {
          body: { modules: ['billing'] },
          headers: { 'if-match': 'W/"2"' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin.request('POST', '/api/tenants/acme/enable', {
          body: { modules: ['billing'] },
          headers: { 'if-match': '2' },
        })
      ).status,
    ).toBe(200);
    const bad = await admin.request('POST', '/api/tenants/acme/enable', {
      body: { modules: ['billing'] },
      headers: { 'if-match': '*' },
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid', message: expect.stringContaining('If-Match') } },
    });
  });

  it('503 while the store is unavailable, with Retry-After', async () => {
    const controlled = createControlledStore();
    const modreg = createModreg({
      registry: createTestRegistry(SHOP_MODULES),
      store: controlled.store,
      logger: false,
      storeTimeoutMs: 500,
      retryMs: 50,
    });
    await modreg.ready();
    const admin = await startAdmin(modreg);
    expect(
      (await admin.request('POST', '/api/tenants/acme/enable', { body: { modules: ['users'] } }))
        .status,
    ).toBe(200);
    controlled.down = true;
    for (const [method, path, body] of [
      ['GET', '/api/tenants/acme', undefined],
      ['GET', '/api/tenants', undefined],
      ['GET', '/api/tenants/acme/history', undefined],
      ['POST', '/api/tenants/acme/enable', { modules: ['billing'] }],
      ['POST', '/api/tenants/acme/rollback', { to: 0 }],
    ] as const) {
      const reply = await admin.request(method, path, body === undefined ? {} : { body });
      expect(reply.status, path).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.body).toMatchObject({ error: { code: 'environment' } });
    }
    const health = await admin.request('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ doctor: { ok: false, findings: [{ check: 'store' }] } });
    controlled.down = false;
    await modreg.close();
  });
});
