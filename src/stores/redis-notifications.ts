import type { Redis } from 'ioredis';
import { closeClient, duplicateConnection, type RedisConnection } from './redis-connection.js';
import { parseEvent } from './redis-state.js';
import type { ChangeListener, Unsubscribe } from './types.js';

/** Change notifications of one store: its listeners and their shared subscribed connection. */
export interface RedisNotifications {
  subscribe(listener: ChangeListener): Promise<Unsubscribe>;
  close(): Promise<void>;
}

/**
 * Listens on `channel` through one duplicate connection, made on the first subscribe and
 * shared by every listener until close(). When the connection drops, watchers hear
 * `onPause`; once it is back and subscribed again (confirmed, so nothing published after
 * that is missed), `onResume`: what was published meanwhile is not replayed, so they re-read.
 * Messages modreg did not publish are ignored.
 */
export function createRedisNotifications(
  connection: RedisConnection,
  channel: string,
  timeoutMs: number,
): RedisNotifications {
  const listeners = new Set<ChangeListener>();
  let subscriber: Promise<Redis> | undefined;
  let paused = false;
  let closing = false;

  const open = async (): Promise<Redis> => {
    const client = await duplicateConnection(connection, timeoutMs);
    client.on('message', (from: string, message: string) => {
      const event = from === channel ? parseEvent(message) : undefined;
      if (event === undefined) return;
      for (const listener of listeners) {
        try {
          listener.onChange(event);
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
    let lastError = 'the connection closed';
    client.on('error', (error: Error) => {
      lastError = error.message;
    });
    client.on('close', () => {
      if (paused || closing) return;
      paused = true;
      for (const listener of listeners)
        listener.onPause?.(`Redis notifications stopped: ${lastError}`);
    });
    client.on('ready', () => {
      if (!paused || closing) return;
      // Subscribe again and wait for the reply: from then on nothing published is missed.
      client.subscribe(channel).then(
        () => {
          paused = false;
          for (const listener of listeners) {
            listener.onReset?.('Redis notifications resumed after a gap');
            listener.onResume?.();
          }
        },
        () => undefined,
      );
    });
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
      return async () => void listeners.delete(listener);
    },
    async close() {
      closing = true;
      listeners.clear();
      const client = await subscriber?.catch(() => undefined);
      subscriber = undefined;
      if (client !== undefined) await closeClient(client);
    },
  };
}
