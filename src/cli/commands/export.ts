import { relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.js';
import { isModregError, ModregError } from '../../errors.js';
import type { Store, TenantRecord } from '../../stores/types.js';
import type { TenantState } from '../../tenant/types.js';
import type { CommandContext } from '../context.js';
import { streamedJson } from '../json-stream.js';
import { createOutput, plural } from '../render.js';
import { recordReader, statePages, stateReader, type UnreadableTenant } from '../state-pages.js';
import { writeStreamed } from '../streamed-output.js';
import { type TenantFlags, withStore } from '../tenant-context.js';

/** Flags of `modreg export`. */
interface ExportFlags extends TenantFlags {
  output?: string;
  skipCorrupt?: boolean;
  /** false after `--no-history`: settings only. */
  history?: boolean;
}

/**
 * `modreg export [--output file]`: every tenant's settings as one JSON document, written
 * page by page as the store lists them, so its memory stays flat however many tenants there
 * are; each tenant with its history, unless `--no-history`. A tenant that cannot be read
 * stops the export (nothing is written to `--output`) unless `--skip-corrupt`, which leaves
 * it out and names it.
 */
export default async function exportState(
  ctx: CommandContext,
  _args: string[],
  flags: ExportFlags,
): Promise<number> {
  return withStore(ctx, flags, async ({ store }) => {
    const out = createOutput(ctx);
    const skipped: UnreadableTenant[] = [];
    const counted = { tenants: 0 };
    const chunks = exportDocument(store, {
      skip: flags.skipCorrupt === true,
      history: flags.history !== false,
      skipped,
      counted,
    });
    const file = flags.output === undefined ? undefined : resolve(ctx.io.cwd, flags.output);
    if (file === undefined) await writeStreamed(ctx.io.stdout, chunks);
    else {
      await writeFileAtomic(file, chunks).catch((error: Error) => {
        if (isModregError(error)) throw error;
        throw new ModregError('environment', `Cannot write ${file}: ${error.message}.`, {
          cause: error,
        });
      });
    }
    for (const { tenant, message } of skipped)
      out.diagnostic(`modreg: skipped tenant "${tenant}", which cannot be read: ${message}`);
    if (file !== undefined) {
      const shown = relative(ctx.io.cwd, file) || file;
      out.note(`Exported ${plural(counted.tenants, 'tenant')} to ${shown}.`);
      if (ctx.global.json) out.json({ file, tenants: counted.tenants, skipped });
    }
    return 0;
  });
}

/** What {@link exportDocument} does with tenants it cannot read, and what it counts. */
interface ExportProgress {
  skip: boolean;
  /** Each tenant's history goes with it. */
  history: boolean;
  skipped: UnreadableTenant[];
  counted: { tenants: number };
}

/** The export document as text, a page of tenants at a time (schemas/export.schema.json). */
function exportDocument(store: Store, progress: ExportProgress): AsyncGenerator<string> {
  const header = {
    format: 2,
    exportedAt: new Date().toISOString(),
    store: `${store.kind} ${store.location}`,
  };
  return streamedJson(header, 'tenants', exportedPages(store, progress));
}

/** The tenants as exported, a batch at a time; a tenant that cannot be read stops it. */
async function* exportedPages(store: Store, progress: ExportProgress) {
  const reader = progress.history ? recordReader(store) : stateReader(store);
  for await (const page of statePages<TenantState | TenantRecord>(store, {}, reader)) {
    const [unreadable] = page.unreadable;
    if (unreadable !== undefined && !progress.skip) throw corruptTenant(unreadable);
    progress.skipped.push(...page.unreadable);
    progress.counted.tenants += page.states.length;
    yield page.states.map(exported);
  }
}

/** One tenant as the export holds it, its history last when the export takes histories. */
function exported(state: TenantState | TenantRecord) {
  const { tenant, modules, flags, revision, updatedAt } = state;
  const settings = { tenant, modules, flags, revision, updatedAt };
  return 'history' in state ? { ...settings, history: state.history } : settings;
}

function corruptTenant({ tenant, message }: UnreadableTenant): ModregError {
  return new ModregError(
    'environment',
    `Not exported: tenant "${tenant}" cannot be read (${message.replace(/\.$/, '')}). Repair or delete it, or pass --skip-corrupt to export every other tenant and name the ones left out.`,
  );
}
