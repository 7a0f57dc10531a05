import { isModregError } from '../errors.js';
import { type ListOptions, MAX_PAGE_SIZE, type Store, type TenantRecord } from '../stores/types.js';
import type { TenantState } from '../tenant/types.js';

/** A tenant the store lists but cannot read (a corrupt file, a hand-edited key). */
export interface UnreadableTenant {
  tenant: string;
  /** The store's reason, naming the file or key. */
  message: string;
}

/** Some of the store's tenants with their states: those read, and those that could not be. */
export interface StatePage<T extends TenantState = TenantState> {
  states: T[];
  unreadable: UnreadableTenant[];
  /** After the last batch of a listed page: the cursor of the next page, if there is one. */
  next?: string;
}

/**
 * The store's tenants, read, in the store's order: every page from `options.cursor` on (or
 * that one page, `onePage`), read {@link READ_BATCH} tenants at a time so that only that many
 * states are ever held. Pages are listed at the largest size by default, since listing may
 * cost the same whatever the page size (a JSON store reads its directory each time). A
 * tenant that cannot be read is set apart in `unreadable` instead of failing its batch, so
 * one corrupt file never hides the others; a store that fails as a whole still throws.
 */
export async function* statePages<T extends TenantState = TenantState>(
  store: Store,
  options: ListOptions & { onePage?: boolean } = {},
  reader: TenantReader<T> = stateReader(store) as TenantReader<T>,
): AsyncGenerator<StatePage<T>> {
  let cursor = options.cursor;
  do {
    const page = await store.list({
      limit: options.limit ?? MAX_PAGE_SIZE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (let at = 0; at < page.tenants.length || at === 0; at += READ_BATCH) {
      const batch = await readBatch(store, reader, page.tenants.slice(at, at + READ_BATCH));
      const last = at + READ_BATCH >= page.tenants.length;
      yield last && page.next !== undefined ? { ...batch, next: page.next } : batch;
    }
    cursor = options.onePage === true ? undefined : page.next;
  } while (cursor !== undefined);
}

/**
 * Tenants read (and, by export, their histories) at once: a batch's states and what reading
 * them leaves for the collector are what the command holds. At 1,000 an export of 100,000
 * tenants peaked near 200 MB; at 100 the listing and the process itself dominate.
 */
export const READ_BATCH = 100;

/** How {@link statePages} reads tenants: a batch at once, or one (to set apart the unreadable). */
export interface TenantReader<T extends TenantState> {
  many(tenants: readonly string[]): Promise<T[]>;
  one(tenant: string): Promise<T>;
}

/** Reads the tenants' states. */
export function stateReader(store: Store): TenantReader<TenantState> {
  return { many: (tenants) => store.readMany(tenants), one: (tenant) => store.read(tenant) };
}

/** Reads the tenants' states with their histories, as an export holds them. */
export function recordReader(store: Store): TenantReader<TenantRecord> {
  return {
    many: (tenants) => store.readManyWithHistory(tenants),
    one: async (tenant) => ({
      ...(await store.read(tenant)),
      history: await store.history(tenant),
    }),
  };
}

/** The states of `tenants`, each that cannot be read set apart. */
async function readBatch<T extends TenantState>(
  store: Store,
  reader: TenantReader<T>,
  tenants: readonly string[],
): Promise<StatePage<T>> {
  try {
    return { states: await reader.many(tenants), unreadable: [] };
  } catch (error) {
    if (!isModregError(error)) throw error;
  }
  const states: T[] = [];
  const unreadable: UnreadableTenant[] = [];
  for (const tenant of tenants) {
    try {
      states.push(await reader.one(tenant));
    } catch (error) {
      if (!isModregError(error)) throw error;
      unreadable.push({ tenant, message: error.message });
    }
  }
  // Every read failing may be the store going away rather than the tenants: if it no
  // longer answers a listing either, that is the failure to report.
  if (states.length === 0) await store.list({ limit: 1 });
  return { states, unreadable };
}
