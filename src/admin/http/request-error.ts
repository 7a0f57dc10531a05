import { isModregError } from '../../errors.js';

/** The `code` of an API error body, one per status. */
export type AdminErrorCode =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'refused'
  | 'conflict'
  | 'too-large'
  | 'unsupported-media-type'
  | 'internal'
  | 'environment';

/** Every error body: `{ "error": { "code", "message", … } }`. */
export interface AdminErrorBody {
  error: {
    code: AdminErrorCode;
    message: string;
    /** A refusal: the option that would let it through (`withDeps`, `cascade`). */
    alternative?: 'withDeps' | 'cascade';
    /** A refusal: the dependency paths in the way. */
    paths?: readonly (readonly string[])[];
    /** A refusal: what is in the way, without the fix. */
    problem?: string;
    /** A refusal: what to do first. */
    fix?: string;
  };
}

/** A request the API answers with an error status: thrown by a route, rendered once. */
export class AdminRequestError extends Error {
  override readonly name = 'AdminRequestError';
  constructor(
    readonly status: number,
    readonly code: AdminErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** What an error is answered with; `internal` for anything that is not a known failure. */
export function errorReply(error: unknown): {
  status: number;
  body: AdminErrorBody;
  headers: Readonly<Record<string, string>>;
} {
  if (error instanceof AdminRequestError) {
    return {
      status: error.status,
      body: errorBody(error.code, error.message),
      headers: error.headers,
    };
  }
  if (isModregError(error)) {
    if (error.code === 'refused') {
      const { alternative, paths, problem, fix } = error.details ?? {};
      const body = errorBody('refused', error.message);
      Object.assign(body.error, {
        ...(alternative === undefined ? {} : { alternative }),
        paths: paths ?? [],
        ...(problem === undefined ? {} : { problem }),
        ...(fix === undefined ? {} : { fix }),
      });
      return { status: 409, body, headers: {} };
    }
    if (error.code === 'conflict')
      return { status: 412, body: errorBody('conflict', error.message), headers: {} };
    if (error.code === 'environment') {
      return {
        status: 503,
        body: errorBody('environment', error.message),
        headers: { 'Retry-After': '1' },
      };
    }
    return { status: 400, body: errorBody('invalid', error.message), headers: {} };
  }
  return {
    status: 500,
    body: errorBody(
      'internal',
      'Internal error in the admin server; the server log has the details.',
    ),
    headers: {},
  };
}

/** A 400 for input the API refuses, with the message naming the field and the fix. */
export function badRequest(message: string): AdminRequestError {
  return new AdminRequestError(400, 'invalid', message);
}

function errorBody(code: AdminErrorCode, message: string): AdminErrorBody {
  return { error: { code, message } };
}
