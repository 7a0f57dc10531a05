import { ErrorCode, type FlagMetadata, type ResolutionDetails } from '@openfeature/server-sdk';
import { evaluateKey } from '../evaluation/evaluate-key.js';
import type { IndexEntry } from '../evaluation/flag-index.js';
import type { EvaluationErrorCode, EvaluationSettings, KeySource } from '../evaluation/types.js';
import type { FlagType } from '../registry/types.js';
import type { TenantSnapshot } from '../runtime/types.js';

/**
 * Resolves `key` for one tenant, synchronously, as the OpenFeature type `type` (`json` for
 * an object evaluation): {@link evaluateKey}'s answer, with the caller's default where modreg
 * defers to it (`DISABLED`, a flag declared without a default), and `TYPE_MISMATCH` when the
 * key is not of the type asked for — an error result carrying the caller's default, never a
 * throw.
 */
export function resolveKey<T>(
  snapshot: TenantSnapshot,
  entry: IndexEntry | undefined,
  key: string,
  type: FlagType,
  fallback: T,
  settings: EvaluationSettings,
): ResolutionDetails<T> {
  const evaluation = evaluateKey(snapshot, entry, key, settings);
  if (evaluation.kind === 'not-found') {
    return failure(fallback, 'FLAG_NOT_FOUND', evaluation.message);
  }
  const flagMetadata: FlagMetadata = evaluation.metadata;
  if (evaluation.type !== type) {
    const message = mismatch(key, evaluation.source, evaluation.type, flagMetadata);
    return failure(fallback, 'TYPE_MISMATCH', message, flagMetadata);
  }
  if (evaluation.kind === 'code-default') {
    return { value: fallback, reason: evaluation.reason, flagMetadata };
  }
  // The snapshot holds the tenant's objects themselves: a caller changing what it got must
  // not change what every later evaluation sees.
  const { value, reason, variant } = evaluation;
  const copy = typeof value === 'object' && value !== null ? structuredClone(value) : value;
  return variant === undefined
    ? { value: copy as T, reason, flagMetadata }
    : { value: copy as T, reason, variant, flagMetadata };
}

/** The SDK's error code for an evaluation's: the same spelling, as the SDK's enum. */
export const SDK_ERROR_CODES: Readonly<Record<EvaluationErrorCode, ErrorCode>> = {
  FLAG_NOT_FOUND: ErrorCode.FLAG_NOT_FOUND,
  TYPE_MISMATCH: ErrorCode.TYPE_MISMATCH,
  TARGETING_KEY_MISSING: ErrorCode.TARGETING_KEY_MISSING,
  INVALID_CONTEXT: ErrorCode.INVALID_CONTEXT,
  GENERAL: ErrorCode.GENERAL,
};

/** An error result: the caller's default with the code and the message. */
export function failure<T>(
  fallback: T,
  code: EvaluationErrorCode,
  errorMessage: string,
  flagMetadata?: FlagMetadata,
): ResolutionDetails<T> {
  const errorCode = SDK_ERROR_CODES[code];
  return flagMetadata === undefined
    ? { value: fallback, reason: 'ERROR', errorCode, errorMessage }
    : { value: fallback, reason: 'ERROR', errorCode, errorMessage, flagMetadata };
}

function mismatch(key: string, source: KeySource, held: FlagType, metadata: FlagMetadata): string {
  if (source === 'module') {
    return `"${key}" says whether module "${metadata.module}" is on for the tenant, a boolean; evaluate it with getBooleanValue.`;
  }
  if (source === 'tenant') {
    return `Flag "${key}" is declared by no module, and tenant "${metadata.tenant}" set it to ${TYPE_NAMES[held]}; evaluate it with ${METHODS[held]}.`;
  }
  return `Flag "${key}" is declared by module "${metadata.module}" as ${TYPE_NAMES[held]}; evaluate it with ${METHODS[held]}.`;
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
