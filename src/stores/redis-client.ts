import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { ModregError } from '../errors.js';
import { withDeadline } from './redis-deadline.js';
import { unreachable } from './redis-failure.js';

/** What the store talks through: one server's client, or a Redis Cluster's. */
export type RedisClient = Redis | Cluster;

/** The two client classes, loaded with ioredis on first use. */
export interface Ioredis {
  Redis: typeof Redis;
  Cluster: typeof Cluster;
}

/** True for an ioredis `Cluster`. */
export function isClusterClient(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/** Options of a subscriber connection: the feed reconnects it itself, maybe elsewhere. */
export function subscriberOptions(timeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    retryStrategy: () => null,
  };
}

/**
 * Options of a client the store makes: it fails fast rather than queue while Redis is away,
 * never sends a command again after a lost reply, and reconnects in the background.
 */
export function ownOptions(timeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  };
}

/** Waits until a client given is ready, connecting it when it was made with lazyConnect. */
export async function ready(client: RedisClient, given: string, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'end' || client.status === 'disconnecting') {
    throw new ModregError(
      'usage',
      `${given} is closed (status "${client.status}"): pass an open one.`,
    );
  }
  if (client.status === 'wait') client.connect().catch(() => undefined);
  let cleanup = () => {};
  const readyNow = new Promise<void>((resolve, reject) => {
    const onReady = () => resolve();
    const onEnd = () => reject(new Error('the connection ended'));
    client.once('ready', onReady);
    client.once('end', onEnd);
    cleanup = () => {
      client.off('ready', onReady);
      client.off('end', onEnd);
    };
  });
  try {
    await withDeadline(readyNow, timeoutMs);
  } catch (error) {
    throw unreachable(given, error);
  } finally {
    cleanup();
  }
}

/** Closes a client politely, or at once when it is not connected or does not answer. */
export async function closeClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await withDeadline(client.quit(), 1000).catch(() => client.disconnect());
}

/**
 * Keeps the latest connection error of a client made here. Listening also stops ioredis from
 * printing each one as an "Unhandled error event": failures reach callers as rejected commands.
 */
export function recordErrors(client: RedisClient): () => Error | undefined {
  let last: Error | undefined;
  client.on('error', (error: Error) => {
    last = error;
  });
  client.on('ready', () => {
    last = undefined;
  });
  return () => last;
}

/** Connects a client made with lazyConnect, within `timeoutMs`. */
export async function connect(
  client: RedisClient,
  subject: string,
  timeoutMs: number,
  lastError: () => Error | undefined,
): Promise<void> {
  // connectTimeout covers the TCP connection only; a server that accepts and never answers
  // would otherwise hold the handshake forever.
  try {
    await withDeadline(client.connect(), timeoutMs);
  } catch (error) {
    client.disconnect();
    throw unreachable(subject, lastError() ?? error);
  }
}
