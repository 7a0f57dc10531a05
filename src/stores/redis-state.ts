import { ModregError } from '../errors.js';
import { isTenantId } from '../tenant/tenant-id.js';
import type { HistoryEntry, JsonValue, TenantSettings, TenantState } from '../tenant/types.js';
import type { StoreEvent } from './types.js';

/** The Redis keys of one tenant. */
export interface TenantKeys {
  /** Hash: `revision`, `updatedAt`, `modules` (JSON array), `flags` (JSON object). */
  state: string;
  /** List of HistoryEntry JSON, newest first. */
  history: string;
}

/**
 * The keys of `tenant`. The tenant id in braces is a Redis Cluster hash tag: both keys live in
 * one slot, so one script may touch both. Ids cannot contain braces (TENANT_ID_PATTERN).
 */
export function tenantKeys(prefix: string, tenant: string): TenantKeys {
  return { state: `${prefix}{${tenant}}:state`, history: `${prefix}{${tenant}}:history` };
}

/**
 * Commits one change if the tenant is still at the revision read. KEYS: state, history.
 * ARGV: revision read, new revision, updatedAt, modules JSON, flags JSON, entry JSON, history
 * limit, channel, event JSON, then the history carried over from another store (newest first),
 * pushed under the entry when the tenant has no history. Returns 1 committed, 0 revision moved on (read again), -1 the
 * state key is not a modreg hash, -2 the history key is not a list. Everything is checked
 * before the first write: a Lua error does not undo the writes made before it.
 */
export const COMMIT_SCRIPT = `
local stateType = redis.call('TYPE', KEYS[1]).ok
if stateType ~= 'hash' and stateType ~= 'none' then return -1 end
local historyType = redis.call('TYPE', KEYS[2]).ok
if historyType ~= 'list' and historyType ~= 'none' then return -2 end
local revision = redis.call('HGET', KEYS[1], 'revision')
if not revision then
  if stateType == 'hash' then return -1 end
  revision = '0'
end
if revision ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'revision', ARGV[2], 'updatedAt', ARGV[3], 'modules', ARGV[4], 'flags', ARGV[5])
if #ARGV > 9 and redis.call('LLEN', KEYS[2]) == 0 then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 10))
end
redis.call('LPUSH', KEYS[2], ARGV[6])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[7]) - 1)
redis.call('PUBLISH', ARGV[8], ARGV[9])
return 1
`;

/**
 * The tenant state in a state hash (as HGETALL returns it; empty when the key is missing).
 * Throws an `environment` error naming the key when the hash was not written by modreg.
 */
export function parseState(
  tenant: string,
  hash: Record<string, string>,
  key: string,
  location: string,
): TenantState {
  if (Object.keys(hash).length === 0) {
    return { tenant, modules: [], flags: {}, revision: 0, updatedAt: null };
  }
  const field = (name: string) => (Object.hasOwn(hash, name) ? hash[name] : undefined);
  const revision = parseRevision(field('revision'));
  const updatedAt = field('updatedAt');
  const settings = parseSettings(parseJson(field('modules')), parseJson(field('flags')));
  if (revision === undefined || revision < 1) throw corrupt(key, location, 'no valid revision');
  if (updatedAt === undefined || Number.isNaN(Date.parse(updatedAt))) {
    throw corrupt(key, location, 'no valid updatedAt');
  }
  if (settings === undefined) throw corrupt(key, location, 'no valid modules and flags');
  return { tenant, ...settings, revision, updatedAt };
}

/** One history list element; throws an `environment` error naming the key when malformed. */
export function parseHistoryEntry(text: string, key: string, location: string): HistoryEntry {
  const value = parseJson(text);
  if (isObject(value)) {
    const { revision, at, actor, operation, before, after } = value;
    const beforeSettings = isObject(before) ? parseSettings(before.modules, before.flags) : null;
    const afterSettings = isObject(after) ? parseSettings(after.modules, after.flags) : null;
    if (
      Number.isSafeInteger(revision) &&
      (revision as number) >= 1 &&
      typeof at === 'string' &&
      typeof actor === 'string' &&
      typeof operation === 'string' &&
      beforeSettings &&
      afterSettings
    ) {
      return value as unknown as HistoryEntry;
    }
  }
  throw corrupt(key, location, `an element that is not a history entry: ${text.slice(0, 80)}`);
}

/** A change notification, or undefined for a message modreg did not publish. */
export function parseEvent(message: string): StoreEvent | undefined {
  const value = parseJson(message);
  if (!isObject(value)) return undefined;
  const { tenant, revision } = value;
  if (!isTenantId(tenant)) return undefined;
  if (!Number.isSafeInteger(revision) || (revision as number) < 1) return undefined;
  return { tenant, revision: revision as number };
}

/** The error for a key modreg did not write (or that was damaged); modreg never writes it. */
export function corrupt(key: string, location: string, detail: string): ModregError {
  return new ModregError(
    'environment',
    `Redis key "${key}" at ${location} was not written by modreg or is corrupt (${detail}). modreg will not overwrite it: repair or delete it (DEL "${key}"), or use another key prefix.`,
  );
}

const MODULE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

function parseSettings(modules: unknown, flags: unknown): TenantSettings | undefined {
  if (
    !Array.isArray(modules) ||
    !modules.every((m) => typeof m === 'string' && MODULE_NAME.test(m))
  )
    return undefined;
  if (!isObject(flags)) return undefined;
  return { modules, flags: flags as Record<string, JsonValue> };
}

function parseRevision(text: string | undefined): number | undefined {
  if (text === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const revision = Number(text);
  return Number.isSafeInteger(revision) ? revision : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
