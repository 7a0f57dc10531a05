import { tenantPages } from '../../stores/pages.js';
import type { CommandContext } from '../context.js';
import { createOutput, table } from '../render.js';
import { type TenantFlags, withStore } from '../tenant-context.js';

/** `modreg tenants`: every tenant in the store with its revision and module count. */
export default async function tenants(
  ctx: CommandContext,
  _args: string[],
  flags: TenantFlags,
): Promise<number> {
  return withStore(ctx, flags, async ({ store }) => {
    const out = createOutput(ctx);
    const states = [];
    for await (const tenants of tenantPages(store)) states.push(...(await store.readMany(tenants)));
    if (ctx.global.json) {
      out.json({
        tenants: states.map(({ tenant, revision, updatedAt, modules }) => ({
          tenant,
          revision,
          updatedAt,
          modules: modules.length,
        })),
      });
    } else if (states.length === 0) {
      out.note(
        `No tenants in ${store.location} yet: "modreg enable <tenant> <module>" creates one.`,
      );
    } else {
      const rows = states.map((s) => [
        s.tenant,
        String(s.revision),
        String(s.modules.length),
        s.updatedAt ?? '',
      ]);
      out.result(table(['TENANT', 'REVISION', 'MODULES', 'UPDATED'], rows, out.paint));
    }
    return 0;
  });
}
