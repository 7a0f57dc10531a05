import { type Client, type EvaluationContext, OpenFeature } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { ModregProvider, type ModregProviderOptions } from '../../src/openfeature.js';
import type { Modreg } from '../../src/runtime/modreg.js';
import { createTestModreg } from '../../src/testing.js';
import { resetOpenFeatureAfterEach, SHOP_MODULES, SHOP_TENANTS } from './helpers.js';

resetOpenFeatureAfterEach();

async function shop(
  options: ModregProviderOptions = {},
): Promise<{ client: Client; modreg: Modreg }> {
  const modreg = await createTestModreg({ modules: SHOP_MODULES, tenants: SHOP_TENANTS });
  await OpenFeature.setProviderAndWait(new ModregProvider(modreg, options));
  return { client: OpenFeature.getClient(), modreg };
}

const acme: EvaluationContext = { targetingKey: 'acme' };

describe('OpenFeature provider: reasons', () => {
  it('TARGETING_MATCH for a value the tenant set, with the module and revision as metadata', async () => {
    const { client, modreg } = await shop();
    const details = await client.getStringDetails('billing.currency', 'XXX', acme);
    expect(details).toEqual({
      flagKey: 'billing.currency',
      value: 'USD',
      reason: 'TARGETING_MATCH',
      flagMetadata: { module: 'billing', tenant: 'acme', revision: 1 },
    });
    expect(await client.getNumberValue('users.limit', 0, acme)).toBe(50);
    await modreg.close();
  });

  it('DEFAULT, variant "default", for the declared default', async () => {
    const { client, modreg } = await shop();
    const details = await client.getBooleanDetails('users.beta', true, acme);
    expect(details).toMatchObject({ value: false, reason: 'DEFAULT', variant: 'default' });
    expect(await client.getStringDetails('core.theme', 'dark', acme)).toMatchObject({
      value: 'light',
      reason: 'DEFAULT',
      flagMetadata: { module: 'core' },
    });
    await modreg.close();
  });

  it("DEFAULT with the caller's default for a flag declared without a default", async () => {
    const { client, modreg } = await shop();
    const details = await client.getNumberDetails('billing.trial-days', 14, acme);
    expect(details).toMatchObject({ value: 14, reason: 'DEFAULT' });
    expect(details.errorCode).toBeUndefined();
    await modreg.close();
  });

  it("DISABLED with the caller's default when the declaring module is off for the tenant", async () => {
    const { client, modreg } = await shop();
    const context = { targetingKey: 'constructor' };
    expect(await client.getStringDetails('billing.currency', 'XXX', context)).toEqual({
      flagKey: 'billing.currency',
      value: 'XXX',
      reason: 'DISABLED',
      flagMetadata: { module: 'billing', tenant: 'constructor', revision: 1 },
    });
    expect(await client.getBooleanDetails('users.beta', false, context)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    await modreg.close();
  });

  it('TARGETING_MATCH for a key no module declares that the tenant set, typed by its value', async () => {
    const { client, modreg } = await shop();
    const details = await client.getBooleanDetails('legacy.beta', false, acme);
    expect(details).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
    expect(details.flagMetadata).toEqual({ tenant: 'acme', revision: 1 });
    expect(await client.getStringDetails('legacy.beta', 'no', acme)).toMatchObject({
      value: 'no',
      errorCode: 'TYPE_MISMATCH',
      errorMessage: expect.stringContaining('getBooleanValue'),
    });
    await modreg.close();
  });

  it('answers a tenant never written (revision 0): core flags by default, the rest disabled', async () => {
    const { client, modreg } = await shop();
    const context = { targetingKey: 'newco' };
    expect(await client.getStringDetails('core.theme', 'dark', context)).toMatchObject({
      value: 'light',
      reason: 'DEFAULT',
      flagMetadata: { revision: 0 },
    });
    expect(await client.getBooleanDetails('users.beta', true, context)).toMatchObject({
      value: true,
      reason: 'DISABLED',
    });
    await modreg.close();
  });

  it('reads a tenant not held from the store, and answers from the cache after', async () => {
    const { client, modreg } = await shop();
    modreg.invalidateAll();
    expect(modreg.peek('acme')).toBeUndefined();
    expect(await client.getStringValue('billing.currency', 'XXX', acme)).toBe('USD');
    expect(modreg.peek('acme')?.revision).toBe(1);
    await modreg.close();
  });

  it('serves copies of JSON values: changing one does not change the next answer', async () => {
    const { client, modreg } = await shop();
    const plans = (await client.getObjectValue('billing.plans', {}, acme)) as Record<
      string,
      number
    >;
    expect(plans).toEqual({ gold: 3 });
    plans.gold = 99;
    expect(await client.getObjectValue('billing.plans', {}, acme)).toEqual({ gold: 3 });
    const globex = { targetingKey: 'globex' };
    const defaults = (await client.getObjectValue('billing.plans', {}, globex)) as typeof plans;
    expect(defaults).toEqual({ basic: 1 });
    defaults.basic = 99;
    expect(await client.getObjectValue('billing.plans', {}, globex)).toEqual({ basic: 1 });
    await modreg.close();
  });
});

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
    const { createControlledStore } = await import('../runtime/controlled-store.js');
    const { createModreg } = await import('../../src/runtime/create-modreg.js');
    const { createTestRegistry } = await import('../../src/testing.js');
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

describe('OpenFeature provider: module keys', () => {
  it('answers module:<name> with whether the module is on for the tenant', async () => {
    const { client, modreg } = await shop();
    expect(await client.getBooleanDetails('module:billing', false, acme)).toEqual({
      flagKey: 'module:billing',
      value: true,
      reason: 'TARGETING_MATCH',
      variant: 'on',
      flagMetadata: { module: 'billing', tenant: 'acme', revision: 1 },
    });
    const other = { targetingKey: 'constructor' };
    expect(await client.getBooleanDetails('module:billing', true, other)).toMatchObject({
      value: false,
      reason: 'TARGETING_MATCH',
      variant: 'off',
    });
    expect(await client.getBooleanDetails('module:core', false, other)).toMatchObject({
      value: true,
      reason: 'STATIC',
      variant: 'on',
    });
    await modreg.close();
  });

  it('refuses another type for a module key, and an unknown module', async () => {
    const { client, modreg } = await shop();
    expect(await client.getStringDetails('module:billing', 'x', acme)).toMatchObject({
      value: 'x',
      errorCode: 'TYPE_MISMATCH',
      errorMessage: expect.stringContaining('evaluate it with getBooleanValue'),
    });
    expect(await client.getBooleanDetails('module:ledger', true, acme)).toMatchObject({
      value: true,
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: expect.stringContaining('There is no module "ledger"'),
    });
    await modreg.close();
  });
});

describe('OpenFeature provider: variants', () => {
  it('names variants through the option, keeping the built-in names otherwise', async () => {
    const { client, modreg } = await shop({
      variant: (key, value) =>
        key === 'billing.currency' ? `currency-${String(value)}` : undefined,
    });
    expect(await client.getStringDetails('billing.currency', 'XXX', acme)).toMatchObject({
      variant: 'currency-USD',
    });
    expect((await client.getNumberDetails('users.limit', 0, acme)).variant).toBeUndefined();
    expect((await client.getBooleanDetails('users.beta', true, acme)).variant).toBe('default');
    await modreg.close();
  });
});
