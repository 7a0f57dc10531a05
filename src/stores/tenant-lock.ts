import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModregError } from '../errors.js';
import { describeFileSystemError } from './json-errors.js';
import { baseNameOf } from './json-names.js';

/** A lock is taken over once its holder has not renewed it for this long (it died). */
export const LOCK_STALE_MS = 10_000;

/**
 * How long a waiter waits unless told otherwise: longer than a waiter can have to wait for
 * the lock of a holder that died just after renewing it — the stale period, plus up to
 * 1.005 s by which proper-lockfile sets a lock's time ahead (it rounds the first one up to
 * the next second, plus 5 ms, to probe the file system's precision) — with a margin of
 * about 4 s for a busy machine, so that a waiter never gives up just before a dead holder's
 * lock is taken over.
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 15_000;

/** A wait for a tenant's lock held by someone else, as told to `onWait`. */
export interface LockWait {
  tenant: string;
  /** The lock (a directory), for messages. */
  lockPath: string;
  /** How long this wait has lasted so far. */
  waitedMs: number;
  /** When its holder last renewed it; undefined when that could not be read. */
  renewedAt?: Date;
  /** How long this waiter waits in all before it gives up. */
  timeoutMs: number;
}

/** Options of {@link lockTenant}. */
export interface LockOptions {
  /** How long to wait for another holder. */
  timeoutMs: number;
  /** Called once when a wait passes `noticeMs`. */
  onWait?: (wait: LockWait) => void;
  /** @default 1000 */
  noticeMs?: number;
}

/**
 * Takes the cross-process lock of one tenant (a directory under `locksDir`, made atomically
 * by mkdir), waiting up to `timeoutMs` for another holder. The holder renews it every 5 s; a
 * holder that died leaves a lock that goes stale LOCK_STALE_MS after its last renewal and is
 * then taken over. Errors other than a held lock are thrown as they are (the caller tells a
 * missing store directory from the rest).
 */
export async function lockTenant(
  locksDir: string,
  tenant: string,
  options: LockOptions,
): Promise<() => Promise<void>> {
  const lockPath = join(locksDir, `${baseNameOf(tenant)}.lock`);
  const started = Date.now();
  const noticeAt = started + (options.noticeMs ?? 1_000);
  let noticed = false;
  let compromised: Error | undefined;
  // Loaded by the first write: a command that only reads never needs it.
  const { default: lockfile } = await import('proper-lockfile');
  for (let wait = 2; ; wait = Math.min(wait * 1.5, 50)) {
    try {
      const release = await lockfile.lock(lockPath, {
        realpath: false,
        lockfilePath: lockPath,
        stale: LOCK_STALE_MS,
        retries: 0,
        onCompromised: (error) => {
          compromised = error;
        },
      });
      return async () => {
        await release().catch(() => undefined);
        if (compromised !== undefined) {
          throw new ModregError(
            'environment',
            `The lock of tenant "${tenant}" (${lockPath}) was lost while held: ${compromised.message}. This process stalled for over ${LOCK_STALE_MS / 1000} s; check the tenant's state and history.`,
          );
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const now = Date.now();
      if (now - started >= options.timeoutMs) throw timedOut(tenant, lockPath, options, error);
      if (!noticed && now >= noticeAt && options.onWait !== undefined) {
        noticed = true;
        const renewedAt = await renewalOf(lockPath);
        options.onWait({
          tenant,
          lockPath,
          waitedMs: now - started,
          timeoutMs: options.timeoutMs,
          ...(renewedAt === undefined ? {} : { renewedAt }),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, wait * (0.5 + Math.random())));
    }
  }
}

/** The error of a lock that could not be taken: what happened, and the fix. */
export function lockFailure(tenant: string, locksDir: string, error: unknown): ModregError {
  if (error instanceof ModregError) return error;
  const lockPath = join(locksDir, `${baseNameOf(tenant)}.lock`);
  return new ModregError(
    'environment',
    `Cannot lock tenant "${tenant}" (${lockPath}): ${describeFileSystemError(error)}`,
    { cause: error },
  );
}

async function renewalOf(lockPath: string): Promise<Date | undefined> {
  return (await stat(lockPath).catch(() => undefined))?.mtime;
}

function timedOut(
  tenant: string,
  lockPath: string,
  options: LockOptions,
  cause: unknown,
): ModregError {
  return new ModregError(
    'environment',
    `Timed out after ${options.timeoutMs} ms waiting for the lock of tenant "${tenant}", held by another modreg process (${lockPath}). A lock whose holder died is taken over ${LOCK_STALE_MS / 1000} s after its last renewal: retry then, or remove ${lockPath} once you are sure no modreg process is writing.`,
    { cause },
  );
}
