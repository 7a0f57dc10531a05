import { isModregError } from '../errors.js';
import type { ListOptions, Store } from '../stores/types.js';
import type { TenantState } from '../tenant/types.js';

/** A tenant the store lists but cannot read (a corrupt file, a hand-edited key). */
export interface UnreadableTenant {
  tenant: string;
  /** The store's reason, naming the file or key. */
  message: string;
}

/** One page of tenants with their states: those read, and those that could not be. */
export interface StatePage {
  states: TenantState[];
  unreadable: UnreadableTenant[];
  /** The cursor of the next page; absent on the last. */
  next?: string;
}

/**
 * One page of the store's tenants, read: a tenant that cannot be read is set apart in
 * `unreadable` instead of failing the page, so one corrupt file never hides the others. A
 * store that fails as a whole (unreachable) still throws.
 */
export async function readStatePage(store: Store, options: ListOptions = {}): Promise<StatePage> {
  const page = await store.list(options);
  const next = page.next === undefined ? {} : { next: page.next };
  try {
    return { states: await store.readMany(page.tenants), unreadable: [], ...next };
  } catch (error) {
    if (!isModregError(error)) throw error;
  }
  const states: TenantState[] = [];
  const unreadable: UnreadableTenant[] = [];
  for (const tenant of page.tenants) {
    try {
      states.push(await store.read(tenant));
    } catch (error) {
      if (!isModregError(error)) throw error;
      unreadable.push({ tenant, message: error.message });
    }
  }
  // Every read failing may be the store going away rather than the tenants: if it no
  // longer answers a listing either, that is the failure to report.
  if (states.length === 0) await store.list({ limit: 1 });
  return { states, unreadable, ...next };
}

/** Every page of the store's tenants, read (see {@link readStatePage}), `limit` at a time. */
export async function* statePages(store: Store, limit?: number): AsyncGenerator<StatePage> {
  let cursor: string | undefined;
  do {
    const page = await readStatePage(store, {
      ...(limit === undefined ? {} : { limit }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    yield page;
    cursor = page.next;
  } while (cursor !== undefined);
}
