import { Cluster, Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { createRedisStore, type RedisStoreOptions } from '../../src/stores/redis.js';
import type { Store } from '../../src/stores/types.js';
import type { TestRedisCluster } from '../helpers/redis-cluster.js';
import { type TestRedis, testPrefix } from '../helpers/redis-server.js';

/** A Redis to run the store against: one server, or a Cluster. */
export interface RedisTarget {
  /** `redis` or `redis cluster`, for test names. */
  name: string;
  /** A URL reaching it (one node's, for a Cluster). */
  url(): string;
  /** Opens a store under a fresh prefix (or `options.prefix`), closed after the test. */
  open(options?: RedisStoreOptions): Promise<Store>;
  /** Another store on the same prefix as `store`, as another process would open it. */
  sibling(store: Store, options?: RedisStoreOptions): Promise<Store>;
  /** The prefix `store` was opened with. */
  prefixOf(store: Store): string;
  /** A client of its own (a Cluster client on a Cluster), closed after the test. */
  raw(): Promise<Redis | Cluster>;
  /** Runs a command on every node (FLUSHALL, CLIENT KILL TYPE pubsub …). */
  onEveryNode(...command: string[]): Promise<void>;
}

/** The single server `redis()` as a target; each test's keys are deleted after it. */
export function serverTarget(redis: () => TestRedis): RedisTarget {
  return target('redis', () => redis().url, {
    raw: async () => new Redis(redis().url),
    onEveryNode: async (command) => {
      const client = new Redis(redis().url);
      try {
        await client.call(command[0] as string, ...command.slice(1));
      } finally {
        client.disconnect();
      }
    },
    cleanup: (prefix) => deleteKeys(redis().url, prefix),
  });
}

/** The cluster `cluster()` as a target (a throwaway: keys are left to it). */
export function clusterTarget(cluster: () => TestRedisCluster): RedisTarget {
  return target('redis cluster', () => cluster().url, {
    raw: async () => {
      const client = new Cluster([{ host: '127.0.0.1', port: cluster().nodes[0]?.port as number }]);
      await new Promise<void>((resolve, reject) => {
        client.once('ready', resolve);
        client.once('error', reject);
      });
      return client;
    },
    onEveryNode: (command) => cluster().onEveryNode(...command),
    cleanup: async () => {},
  });
}

function target(
  name: string,
  url: () => string,
  parts: {
    raw(): Promise<Redis | Cluster>;
    onEveryNode(command: string[]): Promise<void>;
    cleanup(prefix: string): Promise<void>;
  },
): RedisTarget {
  const prefixes = new WeakMap<Store, string>();
  const open = async (options: RedisStoreOptions = {}) => {
    const prefix = options.prefix ?? testPrefix();
    const store = await createRedisStore({ url: url(), ...options, prefix });
    prefixes.set(store, prefix);
    onTestFinished(async () => {
      await store.close();
      await parts.cleanup(prefix);
    });
    return store;
  };
  return {
    name,
    url,
    open,
    sibling: (store, options = {}) => open({ ...options, prefix: prefixes.get(store) as string }),
    prefixOf: (store) => prefixes.get(store) as string,
    async raw() {
      const client = await parts.raw();
      onTestFinished(() => void client.disconnect());
      return client;
    },
    onEveryNode: (...command) => parts.onEveryNode(command),
  };
}

/** Every key matching `pattern` on one server. */
export async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Removes a test's keys, for a shared REDIS_URL server (a throwaway one is simply stopped). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true });
  client.on('error', () => {});
  try {
    await client.connect();
    const keys = await scanKeys(client, `${prefix}*`);
    for (let i = 0; i < keys.length; i += 1000) await client.del(...keys.slice(i, i + 1000));
  } catch {
    // The server may be down on purpose in this test.
  } finally {
    client.disconnect();
  }
}

/** Waits until `condition` holds, failing after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 3000,
  what = 'the condition',
): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
