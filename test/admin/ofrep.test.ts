import { describe, expect, it } from 'vitest';
import { createTestModreg } from '../../src/runtime/testing.js';
import { SHOP_MODULES, SHOP_TENANTS } from '../openfeature/helpers.js';
import { READ_TOKEN, startAdmin } from './helpers/admin-server.js';
import { OFREP_FLAGS as FLAG, shopAdmin } from './helpers/ofrep-admin.js';

describe('OFREP: one flag (POST /ofrep/v1/evaluate/flags/{key})', () => {
  it('answers a value with the reason modreg gives in-process, and metadata { module, tenant, revision }', async () => {
    const { evaluate } = await shopAdmin();
    const acme = { targetingKey: 'acme' };
    const cases: [string, unknown, unknown][] = [
      ['billing.currency', acme, { value: 'USD', reason: 'TARGETING_MATCH' }],
      ['users.limit', acme, { value: 50, reason: 'TARGETING_MATCH' }],
      ['billing.plans', acme, { value: { gold: 3 }, reason: 'TARGETING_MATCH' }],
      ['users.beta', acme, { value: false, reason: 'DEFAULT', variant: 'default' }],
      [
        'billing.currency',
        { targetingKey: 'globex' },
        { value: 'EUR', reason: 'DEFAULT', variant: 'default' },
      ],
      ['module:billing', acme, { value: true, reason: 'TARGETING_MATCH', variant: 'on' }],
      ['module:core', acme, { value: true, reason: 'STATIC', variant: 'on' }],
      [
        'module:billing',
        { targetingKey: 'constructor' },
        { value: false, reason: 'TARGETING_MATCH', variant: 'off' },
      ],
    ];
    for (const [key, context, expected] of cases) {
      const { status, body } = await evaluate(key, context);
      expect(status, key).toBe(200);
      const tenant = (context as { targetingKey: string }).targetingKey;
      expect(body, key).toEqual({
        key,
        ...(expected as object),
        metadata: {
          module: key.startsWith('module:') ? key.slice(7) : key.split('.')[0],
          tenant,
          revision: 1,
        },
      });
    }
  });

  it('a key no module declares that the tenant set: its value, TARGETING_MATCH, no module in the metadata', async () => {
    const { evaluate } = await shopAdmin();
    const { status, body } = await evaluate('legacy.beta', { targetingKey: 'acme' });
    expect(status).toBe(200);
    expect(body).toEqual({
      key: 'legacy.beta',
      value: true,
      reason: 'TARGETING_MATCH',
      metadata: { tenant: 'acme', revision: 1 },
    });
  });

  it("answers OFREP's code default (no value) for a flag of a module that is off (DISABLED) or declared without a default (DEFAULT)", async () => {
    const { evaluate } = await shopAdmin();
    const disabled = await evaluate('billing.currency', { targetingKey: 'constructor' });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toEqual({
      key: 'billing.currency',
      reason: 'DISABLED',
      metadata: { module: 'billing', tenant: 'constructor', revision: 1 },
    });
    const noDefault = await evaluate('billing.trial-days', { targetingKey: 'globex' });
    expect(noDefault.status).toBe(200);
    expect(noDefault.body).toEqual({
      key: 'billing.trial-days',
      reason: 'DEFAULT',
      metadata: { module: 'billing', tenant: 'globex', revision: 1 },
    });
  });

  it('a tenant never written: its modules are off, so flags are DISABLED, and core ones DEFAULT (revision 0)', async () => {
    const { evaluate } = await shopAdmin();
    expect((await evaluate('users.beta', { targetingKey: 'newco' })).body).toMatchObject({
      reason: 'DISABLED',
      metadata: { tenant: 'newco', revision: 0 },
    });
    expect((await evaluate('core.theme', { targetingKey: 'newco' })).body).toMatchObject({
      value: 'light',
      reason: 'DEFAULT',
    });
  });

  it('404 FLAG_NOT_FOUND for a key nothing answers for, naming the fix', async () => {
    const { evaluate } = await shopAdmin();
    const unknown = await evaluate('nope.flag', { targetingKey: 'acme' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      key: 'nope.flag',
      errorCode: 'FLAG_NOT_FOUND',
      errorDetails: expect.stringContaining('No module declares flag "nope.flag"'),
    });
    const module = await evaluate('module:ledger', { targetingKey: 'acme' });
    expect(module.status).toBe(404);
    expect(module.body).toMatchObject({
      key: 'module:ledger',
      errorCode: 'FLAG_NOT_FOUND',
      errorDetails: expect.stringContaining('There is no module "ledger"'),
    });
  });

  it('takes the tenant from the context\'s "tenant" attribute before its targetingKey', async () => {
    const { evaluate } = await shopAdmin();
    const { body } = await evaluate('billing.currency', { targetingKey: 'user-7', tenant: 'acme' });
    expect(body).toMatchObject({ value: 'USD', metadata: { tenant: 'acme' } });
  });

  it('takes the tenant where the ofrep option says: another attribute, and targetingKey left alone', async () => {
    const modreg = await createTestModreg({ modules: SHOP_MODULES, tenants: SHOP_TENANTS });
    const admin = await startAdmin(modreg, {
      ofrep: { tenantAttribute: 'org', targetingKeyIsTenant: false },
    });
    const ask = (context: unknown) =>
      admin.request('POST', `${FLAG}/billing.currency`, { body: { context } });
    expect((await ask({ targetingKey: 'user-7', org: 'acme' })).body).toMatchObject({
      value: 'USD',
      metadata: { tenant: 'acme' },
    });
    const userOnly = await ask({ targetingKey: 'acme' });
    expect(userOnly.status).toBe(400);
    expect(userOnly.body).toMatchObject({
      errorCode: 'TARGETING_KEY_MISSING',
      errorDetails: expect.stringContaining('"org" attribute'),
    });
  });

  it('400 with TARGETING_KEY_MISSING, INVALID_CONTEXT or PARSE_ERROR for a request naming no usable tenant', async () => {
    const { admin, evaluate } = await shopAdmin();
    const cases: [unknown, string, string][] = [
      [{}, 'TARGETING_KEY_MISSING', 'set its targetingKey'],
      [{ targetingKey: '' }, 'TARGETING_KEY_MISSING', 'names no tenant'],
      [{ targetingKey: 'not a tenant!' }, 'INVALID_CONTEXT', 'not a valid tenant id'],
      [{ tenant: 42, targetingKey: 'acme' }, 'INVALID_CONTEXT', '"tenant" attribute must be'],
      [undefined, 'INVALID_CONTEXT', 'needs a context object'],
      [['acme'], 'INVALID_CONTEXT', 'not an array'],
    ];
    for (const [context, errorCode, details] of cases) {
      const { status, body } = await evaluate('billing.currency', context);
      expect(status, JSON.stringify(context)).toBe(400);
      expect(body).toEqual({
        key: 'billing.currency',
        errorCode,
        errorDetails: expect.stringContaining(details),
      });
    }
    for (const text of ['{"context": ', '[1]']) {
      const { status, body } = await admin.request('POST', `${FLAG}/billing.currency`, {
        body: text,
      });
      expect(status, text).toBe(400);
      expect(body).toMatchObject({ key: 'billing.currency', errorCode: 'PARSE_ERROR' });
    }
  });

  it('needs a bearer token as the API does (401 with WWW-Authenticate); a read token suffices', async () => {
    const { evaluate } = await shopAdmin();
    const acme = { targetingKey: 'acme' };
    const none = await evaluate('billing.currency', acme, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="modreg"');
    const wrong = await evaluate('billing.currency', acme, 'not-a-token-0123456789abc');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await evaluate('billing.currency', acme, READ_TOKEN)).body).toMatchObject({
      value: 'USD',
    });
  });

  it('sees a change made through the API at once', async () => {
    const { admin, evaluate } = await shopAdmin();
    await admin.request('PATCH', '/api/tenants/acme/flags', {
      body: { set: { 'billing.currency': 'GBP' } },
    });
    expect((await evaluate('billing.currency', { targetingKey: 'acme' })).body).toMatchObject({
      value: 'GBP',
      reason: 'TARGETING_MATCH',
      metadata: { revision: 2 },
    });
  });
});

describe('OFREP: every flag (POST /ofrep/v1/evaluate/flags)', () => {
  it("answers each module's key and flags in registry order, then the tenant's own undeclared keys, with an ETag", async () => {
    const { admin } = await shopAdmin();
    const { status, body, headers } = await admin.request('POST', FLAG, {
      body: { context: { targetingKey: 'acme' } },
    });
    expect(status).toBe(200);
    const { flags, metadata } = body as { flags: { key: string }[]; metadata: unknown };
    expect(metadata).toEqual({ tenant: 'acme', revision: 1 });
    expect(flags.map((flag) => flag.key)).toEqual([
      'module:core',
      'core.theme',
      'module:users',
      'users.beta',
      'users.limit',
      'module:billing',
      'billing.currency',
      'billing.plans',
      'billing.trial-days',
      'legacy.beta',
    ]);
    expect(flags).toContainEqual({
      key: 'billing.trial-days',
      reason: 'DEFAULT',
      metadata: { module: 'billing', tenant: 'acme', revision: 1 },
    });
    expect(flags).toContainEqual({
      key: 'billing.currency',
      value: 'USD',
      reason: 'TARGETING_MATCH',
      metadata: { module: 'billing', tenant: 'acme', revision: 1 },
    });
    expect(headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('answers 304 without a body to If-None-Match with the current ETag, and 200 with a new one after a change', async () => {
    const { admin } = await shopAdmin();
    const ask = (headers: Record<string, string> = {}, targetingKey = 'acme') =>
      admin.request('POST', FLAG, { body: { context: { targetingKey } }, headers });
    const first = await ask();
    const etag = first.headers.get('etag') as string;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await ask({ 'if-none-match': header });
      expect(again.status, header).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
    }
    expect((await ask({ 'if-none-match': '"other"' })).status).toBe(200);
    // Another tenant in the same state is another answer (its metadata names it).
    const globex = await ask({ 'if-none-match': etag }, 'globex');
    expect(globex.status).toBe(200);
    expect(globex.headers.get('etag')).not.toBe(etag);
    await admin.request('POST', '/api/tenants/acme/disable', { body: { modules: ['billing'] } });
    const changed = await ask({ 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((changed.body as { flags: unknown[] }).flags).toContainEqual({
      key: 'billing.currency',
      reason: 'DISABLED',
      metadata: { module: 'billing', tenant: 'acme', revision: 2 },
    });
  });

  it('400 without a key for a context naming no tenant; 401 without a token', async () => {
    const { admin } = await shopAdmin();
    const missing = await admin.request('POST', FLAG, { body: { context: {} } });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      errorCode: 'TARGETING_KEY_MISSING',
      errorDetails: expect.stringContaining('names no tenant'),
    });
    const parse = await admin.request('POST', FLAG, { body: 'not json' });
    expect(parse.status).toBe(400);
    expect(parse.body).toMatchObject({ errorCode: 'PARSE_ERROR' });
    expect(parse.body).not.toHaveProperty('key');
    expect(
      (
        await admin.request('POST', FLAG, {
          body: { context: { targetingKey: 'acme' } },
          token: null,
        })
      ).status,
    ).toBe(401);
  });
});
