import { plannedUpdate } from '../planner/plan-update.js';
import type { Plan } from '../planner/types.js';
import type { UpdateResult } from '../stores/types.js';
import type { TenantState } from '../tenant/types.js';
import type { CommandContext } from './context.js';
import { createOutput } from './render.js';
import type { TenantContext } from './tenant-context.js';

/**
 * Plans a change against the tenant's current state and commits it, or with `dryRun` only
 * shows it. The plan is made again inside the store's update, against the state the commit
 * is based on, so a concurrent change is never overwritten. Prints the result and returns
 * the exit code.
 */
export async function applyPlan(
  ctx: CommandContext,
  tenants: TenantContext,
  tenant: string,
  options: { dryRun: boolean },
  plan: (current: TenantState) => Plan,
): Promise<number> {
  const out = createOutput(ctx);
  let planned: Plan | undefined;
  let result: UpdateResult;
  if (options.dryRun) {
    const current = await tenants.store.read(tenant);
    planned = plan(current);
    result = { state: current, changed: false };
  } else {
    const update = plannedUpdate(tenants.actor, plan);
    result = await tenants.store.update(tenant, update.request);
    planned = update.plan();
  }
  const changes = (planned as Plan).changes;
  if (ctx.global.json) {
    out.json({ tenant, changes, revision: result.state.revision, dryRun: options.dryRun });
    return 0;
  }
  const { paint } = out;
  if (changes.length === 0) {
    out.result(`${tenant}: nothing to change (revision ${result.state.revision}).`);
    return 0;
  }
  const verb = options.dryRun ? 'would change' : 'changed';
  const at = options.dryRun
    ? `now at revision ${result.state.revision}; dry run, nothing written`
    : `revision ${result.state.revision}`;
  out.result(`${tenant}: ${verb} (${at})`);
  for (const change of changes) {
    const sign =
      change.action === 'enable' || change.action === 'set' ? paint.green('+') : paint.red('-');
    const subject =
      change.flag === undefined
        ? `${change.action} ${change.module}`
        : change.action === 'set'
          ? `set ${change.flag} = ${JSON.stringify(change.to)}`
          : `unset ${change.flag}`;
    out.result(`  ${sign} ${subject}  ${paint.dim(change.reason)}`);
  }
  return 0;
}
