import { isModregError } from '../../errors.js';
import { enabledModules } from '../../planner/planning-registry.js';
import type { Modreg } from '../../runtime/modreg.js';
import { validateTenantId } from '../../tenant/tenant-id.js';
import type { TenantState } from '../../tenant/types.js';
import type { Route } from '../router.js';
import type { ApiContext } from './api-context.js';
import { countParam } from './body-fields.js';
import { revisionTag } from './if-match.js';
import { readKnownTenant, readTenantState, unknownTenant } from './tenant-state.js';
import { tenantView } from './tenant-view.js';

/** Most tenants in one page of `GET /api/tenants`: each costs one store read. */
export const MAX_TENANT_PAGE = 500;

/** Most history entries `GET …/history` returns. */
export const MAX_HISTORY_LIMIT = 1000;

/** Reading tenants: the list, one tenant with every module's state, its history. */
export function tenantRoutes(api: ApiContext): Route[] {
  const { modreg, views } = api;
  return [
    {
      method: 'GET',
      path: '/api/tenants',
      async handle({ query }) {
        const limit = countParam(query.get('limit'), 'limit', {
          min: 1,
          max: MAX_TENANT_PAGE,
          fallback: 100,
        });
        const cursor = query.get('cursor');
        const page = await modreg.tenants({ limit, ...(cursor === null ? {} : { cursor }) });
        const rows = await summaries(modreg, page.tenants);
        const registry = views.planning();
        return {
          body: {
            tenants: rows.states.map((state) => ({
              tenant: state.tenant,
              revision: state.revision,
              updatedAt: state.updatedAt,
              modules: enabledModules(registry, state).length,
            })),
            ...(page.next === undefined ? {} : { next: page.next }),
            ...(rows.unreadable.length === 0 ? {} : { unreadable: rows.unreadable }),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/tenants/{tenant}',
      async handle({ params }) {
        const tenant = validateTenantId(params.tenant);
        const state = await readKnownTenant(modreg, tenant);
        // Module code runs only for tenants this server loaded, and fails only with a hook
        // failure counted; a server that runs no module code (modreg serve) never asks.
        const failed = new Map<string, string>();
        if (modreg.stats().hookFailures > 0 && modreg.peek(tenant) !== undefined) {
          for (const status of await modreg.moduleStatuses(tenant)) {
            if (status.state === 'failed') failed.set(status.module, status.reason ?? 'failed');
          }
        }
        return {
          body: tenantView(views.planning(), state, failed),
          headers: { ETag: revisionTag(state.revision) },
        };
      },
    },
    {
      method: 'GET',
      path: '/api/tenants/{tenant}/history',
      async handle({ params, query }) {
        const tenant = validateTenantId(params.tenant);
        const limit = countParam(query.get('limit'), 'limit', {
          min: 1,
          max: MAX_HISTORY_LIMIT,
          fallback: 20,
        });
        const history = await modreg.history(tenant, { limit });
        if (history.length === 0 && (await modreg.snapshot(tenant)).revision === 0) {
          throw unknownTenant(tenant);
        }
        return { body: { tenant, history } };
      },
    },
  ];
}

/** Most tenant reads in flight at once for a page. */
const READS_AT_ONCE = 50;

/**
 * Each tenant's state, read a batch at a time; a tenant that cannot be read is named apart
 * (the others are listed) unless none can be read: then the store itself is failing (503).
 */
async function summaries(modreg: Modreg, tenants: readonly string[]) {
  const states: TenantState[] = [];
  const unreadable: { tenant: string; message: string }[] = [];
  let firstFailure: unknown;
  for (let start = 0; start < tenants.length; start += READS_AT_ONCE) {
    const batch = tenants.slice(start, start + READS_AT_ONCE);
    const settled = await Promise.allSettled(batch.map((t) => readTenantState(modreg, t)));
    settled.forEach((outcome, i) => {
      const tenant = batch[i] as string;
      if (outcome.status === 'fulfilled') {
        states.push(
          outcome.value ?? { tenant, modules: [], flags: {}, revision: 0, updatedAt: null },
        );
        return;
      }
      if (!isModregError(outcome.reason) || outcome.reason.code !== 'environment') {
        throw outcome.reason;
      }
      firstFailure ??= outcome.reason;
      unreadable.push({ tenant, message: outcome.reason.message });
    });
  }
  if (states.length === 0 && firstFailure !== undefined) throw firstFailure;
  return { states, unreadable };
}
