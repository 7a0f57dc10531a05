import type { Store, TenantPage } from '../src/stores/types.js';
import type { TenantState } from '../src/tenant/types.js';
import { generatedTenants, runtimeTenantName } from './runtime-tenants.js';

/**
 * A read-only store of `count` generated tenants (runtime-tenants.ts: 20 modules on, 10
 * flags each), made up on each read from the tenant's index: a million tenants "stored" at no
 * cost in this process's heap, so heap readings count only what the instance holds. Each read
 * answers objects of its own, as a store parsing its data would. Changes are refused.
 */
export function createGeneratedStore(count: number): Store {
  const stateOf = (tenant: string): TenantState => {
    const index = indexOf(tenant);
    if (index === undefined || index >= count) {
      return { tenant, revision: 0, updatedAt: null, modules: [], flags: {} };
    }
    const settings = generatedTenants(1, SEED ^ index)[runtimeTenantName(0)];
    // A copy through JSON: new strings and arrays, as a real store's reply gives.
    return JSON.parse(
      JSON.stringify({ tenant, revision: 1, updatedAt: UPDATED_AT, ...settings }),
    ) as TenantState;
  };
  return {
    kind: 'generated',
    location: `${count} generated tenants`,
    read: async (tenant) => stateOf(tenant),
    readMany: async (tenants) => tenants.map(stateOf),
    readManyWithHistory: async (tenants) => tenants.map((t) => ({ ...stateOf(t), history: [] })),
    async list(options = {}): Promise<TenantPage> {
      const from = options.cursor === undefined ? 0 : Number(options.cursor);
      const to = Math.min(count, from + (options.limit ?? 1000));
      const tenants = Array.from({ length: to - from }, (_, i) => runtimeTenantName(from + i));
      return to < count ? { tenants, next: String(to) } : { tenants };
    },
    update: async () => {
      throw new Error('the generated store is read-only');
    },
    history: async () => [],
    subscribe: async () => async () => {},
    close: async () => {},
  };
}

const SEED = 0x5eed;
const UPDATED_AT = '2024-01-01T00:00:00.000Z';

/** 42 for `tenant-000042`; undefined for another name. */
function indexOf(tenant: string): number | undefined {
  const match = /^tenant-(\d+)$/.exec(tenant);
  return match === null ? undefined : Number(match[1]);
}
