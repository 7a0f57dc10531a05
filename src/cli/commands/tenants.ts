import { ModregError } from '../../errors.js';
import { enabledModules } from '../../planner/index.js';
import type { PlanningRegistry } from '../../planner/types.js';
import type { TenantState } from '../../tenant/types.js';
import { type CommandContext, ExitCode } from '../context.js';
import { streamedJson } from '../json-stream.js';
import { loadModulesIfAny } from '../module-source.js';
import { createOutput, type Output, plural, tableWriter } from '../render.js';
import { type StatePage, statePages, type UnreadableTenant } from '../state-pages.js';
import { writeStreamed } from '../streamed-output.js';
import { type TenantFlags, withStore } from '../tenant-context.js';

/** Flags of `modreg tenants`. */
interface TenantsFlags extends TenantFlags {
  limit?: string;
  cursor?: string;
}

/** One line of the listing. */
interface TenantRow {
  tenant: string;
  revision: number;
  updatedAt: string | null;
  /** Modules on, as `status` counts them; null without the modules to count them by. */
  modules: number | null;
}

/**
 * `modreg tenants [--limit n] [--cursor c]`: the store's tenants with their revision and
 * the number of modules on for each — counted as `status` lists them (core modules
 * included), which needs the modules: without a registry file (or `--modules`) the count is
 * left out. `--limit` gives one page and the cursor of the next; without it every tenant is
 * listed, written a batch at a time. A tenant that cannot be read (a corrupt file) is named
 * on stderr, and the others are listed: exit 3.
 */
export default async function tenants(
  ctx: CommandContext,
  _args: string[],
  flags: TenantsFlags,
): Promise<number> {
  const limit = flags.limit === undefined ? undefined : pageSize(flags.limit);
  if (flags.cursor !== undefined && limit === undefined) {
    throw new ModregError(
      'usage',
      '--cursor goes with --limit: pass the --limit of the page before.',
    );
  }
  return withStore(ctx, flags, async ({ store, config }) => {
    const out = createOutput(ctx);
    const registry = await loadModulesIfAny(ctx, config);
    const listing = {
      unreadable: [] as UnreadableTenant[],
      listed: 0,
      next: undefined as string | undefined,
    };
    const pages = statePages(store, {
      ...(limit === undefined ? {} : { limit, onePage: true }),
      ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }),
    });
    const rows = rowPages(pages, registry, listing);
    if (ctx.global.json) {
      await writeStreamed(
        ctx.io.stdout,
        streamedJson({}, 'tenants', rows, () => ({
          ...(listing.next === undefined ? {} : { next: listing.next }),
          ...(listing.unreadable.length === 0 ? {} : { unreadable: listing.unreadable }),
        })),
      );
    } else {
      const writer = tableWriter(['TENANT', 'REVISION', 'MODULES', 'UPDATED'], out.paint);
      for await (const batch of rows) {
        if (batch.length === 0) continue;
        out.result(
          writer.lines(
            batch.map((r) => [
              r.tenant,
              String(r.revision),
              r.modules === null ? '—' : String(r.modules),
              r.updatedAt ?? '',
            ]),
          ),
        );
      }
      notes(out, listing, limit, store.location);
    }
    if (registry === undefined && listing.listed > 0) {
      out.note('No registry file: module counts need the modules (run "modreg discover").');
    }
    return reportUnreadable(listing.unreadable, out);
  });
}

/** The rows of each batch, noting what could not be read and where the next page starts. */
async function* rowPages(
  pages: AsyncIterable<StatePage>,
  registry: PlanningRegistry | undefined,
  listing: { unreadable: UnreadableTenant[]; listed: number; next: string | undefined },
): AsyncGenerator<TenantRow[]> {
  for await (const page of pages) {
    listing.unreadable.push(...page.unreadable);
    listing.listed += page.states.length;
    listing.next = page.next;
    yield page.states.map((state) => row(state, registry));
  }
}

function row(state: TenantState, registry: PlanningRegistry | undefined): TenantRow {
  const { tenant, revision, updatedAt } = state;
  const modules = registry === undefined ? null : enabledModules(registry, state).length;
  return { tenant, revision, updatedAt, modules };
}

/** An empty store, or where the next page starts. */
function notes(
  out: Output,
  listing: { unreadable: UnreadableTenant[]; listed: number; next: string | undefined },
  limit: number | undefined,
  location: string,
): void {
  if (listing.listed === 0 && listing.unreadable.length === 0 && listing.next === undefined) {
    out.note(`No tenants in ${location} yet: "modreg enable <tenant> <module>" creates one.`);
  }
  if (listing.next !== undefined) {
    out.note(`More tenants: modreg tenants --limit ${limit} --cursor ${listing.next}`);
  }
}

/** `--limit`: a whole number (the store checks its range). */
function pageSize(text: string): number {
  if (!/^\d+$/.test(text)) {
    throw new ModregError('usage', `--limit ${text} is not a whole number of tenants.`);
  }
  return Number(text);
}

/** Names each tenant that could not be read, on stderr; exit 3 when there is any. */
function reportUnreadable(unreadable: readonly UnreadableTenant[], out: Output): number {
  for (const { tenant, message } of unreadable)
    out.diagnostic(`modreg: tenant "${tenant}" cannot be read: ${message}`);
  if (unreadable.length === 0) return ExitCode.ok;
  out.diagnostic(
    `modreg: ${plural(unreadable.length, 'tenant')} could not be read; the others are listed.`,
  );
  return ExitCode.environment;
}
