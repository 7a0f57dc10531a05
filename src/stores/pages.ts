import { ModregError } from '../errors.js';
import { shownText } from '../message-text.js';
import { isTenantId } from '../tenant/tenant-id.js';
import {
  DEFAULT_PAGE_SIZE,
  type ListOptions,
  MAX_PAGE_SIZE,
  type Store,
  type TenantPage,
} from './types.js';

/** The page size `options` ask for, checked: a whole number from 1 to MAX_PAGE_SIZE. */
export function pageLimit(options: ListOptions = {}): number {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ModregError(
      'usage',
      `A page of tenants holds 1 to ${MAX_PAGE_SIZE} tenants, not ${shownText(String(limit))}.`,
    );
  }
  return limit;
}

/** An opaque cursor for `parts` (text without NUL), as a page's `next`. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(parts.join('\u0000'), 'utf8').toString('base64url');
}

/**
 * The parts of a cursor made by {@link encodeCursor}, checked by `valid`; anything else is a
 * usage error naming the cursor.
 */
export function decodeCursor(cursor: string, valid: (parts: string[]) => boolean): string[] {
  const parts =
    typeof cursor === 'string' && /^[A-Za-z0-9_-]{1,1000}$/.test(cursor)
      ? Buffer.from(cursor, 'base64url').toString('utf8').split('\u0000')
      : undefined;
  if (parts === undefined || !valid(parts)) {
    throw new ModregError(
      'usage',
      `${shownText(String(cursor))} is not a cursor this store gave; pass the "next" of the previous page, or no cursor for the first.`,
    );
  }
  return parts;
}

/** One page of `sorted` (tenant ids in order): those after the cursor's id. */
export function pageOfSorted(sorted: readonly string[], options: ListOptions = {}): TenantPage {
  const limit = pageLimit(options);
  let start = 0;
  if (options.cursor !== undefined) {
    const [after] = decodeCursor(options.cursor, (p) => p.length === 1 && isTenantId(p[0]));
    start = firstAfter(sorted, after as string);
  }
  const tenants = sorted.slice(start, start + limit);
  const last = tenants.at(-1);
  return start + limit < sorted.length && last !== undefined
    ? { tenants, next: encodeCursor([last]) }
    : { tenants };
}

/**
 * Every page of the store's tenants, `limit` at a time, in the store's order. The next page is
 * asked for as soon as one arrives, so listing runs while the caller works on a page. A page
 * asked for but not taken (the caller stopped early) is dropped, its failure with it.
 */
export async function* tenantPages(store: Store, limit?: number): AsyncGenerator<string[]> {
  const pageAfter = (cursor: string | undefined) =>
    store.list({
      ...(limit === undefined ? {} : { limit }),
      ...(cursor === undefined ? {} : { cursor }),
    });
  let coming = pageAfter(undefined);
  for (;;) {
    const page = await coming;
    if (page.next !== undefined) {
      coming = pageAfter(page.next);
      coming.catch(() => undefined);
    }
    if (page.tenants.length > 0) yield page.tenants;
    if (page.next === undefined) return;
  }
}

/** The position of the first id sorting after `after` (binary search). */
function firstAfter(sorted: readonly string[], after: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}
