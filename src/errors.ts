/**
 * What went wrong, in terms a caller can act on. The CLI maps each code to an exit code:
 * `usage` → 2, `invalid` / `refused` / `conflict` → 1, `environment` → 3. `conflict`: the
 * tenant changed since the revision the caller expected.
 */
export type ModregErrorCode = 'usage' | 'invalid' | 'refused' | 'conflict' | 'environment';

/**
 * Structured facts about a failure, for callers that render it their own way (the CLI as
 * flags, the admin API as JSON fields, the console as controls).
 */
export interface ModregErrorDetails {
  /**
   * For a planner refusal: the option that would make the change go through, as the library
   * names it (`withDeps`, `cascade`); the CLI shows it as its flag (`--with-deps`).
   */
  alternative?: 'withDeps' | 'cascade';
  /** For a planner refusal: the refusal without its last sentence (the fix). */
  problem?: string;
  /** For a planner refusal: the fix, without the alternative (`Enable it first`). */
  fix?: string;
  /** Dependency paths behind a refusal, each from the module asked for to the one in the way. */
  paths?: readonly (readonly string[])[];
  /** The state a store holds is corrupt (the store itself answered): the key or file. */
  corrupt?: string;
}

/** Options for {@link ModregError}. */
export interface ModregErrorOptions {
  /** The underlying error, kept for `--verbose` output and debugging. */
  cause?: unknown;
  /** Structured facts about the failure. */
  details?: ModregErrorDetails;
}

/**
 * A failure the user can fix. Its message names the subject and the fix; anything thrown
 * that is not a `ModregError` is a bug in modreg.
 */
export class ModregError extends Error {
  override readonly name = 'ModregError';
  readonly code: ModregErrorCode;
  readonly details?: ModregErrorDetails;

  constructor(code: ModregErrorCode, message: string, options: ModregErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** True when `error` is a {@link ModregError} (also across duplicated module instances). */
export function isModregError(error: unknown): error is ModregError {
  return (
    error instanceof ModregError ||
    (error instanceof Error && error.name === 'ModregError' && 'code' in error)
  );
}
