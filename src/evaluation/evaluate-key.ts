import type { FlagType } from '../registry/types.js';
import type { TenantSnapshot } from '../runtime/types.js';
import type { JsonValue } from '../tenant/types.js';
import { type IndexEntry, MODULE_KEY_PREFIX } from './flag-index.js';
import type { EvaluationMetadata, EvaluationSettings, KeyEvaluation } from './types.js';

/**
 * Evaluates `key` for one tenant, synchronously: the tenant's value (`TARGETING_MATCH`), the
 * declared default (`DEFAULT`), the caller's default when the declaring module is off for the
 * tenant (`DISABLED`) or the flag declares none (`DEFAULT`), whether a module is on for a
 * `module:<name>` key (`STATIC` for a core module), or `not-found`. While the instance is
 * stale every served value says `STALE` instead (`DISABLED` stays). The one resolution the
 * OpenFeature provider and the OFREP routes share; values are the snapshot's own (frozen),
 * so a caller handing them on copies them.
 */
export function evaluateKey(
  snapshot: TenantSnapshot,
  entry: IndexEntry | undefined,
  key: string,
  settings: EvaluationSettings,
): KeyEvaluation {
  const { tenant, revision } = snapshot;
  if (entry === undefined) return undeclared(snapshot, key, settings);
  const metadata: EvaluationMetadata = { module: entry.module, tenant, revision };
  if (entry.kind === 'module') {
    const on = snapshot.isModuleEnabled(entry.module);
    const reason = settings.stale ? 'STALE' : entry.core ? 'STATIC' : 'TARGETING_MATCH';
    const variant = settings.variant?.(key, on) ?? (on ? 'on' : 'off');
    return {
      kind: 'value',
      type: 'boolean',
      source: 'module',
      value: on,
      reason,
      variant,
      metadata,
    };
  }
  const { type } = entry;
  if (!snapshot.isModuleEnabled(entry.module)) {
    return { kind: 'code-default', type, source: 'flag', reason: 'DISABLED', metadata };
  }
  const own = snapshot.hasOwnFlag(key);
  if (!own && !entry.hasDefault) {
    const reason = settings.stale ? 'STALE' : 'DEFAULT';
    return { kind: 'code-default', type, source: 'flag', reason, metadata };
  }
  // A value set before the registry changed the flag's type is not the tenant's any more:
  // the snapshot answers the default for it.
  const value = snapshot.flag(key) as JsonValue;
  const reason = settings.stale ? 'STALE' : own ? 'TARGETING_MATCH' : 'DEFAULT';
  const variant = settings.variant?.(key, value) ?? (own ? undefined : 'default');
  return served(type, 'flag', value, reason, variant, metadata);
}

/** The flag type a value fits: its JavaScript type, or `json` for objects, arrays and null. */
export function typeOfValue(value: JsonValue): FlagType {
  const kind = typeof value;
  return kind === 'boolean' || kind === 'string' || kind === 'number' ? kind : 'json';
}

/** The answer for a key no module declares: the tenant's own value, if it set one. */
function undeclared(
  snapshot: TenantSnapshot,
  key: string,
  settings: EvaluationSettings,
): KeyEvaluation {
  const { tenant, revision } = snapshot;
  if (!snapshot.hasOwnFlag(key)) {
    const message = key.startsWith(MODULE_KEY_PREFIX)
      ? `There is no module "${key.slice(MODULE_KEY_PREFIX.length)}" in the registry; check the name (module keys are "${MODULE_KEY_PREFIX}<module name>").`
      : `No module declares flag "${key}", and tenant "${tenant}" has not set it. Check the key, or declare the flag in a module's config.`;
    return { kind: 'not-found', message };
  }
  const value = snapshot.flag(key) as JsonValue;
  const reason = settings.stale ? 'STALE' : 'TARGETING_MATCH';
  const variant = settings.variant?.(key, value);
  return served(typeOfValue(value), 'tenant', value, reason, variant, { tenant, revision });
}

function served(
  type: FlagType,
  source: 'flag' | 'tenant',
  value: JsonValue,
  reason: 'TARGETING_MATCH' | 'DEFAULT' | 'STALE',
  variant: string | undefined,
  metadata: EvaluationMetadata,
): KeyEvaluation {
  return variant === undefined
    ? { kind: 'value', type, source, value, reason, metadata }
    : { kind: 'value', type, source, value, reason, variant, metadata };
}
