import { isTenantId } from '../tenant/tenant-id.js';
import { SHARD_COUNT, shardOf } from './redis-keys.js';
import { isObject, parseJson } from './redis-state.js';
import type { StoreEvent } from './types.js';

/** How far a subscriber has followed one shard: its generation and last sequence number. */
export interface ShardPosition {
  /** Null while the shard has none: nothing was ever committed there, or it was emptied. */
  generation: string | null;
  seq: number;
}

/** What the store said of one shard: its position now and its change log since ours. */
export interface ShardReading extends ShardPosition {
  /** Change log entries (JSON text), in any order; may be more than needed, or too few. */
  entries: readonly string[];
}

/** What a reading means for a subscriber at `held`. */
export interface ShardStep {
  position: ShardPosition;
  /** The tenants changed since, each once at its latest revision. */
  changes: StoreEvent[];
  /** Why the shard's tenants must all be read again, when they must. */
  reset?: string;
}

/** A notification as the commit script publishes it. */
export interface Notification extends StoreEvent {
  shard: number;
  seq: number;
  generation: string;
}

/** The position of a shard without a generation. */
export const NO_POSITION: ShardPosition = { generation: null, seq: 0 };

/**
 * Follows one shard from `held` to `reading`. Same generation: the entries after `held.seq`
 * up to `reading.seq` are the changes, and when one of them is missing (the log was
 * trimmed past it) the shard is reset. A shard that had no generation continues from 0 (its
 * log starts with the generation). A different generation, or none where there was one: the
 * store was emptied or replaced, and the shard is reset.
 */
export function followShard(held: ShardPosition, reading: ShardReading, shard: number): ShardStep {
  if (reading.generation === null) {
    if (held.generation === null) return { position: held, changes: [] };
    return { position: NO_POSITION, changes: [], reset: EMPTIED };
  }
  const position = { generation: reading.generation, seq: reading.seq };
  if (held.generation !== null && held.generation !== reading.generation) {
    return { position, changes: [], reset: EMPTIED };
  }
  const from = held.generation === null ? 0 : held.seq;
  if (reading.seq <= from)
    return { position: held.generation === null ? position : held, changes: [] };
  const bySeq = new Map<number, Notification | StoreEvent>();
  for (const text of reading.entries) {
    const entry = parseLogEntry(text, shard);
    if (entry !== undefined && entry.seq > from && entry.seq <= reading.seq)
      bySeq.set(entry.seq, entry);
  }
  if (bySeq.size !== reading.seq - from) return { position, changes: [], reset: MISSED };
  const latest = new Map<string, number>();
  for (const { tenant, revision } of bySeq.values()) {
    latest.set(tenant, Math.max(revision, latest.get(tenant) ?? 0));
  }
  return {
    position,
    changes: [...latest].map(([tenant, revision]) => ({ tenant, revision })),
  };
}

/** A notification modreg published, or undefined for any other message. */
export function parseNotification(text: string): Notification | undefined {
  const value = parseJson(text);
  if (!isObject(value)) return undefined;
  const { shard, seq, generation, tenant, revision } = value;
  if (!Number.isSafeInteger(shard) || (shard as number) < 0 || (shard as number) >= SHARD_COUNT) {
    return undefined;
  }
  if (typeof generation !== 'string' || generation === '') return undefined;
  if (!isChange(tenant, revision, seq) || shardOf(tenant as string) !== shard) return undefined;
  return {
    shard: shard as number,
    seq: seq as number,
    generation,
    tenant: tenant as string,
    revision: revision as number,
  };
}

const EMPTIED = 'the Redis store was emptied or replaced (a new store generation)';
const MISSED = 'more changes were missed than the change log keeps';

function parseLogEntry(text: string, shard: number): (StoreEvent & { seq: number }) | undefined {
  const value = parseJson(text);
  if (!isObject(value)) return undefined;
  const { seq, tenant, revision } = value;
  if (!isChange(tenant, revision, seq) || shardOf(tenant as string) !== shard) return undefined;
  return { seq: seq as number, tenant: tenant as string, revision: revision as number };
}

function isChange(tenant: unknown, revision: unknown, seq: unknown): boolean {
  return (
    isTenantId(tenant) &&
    Number.isSafeInteger(revision) &&
    (revision as number) >= 1 &&
    Number.isSafeInteger(seq) &&
    (seq as number) >= 1
  );
}
