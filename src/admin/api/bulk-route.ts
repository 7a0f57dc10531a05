import { shownValue } from '../../message-text.js';
import type { Modreg } from '../../runtime/modreg.js';
import type { RuntimeChange } from '../../runtime/types.js';
import { didYouMean } from '../../suggest.js';
import { isTenantId, validateTenantId } from '../../tenant/tenant-id.js';
import { badRequest, errorReply } from '../http/request-error.js';
import type { Route } from '../router.js';
import type { ApiContext } from './api-context.js';
import { booleanField, moduleNames, onlyKeys } from './body-fields.js';
import { checkKnownModules, runChange } from './change-errors.js';

/** The result for one tenant of a bulk change: its change, or its error with the status. */
export type BulkResult =
  | { tenant: string; status: 200; result: RuntimeChange }
  | { tenant: string; status: number; error: ReturnType<typeof errorReply>['body']['error'] };

/** Tenants changed at once during a bulk change. */
const CHANGES_AT_ONCE = 8;

/** Tenant snapshots asked for at once while looking for those with a module on. */
const SNAPSHOTS_AT_ONCE = 100;

/**
 * `POST /api/bulk`: one change — enable, disable or flags — planned and applied per tenant,
 * for listed tenants or those with a module on. Not atomic across tenants: each tenant's
 * change commits or is refused on its own, and the answer has a result per tenant.
 */
export function bulkRoute(api: ApiContext): Route {
  const { modreg, views } = api;
  return {
    method: 'POST',
    path: '/api/bulk',
    async handle(ctx) {
      if (ctx.req.headers['if-match'] !== undefined) {
        throw badRequest(
          'If-Match applies to the changes of one tenant; a bulk change takes none.',
        );
      }
      const body = await ctx.body();
      const action = body.action;
      if (action !== 'enable' && action !== 'disable' && action !== 'flags') {
        throw badRequest(`"action" is "enable", "disable" or "flags", not ${shownValue(action)}.`);
      }
      const keys = {
        enable: ['modules', 'withDeps'],
        disable: ['modules', 'cascade'],
        flags: ['flags', 'strict'],
      }[action];
      onlyKeys(body, ['action', 'tenants', 'dryRun', ...keys], `a bulk ${action}`);
      const dryRun = booleanField(body, 'dryRun');
      const actor = ctx.changeActor(dryRun);
      const change = plannedChange(action, body);
      const tenants = await selectTenants(api, body.tenants);
      const results = new Array<BulkResult>(tenants.length);
      let next = 0;
      const worker = async () => {
        while (next < tenants.length) {
          const i = next++;
          const tenant = tenants[i] as string;
          try {
            results[i] = { tenant, status: 200, result: await change(tenant, { dryRun, actor }) };
          } catch (error) {
            const reply = errorReply(error);
            if (reply.status === 500) throw error;
            results[i] = { tenant, status: reply.status, error: reply.body.error };
          }
        }
      };
      await Promise.all(Array.from({ length: CHANGES_AT_ONCE }, worker));
      const changed = results.filter((r) => 'result' in r && r.result.changes.length > 0);
      const failed = results.filter((r) => 'error' in r);
      return {
        body: {
          action,
          dryRun,
          results,
          summary: {
            tenants: results.length,
            changed: changed.length,
            unchanged: results.length - changed.length - failed.length,
            failed: failed.length,
          },
        },
      };
    },
  };

  function plannedChange(
    action: 'enable' | 'disable' | 'flags',
    body: Record<string, unknown>,
  ): (tenant: string, options: { dryRun: boolean; actor: string }) => Promise<RuntimeChange> {
    if (action === 'flags') {
      const flags = body.flags;
      if (typeof flags !== 'object' || flags === null || Array.isArray(flags)) {
        throw badRequest(
          `"flags" is { "set": { key: value }, "unset": [key] }, not ${shownValue(flags)}.`,
        );
      }
      onlyKeys(flags as Record<string, unknown>, ['set', 'unset'], 'the flags of a bulk change');
      const strict = booleanField(body, 'strict');
      return (tenant, options) =>
        runChange(() => modreg.updateFlags(tenant, flags as never, { ...options, strict }), {
          expected: undefined,
          refusedIsInput: true,
        });
    }
    const modules = moduleNames(body);
    checkKnownModules(views.planning(), action, undefined, modules);
    if (action === 'enable') {
      const withDeps = booleanField(body, 'withDeps');
      return (tenant, options) =>
        runChange(() => modreg.enable(tenant, modules, { ...options, withDeps }), {
          expected: undefined,
        });
    }
    const cascade = booleanField(body, 'cascade');
    return (tenant, options) =>
      runChange(() => modreg.disable(tenant, modules, { ...options, cascade }), {
        expected: undefined,
      });
  }
}

/** The tenants a bulk change names: a list of ids, or `{ withModule }` (those it is on for). */
async function selectTenants(api: ApiContext, given: unknown): Promise<string[]> {
  const max = api.maxBulkTenants;
  const tooMany = (what: string) =>
    badRequest(
      `A bulk change touches at most ${max} tenants, and ${what}; split it into smaller ones.`,
    );
  if (Array.isArray(given)) {
    if (given.length === 0) throw badRequest('"tenants" lists no tenant; name at least one.');
    const unique = [...new Set(given)];
    if (unique.length > max) throw tooMany(`this one lists ${unique.length}`);
    for (const tenant of unique) validateTenantId(tenant);
    return unique as string[];
  }
  const withModule = (given as { withModule?: unknown } | null)?.withModule;
  if (
    typeof given !== 'object' ||
    given === null ||
    Object.keys(given).length !== 1 ||
    typeof withModule !== 'string'
  ) {
    throw badRequest(
      `"tenants" is a list of tenant ids, or { "withModule": "<module>" } for every tenant that has it on; not ${shownValue(given)}.`,
    );
  }
  if (!api.views.planning().modules.has(withModule)) {
    throw badRequest(
      `"withModule": there is no module ${JSON.stringify(withModule.slice(0, 64))} in the registry.${didYouMean(withModule, api.views.planning().modules.keys())}`,
    );
  }
  const found = await tenantsWith(api.modreg, withModule, max + 1);
  if (found.length > max) throw tooMany(`more than ${max} tenants have "${withModule}" on`);
  return found;
}

/** Up to `limit` tenants that have `module` on, in the store's order. */
async function tenantsWith(modreg: Modreg, module: string, limit: number): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await modreg.tenants({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    const ids = page.tenants.filter(isTenantId);
    for (let start = 0; start < ids.length && found.length < limit; start += SNAPSHOTS_AT_ONCE) {
      const batch = ids.slice(start, start + SNAPSHOTS_AT_ONCE);
      const views = await Promise.all(batch.map((tenant) => modreg.snapshot(tenant)));
      for (const view of views) if (view.isModuleEnabled(module)) found.push(view.tenant);
    }
    cursor = page.next;
  } while (cursor !== undefined && found.length < limit);
  return found.slice(0, limit);
}
