import { enabledModules } from '../../planner/index.js';
import { type CommandContext, ExitCode } from '../context.js';
import { loadModulesIfAny } from '../module-source.js';
import { createOutput, plural, table } from '../render.js';
import { statePages, type UnreadableTenant } from '../state-pages.js';
import { type TenantFlags, withStore } from '../tenant-context.js';

/**
 * `modreg tenants`: every tenant in the store with its revision and the number of modules
 * on for it — counted as `status` lists them (core modules included), which needs the
 * modules: without a registry file (or `--modules`) the count is left out. A tenant that
 * cannot be read (a corrupt file) is named on stderr, and the others are listed: exit 3.
 */
export default async function tenants(
  ctx: CommandContext,
  _args: string[],
  flags: TenantFlags,
): Promise<number> {
  return withStore(ctx, flags, async ({ store, config }) => {
    const out = createOutput(ctx);
    const registry = await loadModulesIfAny(ctx, config);
    const states = [];
    const unreadable: UnreadableTenant[] = [];
    for await (const page of statePages(store)) {
      states.push(...page.states);
      unreadable.push(...page.unreadable);
    }
    const rows = states.map((state) => ({
      tenant: state.tenant,
      revision: state.revision,
      updatedAt: state.updatedAt,
      modules: registry === undefined ? null : enabledModules(registry, state).length,
    }));
    if (ctx.global.json) {
      out.json({ tenants: rows, ...(unreadable.length === 0 ? {} : { unreadable }) });
    } else if (states.length === 0 && unreadable.length === 0) {
      out.note(
        `No tenants in ${store.location} yet: "modreg enable <tenant> <module>" creates one.`,
      );
    } else {
      const cells = rows.map((r) => [
        r.tenant,
        String(r.revision),
        r.modules === null ? '—' : String(r.modules),
        r.updatedAt ?? '',
      ]);
      out.result(table(['TENANT', 'REVISION', 'MODULES', 'UPDATED'], cells, out.paint));
    }
    if (registry === undefined && states.length > 0) {
      out.note('No registry file: module counts need the modules (run "modreg discover").');
    }
    return reportUnreadable(unreadable, out);
  });
}

/** Names each tenant that could not be read, on stderr; exit 3 when there is any. */
function reportUnreadable(
  unreadable: readonly UnreadableTenant[],
  out: ReturnType<typeof createOutput>,
): number {
  for (const { tenant, message } of unreadable)
    out.diagnostic(`modreg: tenant "${tenant}" cannot be read: ${message}`);
  if (unreadable.length === 0) return ExitCode.ok;
  out.diagnostic(
    `modreg: ${plural(unreadable.length, 'tenant')} could not be read; the others are listed.`,
  );
  return ExitCode.environment;
}
