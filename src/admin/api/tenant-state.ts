import type { Modreg } from '../../runtime/modreg.js';
import type { TenantSnapshot } from '../../runtime/types.js';
import type { TenantState } from '../../tenant/types.js';
import { AdminRequestError } from '../http/request-error.js';

/**
 * The tenant's committed state, as fresh as the store has it: its newest history entry (a
 * store writes a change and its entry in one commit), which holds the stored modules as they
 * are — also those that no longer load — and the time of the change; or, when the history
 * has nothing as new (a store seeded without history), the instance's snapshot, without a
 * time. Undefined for a tenant never written.
 */
export async function readTenantState(
  modreg: Modreg,
  tenant: string,
): Promise<TenantState | undefined> {
  const [view, history] = await Promise.all([
    modreg.snapshot(tenant),
    modreg.history(tenant, { limit: 1 }),
  ]);
  let latest = history[0];
  // The history was read just before a commit the snapshot has already seen: read it again.
  if (latest !== undefined && latest.revision < view.revision) {
    [latest] = await modreg.history(tenant, { limit: 1 });
  }
  if (latest !== undefined && latest.revision >= view.revision) {
    return {
      tenant,
      modules: latest.after.modules,
      flags: latest.after.flags,
      revision: latest.revision,
      updatedAt: latest.at,
    };
  }
  if (view.revision === 0) return undefined;
  return {
    tenant,
    modules: [...view.modules],
    flags: ownFlags(view),
    revision: view.revision,
    updatedAt: null,
  };
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

function ownFlags(view: TenantSnapshot): TenantState['flags'] {
  const own: TenantState['flags'] = {};
  for (const [key, value] of Object.entries(view.flags())) {
    if (view.hasOwnFlag(key)) {
      Object.defineProperty(own, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return own;
}
