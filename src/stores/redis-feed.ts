import { isTenantId } from '../tenant/tenant-id.js';
import type { RedisConnection } from './redis-connection.js';
import {
  followShard,
  NO_POSITION,
  parseNotification,
  type ShardPosition,
} from './redis-feed-position.js';
import { pollShards, readShards } from './redis-feed-read.js';
import { changesChannel, SHARD_COUNT, shardOf } from './redis-keys.js';
import { createRedisSubscriber, type RedisSubscriber } from './redis-subscriber.js';
import type { ChangeListener, StoreEvent, Unsubscribe } from './types.js';

/** Options for {@link createRedisFeed}. */
export interface RedisFeedOptions {
  connection: RedisConnection;
  prefix: string;
  /** How often every shard's position is read, whatever the notifications say. */
  intervalMs: number;
  commandTimeoutMs: number;
  slotOf(shard: number): number;
  /** Drops a notification as if lost on the way (tests of the feed's other paths). */
  dropNotification?: ((text: string) => boolean) | undefined;
}

/** The change feed of one store, shared by its listeners. */
export interface RedisFeed {
  subscribe(listener: ChangeListener): Promise<Unsubscribe>;
  close(): Promise<void>;
}

/**
 * The feed: each shard's position (generation, sequence number) as last seen, moved on by
 * notifications that come in order (the fast path) and by reading the shards' positions
 * and change logs (a poll) — every `intervalMs`, at once on a notification out of order, and
 * after the subscription comes back. Polls run one at a time, so positions only ever move
 * forward. Made on the first subscribe; runs until close.
 */
export function createRedisFeed(options: RedisFeedOptions): RedisFeed {
  const { intervalMs } = options;
  const listeners = new Set<ChangeListener>();
  const positions: ShardPosition[] = Array.from({ length: SHARD_COUNT }, () => NO_POSITION);
  const everyShard = positions.map((_, shard) => shard);
  let started: Promise<void> | undefined;
  let subscriber: RedisSubscriber | undefined;
  let following = false;
  let subscribed = false;
  let epoch = 0;
  let paused: string | undefined;
  let pending: Set<number> | undefined;
  let draining: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const tell = (call: (listener: ChangeListener) => void) => {
    for (const listener of [...listeners]) {
      try {
        call(listener);
      } catch {
        // A throwing listener must keep the news neither from the others nor from the feed.
      }
    }
  };
  const announce = (changes: readonly StoreEvent[]) => {
    for (const change of changes) tell((listener) => listener.onChange({ ...change }));
  };
  const pause = (reason: string) => {
    const first = paused === undefined;
    paused = reason;
    if (first) tell((listener) => listener.onPause?.(reason));
  };

  const onMessage = (text: string) => {
    if (!following || options.dropNotification?.(text)) return;
    const note = parseNotification(text);
    if (note === undefined) return;
    const held = positions[note.shard] as ShardPosition;
    if (held.generation === note.generation && note.seq <= held.seq) return;
    if (held.generation === note.generation && note.seq === held.seq + 1) {
      positions[note.shard] = { generation: held.generation, seq: note.seq };
      announce([{ tenant: note.tenant, revision: note.revision }]);
      return;
    }
    // A gap, or another generation: only the store's own word moves a shard on.
    void poll([note.shard]);
  };

  const poll = (shards: readonly number[]): Promise<void> => {
    pending ??= new Set();
    for (const shard of shards) pending.add(shard);
    draining ??= drain();
    return draining;
  };

  const drain = async () => {
    await Promise.resolve();
    try {
      while (pending !== undefined && !closed) {
        const shards = [...pending].sort((a, b) => a - b);
        pending = undefined;
        await pollOnce(shards);
      }
    } finally {
      draining = undefined;
    }
  };

  const pollOnce = async (shards: number[]) => {
    const whole = shards.length === SHARD_COUNT;
    const since = { epoch, subscribed };
    const check = whole ? subscriber?.check() : undefined;
    const readings = await pollShards(options, shards, positions);
    const resets = new Map<number, string>();
    const changes: StoreEvent[] = [];
    let failure: Error | undefined;
    for (const [i, shard] of shards.entries()) {
      const reading = readings[i] as (typeof readings)[number];
      // A shard that cannot be read keeps its position; the others move on.
      if (reading instanceof Error) {
        failure ??= reading;
        continue;
      }
      const step = followShard(positions[shard] as ShardPosition, reading, shard);
      positions[shard] = step.position;
      if (step.reset !== undefined) resets.set(shard, step.reset);
      changes.push(...step.changes);
    }
    if (resets.size > 0) reset(resets);
    announce(changes);
    if (failure !== undefined) pause(`the change feed cannot be read: ${failure.message}`);
    await check;
    // Everything committed before this poll began is announced, and the subscription has
    // stood since before it began: from now on nothing goes unannounced.
    const complete = whole && failure === undefined;
    if (
      paused !== undefined &&
      complete &&
      since.subscribed &&
      subscribed &&
      since.epoch === epoch
    ) {
      paused = undefined;
      tell((listener) => listener.onResume?.());
    }
  };

  const reset = (shards: Map<number, string>) => {
    const reason = [...new Set(shards.values())].join('; ');
    const affects =
      shards.size === SHARD_COUNT
        ? undefined
        : (tenant: string) => isTenantId(tenant) && shards.has(shardOf(tenant));
    tell((listener) => listener.onReset?.(reason, affects));
  };

  const tick = () => {
    timer = undefined;
    void poll(everyShard).finally(() => {
      if (closed) return;
      timer = setTimeout(tick, intervalMs);
      timer.unref();
    });
  };

  const start = async () => {
    subscriber = createRedisSubscriber({
      connection: options.connection,
      channel: changesChannel(options.prefix),
      timeoutMs: options.commandTimeoutMs,
      onMessage,
      onUp() {
        epoch++;
        subscribed = true;
        if (following) void poll(everyShard);
      },
      onDown(reason) {
        subscribed = false;
        pause(`Redis change notifications stopped: ${reason}`);
      },
    });
    try {
      await subscriber.start();
      // Where every shard stands now; what was committed before is not news.
      const readings = await readShards(options, everyShard, positions, false);
      for (const [shard, reading] of readings.entries()) {
        if (reading instanceof Error) throw reading;
        positions[shard] = { generation: reading.generation, seq: reading.seq };
      }
    } catch (error) {
      await subscriber.close();
      throw error;
    }
    following = true;
    timer = setTimeout(tick, intervalMs);
    timer.unref();
  };

  return {
    async subscribe(listener) {
      started ??= start().catch((error: unknown) => {
        started = undefined;
        throw error;
      });
      await started;
      listeners.add(listener);
      if (paused !== undefined) listener.onPause?.(paused);
      return async () => void listeners.delete(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
      clearTimeout(timer);
      await started?.catch(() => undefined);
      clearTimeout(timer);
      await draining;
      await subscriber?.close();
    },
  };
}
