import { relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.js';
import { ModregError } from '../../errors.js';
import { tenantPages } from '../../stores/pages.js';
import type { CommandContext } from '../context.js';
import { createOutput, plural } from '../render.js';
import { type TenantFlags, withStore } from '../tenant-context.js';

/** `modreg export [--output file]`: every tenant's settings as one JSON document. */
export default async function exportState(
  ctx: CommandContext,
  _args: string[],
  flags: TenantFlags & { output?: string },
): Promise<number> {
  return withStore(ctx, flags, async ({ store }) => {
    const out = createOutput(ctx);
    const states = [];
    for await (const tenants of tenantPages(store)) states.push(...(await store.readMany(tenants)));
    const document = {
      format: 1,
      exportedAt: new Date().toISOString(),
      store: `${store.kind} ${store.location}`,
      tenants: states.map(({ tenant, modules, flags: values, revision, updatedAt }) => ({
        tenant,
        modules,
        flags: values,
        revision,
        updatedAt,
      })),
    };
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (flags.output === undefined) {
      ctx.io.stdout.write(text);
      return 0;
    }
    const file = resolve(ctx.io.cwd, flags.output);
    await writeFileAtomic(file, text).catch((error: Error) => {
      throw new ModregError('environment', `Cannot write ${file}: ${error.message}.`, {
        cause: error,
      });
    });
    out.note(
      `Exported ${plural(states.length, 'tenant')} to ${relative(ctx.io.cwd, file) || file}.`,
    );
    if (ctx.global.json) out.json({ file, tenants: states.length });
    return 0;
  });
}
