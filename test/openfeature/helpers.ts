import {
  type Client,
  type EventDetails,
  type EventHandler,
  OpenFeature,
  ProviderEvents,
} from '@openfeature/server-sdk';
import { afterEach } from 'vitest';
import { ModregProvider, type ModregProviderOptions } from '../../src/openfeature.js';
import { createModreg } from '../../src/runtime/create-modreg.js';
import type { Modreg } from '../../src/runtime/modreg.js';
import { createTestModreg, createTestRegistry, type TestModule } from '../../src/testing.js';
import { type ControlledStore, createControlledStore } from '../runtime/controlled-store.js';

/**
 * The modules the provider's tests use: a core module, a module with flags of every type,
 * and one that requires it.
 */
export const SHOP_MODULES: TestModule[] = [
  { name: 'core', core: true, flags: { 'core.theme': { type: 'string', default: 'light' } } },
  {
    name: 'users',
    dependencies: ['core'],
    flags: {
      'users.beta': { type: 'boolean', default: false },
      'users.limit': { type: 'number', default: 10 },
    },
  },
  {
    name: 'billing',
    dependencies: ['users'],
    flags: {
      'billing.currency': { type: 'string', default: 'EUR' },
      'billing.plans': { type: 'json', default: { basic: 1 } },
      'billing.trial-days': { type: 'number' },
    },
  },
];

/**
 * Tenant state to go with {@link SHOP_MODULES}: `acme` has everything and set flags, `globex`
 * has everything at its defaults, `constructor` only users.
 */
export const SHOP_TENANTS = {
  acme: {
    modules: ['users', 'billing'],
    flags: {
      'billing.currency': 'USD',
      'users.limit': 50,
      'billing.plans': { gold: 3 },
      'legacy.beta': true,
    },
  },
  globex: { modules: ['users', 'billing'], flags: {} },
  constructor: { modules: ['users'], flags: { 'users.beta': true } },
};

/** A provider over {@link SHOP_MODULES} and {@link SHOP_TENANTS}, registered and ready. */
export async function shop(
  options: ModregProviderOptions = {},
): Promise<{ client: Client; modreg: Modreg }> {
  const modreg = await createTestModreg({ modules: SHOP_MODULES, tenants: SHOP_TENANTS });
  await OpenFeature.setProviderAndWait(new ModregProvider(modreg, options));
  return { client: OpenFeature.getClient(), modreg };
}

/**
 * An instance over {@link SHOP_MODULES} and {@link SHOP_TENANTS} in a controlled store (its
 * feed paused, reads held or failed at will), holding what it read for an hour.
 */
export function controlledShopModreg(retryMs = 20): { control: ControlledStore; modreg: Modreg } {
  const control = createControlledStore({ tenants: SHOP_TENANTS });
  const modreg = createModreg({
    registry: createTestRegistry(SHOP_MODULES),
    store: control.store,
    logger: false,
    cacheTtlMs: 3_600_000,
    retryMs,
  });
  return { control, modreg };
}

/** Resets the OpenFeature API (a process-wide singleton) after each test of the file. */
export function resetOpenFeatureAfterEach(): void {
  afterEach(async () => {
    await OpenFeature.clearProviders();
    OpenFeature.clearHooks();
    OpenFeature.clearHandlers();
    OpenFeature.setContext({});
  });
}

/**
 * The details of the next `event` on `emitter` (a provider's `events`, or the API) that
 * `accept` accepts; rejects after `timeoutMs`, a generous deadline, never a speed check.
 */
export function nextEvent(
  emitter: {
    addHandler(event: ProviderEvents, handler: EventHandler): void;
    removeHandler(event: ProviderEvents, handler: EventHandler): void;
  },
  event: ProviderEvents,
  accept: (details: EventDetails | undefined) => boolean = () => true,
  timeoutMs = 5000,
): Promise<EventDetails | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.removeHandler(event, handler);
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const handler = (details?: EventDetails) => {
      if (!accept(details)) return;
      clearTimeout(timer);
      emitter.removeHandler(event, handler);
      resolve(details);
    };
    emitter.addHandler(event, handler);
  });
}

/** The `flagsChanged` of a PROVIDER_CONFIGURATION_CHANGED event's details, sorted. */
export function flagsChanged(details: EventDetails | undefined): string[] {
  return [...((details as { flagsChanged?: string[] } | undefined)?.flagsChanged ?? [])].sort();
}

/** Waits until `condition()` holds, polling; rejects after a generous deadline. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export { ProviderEvents };
