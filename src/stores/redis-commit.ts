import { randomUUID } from 'node:crypto';
import { ModregError } from '../errors.js';
import type { HistoryEntry, TenantState } from '../tenant/types.js';
import { changeEntry } from './change-entry.js';
import type { RedisConnection } from './redis-connection.js';
import { withDeadline } from './redis-deadline.js';
import { CHANGE_LOG_LENGTH, changesChannel, tenantKeys } from './redis-keys.js';
import { COMMIT_REFUSALS, COMMIT_SCRIPT } from './redis-lua.js';
import { luaScript, runScript } from './redis-script.js';
import { corrupt } from './redis-state.js';
import type { UpdateRequest, UpdateResult } from './types.js';

/** What a commit needs of its store. */
export interface RedisCommitOptions {
  connection: RedisConnection;
  prefix: string;
  historyLimit: number;
  commandTimeoutMs: number;
  /** Reads the tenant's current state (within the deadline). */
  read(tenant: string): Promise<TenantState>;
}

/**
 * One update of one tenant: read it, apply the request (changeEntry: conflict check, new
 * revision from the revision read and `revisionFloor`), and commit with COMMIT_SCRIPT if the
 * tenant is still at the revision read; when another writer got in first, read and apply
 * again. The script's reply is the only word on whether it committed: a reply that does not
 * come within the deadline is reported as a change that may or may not have been applied,
 * and never sent again (a resend by the client itself is recognised by the commit's id).
 */
export function createRedisCommit(
  options: RedisCommitOptions,
): (tenant: string, request: UpdateRequest) => Promise<UpdateResult> {
  const { connection, prefix, historyLimit, commandTimeoutMs } = options;
  const script = luaScript(COMMIT_SCRIPT);
  const channel = changesChannel(prefix);
  return async (tenant, request) => {
    const keys = tenantKeys(prefix, tenant);
    const carried = (request.carriedHistory ?? [])
      .slice(0, historyLimit - 1)
      .map((entry) => JSON.stringify(entry));
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await options.read(tenant);
      const at = new Date().toISOString();
      const change = changeEntry(current, request, at);
      if (change === null) return { state: current, changed: false };
      const { revision } = change;
      const entry = JSON.stringify(change);
      const args = [
        current.revision,
        revision,
        at,
        JSON.stringify(change.after.modules),
        JSON.stringify(change.after.flags),
        entry,
        historyLimit,
        channel,
        tenant,
        keys.shard,
        randomUUID(),
        randomUUID(),
        CHANGE_LOG_LENGTH,
        ...carried,
      ];
      const shardKeys = [keys.state, keys.history, keys.index, keys.feed, keys.log];
      const reply = await withDeadline(
        runScript(connection.client, script, shardKeys, args),
        commandTimeoutMs,
      ).catch((error: unknown) => {
        throw connection.failure(
          error,
          `committing revision ${revision} of tenant "${tenant}", which may or may not have been applied`,
        );
      });
      if (reply === 1) {
        const parsed = JSON.parse(entry) as HistoryEntry;
        const state = { tenant, ...parsed.after, revision, updatedAt: at };
        return { state, changed: true, entry: parsed };
      }
      if (reply !== 0) throw refusal(reply, keys, connection.location);
      await sleep(Math.random() * Math.min(5 * attempt, 50));
    }
    throw new ModregError(
      'conflict',
      `Tenant "${tenant}" kept changing while this change was being applied (${MAX_ATTEMPTS} attempts): too many writers at once. Retry.`,
    );
  };
}

/** Attempts at one update before giving up on a tenant that keeps changing. */
const MAX_ATTEMPTS = 50;

function refusal(
  reply: unknown,
  keys: ReturnType<typeof tenantKeys>,
  location: string,
): ModregError {
  const which = COMMIT_REFUSALS[reply as keyof typeof COMMIT_REFUSALS];
  if (which === undefined) {
    return new ModregError(
      'environment',
      `Redis at ${location} gave an unexpected reply to a commit (${String(reply)}); nothing was committed.`,
    );
  }
  const detail = {
    state: 'not a modreg state hash',
    history: 'not a list',
    index: 'not a sorted set',
    feed: 'not a modreg feed hash',
    log: 'not a list',
  }[which];
  return corrupt(keys[which], location, detail);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
