import { rollbackTarget } from '../../planner/rollback-target.js';
import type { RuntimeChange } from '../../runtime/types.js';
import { validateTenantId } from '../../tenant/tenant-id.js';
import { badRequest } from '../http/request-error.js';
import type { Route, RouteContext, RouteReply } from '../router.js';
import type { ApiContext } from './api-context.js';
import { booleanField, moduleNames, onlyKeys } from './body-fields.js';
import { checkKnownModules, runChange } from './change-errors.js';
import { checkDryRun, expectedRevision, revisionTag } from './if-match.js';
import { readTenantState, unknownTenant } from './tenant-state.js';

/** Most revisions of a tenant's history a rollback looks through (stores keep fewer). */
const HISTORY_SCAN = 100_000;

/**
 * The changes to one tenant — enable, disable, flags, rollback — each answered as the CLI's
 * `--json` (`{ tenant, changes, revision, dryRun }`) with the tenant's new revision as ETag,
 * recorded as the authenticated actor, compare-and-set with `If-Match`.
 */
export function changeRoutes(api: ApiContext): Route[] {
  const { modreg, views } = api;
  return [
    {
      method: 'POST',
      path: '/api/tenants/{tenant}/enable',
      async handle(ctx) {
        const { tenant, body, dryRun, actor, expected } = await changeRequest(ctx, [
          'modules',
          'withDeps',
        ]);
        const modules = moduleNames(body);
        const withDeps = booleanField(body, 'withDeps');
        checkKnownModules(views.planning(), 'enable', tenant, modules);
        const change = await runChange(
          () => modreg.enable(tenant, modules, { withDeps, dryRun, actor, ...revision(expected) }),
          { expected },
        );
        return changeReply(change, expected);
      },
    },
    {
      method: 'POST',
      path: '/api/tenants/{tenant}/disable',
      async handle(ctx) {
        const { tenant, body, dryRun, actor, expected } = await changeRequest(ctx, [
          'modules',
          'cascade',
        ]);
        const modules = moduleNames(body);
        const cascade = booleanField(body, 'cascade');
        const registry = views.planning();
        if (modules.some((name) => !registry.modules.has(name))) {
          // A module gone from the registry can still be switched off where it is stored.
          const stored = (await readTenantState(modreg, tenant))?.modules ?? [];
          checkKnownModules(registry, 'disable', tenant, modules, stored);
        }
        const change = await runChange(
          () => modreg.disable(tenant, modules, { cascade, dryRun, actor, ...revision(expected) }),
          { expected },
        );
        return changeReply(change, expected);
      },
    },
    {
      method: 'PATCH',
      path: '/api/tenants/{tenant}/flags',
      async handle(ctx) {
        const { tenant, body, dryRun, actor, expected } = await changeRequest(ctx, [
          'set',
          'unset',
          'strict',
        ]);
        const strict = booleanField(body, 'strict');
        const changes = {
          ...(body.set === undefined ? {} : { set: body.set }),
          ...(body.unset === undefined ? {} : { unset: body.unset }),
        };
        const change = await runChange(
          () =>
            modreg.updateFlags(tenant, changes as never, {
              strict,
              dryRun,
              actor,
              ...revision(expected),
            }),
          { expected, refusedIsInput: true },
        );
        return changeReply(change, expected);
      },
    },
    {
      method: 'POST',
      path: '/api/tenants/{tenant}/rollback',
      async handle(ctx) {
        const { tenant, body, dryRun, actor, expected } = await changeRequest(ctx, ['to']);
        const to = body.to;
        if (typeof to !== 'number' || !Number.isSafeInteger(to) || to < 0) {
          throw badRequest(`"to" is the revision to go back to, a whole number 0 or more.`);
        }
        const history = await modreg.history(tenant, { limit: HISTORY_SCAN });
        if (history.length === 0 && (await modreg.snapshot(tenant)).revision === 0) {
          throw unknownTenant(tenant);
        }
        try {
          rollbackTarget(tenant, history, to);
        } catch (error) {
          throw badRequest((error as Error).message);
        }
        const change = await runChange(
          () => modreg.rollback(tenant, to, { dryRun, actor, ...revision(expected) }),
          { expected },
        );
        return changeReply(change, expected);
      },
    },
  ];
}

/** The parts every change request has: the tenant, the body (only `keys` and `dryRun`), who. */
async function changeRequest(ctx: RouteContext, keys: readonly string[]) {
  const tenant = validateTenantId(ctx.params.tenant);
  const expected = expectedRevision(ctx.req);
  const body = await ctx.body();
  onlyKeys(body, [...keys, 'dryRun'], `${ctx.req.method} ${ctx.req.url?.split('?')[0]}`);
  const dryRun = booleanField(body, 'dryRun');
  const actor = ctx.changeActor(dryRun);
  return { tenant, body, dryRun, actor, expected };
}

function revision(expected: number | undefined): { expectedRevision?: number } {
  return expected === undefined ? {} : { expectedRevision: expected };
}

function changeReply(change: RuntimeChange, expected: number | undefined): RouteReply {
  checkDryRun(change, expected);
  return { body: change, headers: { ETag: revisionTag(change.revision) } };
}
