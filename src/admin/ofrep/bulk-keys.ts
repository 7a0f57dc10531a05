import type { FlagIndex } from '../../evaluation/flag-index.js';
import type { TenantSnapshot } from '../../runtime/types.js';

/**
 * The keys a bulk evaluation answers, each once: for every module in registry order its
 * `module:<name>` key and the flags it declares, then the flags the tenant set that no module
 * declares, sorted — every key a single evaluation answers with something other than
 * `FLAG_NOT_FOUND`, so a client that evaluates from the bulk answer (a static-context
 * provider) sees what a server-side one would.
 */
export function bulkKeys(
  index: FlagIndex,
  modules: readonly string[],
  snapshot: TenantSnapshot,
): string[] {
  const keys = new Set(index.keysOf(modules));
  const own = Object.keys(snapshot.flags())
    .filter((key) => !keys.has(key) && index.get(key) === undefined && snapshot.hasOwnFlag(key))
    .sort();
  return [...keys, ...own];
}
