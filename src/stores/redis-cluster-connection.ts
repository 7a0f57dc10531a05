import type { Cluster, RedisOptions } from 'ioredis';
import {
  closeClient,
  connect,
  type Ioredis,
  recordErrors,
  subscriberOptions,
} from './redis-client.js';
import type { RedisConnection } from './redis-connection.js';
import { createRedisFailures } from './redis-failure.js';
import { addressText, type RedisAddress } from './redis-url.js';

/**
 * Connects an ioredis Cluster of the store's own to `seeds`, with `auth` (user, password,
 * TLS) for every node, ready within `timeoutMs`; it fails fast rather than queue while a node
 * is away, and never resends a command whose reply was lost.
 */
export async function clusterOf(
  ioredis: Ioredis,
  seeds: RedisAddress[],
  auth: RedisOptions,
  timeoutMs: number,
): Promise<RedisConnection> {
  const client = new ioredis.Cluster(seeds, {
    lazyConnect: true,
    enableOfflineQueue: false,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    redisOptions: {
      ...auth,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    },
  });
  const subject = `Redis Cluster at ${seeds.map(addressText).join(', ')}`;
  const lastError = recordErrors(client);
  await connect(client, subject, timeoutMs, lastError);
  return clusterConnection(ioredis, client, true, seeds, lastError);
}

/**
 * The connection through a Cluster client, the store's own (`owned`, closed with it) or a
 * user's (left open). Messages name the seeds, or the masters of a user's client.
 */
export function clusterConnection(
  ioredis: Ioredis,
  client: Cluster,
  owned: boolean,
  seeds: RedisAddress[],
  lastError: () => Error | undefined = () => undefined,
): RedisConnection {
  const known = client.nodes('master').map((node) => ({
    host: node.options.host ?? '127.0.0.1',
    port: node.options.port ?? 6379,
  }));
  const named = owned || known.length === 0 ? seeds : known;
  const location = `redis://${named.map(addressText).join(',')}`;
  const subject = `Redis Cluster at ${named.map(addressText).join(', ')}`;
  const timeoutMs = client.options.redisOptions?.connectTimeout ?? 3000;
  return {
    client,
    cluster: true,
    location,
    ...createRedisFailures(subject, lastError),
    subscriber(attempt) {
      // Any node will do: a PUBLISH on one node of a Cluster reaches SUBSCRIBEs on all.
      const nodes = client.nodes('all');
      const node = nodes.length > 0 ? nodes[attempt % nodes.length]?.options : undefined;
      const { host, port } = node ?? (seeds[attempt % seeds.length] as RedisAddress);
      const { username, password, tls } = node ?? client.options.redisOptions ?? {};
      return new ioredis.Redis({
        host,
        port,
        ...(username === undefined ? {} : { username }),
        ...(password === undefined ? {} : { password }),
        ...(tls === undefined ? {} : { tls }),
        ...subscriberOptions(timeoutMs),
      });
    },
    close: async () => {
      if (owned) await closeClient(client);
    },
  };
}
