import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { ModregError } from '../errors.js';
import { shownPlain } from '../message-text.js';

/**
 * Writes the registry file's text atomically. The missing directories above it are created
 * one level at a time first: Node's recursive mkdir retries forever when the file system
 * refuses a level with ENOENT (under /proc, say), and one level at a time also names the
 * directory that could not be made. A file-system failure is an environment error saying
 * what happened (permission denied, read-only file system, disk full…) and the fix.
 */
export async function writeRegistryText(file: string, text: string): Promise<void> {
  try {
    await createDirectories(dirname(file));
    await writeFileAtomic(file, text);
  } catch (error) {
    if (!isFileSystemError(error)) throw error;
    throw new ModregError('environment', describeFailure(file, error), { cause: error });
  }
}

/** Creates `dir` and the missing directories above it, top down, one level at a time. */
async function createDirectories(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    const found = await stat(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (found !== undefined) {
      if (!found.isDirectory()) throw Object.assign(notADirectory(at), { path: at });
      break;
    }
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const level of missing) {
    await mkdir(level).catch(async (error: NodeJS.ErrnoException) => {
      // Another process may have made it meanwhile.
      if (error.code !== 'EEXIST' || !(await stat(level)).isDirectory()) throw error;
    });
  }
}

function notADirectory(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, ${path}`), {
    code: 'ENOTDIR',
    syscall: 'mkdir',
  });
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return typeof code === 'string' && typeof syscall === 'string';
}

function describeFailure(file: string, error: NodeJS.ErrnoException): string {
  const where = error.syscall === 'mkdir' && error.path !== undefined ? error.path : file;
  const what =
    error.syscall === 'mkdir'
      ? `the directory ${shownPlain(where)} cannot be created`
      : 'it cannot be written';
  const why = REASONS[error.code ?? ''] ?? shownPlain(error.message, 300);
  const fix = FIXES[error.code ?? ''] ?? 'Choose another path with --registry.';
  return `Cannot write the registry file ${shownPlain(file)}: ${what} (${why}). ${fix}`;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'the path is a directory',
  ENOENT: 'the file system does not allow creating it there',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'the path leads into a loop of symbolic links',
};

const FIXES: Record<string, string> = {
  EACCES: 'Make the directory writable by this user, or choose another path with --registry.',
  EPERM: 'Make the directory writable by this user, or choose another path with --registry.',
  EROFS: 'Choose a path on a writable file system with --registry.',
  ENOSPC: 'Free some disk space, or choose a path on another disk with --registry.',
  EDQUOT: 'Free some space, or choose a path on another disk with --registry.',
  EISDIR: 'Name a file, not a directory, with --registry.',
};
