import { onTestFinished } from 'vitest';
import type { Modreg } from '../../../src/runtime/modreg.js';
import { createTestModreg, type TestModule } from '../../../src/runtime/testing.js';
import type { TenantSettings } from '../../../src/tenant/types.js';

/**
 * A small registry with every case the API reports: core modules (one required by another
 * core one), a dependency chain users ← billing ← invoicing ← reports, typed flags, a cycle
 * and a module requiring one that does not exist.
 */
export const SHOP_MODULES: TestModule[] = [
  { name: 'core', core: true, flags: { 'core.maintenance': { type: 'boolean', default: false } } },
  { name: 'auth', core: true, dependencies: ['sessions'] },
  { name: 'sessions' },
  { name: 'users', dependencies: ['core'] },
  {
    name: 'billing',
    dependencies: ['users'],
    flags: {
      'billing.new-checkout': { type: 'boolean', default: false },
      'billing.currency': { type: 'string', default: 'EUR' },
      'billing.seats': { type: 'number', default: 5 },
      'billing.limits': { type: 'json', default: { invoices: 10 } },
    },
  },
  { name: 'invoicing', dependencies: ['users', 'billing'] },
  { name: 'reports', dependencies: ['invoicing'], optionalDependencies: ['analytics'] },
  { name: 'analytics' },
  { name: 'loop-a', dependencies: ['loop-b'] },
  { name: 'loop-b', dependencies: ['loop-a'] },
  { name: 'ghost', dependencies: ['ledger'] },
];

/** An in-memory instance over {@link SHOP_MODULES}, closed when the test finishes. */
export async function shopModreg(
  tenants: Record<string, Partial<TenantSettings>> = {},
): Promise<Modreg> {
  const modreg = await createTestModreg({ modules: SHOP_MODULES, tenants });
  onTestFinished(() => modreg.close());
  return modreg;
}
