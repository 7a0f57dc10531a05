import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import { ModregError } from '../errors.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import type { TenantState } from '../tenant/types.js';
import { type ShardCommand, type ShardReply, sendPerShard } from './redis-batches.js';
import type { RedisClient } from './redis-client.js';
import { createRedisCommit } from './redis-commit.js';
import { openConnection, type RedisConnection } from './redis-connection.js';
import { withDeadline } from './redis-deadline.js';
import { createRedisFeed } from './redis-feed.js';
import {
  checkPrefix,
  legacyIndexKey,
  SHARD_COUNT,
  shardHashTag,
  shardOf,
  tenantKeyMaker,
  tenantKeys,
} from './redis-keys.js';
import { createRedisList } from './redis-list.js';
import { hashSlot } from './redis-slot.js';
import { corrupt, parseHistoryEntry, parseState } from './redis-state.js';
import { parseRedisUrl } from './redis-url.js';
import { createTenantQueue } from './tenant-queue.js';
import { DEFAULT_HISTORY_LIMIT, type Store } from './types.js';

/** Options for {@link createRedisStore}. */
export interface RedisStoreOptions {
  /**
   * The server, or any node of a Cluster: `redis://[user:password@]host:port[/db]`, or
   * `rediss://…` for TLS; `?seeds=host:port,…` adds Cluster nodes to start from, `?prefix=`
   * sets the key prefix. A Cluster is recognised on connecting.
   * @default 'redis://127.0.0.1:6379'
   */
  url?: string;
  /** More nodes (`host:port`) of the same Cluster to start from. @default [] */
  seeds?: readonly string[];
  /**
   * A client to use instead of `url`: an ioredis `Redis` or `Cluster`, connected or not. The
   * store never closes it; it makes (and closes) its own pub/sub connection beside it.
   */
  client?: Redis | Cluster;
  /**
   * Prepended to every key and to the notification channel; no braces.
   * @default the URL's `?prefix=`, else 'modreg:'
   */
  prefix?: string;
  /** Changes kept per tenant. @default DEFAULT_HISTORY_LIMIT (100) */
  historyLimit?: number;
  /** Most time connecting (and the first pub/sub connection) may take. @default 3000 */
  connectTimeoutMs?: number;
  /**
   * Most time one call may wait for Redis; past it the call fails with an `environment`
   * error (an update then says it may or may not have been applied). @default 1000
   */
  commandTimeoutMs?: number;
  /**
   * How often the change feed reads every shard's position, to announce what notifications
   * missed: the bound on how late a lost notification's change is announced. @default 250
   */
  feedIntervalMs?: number;
  /**
   * For tests of the feed: notifications for which this returns true are dropped as if lost
   * on the way; their changes must still be announced. @default none
   */
  dropNotification?: (text: string) => boolean;
}

/**
 * The shared store, on one Redis server or a Redis Cluster (docs/redis-store.md). Tenants
 * live in SHARD_COUNT shards, each shard's keys in one hash slot: per tenant a state hash and
 * a capped history list; per shard an index of its tenants (a sorted set, paged by id), and
 * a feed position (generation, sequence number) with a capped change log. One Lua script
 * commits a change and everything that goes with it, atomically; every call has a deadline.
 * Keys modreg did not write are reported and never overwritten.
 */
export async function createRedisStore(options: RedisStoreOptions = {}): Promise<Store> {
  const fromUrl = options.url === undefined ? undefined : parseRedisUrl(options.url).prefix;
  const prefix = checkPrefix(options.prefix ?? fromUrl ?? 'modreg:');
  const historyLimit = whole('historyLimit', options.historyLimit, DEFAULT_HISTORY_LIMIT);
  const connectTimeoutMs = whole('connectTimeoutMs', options.connectTimeoutMs, 3000);
  const commandTimeoutMs = whole('commandTimeoutMs', options.commandTimeoutMs, 1000);
  const feedIntervalMs = whole('feedIntervalMs', options.feedIntervalMs, 250);
  const connection = await openConnection({ ...options, connectTimeoutMs });
  try {
    await refuseOldLayout(connection, prefix, commandTimeoutMs);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const { client, location } = connection;
  const slots = Array.from({ length: SHARD_COUNT }, (_, shard) =>
    hashSlot(shardHashTag(prefix, shard)),
  );
  const slotOf = (shard: number) => slots[shard] as number;
  const failed = (error: unknown, key: string, doing: string) =>
    error instanceof Error && error.message.startsWith('WRONGTYPE')
      ? corrupt(key, location, 'it holds another type of value')
      : connection.failure(error, doing);
  const deadline = <T>(work: Promise<T>, key: string, doing: string) =>
    withDeadline(work, commandTimeoutMs).catch((error: unknown) => {
      throw failed(error, key, doing);
    });

  const read = async (tenant: string): Promise<TenantState> => {
    const { state } = tenantKeys(prefix, validateTenantId(tenant));
    const hash = await deadline(client.hgetall(state), state, `reading tenant "${tenant}"`);
    return parseState(tenant, hash, state, location);
  };
  const commit = createRedisCommit({ connection, prefix, historyLimit, commandTimeoutMs, read });
  const list = createRedisList({ connection, prefix, commandTimeoutMs, slotOf, failed });
  const feed = createRedisFeed({
    connection,
    prefix,
    intervalMs: feedIntervalMs,
    commandTimeoutMs,
    slotOf,
    dropNotification: options.dropNotification,
  });
  const queue = createTenantQueue();
  const keyOf = tenantKeyMaker(prefix);
  const replyOf = (replies: ShardReply[], reads: KeyRead[], i: number, count: number) => {
    const reply = replies[i] as ShardReply;
    if ('error' in reply) {
      throw failed(reply.error, (reads[i] as KeyRead).key, `reading ${count} tenants`);
    }
    return reply.value;
  };

  return {
    kind: 'redis',
    location,
    read,
    async readMany(tenants) {
      const reads = tenants.map((tenant) => {
        const shard = shardOf(validateTenantId(tenant));
        return new KeyRead(client, 'hgetall', shard, keyOf('t', tenant, shard));
      });
      const replies = await sendPerShard(client, slotOf, reads, commandTimeoutMs);
      return tenants.map((tenant, i) =>
        parseState(
          tenant,
          replyOf(replies, reads, i, tenants.length) as Record<string, string>,
          (reads[i] as KeyRead).key,
          location,
        ),
      );
    },
    async readManyWithHistory(tenants) {
      // Each tenant's state hash and history list, side by side: the same shard, one pipeline.
      const reads = tenants.flatMap((tenant) => {
        const shard = shardOf(validateTenantId(tenant));
        return [
          new KeyRead(client, 'hgetall', shard, keyOf('t', tenant, shard)),
          new KeyRead(client, 'lrange', shard, keyOf('h', tenant, shard)),
        ];
      });
      const replies = await sendPerShard(client, slotOf, reads, commandTimeoutMs);
      return tenants.map((tenant, i) => {
        const hash = replyOf(replies, reads, 2 * i, tenants.length) as Record<string, string>;
        const items = replyOf(replies, reads, 2 * i + 1, tenants.length) as string[];
        const { key } = reads[2 * i + 1] as KeyRead;
        return {
          ...parseState(tenant, hash, (reads[2 * i] as KeyRead).key, location),
          history: items.map((item) => parseHistoryEntry(item, key, location)),
        };
      });
    },
    list,
    async update(tenant, request) {
      return queue.run(validateTenantId(tenant), () => commit(tenant, request));
    },
    async history(tenant, { limit } = {}) {
      const { history } = tenantKeys(prefix, validateTenantId(tenant));
      if (limit !== undefined && limit <= 0) return [];
      const last = limit === undefined ? -1 : limit - 1;
      const items = await deadline(
        client.lrange(history, 0, last),
        history,
        `reading the history of "${tenant}"`,
      );
      return items.map((item) => parseHistoryEntry(item, history, location));
    },
    subscribe: (listener) => feed.subscribe(listener),
    async close() {
      await queue.idle();
      await feed.close();
      await connection.close();
    },
  };
}

/**
 * One read of one tenant key, sent with others (HGETALL of its state, or LRANGE of its whole
 * history): a class, so that reading 100,000 tenants makes no closures.
 */
class KeyRead implements ShardCommand {
  constructor(
    private readonly client: RedisClient,
    private readonly command: 'hgetall' | 'lrange',
    readonly shard: number,
    readonly key: string,
  ) {}

  queue(pipeline: ChainableCommander): void {
    if (this.command === 'hgetall') pipeline.hgetall(this.key);
    else pipeline.lrange(this.key, 0, -1);
  }

  alone(): Promise<unknown> {
    return this.command === 'hgetall'
      ? this.client.hgetall(this.key)
      : this.client.lrange(this.key, 0, -1);
  }
}

/**
 * Refuses a store of the format before shards (a `<prefix>tenants` set beside
 * `<prefix>{<tenant>}:state` hashes): it is neither read nor written over.
 */
async function refuseOldLayout(
  connection: RedisConnection,
  prefix: string,
  commandTimeoutMs: number,
): Promise<void> {
  const key = legacyIndexKey(prefix);
  const found = await withDeadline(connection.client.exists(key), commandTimeoutMs).catch(
    (error: unknown) => {
      throw connection.failure(error, `checking the store's format (${key})`);
    },
  );
  if (found === 0) return;
  throw new ModregError(
    'environment',
    `Redis at ${connection.location} holds a modreg store in the key layout of earlier modreg versions under the prefix "${prefix}" (the key "${key}"), which this version neither reads nor overwrites. Move it: export it with the modreg version that wrote it (modreg export --store <url> --output tenants.json), delete its keys or choose another prefix, then import the file with this version (modreg import tenants.json --store <url>).`,
  );
}

function whole(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ModregError('usage', `${name} must be a whole number of at least 1, not ${value}.`);
  }
  return value;
}
