import type { Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { errorCode } from './json-errors.js';
import { tenantOf } from './json-names.js';

/** Finds the tenants whose file disappeared from `tenants/` between two looks. */
export interface NameScan {
  /**
   * Lists the directory again when it changed since the last look (its inode or mtime) and
   * the scan is due; returns the tenants listed last time and not now (none the first time).
   */
  vanished(directory: Stats | undefined): Promise<string[]>;
  /** Lists the directory at the next call, due or not (a watch could not say what changed). */
  soon(): void;
}

/** Most of the time a scan may take: it waits this many times its last duration. */
const SCAN_SHARE = 50;

/**
 * The safety net for files deleted by hand when the watch missed it: one readdir of names
 * (no file is read), at most every `minIntervalMs` and never more than 1/50 of the time — at
 * 100,000 tenants a readdir takes about 0.1 s, so it runs every 5 s or so, and not at all
 * while the directory does not change. The names of the last scan are kept as one sorted
 * string (about 25 bytes per tenant).
 */
export function createNameScan(dir: string, minIntervalMs: number): NameScan {
  let listed: string | undefined;
  let seenKey: string | undefined;
  let dueAt = 0;
  return {
    soon() {
      dueAt = 0;
    },
    async vanished(directory) {
      const key = directory === undefined ? 'none' : `${directory.ino}:${directory.mtimeMs}`;
      const now = Date.now();
      if (key === seenKey || now < dueAt) return [];
      const names =
        directory === undefined
          ? []
          : await readdir(dir).catch((error: unknown) => {
              if (errorCode(error) === 'ENOENT') return [] as string[];
              throw error;
            });
      const tenants = [...new Set(names.flatMap((name) => tenantOf(name) ?? []))].sort();
      const joined = tenants.join('\n');
      const before = listed;
      listed = joined;
      seenKey = key;
      dueAt = Date.now() + Math.max(minIntervalMs, SCAN_SHARE * (Date.now() - now));
      if (before === undefined || before === joined || before === '') return [];
      return missingFrom(before.split('\n'), tenants);
    },
  };
}

/** The items of `before` not in `after` (both sorted). */
function missingFrom(before: readonly string[], after: readonly string[]): string[] {
  const missing: string[] = [];
  let j = 0;
  for (const item of before) {
    while (j < after.length && (after[j] as string) < item) j++;
    if (after[j] !== item) missing.push(item);
  }
  return missing;
}
