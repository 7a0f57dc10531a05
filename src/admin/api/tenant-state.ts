import type { Modreg } from '../../runtime/modreg.js';
import type { TenantState } from '../../tenant/types.js';
import { AdminRequestError } from '../http/request-error.js';

/** The tenant's state as the store holds it now; undefined for a tenant never written. */
export async function readTenantState(
  modreg: Modreg,
  tenant: string,
): Promise<TenantState | undefined> {
  const state = await modreg.state(tenant);
  return state.revision === 0 ? undefined : state;
}

/** {@link readTenantState}, with 404 for a tenant never written. */
export async function readKnownTenant(modreg: Modreg, tenant: string): Promise<TenantState> {
  const state = await readTenantState(modreg, tenant);
  if (state === undefined) throw unknownTenant(tenant);
  return state;
}

/** The 404 for a tenant that has never been written. */
export function unknownTenant(tenant: string): AdminRequestError {
  return new AdminRequestError(
    404,
    'not-found',
    `Tenant "${tenant}" has never been written: no change was ever made for it. Check the id, or enable a module for it to create it.`,
  );
}
