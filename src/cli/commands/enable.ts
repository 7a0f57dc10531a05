import { planEnable } from '../../planner/enable.js';
import type { CommandContext } from '../context.js';
import { moduleChange } from '../module-change.js';
import type { TenantFlags } from '../tenant-context.js';

/** `modreg enable <tenant> <module...>`: switch modules on, dependencies checked. */
export default function enable(
  ctx: CommandContext,
  args: string[],
  flags: TenantFlags & { withDeps?: boolean; dryRun?: boolean },
): Promise<number> {
  return moduleChange(ctx, args, flags, (registry, current, modules) =>
    planEnable(registry, current, modules, { withDeps: flags.withDeps === true }),
  );
}
