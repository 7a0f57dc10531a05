import { constants, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { errorCode } from './json-errors.js';

// O_NONBLOCK and O_NOFOLLOW do not exist on Windows, which has no FIFOs to open.
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** A file of the store that is there but is not a regular file: why, in words. */
export class NotRegularFile extends Error {
  override readonly name = 'NotRegularFile';
  constructor(
    readonly file: string,
    readonly kind: string,
  ) {
    super(`${file} is ${kind}, not a regular file`);
  }
}

/**
 * Reads a file of the store as text, or undefined when there is none; anything but a
 * regular file (a FIFO, a socket, a device, a directory, a symbolic link) is refused with a
 * {@link NotRegularFile} before it is opened, so that nothing can make a read hang or read
 * another file through a link. The file is opened non-blocking and without following links,
 * and its handle checked again, which closes the race with a swap after the first look.
 * Other errors are thrown as they are.
 */
export async function readRegularFile(file: string): Promise<string | undefined> {
  const info = await lstat(file).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw error;
  });
  if (info === undefined) return undefined;
  if (!info.isFile()) throw new NotRegularFile(file, kindOf(info));
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, constants.O_RDONLY | NONBLOCK | NOFOLLOW);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (errorCode(error) === 'ELOOP') throw new NotRegularFile(file, 'a symbolic link');
    throw error;
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw new NotRegularFile(file, kindOf(opened));
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'something other than a file';
}
