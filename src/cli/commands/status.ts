import { enabledModules, flagValues, validateTenantId } from '../../planner/index.js';
import { tenantPages } from '../../stores/pages.js';
import type { CommandContext } from '../context.js';
import { createOutput, plural } from '../render.js';
import { type TenantFlags, withTenantContext } from '../tenant-context.js';

/** `modreg status [tenant]`: one tenant's modules and flags, or the store at a glance. */
export default async function status(
  ctx: CommandContext,
  [tenant]: string[],
  flags: TenantFlags,
): Promise<number> {
  if (tenant !== undefined) validateTenantId(tenant);
  return withTenantContext(ctx, flags, async ({ store, registry, config }) => {
    const out = createOutput(ctx);
    if (tenant === undefined) {
      let tenants = 0;
      for await (const page of tenantPages(store)) tenants += page.length;
      const summary = {
        store: { kind: store.kind, location: store.location },
        registry: {
          file: config.registry,
          modules: registry.modules.size,
          blocked: registry.blocked.size,
        },
        tenants,
      };
      if (ctx.global.json) out.json(summary);
      else {
        out.result(`store     ${store.kind} ${store.location}`);
        out.result(
          `registry  ${config.registry} (${plural(registry.modules.size, 'module')}, ${registry.blocked.size} blocked)`,
        );
        out.result(`tenants   ${tenants}`);
      }
      return 0;
    }
    const state = await store.read(tenant);
    const view = {
      tenant,
      modules: enabledModules(registry, state),
      flags: flagValues(registry, state),
      revision: state.revision,
      updatedAt: state.updatedAt,
    };
    if (ctx.global.json) {
      out.json(view);
      return 0;
    }
    const { paint } = out;
    out.result(
      `${paint.bold(tenant)}  revision ${view.revision}${view.updatedAt === null ? ' (never changed)' : `, ${view.updatedAt}`}`,
    );
    out.result(
      `modules (${view.modules.length}, in load order): ${view.modules.join(', ') || paint.dim('none')}`,
    );
    const entries = Object.entries(view.flags);
    out.result(`flags (${entries.length}):${entries.length === 0 ? ` ${paint.dim('none')}` : ''}`);
    for (const [key, value] of entries) {
      const own = Object.hasOwn(state.flags, key) ? '' : paint.dim('  (default)');
      out.result(`  ${key} = ${JSON.stringify(value)}${own}`);
    }
    return 0;
  });
}
