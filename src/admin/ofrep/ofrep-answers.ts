import type {
  EvaluationErrorCode,
  EvaluationMetadata,
  KeyEvaluation,
} from '../../evaluation/types.js';
import type { JsonValue } from '../../tenant/types.js';
import { errorReply } from '../http/request-error.js';
import type { RouteReply } from '../router.js';

/**
 * One flag as OFREP answers it: a value with its reason, or — for `DISABLED` and a flag
 * declared without a default — no `value`, which tells the client to use its code default
 * (OFREP's `codeDefaultFlag`).
 */
export interface OfrepFlag {
  key: string;
  value?: JsonValue;
  reason: string;
  variant?: string;
  metadata: EvaluationMetadata;
}

/** An OFREP failure body: the key (for one flag), the error code, the details. */
export interface OfrepFailure {
  key?: string;
  errorCode: EvaluationErrorCode | 'PARSE_ERROR';
  errorDetails: string;
}

/** A key's evaluation as OFREP sends it: the flag, or `FLAG_NOT_FOUND`. */
export function ofrepFlag(key: string, evaluation: KeyEvaluation): OfrepFlag | OfrepFailure {
  if (evaluation.kind === 'not-found') {
    return { key, errorCode: 'FLAG_NOT_FOUND', errorDetails: evaluation.message };
  }
  const { reason, metadata } = evaluation;
  if (evaluation.kind === 'code-default') return { key, reason, metadata };
  const { value, variant } = evaluation;
  return variant === undefined
    ? { key, value, reason, metadata }
    : { key, value, reason, variant, metadata };
}

/** A failure reply: `status` with the failure body (the key left out for a bulk request). */
export function ofrepFailure(
  status: 400 | 404 | 500,
  key: string | undefined,
  errorCode: OfrepFailure['errorCode'],
  errorDetails: string,
  headers?: Readonly<Record<string, string>>,
): RouteReply {
  const body: OfrepFailure =
    key === undefined ? { errorCode, errorDetails } : { key, errorCode, errorDetails };
  return headers === undefined ? { status, body } : { status, body, headers };
}

/**
 * What an error on an OFREP path that no route answered is sent as — no token, a path OFREP
 * lacks, a wrong method, a body too large, a bug: the API's status and headers with OFREP's
 * general body `{ errorDetails }` (a 400 says `PARSE_ERROR` too), since OFREP clients read
 * OFREP's shapes, not the API's.
 */
export function ofrepErrorReply(error: unknown): {
  status: number;
  body: unknown;
  headers: Readonly<Record<string, string>>;
} {
  const { status, body, headers } = errorReply(error);
  const errorDetails = body.error.message;
  return {
    status,
    body: status === 400 ? { errorCode: 'PARSE_ERROR', errorDetails } : { errorDetails },
    headers,
  };
}
