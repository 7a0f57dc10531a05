import { ErrorCode, type FlagMetadata, type ResolutionDetails } from '@openfeature/server-sdk';
import type { FlagType } from '../registry/types.js';
import type { TenantSnapshot } from '../runtime/types.js';
import type { JsonValue } from '../tenant/types.js';
import { type IndexEntry, MODULE_KEY_PREFIX } from './flag-index.js';

/** What a resolution depends on beyond the tenant's snapshot. */
export interface ResolveSettings {
  /** The instance serves its last known state (`health().status === 'stale'`). */
  stale: boolean;
  /** Names variants; see ModregProviderOptions.variant. */
  variant: ((flagKey: string, value: JsonValue) => string | undefined) | undefined;
}

/**
 * Resolves `key` for one tenant, synchronously, as the OpenFeature type `type` (`json` for
 * an object evaluation): the tenant's value (`TARGETING_MATCH`), the declared default
 * (`DEFAULT`), the caller's default when the declaring module is off for the tenant
 * (`DISABLED`), or an error result carrying the caller's default — never a throw. While the
 * instance is stale every served value says `STALE` instead of `TARGETING_MATCH`, `DEFAULT`
 * or `STATIC`.
 */
export function resolveKey<T>(
  snapshot: TenantSnapshot,
  entry: IndexEntry | undefined,
  key: string,
  type: FlagType,
  fallback: T,
  settings: ResolveSettings,
): ResolutionDetails<T> {
  const { tenant, revision } = snapshot;
  if (entry === undefined) return undeclared(snapshot, key, type, fallback, settings);
  const flagMetadata: FlagMetadata = { module: entry.module, tenant, revision };
  if (entry.kind === 'module') {
    if (type !== 'boolean') {
      const message = `"${key}" says whether module "${entry.module}" is on for the tenant, a boolean; evaluate it with getBooleanValue.`;
      return failure(fallback, ErrorCode.TYPE_MISMATCH, message, flagMetadata);
    }
    const on = snapshot.isModuleEnabled(entry.module);
    const reason = settings.stale ? 'STALE' : entry.core ? 'STATIC' : 'TARGETING_MATCH';
    const variant = settings.variant?.(key, on) ?? (on ? 'on' : 'off');
    return { value: on as T, reason, variant, flagMetadata };
  }
  if (entry.type !== type) {
    const message = `Flag "${key}" is declared by module "${entry.module}" as ${TYPE_NAMES[entry.type]}; evaluate it with ${METHODS[entry.type]}.`;
    return failure(fallback, ErrorCode.TYPE_MISMATCH, message, flagMetadata);
  }
  if (!snapshot.isModuleEnabled(entry.module)) {
    return { value: fallback, reason: 'DISABLED', flagMetadata };
  }
  const own = snapshot.hasOwnFlag(key);
  if (!own && !entry.hasDefault) {
    return { value: fallback, reason: settings.stale ? 'STALE' : 'DEFAULT', flagMetadata };
  }
  // A value set before the registry changed the flag's type is not the tenant's any more:
  // the snapshot answers the default for it.
  const value = snapshot.flag(key) as JsonValue;
  const reason = settings.stale ? 'STALE' : own ? 'TARGETING_MATCH' : 'DEFAULT';
  const variant = settings.variant?.(key, value) ?? (own ? undefined : 'default');
  return served(value, reason, variant, flagMetadata);
}

/** The answer for a key no module declares: the tenant's own value, if it set one. */
function undeclared<T>(
  snapshot: TenantSnapshot,
  key: string,
  type: FlagType,
  fallback: T,
  settings: ResolveSettings,
): ResolutionDetails<T> {
  const { tenant, revision } = snapshot;
  if (!snapshot.hasOwnFlag(key)) {
    const message = key.startsWith(MODULE_KEY_PREFIX)
      ? `There is no module "${key.slice(MODULE_KEY_PREFIX.length)}" in the registry; check the name (module keys are "${MODULE_KEY_PREFIX}<module name>").`
      : `No module declares flag "${key}", and tenant "${tenant}" has not set it. Check the key, or declare the flag in a module's config.`;
    return failure(fallback, ErrorCode.FLAG_NOT_FOUND, message);
  }
  const flagMetadata: FlagMetadata = { tenant, revision };
  const value = snapshot.flag(key) as JsonValue;
  const held = typeOfValue(value);
  if (held !== type) {
    const message = `Flag "${key}" is declared by no module, and tenant "${tenant}" set it to ${TYPE_NAMES[held]}; evaluate it with ${METHODS[held]}.`;
    return failure(fallback, ErrorCode.TYPE_MISMATCH, message, flagMetadata);
  }
  const reason = settings.stale ? 'STALE' : 'TARGETING_MATCH';
  return served(value, reason, settings.variant?.(key, value), flagMetadata);
}

function served<T>(
  value: JsonValue,
  reason: string,
  variant: string | undefined,
  flagMetadata: FlagMetadata,
): ResolutionDetails<T> {
  // The snapshot holds the tenant's objects themselves: a caller changing what it got must
  // not change what every later evaluation sees.
  const copy = typeof value === 'object' && value !== null ? structuredClone(value) : value;
  return variant === undefined
    ? { value: copy as T, reason, flagMetadata }
    : { value: copy as T, reason, variant, flagMetadata };
}

function failure<T>(
  fallback: T,
  errorCode: ErrorCode,
  errorMessage: string,
  flagMetadata?: FlagMetadata,
): ResolutionDetails<T> {
  return flagMetadata === undefined
    ? { value: fallback, reason: 'ERROR', errorCode, errorMessage }
    : { value: fallback, reason: 'ERROR', errorCode, errorMessage, flagMetadata };
}

/** The flag type a value fits: its JavaScript type, or `json` for objects, arrays and null. */
function typeOfValue(value: JsonValue): FlagType {
  const kind = typeof value;
  return kind === 'boolean' || kind === 'string' || kind === 'number' ? kind : 'json';
}

const TYPE_NAMES: Readonly<Record<FlagType, string>> = {
  boolean: 'a boolean',
  string: 'a string',
  number: 'a number',
  json: 'JSON (an object)',
};

const METHODS: Readonly<Record<FlagType, string>> = {
  boolean: 'getBooleanValue',
  string: 'getStringValue',
  number: 'getNumberValue',
  json: 'getObjectValue',
};
