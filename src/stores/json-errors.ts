import { ModregError } from '../errors.js';

/** What a file-system error code means, and what fixes it. */
const EXPLAINED = new Map<string, readonly [happened: string, fix: string]>(
  Object.entries({
    ENOSPC: [
      'the disk is full (no space or no free inodes left on its file system)',
      'Free some space, then retry.',
    ],
    EDQUOT: ['the disk quota is exceeded', 'Free some space or raise the quota, then retry.'],
    EROFS: [
      'the file system is read-only',
      'Mount it read-write, or point the store (--store or MODREG_STORE) at a writable directory.',
    ],
    EACCES: [
      'permission denied',
      'Give this user access to the store directory, or run modreg as its owner.',
    ],
    EPERM: [
      'the operation is not permitted',
      'Give this user access to the store directory, or run modreg as its owner.',
    ],
    EIO: [
      'an input/output error (the disk or network share failed)',
      'Check the disk and its file system, then retry.',
    ],
    EMFILE: ['too many open files in this process', 'Raise the open-file limit (ulimit -n).'],
    ENFILE: ['too many open files on this system', 'Raise the system open-file limit.'],
    ENAMETOOLONG: ['the path is too long', 'Put the store in a directory with a shorter path.'],
    ELOOP: ['symbolic links form a loop on the way', 'Fix or remove the looping link.'],
  } as const),
);

/**
 * A sentence or two saying what a file-system error means and how to fix it ("the disk is
 * full (…). Free some space, then retry."), for errors the store cannot act on itself.
 */
export function describeFileSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const explained = code === undefined ? undefined : EXPLAINED.get(code);
  if (explained !== undefined) return `${explained[0]}. ${explained[1]}`;
  const message = error instanceof Error ? error.message : String(error);
  return `${message.replace(/\.$/, '')}. Check the store directory and its file system.`;
}

/** An `environment` error: `doing` (e.g. "Cannot write /s/tenants/acme.json"), then why. */
export function fileSystemError(doing: string, error: unknown): ModregError {
  if (error instanceof ModregError) return error;
  return new ModregError('environment', `${doing}: ${describeFileSystemError(error)}`, {
    cause: error,
  });
}

/** The errno code of `error`, if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
