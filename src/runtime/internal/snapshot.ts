import type { JsonValue, TenantState } from '../../tenant/types.js';
import type { TenantSnapshot } from '../types.js';
import type { RuntimeRegistry } from './runtime-registry.js';

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

/** True when two snapshots answer every lookup alike (modules and flag values). */
export function sameAnswers(a: TenantSnapshot, b: TenantSnapshot): boolean {
  return (
    a.modules.join('\u0000') === b.modules.join('\u0000') &&
    JSON.stringify(a.flags()) === JSON.stringify(b.flags())
  );
}

/**
 * A class, not an object of closures: with 100,000 tenants cached, methods on the prototype
 * keep each snapshot small. Enabled modules are bits over the registry's module positions, 30
 * to a number so that each stays a small integer (no heap allocation): one number for up to
 * 30 modules, an array of them beyond.
 */
class Snapshot implements TenantSnapshot {
  readonly #registry: RuntimeRegistry;
  readonly #bits: number | readonly number[];
  readonly #own: Readonly<Record<string, JsonValue>>;

  constructor(
    registry: RuntimeRegistry,
    readonly tenant: string,
    readonly revision: number,
    bits: number | readonly number[],
    own: Readonly<Record<string, JsonValue>>,
  ) {
    this.#registry = registry;
    this.#bits = bits;
    this.#own = own;
  }

  get modules(): readonly string[] {
    return this.#registry.names.filter((_, i) => this.#has(i));
  }

  isModuleEnabled(module: string): boolean {
    const i = this.#registry.index.get(module);
    return i !== undefined && this.#has(i);
  }

  flag(key: string): JsonValue | undefined {
    return Object.hasOwn(this.#own, key) ? this.#own[key] : this.#registry.defaults.get(key);
  }

  hasOwnFlag(key: string): boolean {
    return Object.hasOwn(this.#own, key);
  }

  flags(): Record<string, JsonValue> {
    return Object.fromEntries([...this.#registry.defaults, ...Object.entries(this.#own)]);
  }

  #has(i: number): boolean {
    const bits = this.#bits;
    const word = typeof bits === 'number' ? bits : (bits[(i / BITS_PER_WORD) | 0] as number);
    return (word & (1 << (i % BITS_PER_WORD))) !== 0;
  }
}

/** Module bits per number: 30 keeps every word a V8 small integer. */
export const BITS_PER_WORD = 30;
