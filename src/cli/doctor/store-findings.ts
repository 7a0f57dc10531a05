import { stat } from 'node:fs/promises';
import type { Finding } from '../../doctor/finding.js';
import type { Store } from '../../stores/types.js';

/**
 * What is wrong with the store itself, beyond answering: a JSON store directory named
 * (`given`) that does not exist — a mistyped `--store` would read as a store with no
 * tenants. The default directory of a project with no tenant yet is no finding.
 */
export async function storeFindings(store: Store, given: boolean): Promise<Finding[]> {
  if (store.kind !== 'json') return [];
  const found = (message: string): Finding[] => [
    { check: 'store', subject: store.location, message },
  ];
  const info = await stat(store.location).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    if (info.code === 'ENOENT' && !given) return [];
    return found(
      info.code === 'ENOENT'
        ? 'the store directory does not exist, so no tenant has ever been written there; check --store, MODREG_STORE or "store" in the config file (the first change creates it).'
        : `the store directory cannot be read (${info.message}).`,
    );
  }
  return [];
}
