import type { ConfigFile } from '../project-config.js';
import type { RegistryFile } from '../registry/registry-file.js';
import type { Store } from '../stores/types.js';
import type { Logger, ModuleHooks } from './types.js';

/** Where the runtime's modules come from: what `ModregOptions.registry` takes. */
export type RegistrySource =
  | string
  | RegistryFile
  | { modulesDir: string; ignore?: string[]; jsonOnly?: boolean };

/** Where the runtime's tenant state lives: what `ModregOptions.store` takes. */
export type StoreSource =
  | string
  | Store
  | {
      /** An ioredis `Redis` or `Cluster` client, made and closed by the caller. */
      redis: unknown;
      /** @default 'modreg:' */
      prefix?: string;
    };

/** Options for {@link createModreg}. */
export interface ModregOptions {
  /**
   * A modreg config (the file the CLI reads): its path, relative to `root`; `true` to find it
   * from `root` as the CLI does; or its content. Its `registry`, `store` and `historyLimit`
   * fill in the options not given here.
   */
  config?: string | true | ConfigFile;
  /**
   * The modules: a registry file written by `modreg discover` (watched: a new one is picked
   * up live), its content, or `{ modulesDir }` to discover them at start (and again on
   * `reloadRegistry()`). @default '.modreg/registry.json' under `root`
   */
  registry?: RegistrySource;
  /**
   * The state: a JSON store directory, a `redis://` URL (a single server or any node of a
   * Cluster), `{ redis: client }` with an ioredis client of yours, or any {@link Store}.
   * @default '.modreg/state' under `root`
   */
  store?: StoreSource;
  /** Paths are relative to this directory. @default process.cwd() at the call */
  root?: string;
  /** Changes kept per tenant by a store this instance opens. @default 100 */
  historyLimit?: number;
  /**
   * How long a cached tenant is trusted without hearing of it from the store's change feed;
   * past it, it is read again (and served as it is while that read runs). The feed is the
   * main path; this is a safety net. @default 300000
   */
  cacheTtlMs?: number;
  /**
   * Most tenants held in memory; past it the least recently used are dropped and read again
   * on demand. @default unbounded
   */
  cacheMaxTenants?: number;
  /**
   * Longest wait for one store call (a read, a batch, a change) before it counts as failed:
   * the last known state is served and `health()` says `stale`. @default 2000
   */
  storeTimeoutMs?: number;
  /** Longest a module hook may run before the module counts as failed. @default 5000 */
  hookTimeoutMs?: number;
  /** How often a failing store (or a start that failed) is tried again. @default 1000 */
  retryMs?: number;
  /** How often the registry file is checked for a new version. @default 1000 */
  registryPollMs?: number;
  /** Who changes made through this instance are recorded as. @default 'modreg-runtime' */
  actor?: string;
  /**
   * Where warnings and errors go (a store that fails, a module hook that throws, a registry
   * that cannot be reloaded); `false` for none. @default warnings and errors on the console
   */
  logger?: Logger | false;
  /** Module code by name, instead of importing each module's `entry` (tests, bundles). */
  modules?: Record<string, ModuleHooks>;
}
