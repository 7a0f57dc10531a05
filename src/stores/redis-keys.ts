import { ModregError } from '../errors.js';
import { shownText } from '../message-text.js';

/**
 * Shards of a Redis store: part of its format (a store written with another count is another
 * format). Every tenant belongs to one shard, every key of a shard shares one Redis Cluster
 * hash slot, and the change feed keeps a sequence number per shard. 64 spreads a store over
 * up to 64 cluster nodes and keeps the feed's poll to 64 small reads per interval.
 */
export const SHARD_COUNT = 64;

/** Entries each shard's change log keeps: how long a subscriber may be away and catch up. */
export const CHANGE_LOG_LENGTH = 1000;

/** The keys of one shard. */
export interface ShardKeys {
  /** Sorted set of the shard's tenant ids, all at score 0: ordered by id, for paging. */
  index: string;
  /** Hash: `generation` (made by the shard's first commit) and `seq` (its last change). */
  feed: string;
  /** List of `{"seq","tenant","revision"}` JSON, newest first, CHANGE_LOG_LENGTH at most. */
  log: string;
}

/** The keys of one tenant, and those of its shard. */
export interface TenantKeys extends ShardKeys {
  shard: number;
  /** Hash: `revision`, `updatedAt`, `modules` (JSON array), `flags` (JSON object), `commit`. */
  state: string;
  /** List of HistoryEntry JSON, newest first, capped at the history limit. */
  history: string;
}

/** The shard of `tenant`: FNV-1a (32 bits) of its id, modulo SHARD_COUNT. Stable forever. */
export function shardOf(tenant: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < tenant.length; i++) {
    hash ^= tenant.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SHARD_COUNT;
}

/**
 * What every key of `shard` starts with: `<prefix>{<prefix>s:<shard>}:`. The braces are the
 * Redis Cluster hash tag, so one script may touch all of a shard's keys; the prefix inside
 * it spreads two stores' shards over different slots.
 */
export function shardTag(prefix: string, shard: number): string {
  return `${prefix}{${shardHashTag(prefix, shard)}}:`;
}

/** What Redis Cluster hashes for every key of `shard`: the text between the braces. */
export function shardHashTag(prefix: string, shard: number): string {
  return `${prefix}s:${shard}`;
}

/** The keys of `shard`. */
export function shardKeys(prefix: string, shard: number): ShardKeys {
  const tag = shardTag(prefix, shard);
  return { index: `${tag}tenants`, feed: `${tag}feed`, log: `${tag}log` };
}

/** The keys of `tenant` (a valid tenant id: no braces, colons or spaces). */
export function tenantKeys(prefix: string, tenant: string): TenantKeys {
  const shard = shardOf(tenant);
  const tag = shardTag(prefix, shard);
  return {
    shard,
    state: tenantKey(tag, 't', tenant),
    history: tenantKey(tag, 'h', tenant),
    ...shardKeys(prefix, shard),
  };
}

/**
 * A tenant's state key (`t`) or history key (`h`), each shard's tag made once for `prefix`:
 * what reading many tenants asks for, without the other keys {@link tenantKeys} makes. The
 * tenant is a valid tenant id, `shard` its {@link shardOf}.
 */
export function tenantKeyMaker(
  prefix: string,
): (kind: 't' | 'h', tenant: string, shard: number) => string {
  const tags = Array.from({ length: SHARD_COUNT }, (_, shard) => shardTag(prefix, shard));
  return (kind, tenant, shard) => tenantKey(tags[shard] as string, kind, tenant);
}

/** A tenant's key of `kind` (`t` state, `h` history) under its shard's tag. */
function tenantKey(tag: string, kind: 't' | 'h', tenant: string): string {
  return `${tag}${kind}:${tenant}`;
}

/** The pub/sub channel of the store's change notifications. */
export function changesChannel(prefix: string): string {
  return `${prefix}changes`;
}

/** The tenant set of the store format before shards: its presence means an old store. */
export function legacyIndexKey(prefix: string): string {
  return `${prefix}tenants`;
}

/** `prefix`, checked: braces would change the hash tags, and so the slots, of every key. */
export function checkPrefix(prefix: unknown): string {
  const usable =
    typeof prefix === 'string' &&
    prefix.length <= 200 &&
    !/[{}\s]/.test(prefix) &&
    ![...prefix].some((character) => character < ' ');
  if (!usable) {
    throw new ModregError(
      'usage',
      `The Redis key prefix ${shownText(String(prefix))} is not usable: write up to 200 characters without braces, spaces or control characters (e.g. "app:").`,
    );
  }
  return prefix;
}
