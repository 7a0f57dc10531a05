import type { JsonValue, TenantState } from '../../tenant/types.js';
import type { TenantSnapshot } from '../types.js';
import type { RuntimeRegistry } from './runtime-registry.js';

/**
 * A snapshot as the cache holds it. What the cache knows of it lives on the snapshot itself,
 * not in an entry object beside it: at 100,000 tenants an entry object costs more than these
 * three fields.
 */
export interface CachedSnapshot extends TenantSnapshot {
  /** The clock tick at which the answer it shows came back. */
  seenAt: number;
  /** Past this time (ms) it is read again. */
  expiresAt: number;
  /** Looked up since the cache's clock hand last passed. */
  used: boolean;
}

/** One tenant at one revision, for synchronous lookups; see {@link TenantSnapshot}. */
export function createSnapshot(
  registry: RuntimeRegistry,
  state: TenantState,
  seenAt: number,
  expiresAt: number,
): CachedSnapshot {
  const bits = registry.enabledBits(state);
  const words = typeof bits === 'number' ? [bits] : bits;
  return new Snapshot(
    registry,
    state.tenant,
    state.revision,
    words,
    registry.ownFlags(state),
    seenAt,
    expiresAt,
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
 * to a number so that each stays a small integer (no heap allocation): two fields hold up to
 * 60 modules, an array the rest.
 */
class Snapshot implements CachedSnapshot {
  readonly #registry: RuntimeRegistry;
  readonly #low: number;
  readonly #high: number;
  readonly #rest: readonly number[] | undefined;
  readonly #own: Readonly<Record<string, JsonValue>>;
  used = false;

  constructor(
    registry: RuntimeRegistry,
    readonly tenant: string,
    readonly revision: number,
    words: readonly number[],
    own: Readonly<Record<string, JsonValue>>,
    public seenAt: number,
    public expiresAt: number,
  ) {
    this.#registry = registry;
    this.#low = words[0] ?? 0;
    this.#high = words[1] ?? 0;
    this.#rest = words.length > 2 ? words.slice(2) : undefined;
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
    const w = (i / BITS_PER_WORD) | 0;
    const word = w === 0 ? this.#low : w === 1 ? this.#high : (this.#rest?.[w - 2] ?? 0);
    return (word & (1 << (i % BITS_PER_WORD))) !== 0;
  }
}

/** Module bits per number: 30 keeps every word a V8 small integer. */
export const BITS_PER_WORD = 30;
