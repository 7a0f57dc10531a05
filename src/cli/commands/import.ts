import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isModregError, ModregError } from '../../errors.js';
import { type Plan, planImport, plannedUpdate } from '../../planner/index.js';
import { exportSchemaPath, readSchema } from '../../registry/schema.js';
import { createSchemaValidator } from '../../registry/schema-validator.js';
import type { TenantSettings } from '../../tenant/types.js';
import type { CommandContext } from '../context.js';
import { createOutput, plural } from '../render.js';
import { type TenantFlags, withTenantContext } from '../tenant-context.js';

/**
 * `modreg import <file>`: set every tenant in an export to its settings. The whole file is
 * checked — format, tenant ids, and every tenant's plan against the registry — before
 * anything is written.
 */
export default async function importState(
  ctx: CommandContext,
  [file]: string[],
  flags: TenantFlags & { dryRun?: boolean },
): Promise<number> {
  const path = resolve(ctx.io.cwd, file as string);
  const tenantsIn = parseExport(await readExport(path, file as string), file as string);
  return withTenantContext(ctx, flags, async ({ store, registry, actor }) => {
    const out = createOutput(ctx);
    const plans: Plan[] = [];
    for (const { tenant, settings } of tenantsIn) {
      try {
        plans.push(planImport(registry, await store.read(tenant), settings, file as string));
      } catch (error) {
        if (!isModregError(error)) throw error;
        throw new ModregError('refused', `Nothing imported. ${error.message}`);
      }
    }
    const changing = plans.filter((plan) => plan.changes.length > 0);
    if (!flags.dryRun) {
      for (const { tenant, settings } of tenantsIn) {
        const update = plannedUpdate(actor, (current) =>
          planImport(registry, current, settings, file as string),
        );
        await store.update(tenant, update.request);
      }
    }
    if (ctx.global.json) {
      out.json({
        tenants: plans.map(({ tenant, changes }) => ({ tenant, changes })),
        dryRun: flags.dryRun === true,
      });
    } else {
      const verb = flags.dryRun ? 'Would import' : 'Imported';
      out.result(
        `${verb} ${plural(tenantsIn.length, 'tenant')} from ${file} (${changing.length} changed).`,
      );
      for (const plan of changing)
        out.result(`  ${plan.tenant}: ${plural(plan.changes.length, 'change')}`);
    }
    return 0;
  });
}

async function readExport(path: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ModregError('environment', `Cannot read ${file}: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModregError(
      'invalid',
      `${file} is not valid JSON (${(error as Error).message}); nothing imported.`,
    );
  }
}

function parseExport(
  document: unknown,
  file: string,
): { tenant: string; settings: TenantSettings }[] {
  const issues = createSchemaValidator(readSchema(exportSchemaPath)).validate(document);
  if (issues.length > 0) {
    const list = issues.slice(0, 10).map((i) => `  ${i.pointer || '/'}: ${i.message}`);
    throw new ModregError(
      'invalid',
      `${file} is not a modreg export; nothing imported:\n${list.join('\n')}`,
    );
  }
  const seen = new Set<string>();
  const tenants = (
    document as { tenants: { tenant: string; modules: string[]; flags: TenantSettings['flags'] }[] }
  ).tenants;
  for (const { tenant } of tenants) {
    if (seen.has(tenant))
      throw new ModregError('invalid', `${file} lists tenant "${tenant}" twice; nothing imported.`);
    seen.add(tenant);
  }
  return tenants.map(({ tenant, modules, flags }) => ({
    tenant,
    settings: { modules: [...modules].sort(), flags },
  }));
}
