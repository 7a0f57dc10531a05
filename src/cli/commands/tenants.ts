import { enabledModules } from '../../planner/index.js';
import { tenantPages } from '../../stores/pages.js';
import type { CommandContext } from '../context.js';
import { loadModulesIfAny } from '../module-source.js';
import { createOutput, table } from '../render.js';
import { type TenantFlags, withStore } from '../tenant-context.js';

/**
 * `modreg tenants`: every tenant in the store with its revision and the number of modules
 * on for it — counted as `status` lists them (core modules included), which needs the
 * modules: without a registry file (or `--modules`) the count is left out.
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
    for await (const tenants of tenantPages(store)) states.push(...(await store.readMany(tenants)));
    const rows = states.map((state) => ({
      tenant: state.tenant,
      revision: state.revision,
      updatedAt: state.updatedAt,
      modules: registry === undefined ? null : enabledModules(registry, state).length,
    }));
    if (ctx.global.json) {
      out.json({ tenants: rows });
    } else if (states.length === 0) {
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
    return 0;
  });
}
