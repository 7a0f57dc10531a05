import type { EvaluationContext } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { resetOpenFeatureAfterEach, shop } from './helpers.js';

resetOpenFeatureAfterEach();

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
