import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readlinkSync,
  readSync,
  type Stats,
} from 'node:fs';
import { stat } from 'node:fs/promises';
import { shownProse, shownText } from '../message-text.js';

/** The largest config read, in bytes; a config is a few hundred bytes, so this is generous. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The deepest nesting of objects and arrays a config may have. The deepest a config needs is
 * a `json` flag's default a few levels down; the limit keeps every later step (schema
 * checks, messages, the registry file) clear of stack overflows.
 */
export const MAX_CONFIG_DEPTH = 64;

/** Why a config file could not be read: a sentence naming the file and the fix. */
export interface ConfigFileFailure {
  ok: false;
  message: string;
}

/**
 * The text of a config file. It is opened without blocking and checked to be a regular file
 * before anything is read, so a FIFO or a device in place of a config is a problem, not a
 * hang; a file of more than {@link MAX_CONFIG_BYTES} is refused (a file that grows while it
 * is read included).
 */
export function readConfigText(file: string, displayName: string): string | ConfigFileFailure {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return openFailure(file, displayName, error);
  }
  try {
    const stats = fstatSync(fd);
    const refused = refusal(stats, file, displayName);
    if (refused !== undefined) return refused;
    let buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_CONFIG_BYTES) return tooLarge(displayName, length);
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_CONFIG_BYTES + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > MAX_CONFIG_BYTES) return tooLarge(displayName, length);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    return readFailure(displayName, error);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks that an executable config is a regular file of a sane size before it is imported
 * (importing a FIFO would wait forever); undefined when it may be imported.
 */
export async function checkConfigScript(
  file: string,
  displayName: string,
): Promise<ConfigFileFailure | undefined> {
  let stats: Stats;
  try {
    stats = await stat(file);
  } catch (error) {
    return openFailure(file, displayName, error);
  }
  return refusal(stats, file, displayName);
}

function refusal(stats: Stats, file: string, displayName: string): ConfigFileFailure | undefined {
  if (!stats.isFile()) {
    const through = isLink(file) ? ' (through a symbolic link)' : '';
    return {
      ok: false,
      message: `${displayName} is ${kindOf(stats)}${through}, not a file; a module config must be a regular file. Replace it with a config file, or remove it.`,
    };
  }
  if (stats.size > MAX_CONFIG_BYTES) return tooLarge(displayName, stats.size);
  return undefined;
}

function openFailure(file: string, displayName: string, error: unknown): ConfigFileFailure {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ELOOP') {
    const target = linkTarget(file);
    if (target !== undefined) {
      const what = code === 'ELOOP' ? 'a loop of symbolic links' : 'a file that does not exist';
      return {
        ok: false,
        message: `${displayName} is a symbolic link to ${shownText(target, 200)}, ${what}. Point the link at the module's config, or remove it.`,
      };
    }
  }
  return readFailure(displayName, error);
}

function readFailure(displayName: string, error: unknown): ConfigFileFailure {
  const code = (error as NodeJS.ErrnoException).code;
  const fix =
    code === 'EACCES' || code === 'EPERM'
      ? ' Make it readable by this user.'
      : code === 'EISDIR'
        ? ' A module config must be a regular file.'
        : '';
  return {
    ok: false,
    message: `Cannot read ${displayName}: ${shownProse(String((error as Error).message), 200)}.${fix}`,
  };
}

function tooLarge(displayName: string, size: number): ConfigFileFailure {
  const limit = `${MAX_CONFIG_BYTES / 1024 / 1024} MiB`;
  return {
    ok: false,
    message: `${displayName} is ${size > MAX_CONFIG_BYTES + 1 ? `${size} bytes` : `more than ${limit}`}; a module config is read only up to ${limit}. Keep large data out of the config (in a file the module reads).`,
  };
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

function linkTarget(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}

function isLink(file: string): boolean {
  return linkTarget(file) !== undefined;
}
