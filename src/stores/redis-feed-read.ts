import type { ModregError } from '../errors.js';
import { sendPerShard } from './redis-batches.js';
import type { RedisConnection } from './redis-connection.js';
import { withDeadline } from './redis-deadline.js';
import type { ShardPosition, ShardReading } from './redis-feed-position.js';
import { CHANGE_LOG_LENGTH, shardKeys } from './redis-keys.js';
import { FEED_SCRIPT, POSITIONS_SCRIPT } from './redis-lua.js';
import { luaScript, queueScript, runScript } from './redis-script.js';
import { corrupt } from './redis-state.js';

/** What reading the feed needs of its store. */
export interface FeedReadOptions {
  connection: RedisConnection;
  prefix: string;
  commandTimeoutMs: number;
  slotOf(shard: number): number;
}

const script = luaScript(FEED_SCRIPT);
const positionsScript = luaScript(POSITIONS_SCRIPT);

/**
 * Where `shards` stand now, each with its change log entries after the position held (or,
 * without `entries`, the positions alone): FEED_SCRIPT once per shard, all in one round trip
 * per node, within the deadline. A shard that cannot be read (its node down, say) has an
 * `environment` error in its place.
 */
export async function readShards(
  options: FeedReadOptions,
  shards: readonly number[],
  held: readonly ShardPosition[],
  entries = true,
): Promise<(ShardReading | ModregError)[]> {
  const { connection, prefix } = options;
  const commands = shards.map((shard) => {
    const { feed, log } = shardKeys(prefix, shard);
    const position = held[shard];
    const from = position === undefined || position.generation === null ? 0 : position.seq;
    const args = [from, entries ? CHANGE_LOG_LENGTH : 0];
    return {
      shard,
      queue: (pipeline: Parameters<typeof queueScript>[0]) =>
        queueScript(pipeline, script, [feed, log], args),
      alone: () => runScript(connection.client, script, [feed, log], args),
    };
  });
  const replies = await sendPerShard(
    connection.client,
    options.slotOf,
    commands,
    options.commandTimeoutMs,
  );
  return replies.map((reply, i) => {
    const { feed, log } = shardKeys(prefix, shards[i] as number);
    if ('error' in reply) return connection.failure(reply.error, `reading ${feed}`);
    const value = reply.value;
    if (value === -1) return corrupt(feed, connection.location, 'not a modreg feed hash');
    if (value === -2) return corrupt(log, connection.location, 'not a list');
    if (!Array.isArray(value) || value.length < 2) {
      return corrupt(feed, connection.location, `an unexpected feed reply: ${String(value)}`);
    }
    const [generation, seq, ...rest] = value as [string, number, ...string[]];
    return {
      generation: generation === '' ? null : String(generation),
      seq: Number(seq),
      entries: rest,
    };
  });
}

/**
 * {@link readShards} for a poll, where most shards have not moved: on a single server, every
 * shard's position first in one script call (reading all 64 shards' logs took 64 script calls
 * per poll, each instance's steady cost), then the full reading of only the shards whose
 * position is not the one held. On a Cluster, each shard's full reading.
 */
export async function pollShards(
  options: FeedReadOptions,
  shards: readonly number[],
  held: readonly ShardPosition[],
): Promise<(ShardReading | ModregError)[]> {
  const { connection, prefix } = options;
  if (connection.cluster || shards.length < 2) return readShards(options, shards, held);
  const keys = shards.map((shard) => shardKeys(prefix, shard).feed);
  let reply: unknown;
  try {
    reply = await withDeadline(
      runScript(connection.client, positionsScript, keys, []),
      options.commandTimeoutMs,
    );
  } catch (error) {
    // A key of another type: the full readings say which. Anything else fails every shard.
    if (!(error instanceof Error && error.message.startsWith('WRONGTYPE'))) {
      const failure = connection.failure(error, `reading ${keys.length} feed positions`);
      return shards.map(() => failure);
    }
    return readShards(options, shards, held);
  }
  const positions = Array.isArray(reply) ? (reply as unknown[]) : [];
  const moved = shards.filter((shard, i) => {
    const position = held[shard];
    const generation = String(positions[2 * i] ?? '?');
    const seq = String(positions[2 * i + 1] ?? '?');
    if (position === undefined || position.generation === null) {
      return !(generation === '' && seq === '');
    }
    return generation !== position.generation || seq !== String(position.seq);
  });
  const readings = moved.length === 0 ? [] : await readShards(options, moved, held);
  const byShard = new Map(moved.map((shard, i) => [shard, readings[i]]));
  return shards.map((shard) => {
    const reading = byShard.get(shard);
    if (reading !== undefined) return reading;
    const position = held[shard] as ShardPosition;
    return { generation: position.generation, seq: position.seq, entries: [] };
  });
}
