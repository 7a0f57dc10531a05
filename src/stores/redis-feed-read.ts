import type { ChainableCommander } from 'ioredis';
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
 * {@link readShards} for a poll, where most shards have not moved: every shard's position
 * first — on a single server in one script call, on a Cluster as one HMGET per shard (its
 * shards live in different slots), pipelined per node — then the full reading of only the
 * shards whose position is not the one held. Reading all 64 shards' logs took 64 script calls
 * per poll, each instance's steady cost.
 */
export async function pollShards(
  options: FeedReadOptions,
  shards: readonly number[],
  held: readonly ShardPosition[],
): Promise<(ShardReading | ModregError)[]> {
  if (shards.length < 2) return readShards(options, shards, held);
  const positions = options.connection.cluster
    ? await clusterPositions(options, shards)
    : await serverPositions(options, shards);
  const moved = shards.filter((shard, i) => {
    const position = positions[i];
    if (position === undefined || position instanceof Error) return position === undefined;
    const [generation, seq] = position;
    const mine = held[shard];
    if (mine === undefined || mine.generation === null) return !(generation === '' && seq === '');
    return generation !== mine.generation || seq !== String(mine.seq);
  });
  const readings = moved.length === 0 ? [] : await readShards(options, moved, held);
  const byShard = new Map(moved.map((shard, i) => [shard, readings[i]]));
  return shards.map((shard, i) => {
    const reading = byShard.get(shard);
    if (reading !== undefined) return reading;
    const position = positions[i];
    if (position instanceof Error) return position;
    const mine = held[shard] as ShardPosition;
    return { generation: mine.generation, seq: mine.seq, entries: [] };
  });
}

/**
 * Per shard, `[generation, seq]` as stored ('' and '' for no feed), an error that fails the
 * shard, or undefined: read the shard in full (a key of another type, which its full reading
 * names).
 */
type Position = [string, string] | ModregError | undefined;

async function serverPositions(
  options: FeedReadOptions,
  shards: readonly number[],
): Promise<Position[]> {
  const { connection, prefix } = options;
  const keys = shards.map((shard) => shardKeys(prefix, shard).feed);
  try {
    const reply = await withDeadline(
      runScript(connection.client, positionsScript, keys, []),
      options.commandTimeoutMs,
    );
    const values = Array.isArray(reply) ? (reply as unknown[]) : [];
    return shards.map((_, i) => [String(values[2 * i] ?? '?'), String(values[2 * i + 1] ?? '?')]);
  } catch (error) {
    if (isWrongType(error)) return shards.map(() => undefined);
    const failure = connection.failure(error, `reading ${keys.length} feed positions`);
    return shards.map(() => failure);
  }
}

/** A hash without either field reads as no feed here; its full reading, once it moves, tells. */
async function clusterPositions(
  options: FeedReadOptions,
  shards: readonly number[],
): Promise<Position[]> {
  const { connection, prefix } = options;
  const commands = shards.map((shard) => {
    const { feed } = shardKeys(prefix, shard);
    return {
      shard,
      queue: (pipeline: ChainableCommander) => pipeline.hmget(feed, 'generation', 'seq'),
      alone: () => connection.client.hmget(feed, 'generation', 'seq'),
    };
  });
  const replies = await sendPerShard(
    connection.client,
    options.slotOf,
    commands,
    options.commandTimeoutMs,
  );
  return replies.map((reply, i): Position => {
    if ('error' in reply) {
      if (isWrongType(reply.error)) return undefined;
      return connection.failure(
        reply.error,
        `reading ${shardKeys(prefix, shards[i] as number).feed}`,
      );
    }
    const [generation, seq] = Array.isArray(reply.value) ? (reply.value as unknown[]) : [];
    if (generation == null && seq == null) return ['', ''];
    return [String(generation ?? '?'), String(seq ?? '?')];
  });
}

function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('WRONGTYPE');
}
