import type { FlagType, ModuleRecord } from '../registry/types.js';

/** The key form that asks whether a module is on for the tenant: `module:billing`. */
export const MODULE_KEY_PREFIX = 'module:';

/** What a key names: a flag a module declares, or a module itself (`module:<name>`). */
export type IndexEntry =
  | {
      kind: 'flag';
      module: string;
      type: FlagType;
      /** False for a flag declared without a default: the caller's default applies. */
      hasDefault: boolean;
    }
  | { kind: 'module'; module: string; core: boolean };

/** Every key the registry answers for, and the keys each module owns. */
export interface FlagIndex {
  /** The entry for `key`; undefined for a key no module declares. */
  get(key: string): IndexEntry | undefined;
  /** The module keys of `modules` and the flags they declare, as this index knows them. */
  keysOf(modules: Iterable<string>): string[];
}

/**
 * An index over the modules' declarations, built once per registry so an evaluation is one
 * Map lookup. Flag keys cannot hold `:` (the flag key rule), so a module key never shadows a
 * flag.
 */
export function createFlagIndex(modules: readonly ModuleRecord[]): FlagIndex {
  const entries = new Map<string, IndexEntry>();
  const owned = new Map<string, string[]>();
  for (const record of modules) {
    const keys = [`${MODULE_KEY_PREFIX}${record.name}`];
    entries.set(keys[0] as string, { kind: 'module', module: record.name, core: record.core });
    // A hand-edited registry file may lack a record's flags.
    for (const [key, declaration] of Object.entries(record.flags ?? {})) {
      // A key declared twice is a registry problem modreg reports; the first declaration wins
      // here as it does in the runtime's defaults.
      if (!entries.has(key)) {
        entries.set(key, {
          kind: 'flag',
          module: record.name,
          type: declaration.type,
          hasDefault: declaration.default !== undefined,
        });
      }
      keys.push(key);
    }
    owned.set(record.name, keys);
  }
  return {
    get: (key) => entries.get(key),
    keysOf(names) {
      const keys: string[] = [];
      for (const name of names) keys.push(...(owned.get(name) ?? [`${MODULE_KEY_PREFIX}${name}`]));
      return keys;
    },
  };
}
