import { ModregError } from '../errors.js';
import type { HistoryEntry, JsonValue, TenantSettings, TenantState } from '../tenant/types.js';

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
  if (isEmpty(hash)) return { tenant, modules: [], flags: {}, revision: 0, updatedAt: null };
  const revision = parseRevision(fieldOf(hash, 'revision'));
  const updatedAt = fieldOf(hash, 'updatedAt');
  const settings = parseSettings(
    parseJson(fieldOf(hash, 'modules')),
    parseJson(fieldOf(hash, 'flags')),
  );
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

/** The error for a key modreg did not write (or that was damaged); modreg never writes it. */
export function corrupt(key: string, location: string, detail: string): ModregError {
  return new ModregError(
    'environment',
    `Redis key "${key}" at ${location} was not written by modreg or is corrupt (${detail}). modreg will not overwrite it: repair or delete it (DEL "${key}"), or use another key prefix.`,
    { details: { corrupt: key } },
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

/** The value of a JSON text, or undefined when it is not JSON. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A field of a hash as HGETALL gives it, or undefined (own fields only: `__proto__` is data). */
function fieldOf(hash: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(hash, name) ? hash[name] : undefined;
}

/** True for an object without own properties (without listing them). */
function isEmpty(hash: Record<string, string>): boolean {
  for (const name in hash) if (Object.hasOwn(hash, name)) return false;
  return true;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
