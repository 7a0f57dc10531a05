import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { ModregError } from '../errors.js';
import { describeFileSystemError } from './json-errors.js';

/**
 * The file name of a tenant: its id with each capital letter written `^` + lowercase, so
 * that `Acme` and `acme` stay two files on case-insensitive file systems (`^` is not allowed
 * in ids).
 */
export function fileNameOf(tenant: string): string {
  return `${tenant.replace(/[A-Z]/g, (c) => `^${c.toLowerCase()}`)}.json`;
}

/** The tenant a file name belongs to, or undefined for anything else (temporary files…). */
export function tenantOf(fileName: string): string | undefined {
  if (!fileName.endsWith('.json') || fileName.startsWith('.')) return undefined;
  return fileName.slice(0, -5).replace(/\^([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Takes the cross-process lock of one tenant, waiting up to `timeoutMs` for another holder.
 * A holder that died leaves a lock that goes stale after 10 s and is then taken over.
 */
export async function lockTenant(
  locksDir: string,
  tenant: string,
  timeoutMs: number,
): Promise<() => Promise<void>> {
  const lockfilePath = join(locksDir, `${fileNameOf(tenant).slice(0, -5)}.lock`);
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
