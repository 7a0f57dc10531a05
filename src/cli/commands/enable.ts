import { planEnable, validateTenantId } from '../../planner/index.js';
import { applyPlan } from '../apply-plan.js';
import type { CommandContext } from '../context.js';
import { type TenantFlags, withTenantContext } from '../tenant-context.js';

/** `modreg enable <tenant> <module...>`: switch modules on, dependencies checked. */
export default async function enable(
  ctx: CommandContext,
  [tenant, ...modules]: string[],
  flags: TenantFlags & { withDeps?: boolean; dryRun?: boolean },
): Promise<number> {
  validateTenantId(tenant as string);
  const operation = `enable ${modules.join(' ')}${flags.withDeps ? ' --with-deps' : ''}`;
  return withTenantContext(ctx, flags, (tenants) =>
    applyPlan(
      ctx,
      tenants,
      tenant as string,
      { dryRun: flags.dryRun === true, operation },
      (current) =>
        planEnable(tenants.registry, current, modules, { withDeps: flags.withDeps === true }),
    ),
  );
}
