import { planDisable, validateTenantId } from '../../planner/index.js';
import { applyPlan } from '../apply-plan.js';
import type { CommandContext } from '../context.js';
import { type TenantFlags, withTenantContext } from '../tenant-context.js';

/** `modreg disable <tenant> <module...>`: switch modules off, dependents checked. */
export default async function disable(
  ctx: CommandContext,
  [tenant, ...modules]: string[],
  flags: TenantFlags & { cascade?: boolean; dryRun?: boolean },
): Promise<number> {
  validateTenantId(tenant as string);
  const operation = `disable ${modules.join(' ')}${flags.cascade ? ' --cascade' : ''}`;
  return withTenantContext(ctx, flags, (tenants) =>
    applyPlan(
      ctx,
      tenants,
      tenant as string,
      { dryRun: flags.dryRun === true, operation },
      (current) =>
        planDisable(tenants.registry, current, modules, { cascade: flags.cascade === true }),
    ),
  );
}
