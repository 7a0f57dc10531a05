import { createJsonFileStore, type JsonFileStoreOptions } from './json-file.js';
import { checkStoreUrl, looksLikeUrl } from './store-url.js';
import type { LockWait } from './tenant-lock.js';
import type { Store } from './types.js';

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /** Changes kept per tenant. @default 100 */
  historyLimit?: number;
  /**
   * Told when an update of the JSON store has waited a while for another process's lock
   * on its tenant — a lock left by a process that died is only taken over once stale — so
   * that a command can say why it waits. @default nobody is told
   */
  onLockWait?: (wait: LockWait) => void;
  /** The JSON store's {@link JsonFileStoreOptions.loadLockOnWrite}. @default false */
  loadLockOnWrite?: boolean;
}

/**
 * Opens the store a location names: `redis://…` or `rediss://…` is Redis (ioredis is loaded
 * only then; `?prefix=app:` sets the key prefix, `&seeds=` adds Cluster nodes), anything
 * else that reads as a URL is
 * refused (a usage error naming the bad part — it never becomes a directory), and a path is
 * the JSON store's directory.
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  const limit = options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit };
  if (looksLikeUrl(location)) {
    checkStoreUrl(location);
    const { createRedisStore } = await import('./redis.js');
    return createRedisStore({ url: location, ...limit });
  }
  const lockWait = options.onLockWait === undefined ? {} : { onLockWait: options.onLockWait };
  const lockOnWrite = options.loadLockOnWrite === true ? { loadLockOnWrite: true } : {};
  return createJsonFileStore({ path: location, ...limit, ...lockWait, ...lockOnWrite });
}
