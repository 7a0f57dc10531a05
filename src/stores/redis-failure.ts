import { isModregError, ModregError } from '../errors.js';
import { DeadlineExceeded } from './redis-deadline.js';

/** Turns what a Redis call threw into the ModregError a user reads. */
export interface RedisFailures {
  /** `doing` says what was being done ("reading tenant "acme""). */
  failure(error: unknown, doing: string): ModregError;
}

/**
 * The wording of failures for the server or cluster `subject` names (`Redis at redis://…`,
 * `Redis Cluster at a:1, b:2`); `lastError` gives the latest connection error, which says
 * more than "Connection is closed".
 */
export function createRedisFailures(
  subject: string,
  lastError: () => Error | undefined = () => undefined,
): RedisFailures {
  return {
    failure(error, doing) {
      if (isModregError(error)) return error as ModregError;
      if (error instanceof DeadlineExceeded) {
        return new ModregError(
          'environment',
          `${subject} did not answer within ${error.ms} ms (while ${doing}). Check that it is running and reachable, or raise commandTimeoutMs.`,
          { cause: error },
        );
      }
      if (error instanceof Error && error.name === 'ReplyError') {
        return new ModregError('environment', `${subject} refused ${doing}: ${error.message}.`, {
          cause: error,
        });
      }
      return unreachable(subject, lastError() ?? error, doing);
    },
  };
}

/** The error for a server or cluster that cannot be reached. */
export function unreachable(subject: string, cause: unknown, doing?: string): ModregError {
  const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\.+$/, '');
  const during = doing === undefined ? '' : ` (while ${doing})`;
  if (/^(WRONGPASS|NOAUTH|NOPERM)\b/.test(reason)) {
    return new ModregError(
      'environment',
      `${subject} refused the connection${during}: ${reason}. Give its user and password in the URL: redis://user:password@host:port.`,
      { cause },
    );
  }
  return new ModregError(
    'environment',
    `Cannot reach ${subject}${during}: ${reason}. Start Redis, or point --store / MODREG_STORE at it.`,
    { cause },
  );
}
