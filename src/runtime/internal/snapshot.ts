import type { JsonValue, TenantState } from '../tenant/types.js';
import type { RuntimeRegistry } from './runtime-registry.js';
import type { TenantSnapshot } from './types.js';

/** One tenant at one revision, for synchronous lookups; see {@link TenantSnapshot}. */
export function createSnapshot(registry: RuntimeRegistry, state: TenantState): TenantSnapshot {
  return new Snapshot(
    registry,
    state.tenant,
    state.revision,
    registry.enabledBits(state),
    state.flags,
  );
}

/**
 * A class, not an object of closures: with 100,000 tenants cached, methods on the prototype
 * and enabled modules as a few bits keep each snapshot to a few hundred bytes.
 */
class Snapshot implements TenantSnapshot {
  readonly #registry: RuntimeRegistry;
  readonly #bits: Uint32Array;
  readonly #own: Readonly<Record<string, JsonValue>>;

  constructor(
    registry: RuntimeRegistry,
    readonly tenant: string,
    readonly revision: number,
    bits: Uint32Array,
    own: Readonly<Record<string, JsonValue>>,
  ) {
    this.#registry = registry;
    this.#bits = bits;
    this.#own = own;
  }

  get modules(): readonly string[] {
    return this.#registry.names.filter(
      (_, i) => ((this.#bits[i >>> 5] as number) & (1 << (i & 31))) !== 0,
    );
  }

  isModuleEnabled(module: string): boolean {
    const i = this.#registry.index.get(module);
    return i !== undefined && ((this.#bits[i >>> 5] as number) & (1 << (i & 31))) !== 0;
  }

  flag(key: string): JsonValue | undefined {
    return Object.hasOwn(this.#own, key) ? this.#own[key] : this.#registry.defaults.get(key);
  }

  flags(): Record<string, JsonValue> {
    return Object.fromEntries([...this.#registry.defaults, ...Object.entries(this.#own)]);
  }
}
