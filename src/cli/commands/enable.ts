import { planEnable } from '../../planner/index.js';
import type { CommandContext } from '../context.js';
import { moduleChange } from '../module-change.js';
import type { TenantFlags } from '../tenant-context.js';

/** `modreg enable <tenant> <module...>`: switch modules on, dependencies checked. */
export default function enable(
  ctx: CommandContext,
  args: string[],
  flags: TenantFlags & { withDeps?: boolean; dryRun?: boolean },
): Promise<number> {
  const withDeps = flags.withDeps === true;
  return moduleChange(
    ctx,
    args,
    flags,
    'enable',
    withDeps ? '--with-deps' : undefined,
    (registry, current) => planEnable(registry, current, args.slice(1), { withDeps }),
  );
}
