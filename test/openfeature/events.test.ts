import { join } from 'node:path';
import { type EventDetails, OpenFeature } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { ModregProvider } from '../../src/openfeature.js';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createTestModreg, createTestRegistry } from '../../src/testing.js';
import { fixturesDir, runCli, spawnCli } from '../helpers/cli.js';
import { copyFixture, tempDir } from '../helpers/temp-dir.js';
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
const changed = ProviderEvents.ConfigurationChanged;
const about = (key: string) => (details: EventDetails | undefined) =>
  flagsChanged(details).includes(key);

describe('OpenFeature provider: PROVIDER_CONFIGURATION_CHANGED', () => {
  it('follows a change made through this instance, naming the flags and the tenant', async () => {
    const modreg = await createTestModreg({ modules: SHOP_MODULES, tenants: SHOP_TENANTS });
    await OpenFeature.setProviderAndWait(new ModregProvider(modreg));
    const client = OpenFeature.getClient();
    expect(await client.getStringValue('billing.currency', 'XXX', acme)).toBe('USD');
    const event = nextEvent(client, changed);
    await modreg.updateFlags('acme', {
      set: { 'billing.currency': 'GBP' },
      unset: ['users.limit'],
    });
    const details = await event;
    expect(flagsChanged(details)).toEqual(['billing.currency', 'users.limit']);
    expect(details?.metadata).toEqual({ tenant: 'acme', revision: 2 });
    expect(await client.getStringValue('billing.currency', 'XXX', acme)).toBe('GBP');
    await modreg.close();
  });

  it('follows changes made by a second instance on the same JSON store directory', async () => {
    const store = join(await tempDir(), 'state');
    const registry = createTestRegistry(SHOP_MODULES);
    const here = createModreg({ registry, store, logger: false });
    const there = createModreg({ registry, store, logger: false });
    await there.ready();
    await there.enable('acme', 'billing', { withDeps: true });
    await OpenFeature.setProviderAndWait(new ModregProvider(here));
    const client = OpenFeature.getClient();
    expect(await client.getStringValue('billing.currency', 'XXX', acme)).toBe('EUR');

    const flag = nextEvent(client, changed, about('billing.currency'));
    await there.updateFlags('acme', { set: { 'billing.currency': 'CHF' } });
    expect((await flag)?.metadata).toEqual({ tenant: 'acme', revision: 2 });
    expect(await client.getStringValue('billing.currency', 'XXX', acme)).toBe('CHF');

    // Switching a module off changes its key and every flag it declares: they turn DISABLED.
    const module = nextEvent(client, changed, about('module:billing'));
    await there.disable('acme', 'billing');
    expect(flagsChanged(await module)).toEqual([
      'billing.currency',
      'billing.plans',
      'billing.trial-days',
      'module:billing',
    ]);
    expect(await client.getStringDetails('billing.currency', 'XXX', acme)).toMatchObject({
      value: 'XXX',
      reason: 'DISABLED',
    });
    expect(await client.getBooleanValue('module:billing', true, acme)).toBe(false);
    await there.close();
    await here.close();
  });

  it('follows the CLI, run as a separate process', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    expect((await runCli(['discover'], { cwd })).code).toBe(0);
    const modreg = createModreg({ root: cwd, logger: false });
    await OpenFeature.setProviderAndWait(new ModregProvider(modreg));
    const client = OpenFeature.getClient();
    expect(await client.getBooleanValue('module:billing', true, acme)).toBe(false);

    const enabled = nextEvent(client, changed, about('module:billing'));
    expect(await spawnCli(['enable', 'acme', 'billing', '--with-deps'], { cwd })).toMatchObject({
      code: 0,
    });
    const keys = flagsChanged(await enabled);
    expect(keys).toEqual(expect.arrayContaining(['module:users', 'users.max-seats']));
    expect(keys).toContain('billing.new-checkout');
    expect(await client.getBooleanDetails('billing.new-checkout', true, acme)).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });

    const set = nextEvent(client, changed, about('billing.new-checkout'));
    const cli = await spawnCli(['flags', 'set', 'acme', 'billing.new-checkout=true'], { cwd });
    expect(cli).toMatchObject({ code: 0 });
    expect(flagsChanged(await set)).toEqual(['billing.new-checkout']);
    expect(await client.getBooleanDetails('billing.new-checkout', false, acme)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    await modreg.close();
  });

  it('follows the registry: a module added names its key and flags, and is evaluated', async () => {
    const modreg = await createTestModreg({ modules: SHOP_MODULES, tenants: SHOP_TENANTS });
    await OpenFeature.setProviderAndWait(new ModregProvider(modreg));
    const client = OpenFeature.getClient();
    expect(await client.getBooleanDetails('reports.beta', true, acme)).toMatchObject({
      errorCode: 'FLAG_NOT_FOUND',
    });
    // Held tenants see the new default first (a `change`); the registry's own event follows.
    const event = nextEvent(client, changed, about('module:reports'));
    await modreg.register({
      name: 'reports',
      version: '1.0.0',
      dependencies: ['billing'],
      flags: { 'reports.beta': { type: 'boolean', default: true } },
    });
    expect(await event).toMatchObject({
      flagsChanged: ['module:reports', 'reports.beta'],
      message: 'the module registry changed',
    });
    expect(await client.getBooleanDetails('reports.beta', false, acme)).toMatchObject({
      value: false,
      reason: 'DISABLED',
      flagMetadata: { module: 'reports' },
    });
    await modreg.enable('acme', 'reports');
    expect(await client.getBooleanDetails('reports.beta', false, acme)).toMatchObject({
      value: true,
      reason: 'DEFAULT',
    });
    await modreg.close();
  });
});
