import { OpenFeature, ProviderStatus } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { ModregProvider } from '../../src/openfeature.js';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createTestRegistry } from '../../src/testing.js';
import { createControlledStore } from '../runtime/controlled-store.js';
import {
  controlledShopModreg,
  nextEvent,
  ProviderEvents,
  resetOpenFeatureAfterEach,
  SHOP_MODULES,
  SHOP_TENANTS,
  waitFor,
} from './helpers.js';
import { createGatedStore, createRefusingStore } from './stores.js';

resetOpenFeatureAfterEach();

const acme = { targetingKey: 'acme' };

function controlledShop(options: { retryMs?: number } = {}) {
  const { control, modreg } = controlledShopModreg(options.retryMs);
  return { control, modreg, provider: new ModregProvider(modreg) };
}

describe('OpenFeature provider: status follows health()', () => {
  it('is READY once modreg is, announced once', async () => {
    const { modreg, provider } = controlledShop();
    let ready = 0;
    OpenFeature.addHandler(ProviderEvents.Ready, () => ready++);
    await OpenFeature.setProviderAndWait(provider);
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.READY);
    expect(modreg.isReady()).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ready).toBe(1);
    await modreg.close();
  });

  it('waits for the first full sync when told to: every tenant is then held', async () => {
    const tenants = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`t${i}`, { modules: ['users'], flags: {} }]),
    );
    const control = createControlledStore({ tenants });
    const modreg = createModreg({
      registry: createTestRegistry(SHOP_MODULES),
      store: control.store,
      logger: false,
    });
    await OpenFeature.setProviderAndWait(new ModregProvider(modreg, { waitForSync: true }));
    expect(Object.keys(tenants).filter((t) => modreg.peek(t) === undefined)).toEqual([]);
    await modreg.close();
  });

  it('is NOT_READY while modreg starts: evaluations answer PROVIDER_NOT_READY', async () => {
    const gated = createGatedStore({ tenants: SHOP_TENANTS });
    const modreg = createModreg({
      registry: createTestRegistry(SHOP_MODULES),
      store: gated.store,
      logger: false,
    });
    const ready = OpenFeature.setProviderAndWait(new ModregProvider(modreg));
    const client = OpenFeature.getClient();
    expect(client.providerStatus).toBe(ProviderStatus.NOT_READY);
    expect(await client.getBooleanDetails('users.beta', true, acme)).toMatchObject({
      value: true,
      errorCode: 'PROVIDER_NOT_READY',
    });
    gated.open();
    await ready;
    expect(await client.getNumberValue('users.limit', 0, acme)).toBe(50);
    await modreg.close();
  });

  it('is ERROR while modreg retries its start, then READY when it starts', async () => {
    const { control, modreg, provider } = controlledShop();
    control.down = true;
    await expect(OpenFeature.setProviderAndWait(provider)).rejects.toThrow(
      /modreg cannot start yet: .*ECONNREFUSED.* It retries/,
    );
    const client = OpenFeature.getClient();
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    const ready = nextEvent(client, ProviderEvents.Ready);
    control.down = false;
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getStringValue('billing.currency', 'XXX', acme)).toBe('USD');
    await modreg.close();
  });

  it('is FATAL when modreg cannot start for a reason no retry mends', async () => {
    const modreg = createModreg({
      registry: createTestRegistry(SHOP_MODULES),
      store: createRefusingStore(),
      logger: false,
    });
    await expect(OpenFeature.setProviderAndWait(new ModregProvider(modreg))).rejects.toThrow(
      'modreg cannot start: This store holds the data of another application',
    );
    const client = OpenFeature.getClient();
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
    expect(await client.getBooleanDetails('users.beta', true, acme)).toMatchObject({
      value: true,
      errorCode: 'PROVIDER_FATAL',
    });
    await modreg.close();
  });

  it('turns STALE while the store feed is away, serving the last state as STALE, and back', async () => {
    const { control, modreg, provider } = controlledShop();
    await OpenFeature.setProviderAndWait(provider);
    const client = OpenFeature.getClient();
    expect(await client.getStringDetails('billing.currency', 'XXX', acme)).toMatchObject({
      reason: 'TARGETING_MATCH',
    });
    const stale = nextEvent(client, ProviderEvents.Stale);
    for (const listener of control.listeners) listener.onPause?.('the change feed is away');
    expect((await stale)?.message).toContain('the change feed is away');
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(modreg.health().status).toBe('stale');
    expect(await client.getStringDetails('billing.currency', 'XXX', acme)).toMatchObject({
      value: 'USD',
      reason: 'STALE',
      flagMetadata: { module: 'billing', revision: 1 },
    });
    expect(await client.getBooleanDetails('module:users', false, acme)).toMatchObject({
      value: true,
      reason: 'STALE',
    });
    const ready = nextEvent(client, ProviderEvents.Ready);
    for (const listener of control.listeners) listener.onResume?.();
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getStringDetails('billing.currency', 'XXX', acme)).toMatchObject({
      reason: 'TARGETING_MATCH',
    });
    await modreg.close();
  });

  it('turns ERROR when the store fails with nothing held, and READY when it answers', async () => {
    const { control, modreg, provider } = controlledShop();
    await OpenFeature.setProviderAndWait(provider);
    const client = OpenFeature.getClient();
    control.down = true;
    const failing = nextEvent(client, ProviderEvents.Error);
    expect(await client.getStringDetails('billing.currency', 'XXX', acme)).toMatchObject({
      value: 'XXX',
      errorCode: 'GENERAL',
    });
    expect((await failing)?.message).toContain('ECONNREFUSED');
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    const ready = nextEvent(client, ProviderEvents.Ready);
    control.down = false;
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    await waitFor(() => modreg.health().status === 'ok');
    expect(await client.getStringValue('billing.currency', 'XXX', acme)).toBe('USD');
    await modreg.close();
  });
});
