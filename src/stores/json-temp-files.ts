import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_FILE_PATTERN } from '../atomic-write.js';

/** A temporary file younger than this may belong to a write in progress: it is kept. */
export const TEMP_FILE_STALE_MS = 60_000;

/**
 * A temporary file this old is removed even when a process with its writer's pid runs (that
 * pid was reused: no write takes an hour).
 */
const TEMP_FILE_ABANDONED_MS = 3_600_000;

/**
 * Removes the temporary files that writers killed mid-write left in `dir` (`names`, when the
 * caller has listed it already): only those older than TEMP_FILE_STALE_MS whose writer (the
 * pid in the name) no longer runs on this machine, or older than an hour. A live writer's
 * file is never removed. Best effort: what cannot be removed now is left for next time.
 * Returns how many were removed.
 */
export async function removeStaleTempFiles(
  dir: string,
  names?: readonly string[],
  now = Date.now(),
): Promise<number> {
  const listed = names ?? (await readdir(dir).catch(() => [] as string[]));
  let removed = 0;
  for (const name of listed) {
    const pid = TEMP_FILE_PATTERN.exec(name)?.[1];
    if (pid === undefined) continue;
    const file = join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) continue;
    const age = now - info.mtimeMs;
    const stale =
      age > TEMP_FILE_ABANDONED_MS || (age > TEMP_FILE_STALE_MS && !isRunning(Number(pid)));
    if (
      stale &&
      (await rm(file).then(
        () => true,
        () => false,
      ))
    )
      removed++;
  }
  return removed;
}

/** True when a process with this pid runs here (or exists but is another user's). */
function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
