import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModuleRecord } from '../../registry/types.js';
import type { ModuleHooks } from '../types.js';

/** A module's hooks from its entry: named exports, or an object as default export. */
export async function importHooks(record: ModuleRecord, root: string): Promise<ModuleHooks> {
  if (record.entry === null) return {};
  const loaded = (await import(pathToFileURL(resolve(root, record.entry)).href)) as ModuleHooks & {
    default?: unknown;
  };
  const fallback = loaded.default;
  if (
    loaded.setup === undefined &&
    loaded.activate === undefined &&
    typeof fallback === 'object' &&
    fallback !== null
  ) {
    return fallback as ModuleHooks;
  }
  return loaded;
}
