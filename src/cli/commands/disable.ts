import { planDisable } from '../../planner/index.js';
import type { CommandContext } from '../context.js';
import { moduleChange } from '../module-change.js';
import type { TenantFlags } from '../tenant-context.js';

/** `modreg disable <tenant> <module...>`: switch modules off, dependents checked. */
export default function disable(
  ctx: CommandContext,
  args: string[],
  flags: TenantFlags & { cascade?: boolean; dryRun?: boolean },
): Promise<number> {
  const cascade = flags.cascade === true;
  return moduleChange(
    ctx,
    args,
    flags,
    'disable',
    cascade ? '--cascade' : undefined,
    (registry, current) => planDisable(registry, current, args.slice(1), { cascade }),
  );
}
