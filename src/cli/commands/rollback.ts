import { ModregError } from '../../errors.js';
import { planRollback, rollbackTarget, validateTenantId } from '../../planner/index.js';
import { applyPlan } from '../apply-plan.js';
import type { CommandContext } from '../context.js';
import { type TenantFlags, withTenantContext } from '../tenant-context.js';

/** `modreg rollback <tenant> --to <revision>`: restore a recorded state, through the planner. */
export default async function rollback(
  ctx: CommandContext,
  [tenant]: string[],
  flags: TenantFlags & { to: string; dryRun?: boolean },
): Promise<number> {
  validateTenantId(tenant as string);
  const revision = Number(flags.to);
  if (!Number.isInteger(revision) || revision < 0) {
    throw new ModregError('usage', `--to ${flags.to} is not a revision number (0 or more).`);
  }
  return withTenantContext(ctx, flags, async (tenants) => {
    const entries = await tenants.store.history(tenant as string, {
      limit: Number.MAX_SAFE_INTEGER,
    });
    const target = rollbackTarget(tenant as string, entries, revision);
    return applyPlan(ctx, tenants, tenant as string, { dryRun: flags.dryRun === true }, (current) =>
      planRollback(tenants.registry, current, target, revision),
    );
  });
}
