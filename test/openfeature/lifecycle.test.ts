import { type EventDetails, InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { createModregProvider, ModregProvider } from '../../src/openfeature.js';
import { createMemoryStore, createTestModreg, createTestRegistry } from '../../src/testing.js';
import {
  flagsChanged,
  nextEvent,
  ProviderEvents,
  resetOpenFeatureAfterEach,
  SHOP_MODULES,
  SHOP_TENANTS,
} from './helpers.js';

resetOpenFeatureAfterEach();

const acme = { targetingKey: 'acme' };

describe('OpenFeature provider: onClose', () => {
  it('leaves a Modreg it was given open, and stops following its events', async () => {
    let tornDown = 0;
    const modreg = await createTestModreg({
      modules: SHOP_MODULES.map((m) =>
        m.name === 'billing' ? { ...m, hooks: { teardown: () => void tornDown++ } } : m,
      ),
      tenants: SHOP_TENANTS,
    });
    await modreg.loadModulesForTenant('acme');
    const closed = new ModregProvider(modreg);
    const open = new ModregProvider(modreg);
    await OpenFeature.setProviderAndWait('closed', closed);
    await OpenFeature.setProviderAndWait('open', open);
    const heard: (EventDetails | undefined)[] = [];
    closed.events.addHandler(ProviderEvents.ConfigurationChanged, (details) => heard.push(details));
    await OpenFeature.getClient('closed').getStringValue('billing.currency', 'XXX', acme);

    // Replacing a provider closes it (OpenFeature calls its onClose).
    await OpenFeature.setProviderAndWait('closed', new InMemoryProvider());
    expect(tornDown).toBe(0);
    expect(modreg.isReady()).toBe(true);
    expect((await modreg.snapshot('acme')).flag('billing.currency')).toBe('USD');
    // The provider still open hears the change; the one closed, listening to the same
    // instance, does not.
    const event = nextEvent(open.events, ProviderEvents.ConfigurationChanged);
    await modreg.updateFlags('acme', { set: { 'billing.currency': 'JPY' } });
    expect(flagsChanged(await event)).toEqual(['billing.currency']);
    expect(heard).toEqual([]);
    await OpenFeature.clearProviders();
    await modreg.close();
    expect(tornDown).toBe(1);
  });

  it('closes the instance createModregProvider opened', async () => {
    let tornDown = 0;
    const store = createMemoryStore({ tenants: SHOP_TENANTS });
    const provider = createModregProvider(
      {
        registry: createTestRegistry(SHOP_MODULES),
        store,
        logger: false,
        modules: { billing: { teardown: () => void tornDown++ } },
      },
      { tenantAttribute: 'org' },
    );
    await OpenFeature.setProviderAndWait(provider);
    const client = OpenFeature.getClient();
    expect(await client.getStringValue('billing.currency', 'XXX', { org: 'acme' })).toBe('USD');
    await provider.modreg.loadModulesForTenant('acme');
    await OpenFeature.close();
    expect(tornDown).toBe(1);
    await store.close();
  });
});
