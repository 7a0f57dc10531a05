import type { Redis, RedisOptions } from 'ioredis';
import { ModregError } from '../errors.js';
import {
  closeClient,
  connect,
  type Ioredis,
  isClusterClient,
  ownOptions,
  type RedisClient,
  ready,
  recordErrors,
  subscriberOptions,
} from './redis-client.js';
import { clusterConnection, clusterOf } from './redis-cluster-connection.js';
import { withDeadline } from './redis-deadline.js';
import { createRedisFailures, type RedisFailures } from './redis-failure.js';
import { parseAddress, parseRedisUrl, type RedisAddress } from './redis-url.js';

/** The client the store talks through, and what it needs to know about it. */
export interface RedisConnection extends RedisFailures {
  client: RedisClient;
  /** True on a Redis Cluster. */
  cluster: boolean;
  /** Where it lives, for Store.location: the URL without its password, or the cluster's nodes. */
  location: string;
  /** A new connection for pub/sub, not yet connected; `attempt` picks among a cluster's nodes. */
  subscriber(attempt: number): Redis;
  /** Closes the client when the store made it; a client given is left open. */
  close(): Promise<void>;
}

/** How to reach Redis. */
export interface ConnectionOptions {
  url?: string | undefined;
  /** More `host:port` nodes of the same Cluster to start from. */
  seeds?: readonly string[] | undefined;
  client?: RedisClient | undefined;
  connectTimeoutMs: number;
}

/**
 * Connects to the server or cluster a URL names, or takes the client given, and waits until
 * it is ready (at most `connectTimeoutMs`). A URL naming a node of a Cluster (`INFO cluster`
 * says `cluster_enabled:1`) becomes an ioredis Cluster seeded with that node and the seeds,
 * with the URL's user, password and TLS for every node; so does a plain client given that is
 * connected to a Cluster node. Clients made here fail fast rather than queue while Redis is
 * away, and never send a command again after a lost reply (a commit could apply twice).
 */
export async function openConnection(options: ConnectionOptions): Promise<RedisConnection> {
  const ioredis = await import('ioredis');
  const timeoutMs = options.connectTimeoutMs;
  const extraSeeds = (options.seeds ?? []).map(parseAddress);
  if (options.client !== undefined) return adopt(ioredis, options.client, extraSeeds, timeoutMs);
  const url = parseRedisUrl(options.url ?? 'redis://127.0.0.1:6379');
  const auth: RedisOptions = {
    ...(url.username === undefined ? {} : { username: url.username }),
    ...(url.password === undefined ? {} : { password: url.password }),
    // Each node's own host name is its TLS server name (Node's default).
    ...(url.tls ? { tls: {} } : {}),
  };
  const probe = new ioredis.Redis({ ...url.node, ...auth, db: url.db, ...ownOptions(timeoutMs) });
  const lastError = recordErrors(probe);
  await connect(probe, `Redis at ${url.shown}`, timeoutMs, lastError);
  if (!(await isClusterNode(probe, `Redis at ${url.shown}`, timeoutMs))) {
    if (url.db !== 0) await checkDatabase(probe, url.shown, url.db);
    return standalone(probe, url.shown, true, lastError);
  }
  probe.disconnect();
  if (url.db !== 0) {
    throw new ModregError(
      'usage',
      `${url.shown} is a node of a Redis Cluster, which has only database 0: remove "/${url.db}" from the URL.`,
    );
  }
  const seeds = [url.node, ...url.seeds, ...extraSeeds];
  return clusterOf(ioredis, seeds, auth, timeoutMs);
}

/**
 * ioredis selects the URL's database on connecting but only reports a refusal as an event,
 * then works in database 0: select it again and refuse one the server does not have.
 */
async function checkDatabase(client: Redis, shown: string, db: number): Promise<void> {
  try {
    await client.select(db);
  } catch (error) {
    if (!/DB index is out of range/i.test((error as Error).message)) throw error;
    client.disconnect();
    throw new ModregError(
      'usage',
      `${shown} names database ${db}, which that server does not have (see "databases" in its redis.conf); use one it has, e.g. /0.`,
    );
  }
}

async function adopt(
  ioredis: Ioredis,
  client: RedisClient,
  seeds: RedisAddress[],
  timeoutMs: number,
): Promise<RedisConnection> {
  const given = isClusterClient(client)
    ? 'the Redis Cluster client given'
    : 'the Redis client given';
  await ready(client, given, timeoutMs);
  if (isClusterClient(client)) return clusterConnection(ioredis, client, false, seeds);
  const { host, port, path, db, tls } = client.options;
  const shown = path
    ? `unix:${path}`
    : `${tls ? 'rediss' : 'redis'}://${host ?? '127.0.0.1'}:${port ?? 6379}${db ? `/${db}` : ''}`;
  if (!(await isClusterNode(client, `Redis at ${shown}`, timeoutMs))) {
    return standalone(client, shown, false, () => undefined);
  }
  const { username, password } = client.options;
  const auth = { username, password, tls };
  return clusterOf(
    ioredis,
    [{ host: host ?? '127.0.0.1', port: port ?? 6379 }, ...seeds],
    auth,
    timeoutMs,
  );
}

function standalone(
  client: Redis,
  shown: string,
  owned: boolean,
  lastError: () => Error | undefined,
): RedisConnection {
  return {
    client,
    cluster: false,
    location: shown,
    ...createRedisFailures(`Redis at ${shown}`, lastError),
    subscriber: () =>
      client.duplicate({ ...subscriberOptions(client.options.connectTimeout ?? 3000) }),
    close: async () => {
      if (owned) await closeClient(client);
    },
  };
}

async function isClusterNode(client: Redis, subject: string, timeoutMs: number): Promise<boolean> {
  try {
    const info = await withDeadline(client.info('cluster'), timeoutMs);
    return /^cluster_enabled:1\b/m.test(info);
  } catch (error) {
    client.disconnect();
    throw createRedisFailures(subject).failure(error, 'asking whether it is a Cluster node');
  }
}
