import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { OutputStream } from './context.js';

/**
 * Writes `chunks` to `file` as they come, without holding them all: into a uniquely named
 * temporary file beside it (named as src/atomic-write.ts names its own), flushed to disk,
 * then renamed over `file` — so that `file` is the whole document or is left as it was,
 * also when a chunk fails to come.
 */
export async function writeStreamedFile(
  file: string,
  chunks: AsyncIterable<string>,
): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  const name = `.${basename(file).slice(0, 64)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const temp = join(dir, name);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      for await (const chunk of chunks) await handle.write(chunk, null, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Writes every chunk to `stream` as it comes, waiting whenever its buffer is full. */
export async function writeStreamed(
  stream: OutputStream,
  chunks: AsyncIterable<string>,
): Promise<void> {
  for await (const chunk of chunks) {
    if (stream.write(chunk) === false) await stream.drained?.();
  }
}
