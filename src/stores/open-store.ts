import { createJsonFileStore } from './json-file.js';
import type { Store } from './types.js';

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /** Changes kept per tenant. @default 100 */
  historyLimit?: number;
}

/**
 * Opens the store a location names: `redis://…` or `rediss://…` is Redis (ioredis is loaded
 * only then; a `?prefix=app:` query sets the key prefix), anything else is the JSON store's
 * directory.
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  const limit = options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit };
  if (/^rediss?:\/\//i.test(location)) {
    const { createRedisStore } = await import('./redis.js');
    const url = new URL(location);
    const prefix = url.searchParams.get('prefix');
    url.searchParams.delete('prefix');
    return createRedisStore({
      url: url.toString(),
      ...limit,
      ...(prefix === null ? {} : { prefix }),
    });
  }
  return createJsonFileStore({ path: location, ...limit });
}
