import { ModregError } from '../errors.js';
import type { Store } from '../stores/types.js';
import type { TenantState } from '../tenant/types.js';

/**
 * The state of a tenant that has been written at least once. A tenant never written is
 * refused (exit 1), not shown as all defaults: a mistyped id must not look like a tenant
 * with nothing on.
 */
export async function readKnownTenant(store: Store, tenant: string): Promise<TenantState> {
  const state = await store.read(tenant);
  if (state.revision === 0) throw neverWritten(tenant);
  return state;
}

/** The refusal for a tenant id the store has never seen. */
export function neverWritten(tenant: string): ModregError {
  return new ModregError(
    'refused',
    `Tenant "${tenant}" has never been written; "modreg tenants" lists the tenants there are, and "modreg enable ${tenant} <module>" creates this one.`,
  );
}
