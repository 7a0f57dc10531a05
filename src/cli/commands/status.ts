import { unavailableModules } from '../../doctor/unavailable-modules.js';
import { flagValues } from '../../planner/flag-values.js';
import { enabledModules } from '../../planner/planning-registry.js';
import { tenantPages } from '../../stores/pages.js';
import { MAX_PAGE_SIZE } from '../../stores/types.js';
import { validateTenantId } from '../../tenant/tenant-id.js';
import type { CommandContext } from '../context.js';
import { readKnownTenant } from '../known-tenant.js';
import { loadModulesIfAny, registryName } from '../module-source.js';
import { createOutput, plural } from '../render.js';
import { type TenantFlags, withStore, withTenantContext } from '../tenant-context.js';

/** `modreg status [tenant]`: one tenant's modules and flags, or the store at a glance. */
export default async function status(
  ctx: CommandContext,
  [tenant]: string[],
  flags: TenantFlags,
): Promise<number> {
  if (tenant === undefined) return summary(ctx, flags);
  validateTenantId(tenant);
  return withTenantContext(ctx, flags, async ({ store, registry }) => {
    const out = createOutput(ctx);
    const state = await readKnownTenant(store, tenant);
    const view = {
      tenant,
      modules: enabledModules(registry, state),
      unavailable: unavailableModules(registry, state),
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
      `${paint.bold(tenant)}  revision ${view.revision}${view.updatedAt === null ? '' : `, ${view.updatedAt}`}`,
    );
    out.result(
      `modules (${view.modules.length}, in load order): ${view.modules.join(', ') || paint.dim('none')}`,
    );
    if (view.unavailable.length > 0) {
      out.result(paint.yellow(`enabled but not loading (${view.unavailable.length}):`));
      for (const { reason, message } of view.unavailable)
        out.result(`  ${paint.yellow(reason)}  ${message}`);
    }
    const entries = Object.entries(view.flags);
    out.result(`flags (${entries.length}):${entries.length === 0 ? ` ${paint.dim('none')}` : ''}`);
    for (const [key, value] of entries) {
      const own = Object.hasOwn(state.flags, key) ? '' : paint.dim('  (default)');
      out.result(`  ${key} = ${JSON.stringify(value)}${own}`);
    }
    return 0;
  });
}

/** The store and, when there is one, the registry: no registry file is needed for this. */
function summary(ctx: CommandContext, flags: TenantFlags): Promise<number> {
  return withStore(ctx, flags, async ({ store, config }) => {
    const out = createOutput(ctx);
    const registry = await loadModulesIfAny(ctx, config);
    let tenants = 0;
    for await (const page of tenantPages(store, MAX_PAGE_SIZE)) tenants += page.length;
    const file = config.modulesFrom === 'flag' ? undefined : config.registry;
    const summary = {
      store: { kind: store.kind, location: store.location },
      registry:
        registry === undefined
          ? null
          : {
              ...(file === undefined ? { modulesDir: config.modules } : { file }),
              modules: registry.modules.size,
              blocked: registry.blocked.size,
            },
      tenants,
    };
    if (ctx.global.json) {
      out.json(summary);
      return 0;
    }
    out.result(`store     ${store.kind} ${store.location}`);
    if (registry === undefined) {
      out.result(
        `registry  ${registryName(config)} ${out.paint.dim('(not written yet: run "modreg discover")')}`,
      );
    } else {
      out.result(
        `registry  ${file ?? config.modules} (${plural(registry.modules.size, 'module')}, ${registry.blocked.size} blocked)`,
      );
    }
    out.result(`tenants   ${tenants}`);
    return 0;
  });
}
