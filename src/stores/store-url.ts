import { ModregError } from '../errors.js';
import { shownText } from '../message-text.js';
import { didYouMean } from '../suggest.js';
import { parseRedisUrl } from './redis-url.js';

/** How each store URL scheme is checked: the whole URL, before anything is opened. */
const SCHEMES: ReadonlyMap<string, (location: string) => unknown> = new Map([
  ['redis', parseRedisUrl],
  ['rediss', parseRedisUrl],
]);

/**
 * True when `location` reads as a URL (a scheme of two or more letters, then a colon) rather
 * than a directory: `redis://…`, but also `htp://x` or `redis:/host`, which must be refused
 * and never become a directory. `C:\state` (a drive letter) is a path.
 */
export function looksLikeUrl(location: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(location);
}

/**
 * Checks a location that reads as a URL: its scheme must be a store's (`redis`, `rediss`),
 * and the rest what that store takes (for Redis: src/stores/redis-url.ts — host, port,
 * database, query parameters). Anything else is a usage error naming the bad part.
 */
export function checkStoreUrl(location: string): void {
  const scheme = location.slice(0, location.indexOf(':'));
  const check = SCHEMES.get(scheme.toLowerCase());
  if (check === undefined) {
    const known = [...SCHEMES.keys()];
    throw new ModregError(
      'usage',
      `${shownText(location, 80)} is not a store URL: "${scheme}:" is not a store scheme.${didYouMean(scheme.toLowerCase(), known)} Write redis://host:port (rediss:// for TLS), or, for a JSON store directory of that name, ./${location}.`,
    );
  }
  check(location);
}
