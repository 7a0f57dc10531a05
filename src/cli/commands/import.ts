import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isModregError, ModregError } from '../../errors.js';
import { shownProse } from '../../message-text.js';
import { type Plan, planImport } from '../../planner/index.js';
import type { PlanningRegistry } from '../../planner/types.js';
import type { UpdateRequest } from '../../stores/types.js';
import type { CommandContext } from '../context.js';
import { type ExportedTenant, readExportDocument } from '../export-check.js';
import { createOutput, plural } from '../render.js';
import { type TenantFlags, withTenantContext } from '../tenant-context.js';

/** Flags of `modreg import`. */
interface ImportFlags extends TenantFlags {
  dryRun?: boolean;
  /** false after `--no-history`: leave the exported history behind. */
  history?: boolean;
}

/**
 * `modreg import <file>`: set every tenant in an export to its settings. The whole file is
 * checked — format, tenant ids, and every tenant's plan against the registry — before
 * anything is written. Each tenant's revisions continue from the exported one (so they
 * never go backwards for a server that knew the old store), and a tenant new to this store
 * takes the exported history along, unless `--no-history`.
 */
export default async function importState(
  ctx: CommandContext,
  [file]: string[],
  flags: ImportFlags,
): Promise<number> {
  const name = file as string;
  const tenantsIn = readExportDocument(await readExport(resolve(ctx.io.cwd, name), name), name);
  return withTenantContext(ctx, flags, async ({ store, registry, actor }) => {
    const out = createOutput(ctx);
    const plans: Plan[] = [];
    for (const { tenant, settings } of tenantsIn) {
      try {
        plans.push(planImport(registry, await store.read(tenant), settings, name));
      } catch (error) {
        if (!isModregError(error)) throw error;
        throw new ModregError('refused', `Nothing imported. ${error.message}`);
      }
    }
    const revisions = new Map<string, number>();
    if (!flags.dryRun) {
      for (const entry of tenantsIn) {
        const request = importRequest(registry, entry, name, {
          actor,
          history: flags.history !== false,
        });
        revisions.set(entry.tenant, (await store.update(entry.tenant, request)).state.revision);
      }
    }
    const changing = plans.filter((plan) => plan.changes.length > 0);
    if (ctx.global.json) {
      out.json({
        tenants: plans.map(({ tenant, changes }) => ({
          tenant,
          changes,
          ...(revisions.has(tenant) ? { revision: revisions.get(tenant) } : {}),
        })),
        dryRun: flags.dryRun === true,
      });
    } else {
      const verb = flags.dryRun ? 'Would import' : 'Imported';
      out.result(
        `${verb} ${plural(tenantsIn.length, 'tenant')} from ${name} (${changing.length} changed).`,
      );
      for (const plan of changing) {
        const at = revisions.get(plan.tenant);
        out.result(
          `  ${plan.tenant}: ${plural(plan.changes.length, 'change')}${at === undefined ? '' : ` (revision ${at})`}`,
        );
      }
    }
    return 0;
  });
}

/**
 * The store update setting one tenant to its exported settings: planned again against the
 * state it commits on, continuing from the exported revision, and carrying the exported
 * history (kept only for a tenant with none of its own). A tenant new to this store is
 * written even when the plan changes nothing, so that its revision and history move too.
 */
function importRequest(
  registry: PlanningRegistry,
  entry: ExportedTenant,
  file: string,
  options: { actor: string; history: boolean },
): UpdateRequest {
  let last: Plan | undefined;
  const carried = options.history ? entry.history : [];
  return {
    actor: options.actor,
    apply(current) {
      last = planImport(registry, current, entry.settings, file);
      if (last.changes.length > 0) return last.next;
      const moving = current.revision === 0 && (entry.revision > 0 || carried.length > 0);
      return moving ? last.next : null;
    },
    get operation() {
      return last?.operation ?? '';
    },
    revisionFloor: entry.revision,
    carriedHistory: carried,
  };
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
      `${file} is not valid JSON (${shownProse((error as Error).message)}); nothing imported. Write it again with "modreg export".`,
    );
  }
}
