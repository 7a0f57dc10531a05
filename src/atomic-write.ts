import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Where the temporary file goes: a directory on the same file system as `file` (a rename
   * never crosses file systems). The caller then owns both directories, which are not
   * created. @default the directory of `file`, created when missing
   */
  tempDir?: string;
}

/**
 * Temporary files: `.<name>.<pid>.<12 hex>.tmp`, so that whoever cleans up after a writer
 * that died can tell whose a file is (see src/stores/json-temp-files.ts).
 */
export const TEMP_FILE_PATTERN = /^\..*\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Replaces `file` with `content` so that a reader sees the old file or the new one, never a
 * mix, and a crash after return loses nothing: a uniquely named temporary file is written,
 * flushed to disk, renamed over the target, and the target's directory flushed.
 */
export async function writeFileAtomic(
  file: string,
  content: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(file);
  if (options.tempDir === undefined) await mkdir(dir, { recursive: true });
  // The name is cut so that a long target name still leaves room for the suffix.
  const name = `.${basename(file).slice(0, 64)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const temp = join(options.tempDir ?? dir, name);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Flushes a directory entry change (the rename); not possible on every platform. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory for syncing; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
