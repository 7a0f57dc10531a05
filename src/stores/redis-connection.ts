import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { ModregError } from '../errors.js';
import { isClusterClient, type RedisClient } from './redis-client.js';
import { withDeadline } from './redis-deadline.js';
import { createRedisFailures, type RedisFailures, unreachable } from './redis-failure.js';
import { addressText, parseAddress, parseRedisUrl, type RedisAddress } from './redis-url.js';

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
    ...(url.tls ? { tls: { servername: url.node.host } } : {}),
  };
  const probe = new ioredis.Redis({ ...url.node, ...auth, db: url.db, ...ownOptions(timeoutMs) });
  const lastError = recordErrors(probe);
  await connect(probe, `Redis at ${url.shown}`, timeoutMs, lastError);
  if (!(await isClusterNode(probe, `Redis at ${url.shown}`, timeoutMs))) {
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

/** The two client classes, loaded with ioredis on first use. */
interface Ioredis {
  Redis: typeof Redis;
  Cluster: typeof Cluster;
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

async function clusterOf(
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

function clusterConnection(
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

/** Options of a subscriber connection: the feed reconnects it itself, maybe elsewhere. */
function subscriberOptions(timeoutMs: number): RedisOptions {
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

function ownOptions(timeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
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

/** Waits until a client given is ready, connecting it when it was made with lazyConnect. */
async function ready(client: RedisClient, given: string, timeoutMs: number): Promise<void> {
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
function recordErrors(client: RedisClient): () => Error | undefined {
  let last: Error | undefined;
  client.on('error', (error: Error) => {
    last = error;
  });
  client.on('ready', () => {
    last = undefined;
  });
  return () => last;
}

async function connect(
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
