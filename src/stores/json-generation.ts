import { randomUUID } from 'node:crypto';
import { link, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from '../atomic-write.js';
import { ModregError } from '../errors.js';
import { errorCode, fileSystemError } from './json-errors.js';
import { NotRegularFile, readRegularFile } from './json-regular-file.js';

/** The file naming a store's generation, in the store directory. */
export const GENERATION_FILE = 'store.json';

/**
 * The store's generation id (store.json), or undefined when there is none: a store never
 * written, or written only by a modreg from before generations. A new id means a new store —
 * the directory removed and made again, or replaced — whose revisions say nothing about the
 * old one's. A file that is not one modreg wrote is an `environment` error naming it.
 */
export async function readGeneration(root: string): Promise<string | undefined> {
  const file = join(root, GENERATION_FILE);
  let text: string | undefined;
  try {
    text = await readRegularFile(file);
  } catch (error) {
    if (error instanceof NotRegularFile) throw corrupt(file, `it is ${error.kind}`);
    throw fileSystemError(`Cannot read ${file}`, error);
  }
  if (text === undefined) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw corrupt(file, 'it is not valid JSON');
  }
  const { format, generation } = (document ?? {}) as { format?: unknown; generation?: unknown };
  if (format !== 1 || typeof generation !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(generation)) {
    throw corrupt(file, 'it is not the generation file modreg writes');
  }
  return generation;
}

/**
 * Gives the store a generation when it has none: a temporary file in `tempDir`, complete and
 * flushed, is linked as store.json — a link never replaces a file, so when two writers race
 * one id wins and neither reader nor writer ever sees a half-written file. On file systems
 * without hard links, an exclusive create does the same but for that last guarantee.
 */
export async function ensureGeneration(root: string, tempDir: string): Promise<void> {
  const file = join(root, GENERATION_FILE);
  const content = `${JSON.stringify({
    format: 1,
    generation: randomUUID(),
    createdAt: new Date().toISOString(),
  })}\n`;
  const temp = join(tempDir, `.${GENERATION_FILE}.${process.pid}.${randomUUID().slice(-12)}.tmp`);
  try {
    await writeFlushed(temp, content, 'wx');
    try {
      await link(temp, file);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return;
      if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes(errorCode(error) ?? '')) {
        throw error;
      }
      await writeFlushed(file, content, 'wx').catch((created: unknown) => {
        if (errorCode(created) !== 'EEXIST') throw created;
      });
    }
    await syncDirectory(root);
  } catch (error) {
    throw fileSystemError(`Cannot create ${file}, the store's generation file`, error);
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

async function writeFlushed(file: string, content: string, flags: string): Promise<void> {
  const handle = await open(file, flags, 0o644);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function corrupt(file: string, why: string): ModregError {
  return new ModregError(
    'environment',
    `The store's generation file ${file} is corrupt: ${why}. Delete it: the next change writes a new one (and running servers re-read every tenant).`,
  );
}
