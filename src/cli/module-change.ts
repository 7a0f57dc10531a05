import type { Plan, PlanningRegistry } from '../planner/index.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import type { TenantState } from '../tenant/types.js';
import { applyPlan } from './apply-plan.js';
import type { CommandContext } from './context.js';
import { type TenantFlags, withTenantContext } from './tenant-context.js';

/**
 * `modreg enable|disable <tenant> <module...>`: checks the tenant id before anything is
 * opened, then plans and applies the change to the named modules.
 */
export function moduleChange(
  ctx: CommandContext,
  [tenant, ...modules]: string[],
  flags: TenantFlags & { dryRun?: boolean },
  plan: (registry: PlanningRegistry, current: TenantState, modules: string[]) => Plan,
): Promise<number> {
  validateTenantId(tenant as string);
  return withTenantContext(ctx, flags, (tenants) =>
    applyPlan(ctx, tenants, tenant as string, { dryRun: flags.dryRun === true }, (current) =>
      plan(tenants.registry, current, modules),
    ),
  );
}
