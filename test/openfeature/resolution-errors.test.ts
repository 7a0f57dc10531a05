import { type EvaluationContext, OpenFeature } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { ModregProvider } from '../../src/openfeature.js';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createTestModreg, createTestRegistry } from '../../src/testing.js';
import { createControlledStore } from '../runtime/controlled-store.js';
import { resetOpenFeatureAfterEach, SHOP_MODULES, shop } from './helpers.js';

resetOpenFeatureAfterEach();

const acme: EvaluationContext = { targetingKey: 'acme' };

describe('OpenFeature provider: errors, each with the caller default', () => {
  it.each([
    ['getStringValue', 'users.beta', 'a boolean', 'getBooleanValue'],
    ['getNumberValue', 'billing.currency', 'a string', 'getStringValue'],
    ['getBooleanValue', 'users.limit', 'a number', 'getNumberValue'],
    ['getObjectValue', 'users.beta', 'a boolean', 'getBooleanValue'],
    ['getBooleanValue', 'billing.plans', 'JSON', 'getObjectValue'],
  ] as const)('TYPE_MISMATCH: %s of %s', async (method, key, declared, advice) => {
    const { client, modreg } = await shop();
    const fallbacks = {
      getStringValue: 'fallback',
      getNumberValue: -1,
      getBooleanValue: true,
      getObjectValue: { fallback: true },
    } as const;
    const detailsMethod = method.replace('Value', 'Details') as
      | 'getStringDetails'
      | 'getNumberDetails'
      | 'getBooleanDetails'
      | 'getObjectDetails';
    const fallback = fallbacks[method];
    const details = await (
      client[detailsMethod] as (k: string, d: unknown, c: EvaluationContext) => Promise<unknown>
    )(key, fallback, acme);
    expect(details).toMatchObject({
      value: fallback,
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
      errorMessage: expect.stringContaining(declared),
    });
    expect((details as { errorMessage: string }).errorMessage).toContain(advice);
    await modreg.close();
  });

  it('the declared default when the tenant holds a value of the type the flag had before', async () => {
    // The store holds what an older registry allowed: users.limit was a string then.
    const modreg = await createTestModreg({
      modules: SHOP_MODULES,
      tenants: { acme: { modules: ['users'], flags: { 'users.limit': 'fifty' } } },
    });
    await OpenFeature.setProviderAndWait(new ModregProvider(modreg));
    const details = await OpenFeature.getClient().getNumberDetails('users.limit', 5, acme);
    expect(details).toMatchObject({ value: 10, reason: 'DEFAULT', variant: 'default' });
    expect(details.errorCode).toBeUndefined();
    await modreg.close();
  });

  it('FLAG_NOT_FOUND for a key no module declares and the tenant did not set', async () => {
    const { client, modreg } = await shop();
    expect(await client.getBooleanDetails('nowhere', true, acme)).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: expect.stringContaining('No module declares flag "nowhere"'),
    });
    await modreg.close();
  });

  it.each([
    ['an empty context', {}],
    ['an empty targetingKey', { targetingKey: '' }],
    ['a null tenant attribute', { tenant: null }],
  ])('TARGETING_KEY_MISSING for %s', async (_, context) => {
    const { client, modreg } = await shop();
    expect(await client.getStringDetails('billing.currency', 'XXX', context)).toMatchObject({
      value: 'XXX',
      reason: 'ERROR',
      errorCode: 'TARGETING_KEY_MISSING',
      errorMessage: expect.stringContaining('set its targetingKey or its "tenant" attribute'),
    });
    await modreg.close();
  });

  it.each([
    ['a path', { targetingKey: '../acme' }],
    ['__proto__', { targetingKey: '__proto__' }],
    ['a 10 KB id', { targetingKey: 'a'.repeat(10_000) }],
    ['a control character', { tenant: 'acme\u0007' }],
    ['a number attribute', { tenant: 42 }],
    ['an object attribute', { tenant: { id: 'acme' } }],
  ])('INVALID_CONTEXT for %s', async (_, context) => {
    const { client, modreg } = await shop();
    const details = await client.getStringDetails('billing.currency', 'XXX', context);
    expect(details).toMatchObject({ value: 'XXX', reason: 'ERROR', errorCode: 'INVALID_CONTEXT' });
    expect(details.errorMessage?.length).toBeLessThan(400);
    await modreg.close();
  });

  it('GENERAL, with the store named, when a tenant not held cannot be read', async () => {
    const control = createControlledStore();
    const modreg = createModreg({
      registry: createTestRegistry(SHOP_MODULES),
      store: control.store,
      logger: false,
      retryMs: 60_000,
    });
    await OpenFeature.setProviderAndWait(new ModregProvider(modreg));
    control.down = true;
    const details = await OpenFeature.getClient().getBooleanDetails('users.beta', true, acme);
    expect(details).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: expect.stringContaining('Cannot read tenant "acme" from the memory store'),
    });
    await modreg.close();
  });
});

describe('OpenFeature provider: where the tenant comes from', () => {
  it('prefers the tenant attribute to the targetingKey (a user id, say)', async () => {
    const { client, modreg } = await shop();
    const context = { targetingKey: 'user-17', tenant: 'acme' };
    expect(await client.getStringValue('billing.currency', 'XXX', context)).toBe('USD');
    await modreg.close();
  });

  it('reads the attribute the options name', async () => {
    const { client, modreg } = await shop({ tenantAttribute: 'org' });
    expect(await client.getStringValue('billing.currency', 'XXX', { org: 'acme' })).toBe('USD');
    expect(
      await client.getStringValue('billing.currency', 'XXX', {
        tenant: 'constructor',
        org: 'acme',
      }),
    ).toBe('USD');
    await modreg.close();
  });

  it('ignores the targetingKey when told it is not a tenant', async () => {
    const { client, modreg } = await shop({ targetingKeyIsTenant: false });
    const details = await client.getStringDetails('billing.currency', 'XXX', acme);
    expect(details).toMatchObject({
      errorCode: 'TARGETING_KEY_MISSING',
      errorMessage: expect.stringContaining('set its "tenant" attribute'),
    });
    expect(await client.getStringValue('billing.currency', 'XXX', { tenant: 'acme' })).toBe('USD');
    await modreg.close();
  });

  it('takes the tenant from the API-level context merged with the invocation', async () => {
    const { client, modreg } = await shop();
    OpenFeature.setContext({ tenant: 'acme' });
    expect(await client.getStringValue('billing.currency', 'XXX')).toBe('USD');
    await modreg.close();
  });
});
