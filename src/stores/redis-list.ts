import { isTenantId } from '../tenant/tenant-id.js';
import { decodeCursor, encodeCursor, pageLimit } from './pages.js';
import { type ShardCommand, sendPerShard } from './redis-batches.js';
import type { RedisConnection } from './redis-connection.js';
import { SHARD_COUNT, shardKeys } from './redis-keys.js';
import { corrupt } from './redis-state.js';
import type { ListOptions, TenantPage } from './types.js';

/** What listing needs of its store. */
export interface RedisListOptions {
  connection: RedisConnection;
  prefix: string;
  commandTimeoutMs: number;
  /** The hash slot of a shard's keys. */
  slotOf(shard: number): number;
  /** The error for a command that failed on `key` (a wrong type: a corrupt key). */
  failed(error: unknown, key: string, doing: string): Error;
}

/**
 * Pages through the tenants shard by shard, by id within a shard (each shard's index is a
 * sorted set at one score, so ZRANGEBYLEX pages it). The cursor holds the shard and the last
 * id given. Each page is two round trips whatever the store's size: the count left in every
 * shard from the cursor on (ZCARD / ZLEXCOUNT, one per shard, O(log n) each), then ZRANGEBYLEX
 * on just the shards that fill the page, for just the ids it takes.
 */
export function createRedisList(
  options: RedisListOptions,
): (page?: ListOptions) => Promise<TenantPage> {
  const { connection, prefix, commandTimeoutMs, slotOf } = options;
  const send = async (commands: ShardCommand[], doing: string, key: (i: number) => string) => {
    const replies = await sendPerShard(connection.client, slotOf, commands, commandTimeoutMs);
    return replies.map((reply, i) => {
      if ('error' in reply) throw options.failed(reply.error, key(i), doing);
      return reply.value;
    });
  };

  return async (page = {}) => {
    const limit = pageLimit(page);
    const [first, after] =
      page.cursor === undefined ? [0, ''] : readCursor(decodeCursor(page.cursor, isOurs));
    const shards = Array.from({ length: SHARD_COUNT - first }, (_, i) => first + i);
    const from = (shard: number) => (shard === first && after !== '' ? `(${after}` : '-');
    const index = (shard: number) => shardKeys(prefix, shard).index;
    const counts = (await send(
      shards.map((shard) => ({
        shard,
        queue: (pipeline) => pipeline.zlexcount(index(shard), from(shard), '+'),
        alone: () => connection.client.zlexcount(index(shard), from(shard), '+'),
      })),
      'counting tenants',
      (i) => index(shards[i] as number),
    )) as number[];

    const takes: { shard: number; count: number }[] = [];
    let left = limit;
    for (const [i, shard] of shards.entries()) {
      if (left === 0) break;
      const count = Math.min(counts[i] ?? 0, left);
      if (count > 0) takes.push({ shard, count });
      left -= count;
    }
    const ranges = (await send(
      takes.map(({ shard, count }) => {
        const args = [index(shard), from(shard), '+', 'LIMIT', 0, count] as const;
        return {
          shard,
          queue: (pipeline) => pipeline.zrangebylex(...args),
          alone: () => connection.client.zrangebylex(...args),
        };
      }),
      'listing tenants',
      (i) => index((takes[i] as { shard: number }).shard),
    )) as string[][];

    const tenants: string[] = [];
    let last: [number, string] | undefined;
    for (const [i, ids] of ranges.entries()) {
      const { shard } = takes[i] as { shard: number };
      for (const id of ids) {
        if (!isTenantId(id)) {
          throw corrupt(index(shard), connection.location, `a member that is not a tenant id`);
        }
        tenants.push(id);
        last = [shard, id];
      }
    }
    if (last === undefined) return { tenants };
    const at = shards.indexOf(last[0]);
    const taken = takes.find((take) => take.shard === last?.[0])?.count ?? 0;
    const more = (counts[at] ?? 0) > taken || counts.slice(at + 1).some((count) => count > 0);
    return more ? { tenants, next: encodeCursor([String(last[0]), last[1]]) } : { tenants };
  };
}

function isOurs(parts: string[]): boolean {
  const [shard, after] = parts;
  return (
    parts.length === 2 &&
    /^\d{1,3}$/.test(shard as string) &&
    Number(shard) < SHARD_COUNT &&
    (after === '' || isTenantId(after))
  );
}

function readCursor(parts: string[]): [number, string] {
  return [Number(parts[0]), parts[1] as string];
}
