import { readdir, stat } from 'node:fs/promises';
import { TEMP_FILE_PATTERN } from '../atomic-write.js';
import { errorCode, fileSystemError } from './json-errors.js';
import { tenantOf } from './json-names.js';
import { removeStaleTempFiles } from './json-temp-files.js';
import { pageOfSorted } from './pages.js';
import type { ListOptions, TenantPage } from './types.js';

/** Pages of the tenants in a JSON store's `tenants/` directory, in name order. */
export interface TenantListing {
  list(options?: ListOptions): Promise<TenantPage>;
}

/**
 * How long the sorted names of the last listing are kept for the next page: long enough for
 * a reader going through every page, short enough that a server listing once holds nothing.
 */
const KEPT_MS = 10_000;

/**
 * Lists `dir`. A listing reads the whole directory (100,000 names, a few MB of strings), so
 * reading it again for every page made an export of 100,000 tenants read it 100 times and
 * hold the garbage of several at once. The sorted names are kept for the next page while the
 * directory is unchanged (same inode and mtime: a tenant file created, renamed or deleted
 * changes it), and dropped after the last page or {@link KEPT_MS} without one.
 */
export function createTenantListing(dir: string): TenantListing {
  let kept: { key: string; sorted: string[]; timer: NodeJS.Timeout } | undefined;
  const drop = () => {
    if (kept !== undefined) clearTimeout(kept.timer);
    kept = undefined;
  };
  const keep = (key: string, sorted: string[]) => {
    drop();
    const timer = setTimeout(drop, KEPT_MS);
    timer.unref();
    kept = { key, sorted, timer };
  };
  return {
    async list(options) {
      const key = await directoryKey(dir);
      const sorted =
        options?.cursor !== undefined && kept !== undefined && kept.key === key
          ? kept.sorted
          : await sortedTenants(dir);
      const page = pageOfSorted(sorted, options);
      if (page.next === undefined || key === undefined) drop();
      else if (kept?.sorted !== sorted) keep(key, sorted);
      return page;
    },
  };
}

/** What changes whenever the directory's entries do; undefined when it does not exist. */
async function directoryKey(dir: string): Promise<string | undefined> {
  try {
    const { ino, mtimeMs } = await stat(dir, { bigint: false });
    return `${ino}:${mtimeMs}`;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw fileSystemError(`Cannot list ${dir}`, error);
  }
}

/** The tenants of `dir`, sorted, each once; stale temporary files removed on the way. */
async function sortedTenants(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return [] as string[];
    throw fileSystemError(`Cannot list ${dir}`, error);
  });
  // Writers before tmp/ left their temporary files here.
  const temps = names.filter((name) => TEMP_FILE_PATTERN.test(name));
  if (temps.length > 0) await removeStaleTempFiles(dir, temps);
  const sorted = names.flatMap((name) => tenantOf(name) ?? []).sort();
  // A tenant still under its old file name may have its new one too.
  return sorted.filter((tenant, i) => tenant !== sorted[i - 1]);
}
