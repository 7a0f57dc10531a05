import { createJsonFileStore } from './json-file.js';
import { looksLikeUrl, parseStoreUrl } from './store-url.js';
import type { Store } from './types.js';

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /** Changes kept per tenant. @default 100 */
  historyLimit?: number;
}

/**
 * Opens the store a location names: `redis://…` or `rediss://…` is Redis (ioredis is loaded
 * only then; `?prefix=app:` sets the key prefix), anything else that reads as a URL is
 * refused (a usage error naming the bad part — it never becomes a directory), and a path is
 * the JSON store's directory.
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  const limit = options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit };
  if (looksLikeUrl(location)) {
    const redis = parseStoreUrl(location);
    const { createRedisStore } = await import('./redis.js');
    return createRedisStore({ url: redis.url, ...redis.options, ...limit });
  }
  return createJsonFileStore({ path: location, ...limit });
}
