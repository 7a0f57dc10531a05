import { planDisable } from '../../planner/disable.js';
import type { CommandContext } from '../context.js';
import { moduleChange } from '../module-change.js';
import type { TenantFlags } from '../tenant-context.js';

/** `modreg disable <tenant> <module...>`: switch modules off, dependents checked. */
export default function disable(
  ctx: CommandContext,
  args: string[],
  flags: TenantFlags & { cascade?: boolean; dryRun?: boolean },
): Promise<number> {
  return moduleChange(ctx, args, flags, (registry, current, modules) =>
    planDisable(registry, current, modules, { cascade: flags.cascade === true }),
  );
}
