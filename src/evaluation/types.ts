import type { FlagType } from '../registry/types.js';
import type { JsonValue } from '../tenant/types.js';

/**
 * The error codes an evaluation can end in, spelled as OpenFeature and OFREP spell them.
 * Plain strings, so that what evaluates keys loads no OpenFeature package: the provider turns
 * them into the SDK's `ErrorCode`, the OFREP routes send them as they are.
 */
export type EvaluationErrorCode =
  | 'FLAG_NOT_FOUND'
  | 'TYPE_MISMATCH'
  | 'TARGETING_KEY_MISSING'
  | 'INVALID_CONTEXT'
  | 'GENERAL';

/** What every answer for a known key carries: the declaring module, the tenant, its revision. */
export type EvaluationMetadata = Record<string, string | number>;

/** Who a key's answer comes from, for the messages that tell a caller how to ask for it. */
export type KeySource = 'flag' | 'module' | 'tenant';

/**
 * One key evaluated for one tenant, with no requested type and no caller's default: a value
 * modreg serves, the caller's own default (`code-default`: the declaring module is off, or the
 * flag declares no default), or a key nothing answers for.
 */
export type KeyEvaluation =
  | {
      kind: 'value';
      /** The type the key is declared with (or, for a key no module declares, its value's). */
      type: FlagType;
      source: KeySource;
      value: JsonValue;
      reason: ServedReason;
      variant?: string;
      metadata: EvaluationMetadata;
    }
  | {
      kind: 'code-default';
      type: FlagType;
      source: KeySource;
      reason: 'DISABLED' | 'DEFAULT' | 'STALE';
      metadata: EvaluationMetadata;
    }
  | { kind: 'not-found'; message: string };

/** The reasons a served value gives. */
export type ServedReason = 'TARGETING_MATCH' | 'DEFAULT' | 'STATIC' | 'STALE';

/** What an evaluation depends on beyond the tenant's snapshot. */
export interface EvaluationSettings {
  /** The instance serves its last known state (`health().status === 'stale'`). */
  readonly stale: boolean;
  /** Names variants; see ModregProviderOptions.variant. */
  readonly variant?: ((flagKey: string, value: JsonValue) => string | undefined) | undefined;
}
