import type { JsonValue } from '../tenant/types.js';

/** Options of {@link ModregProvider}: where the tenant comes from, and when it is ready. */
export interface ModregProviderOptions {
  /**
   * The evaluation-context attribute that names the tenant. It is read first; the
   * context's `targetingKey` is used only when this attribute is absent, so a service whose
   * `targetingKey` is a user id can still name the tenant. @default 'tenant'
   */
  tenantAttribute?: string;
  /**
   * Take the tenant from the context's `targetingKey` when `tenantAttribute` is absent.
   * Turn it off where `targetingKey` holds something else (a user id) that could pass for a
   * tenant id. @default true
   */
  targetingKeyIsTenant?: boolean;
  /**
   * Announce `PROVIDER_READY` only once `modreg.synced()` resolves (every tenant of the
   * store read into the cache), not as soon as `modreg.ready()` does: then no evaluation
   * waits for a store read. @default false
   */
  waitForSync?: boolean;
  /**
   * Names the variant of a value the provider serves, for hooks and telemetry that report
   * variants (modreg flags have values, not named variants). Returning undefined keeps the
   * built-in name: `default` for a declared default, `on` / `off` for a module key, none for
   * a tenant's own value. @default the built-in names only
   */
  variant?: (flagKey: string, value: JsonValue) => string | undefined;
}
