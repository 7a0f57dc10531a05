import type { Redis } from 'ioredis';
import { closeClient, duplicateConnection, type RedisConnection } from './redis-connection.js';
import { parseEvent } from './redis-state.js';
import type { StoreEvent, Unsubscribe } from './types.js';

/** Change notifications of one store: its listeners and their shared subscribed connection. */
export interface RedisNotifications {
  subscribe(listener: (event: StoreEvent) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

/**
 * Listens on `channel` through one duplicate connection, made on the first subscribe and
 * shared by every listener until close(). ioredis subscribes it again after a reconnect;
 * what was published while it was away is not replayed (caches expire on their own).
 * Messages modreg did not publish are ignored.
 */
export function createRedisNotifications(
  connection: RedisConnection,
  channel: string,
  timeoutMs: number,
): RedisNotifications {
  const listeners = new Set<(event: StoreEvent) => void>();
  let subscriber: Promise<Redis> | undefined;

  const open = async (): Promise<Redis> => {
    const client = await duplicateConnection(connection, timeoutMs);
    client.on('message', (from: string, message: string) => {
      const event = from === channel ? parseEvent(message) : undefined;
      if (event === undefined) return;
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // A throwing listener must keep the event neither from the others nor from ioredis.
        }
      }
    });
    try {
      await client.subscribe(channel);
    } catch (error) {
      client.disconnect();
      throw connection.failure(error, `subscribing to ${channel}`);
    }
    return client;
  };

  return {
    async subscribe(listener) {
      subscriber ??= open().catch((error: unknown) => {
        subscriber = undefined;
        throw error;
      });
      await subscriber;
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
      };
    },
    async close() {
      listeners.clear();
      const client = await subscriber?.catch(() => undefined);
      subscriber = undefined;
      if (client !== undefined) await closeClient(client);
    },
  };
}
