import type { Redis } from 'ioredis';
import type { RedisConnection } from './redis-connection.js';
import { withDeadline } from './redis-deadline.js';

/** Options for {@link createRedisSubscriber}. */
export interface RedisSubscriberOptions {
  connection: RedisConnection;
  channel: string;
  /** Most time a connection, its SUBSCRIBE or a PING may take. */
  timeoutMs: number;
  /** A message on the channel. */
  onMessage(text: string): void;
  /** Subscribed (again): nothing published from now on is missed. */
  onUp(): void;
  /** The subscription was lost: messages published from now on may be missed. */
  onDown(reason: string): void;
}

/** The store's own pub/sub connection. */
export interface RedisSubscriber {
  /** Connects and subscribes, or fails (an `environment` error) within the timeout. */
  start(): Promise<void>;
  /** PINGs the connection; one that does not answer in time is dropped and made again. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One subscribed connection made by the store, never a client's internal subscriber (an
 * ioredis Cluster moves its own without saying so). When it ends — killed, its node gone,
 * not answering a PING — the store hears `onDown` and it is made again after a short pause,
 * on a Cluster on the next node, until it is subscribed again (`onUp`).
 */
export function createRedisSubscriber(options: RedisSubscriberOptions): RedisSubscriber {
  const { connection, channel, timeoutMs } = options;
  let current: Redis | undefined;
  let attempt = 0;
  let retries = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const lost = (client: Redis, reason: string) => {
    if (current !== client) return;
    current = undefined;
    client.disconnect();
    if (closed) return;
    options.onDown(reason);
    retryLater();
  };

  const retryLater = () => {
    const delay = Math.min(50 + retries * 100, 1000);
    retries++;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!closed) open().catch(retryLater);
    }, delay);
    retryTimer.unref();
  };

  const open = async () => {
    const client = connection.subscriber(attempt++);
    let lastError: Error | undefined;
    client.on('error', (error: Error) => {
      lastError = error;
    });
    client.on('message', (from: string, text: string) => {
      if (client === current && from === channel) options.onMessage(text);
    });
    client.on('end', () => lost(client, lastError?.message ?? 'the connection closed'));
    try {
      await withDeadline(client.connect(), timeoutMs);
      await withDeadline(client.subscribe(channel), timeoutMs);
    } catch (error) {
      client.disconnect();
      throw connection.failure(lastError ?? error, `subscribing to ${channel}`);
    }
    if (closed || client.status !== 'ready') {
      client.disconnect();
      if (!closed) throw connection.failure(lastError, `subscribing to ${channel}`);
      return;
    }
    current = client;
    retries = 0;
    options.onUp();
  };

  return {
    start: open,
    async check() {
      const client = current;
      if (client === undefined) return;
      try {
        await withDeadline(client.ping(), timeoutMs);
      } catch (error) {
        lost(client, `no answer to PING: ${error instanceof Error ? error.message : error}`);
      }
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const client = current;
      current = undefined;
      client?.disconnect();
    },
  };
}
