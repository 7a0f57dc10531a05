import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { ModregError } from '../errors.js';
import { describeFileSystemError } from './json-errors.js';
import { baseNameOf } from './json-names.js';

/**
 * Takes the cross-process lock of one tenant, waiting up to `timeoutMs` for another holder.
 * A holder that died leaves a lock that goes stale after 10 s and is then taken over.
 */
export async function lockTenant(
  locksDir: string,
  tenant: string,
  timeoutMs: number,
): Promise<() => Promise<void>> {
  const lockfilePath = join(locksDir, `${baseNameOf(tenant)}.lock`);
  const deadline = Date.now() + timeoutMs;
  let compromised: Error | undefined;
  for (let wait = 2; ; wait = Math.min(wait * 1.5, 50)) {
    try {
      const release = await lockfile.lock(lockfilePath, {
        realpath: false,
        lockfilePath,
        stale: 10_000,
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
            `The lock of tenant "${tenant}" was lost while held (${compromised.message}).`,
          );
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new ModregError(
          'environment',
          `Cannot lock tenant "${tenant}" (${lockfilePath}): ${describeFileSystemError(error)}`,
          {
            cause: error,
          },
        );
      }
      if (Date.now() > deadline) {
        throw new ModregError(
          'environment',
          `Timed out after ${timeoutMs} ms waiting for the lock of tenant "${tenant}", held by another modreg process (${lockfilePath}). If none is running, the lock goes stale within 10 s.`,
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait * (0.5 + Math.random())));
    }
  }
}
