import type { Plan, PlanningRegistry } from '../planner/index.js';
import { validateTenantId } from '../planner/index.js';
import type { TenantState } from '../stores/types.js';
import { applyPlan } from './apply-plan.js';
import type { CommandContext } from './context.js';
import { type TenantFlags, withTenantContext } from './tenant-context.js';

/**
 * `modreg enable|disable <tenant> <module...>`: checks the tenant id before anything is
 * opened, then plans and applies the change (`option` is `--with-deps` or `--cascade` when set).
 */
export function moduleChange(
  ctx: CommandContext,
  [tenant, ...modules]: string[],
  flags: TenantFlags & { dryRun?: boolean },
  verb: string,
  option: string | undefined,
  plan: (registry: PlanningRegistry, current: TenantState) => Plan,
): Promise<number> {
  validateTenantId(tenant as string);
  const operation = `${verb} ${modules.join(' ')}${option === undefined ? '' : ` ${option}`}`;
  return withTenantContext(ctx, flags, (tenants) =>
    applyPlan(
      ctx,
      tenants,
      tenant as string,
      { dryRun: flags.dryRun === true, operation },
      (current) => plan(tenants.registry, current),
    ),
  );
}
