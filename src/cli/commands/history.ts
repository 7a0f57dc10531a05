import { ModregError } from '../../errors.js';
import { validateTenantId } from '../../planner/index.js';
import type { TenantSettings } from '../../tenant/types.js';
import type { CommandContext } from '../context.js';
import { readKnownTenant } from '../known-tenant.js';
import { createOutput } from '../render.js';
import { type TenantFlags, withStore } from '../tenant-context.js';

/** `modreg history <tenant> [--limit n]`: the latest changes, newest first. */
export default async function history(
  ctx: CommandContext,
  [tenant]: string[],
  flags: TenantFlags & { limit?: string },
): Promise<number> {
  validateTenantId(tenant as string);
  const limit = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ModregError('usage', `--limit ${flags.limit} is not a positive whole number.`);
  }
  return withStore(ctx, flags, async ({ store }) => {
    const out = createOutput(ctx);
    const entries = await store.history(tenant as string, { limit });
    // No history at all: a tenant never written, unless a store keeps a state without one.
    if (entries.length === 0) await readKnownTenant(store, tenant as string);
    if (ctx.global.json) {
      out.json({ tenant, history: entries });
      return 0;
    }
    if (entries.length === 0) out.note(`Tenant "${tenant}" has no recorded changes.`);
    for (const entry of entries) {
      out.result(
        `${out.paint.bold(`#${entry.revision}`)}  ${entry.at}  ${entry.actor}  ${entry.operation}`,
      );
      for (const line of describeDifference(entry.before, entry.after)) out.result(`    ${line}`);
    }
    return 0;
  });
}

/** `+ billing`, `- crm`, `beta: false → true`: what changed between two settings. */
export function describeDifference(before: TenantSettings, after: TenantSettings): string[] {
  const lines: string[] = [];
  for (const name of after.modules) if (!before.modules.includes(name)) lines.push(`+ ${name}`);
  for (const name of before.modules) if (!after.modules.includes(name)) lines.push(`- ${name}`);
  const keys = new Set([...Object.keys(before.flags), ...Object.keys(after.flags)]);
  for (const key of [...keys].sort()) {
    const from = Object.hasOwn(before.flags, key) ? JSON.stringify(before.flags[key]) : '(unset)';
    const to = Object.hasOwn(after.flags, key) ? JSON.stringify(after.flags[key]) : '(unset)';
    if (from !== to) lines.push(`${key}: ${from} → ${to}`);
  }
  return lines;
}
