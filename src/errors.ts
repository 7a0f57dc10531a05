/**
 * What went wrong, in terms a caller can act on. The CLI maps each code to an exit code:
 * `usage` → 2, `invalid` / `refused` / `conflict` → 1, `environment` → 3. `conflict`: the
 * tenant changed since the revision the caller expected.
 */
export type ModregErrorCode = 'usage' | 'invalid' | 'refused' | 'conflict' | 'environment';

/** Options for {@link ModregError}. */
export interface ModregErrorOptions {
  /** The underlying error, kept for `--verbose` output and debugging. */
  cause?: unknown;
}

/**
 * A failure the user can fix. Its message names the subject and the fix; anything thrown
 * that is not a `ModregError` is a bug in modreg.
 */
export class ModregError extends Error {
  override readonly name = 'ModregError';
  readonly code: ModregErrorCode;

  constructor(code: ModregErrorCode, message: string, options: ModregErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True when `error` is a {@link ModregError} (also across duplicated module instances). */
export function isModregError(error: unknown): error is ModregError {
  return (
    error instanceof ModregError ||
    (error instanceof Error && error.name === 'ModregError' && 'code' in error)
  );
}
