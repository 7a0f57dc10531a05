import { ModregError } from '../../errors.js';
import { flagValues, parseFlagInput, planFlags, validateTenantId } from '../../planner/index.js';
import { didYouMean } from '../../suggest.js';
import type { JsonValue } from '../../tenant/types.js';
import { applyPlan } from '../apply-plan.js';
import type { CommandContext } from '../context.js';
import { readKnownTenant } from '../known-tenant.js';
import { createOutput } from '../render.js';
import { type TenantFlags, withTenantContext } from '../tenant-context.js';

type FlagCommandFlags = TenantFlags & { strict?: boolean; dryRun?: boolean };

/** `modreg flags get <tenant> [key]`: a tenant's flag values, declared defaults included. */
export async function flagsGet(
  ctx: CommandContext,
  [tenant, key]: string[],
  flags: TenantFlags,
): Promise<number> {
  validateTenantId(tenant as string);
  return withTenantContext(ctx, flags, async ({ store, registry }) => {
    const values = flagValues(registry, await readKnownTenant(store, tenant as string));
    const out = createOutput(ctx);
    if (key !== undefined) {
      if (!Object.hasOwn(values, key)) {
        throw new ModregError(
          'refused',
          `Tenant "${tenant}" has no flag "${key}" and no module declares it.${didYouMean(key, Object.keys(values))}`,
        );
      }
      if (ctx.global.json) out.json({ tenant, key, value: values[key] });
      else out.result(JSON.stringify(values[key]));
      return 0;
    }
    if (ctx.global.json) out.json({ tenant, flags: values });
    else
      for (const [name, value] of Object.entries(values))
        out.result(`${name} = ${JSON.stringify(value)}`);
    return 0;
  });
}

/** `modreg flags set <tenant> <key=value...>`: typed against the declarations. */
export async function flagsSet(
  ctx: CommandContext,
  [tenant, ...pairs]: string[],
  flags: FlagCommandFlags,
): Promise<number> {
  validateTenantId(tenant as string);
  const raw = pairs.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new ModregError(
        'usage',
        `"${pair}" is not key=value; write e.g. billing.new-checkout=true.`,
      );
    return [pair.slice(0, at), pair.slice(at + 1)] as const;
  });
  return withTenantContext(ctx, flags, (tenants) => {
    const set = new Map<string, JsonValue>(
      raw.map(([key, value]) => [key, parseFlagInput(tenants.registry, key, value)]),
    );
    return applyPlan(ctx, tenants, tenant as string, { dryRun: flags.dryRun === true }, (current) =>
      planFlags(
        tenants.registry,
        current,
        { set: Object.fromEntries(set) },
        { strict: flags.strict === true },
      ),
    );
  });
}

/** `modreg flags unset <tenant> <key...>`: back to the declared default. */
export async function flagsUnset(
  ctx: CommandContext,
  [tenant, ...keys]: string[],
  flags: FlagCommandFlags,
): Promise<number> {
  validateTenantId(tenant as string);
  return withTenantContext(ctx, flags, (tenants) =>
    applyPlan(ctx, tenants, tenant as string, { dryRun: flags.dryRun === true }, (current) =>
      planFlags(tenants.registry, current, { unset: keys }, {}),
    ),
  );
}
