import type { Redis } from 'ioredis';
import { ModregError } from '../errors.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import type { HistoryEntry, TenantState } from '../tenant/types.js';
import { changeEntry } from './change-entry.js';
import { pageOfSorted } from './pages.js';
import { closeClient, openConnection } from './redis-connection.js';
import { createRedisNotifications } from './redis-notifications.js';
import {
  COMMIT_SCRIPT,
  corrupt,
  parseHistoryEntry,
  parseState,
  tenantKeys,
} from './redis-state.js';
import { createTenantQueue } from './tenant-queue.js';
import {
  DEFAULT_HISTORY_LIMIT,
  type Store,
  type UpdateRequest,
  type UpdateResult,
} from './types.js';

/** Options for {@link createRedisStore}. */
export interface RedisStoreOptions {
  /**
   * The server: `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS.
   * @default 'redis://127.0.0.1:6379'
   */
  url?: string;
  /**
   * An existing client to use instead of `url`. The store does not close it; it does make
   * (and close) one duplicate connection for change notifications.
   */
  client?: Redis;
  /** Prepended to every key and to the notification channel. @default 'modreg:' */
  prefix?: string;
  /** Changes kept per tenant. @default DEFAULT_HISTORY_LIMIT (100) */
  historyLimit?: number;
  /**
   * How long the first connection (and the pub/sub one) may take before the store gives up
   * with an `environment` error. @default 3000
   */
  connectTimeoutMs?: number;
}

/**
 * The shared store: one hash per tenant (`<prefix>{<tenant>}:state`) with its history in a
 * list beside it (`<prefix>{<tenant>}:history`, newest first, capped). A change is read, then
 * committed by one Lua script that checks the revision is still the one read, writes the
 * hash, pushes the history entry and publishes `{ tenant, revision }` on `<prefix>changes`;
 * when another writer got in first, the change is read and applied again. Both keys of a
 * tenant share a hash slot, so this works on Redis Cluster. The tenant index
 * (`<prefix>tenants`, a set in its own slot) is added to just after the commit: list() may
 * miss a tenant for that instant (or, if the process dies right then, until its next change).
 * Keys modreg did not write are reported and never overwritten.
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<Store> {
  const prefix = options.prefix ?? 'modreg:';
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  if (!Number.isSafeInteger(historyLimit) || historyLimit < 1) {
    throw new ModregError(
      'usage',
      `historyLimit must be a whole number of at least 1, not ${historyLimit}.`,
    );
  }
  const connection = await openConnection({ ...options, connectTimeoutMs });
  const { client, location, failure } = connection;
  client.defineCommand(COMMIT_COMMAND, { lua: COMMIT_SCRIPT, numberOfKeys: 2 });
  const channel = `${prefix}changes`;
  const tenantIndex = `${prefix}tenants`;
  const notifications = createRedisNotifications(connection, channel, connectTimeoutMs);
  const queue = createTenantQueue();

  const readState = async (tenant: string): Promise<TenantState> => {
    const { state } = tenantKeys(prefix, validateTenantId(tenant));
    const hash = await client.hgetall(state).catch((error) => {
      throw wrongType(error, state) ?? failure(error, `reading tenant "${tenant}"`);
    });
    return parseState(tenant, hash, state, location);
  };

  const commit = async (tenant: string, request: UpdateRequest): Promise<UpdateResult> => {
    const keys = tenantKeys(prefix, tenant);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await readState(tenant);
      const at = new Date().toISOString();
      const change = changeEntry(current, request, at);
      if (change === null) return { state: current, changed: false };
      const { revision } = change;
      const modules = JSON.stringify(change.after.modules);
      const flags = JSON.stringify(change.after.flags);
      const entry = JSON.stringify(change);
      const result = await (client as unknown as CommitCommand)
        [COMMIT_COMMAND](
          keys.state,
          keys.history,
          current.revision,
          revision,
          at,
          modules,
          flags,
          entry,
          historyLimit,
          channel,
          JSON.stringify({ tenant, revision }),
          ...(current.revision === 0
            ? (request.carriedHistory ?? [])
                .slice(0, historyLimit - 1)
                .map((e) => JSON.stringify(e))
            : []),
        )
        .catch((error: unknown) => {
          throw failure(
            error,
            `committing revision ${revision} of tenant "${tenant}", which may or may not have been applied`,
          );
        });
      if (result === 1) {
        await client.sadd(tenantIndex, tenant).catch((error) => {
          throw failure(error, `adding tenant "${tenant}" to ${tenantIndex} after its commit`);
        });
        const parsed = JSON.parse(entry) as HistoryEntry;
        const state = { tenant, ...parsed.after, revision, updatedAt: at };
        return { state, changed: true, entry: parsed };
      }
      if (result === -1) throw corrupt(keys.state, location, 'not a modreg state hash');
      if (result === -2) throw corrupt(keys.history, location, 'not a list');
      await sleep(Math.random() * Math.min(5 * attempt, 50));
    }
    throw new ModregError(
      'conflict',
      `Tenant "${tenant}" kept changing while this change was being applied (${MAX_ATTEMPTS} attempts): too many writers at once. Retry.`,
    );
  };

  const update: Store['update'] = async (tenant, request) => {
    return queue.run(validateTenantId(tenant), () => commit(tenant, request));
  };

  return {
    kind: 'redis',
    location,
    read: readState,
    async readMany(tenants) {
      return Promise.all(tenants.map(validateTenantId).map(readState));
    },
    async list(page) {
      const tenants = await client.smembers(tenantIndex).catch((error) => {
        throw wrongType(error, tenantIndex) ?? failure(error, `listing tenants (${tenantIndex})`);
      });
      return pageOfSorted(tenants.sort(), page);
    },
    update,
    async history(tenant, { limit } = {}) {
      const { history } = tenantKeys(prefix, validateTenantId(tenant));
      if (limit !== undefined && limit <= 0) return [];
      const items = await client
        .lrange(history, 0, limit === undefined ? -1 : limit - 1)
        .catch((error) => {
          throw wrongType(error, history) ?? failure(error, `reading the history of "${tenant}"`);
        });
      return items.map((item) => parseHistoryEntry(item, history, location));
    },
    subscribe: (listener) => notifications.subscribe(listener),
    async close() {
      await queue.idle();
      await notifications.close();
      if (connection.owned) await closeClient(client);
    },
  };

  function wrongType(error: unknown, key: string): ModregError | undefined {
    if (!(error instanceof Error) || !error.message.startsWith('WRONGTYPE')) return undefined;
    return corrupt(key, location, 'it holds another type of value');
  }
}

const COMMIT_COMMAND = 'modregCommit';

/** Attempts at one update before giving up on a tenant that keeps changing. */
const MAX_ATTEMPTS = 50;

type CommitCommand = Record<
  typeof COMMIT_COMMAND,
  (...args: (string | number)[]) => Promise<number>
>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
