import { constants } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { errorCode } from './json-errors.js';
import {
  DEFAULT_KEEP_SEGMENTS,
  DEFAULT_SEGMENT_BYTES,
  GAP_LINE,
  type JournalOptions,
  journalLine,
  listSegments,
  segmentPath,
} from './json-journal.js';

/** Appends commits to a store's change journal (see json-journal.ts). */
export interface JournalWriter {
  /**
   * Appends the line of a commit. When it cannot, it throws, and the next append that works
   * writes a gap line first, so that readers reset instead of missing the commit.
   */
  append(tenant: string, revision: number): Promise<void>;
}

/**
 * A writer of the journal in `options.dir`. Writers of several processes append without a
 * common lock: each line goes to the newest segment in one O_APPEND write, and a writer that
 * then finds a newer segment (another writer started one meanwhile, so a reader may have
 * left this one) writes the line again in the newest. Readers only leave a segment after
 * seeing its successor, so every line is read at least once.
 */
export function createJournalWriter(options: JournalOptions): JournalWriter {
  const { dir } = options;
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  const keep = Math.max(2, options.keepSegments ?? DEFAULT_KEEP_SEGMENTS);
  let newest: number | undefined;
  let gap = false;

  const findNewest = async (): Promise<number> => {
    const last = (await listSegments(dir)).at(-1);
    if (last !== undefined) return last;
    // No journal yet, or it was removed by hand.
    await mkdir(dir, { recursive: true });
    await create(1);
    return 1;
  };

  /** Creates segment `n`; false when another writer did first. */
  const create = async (n: number): Promise<boolean> => {
    try {
      await (await open(segmentPath(dir, n), 'wx', 0o644)).close();
      return true;
    } catch (error) {
      if (errorCode(error) === 'EEXIST') return false;
      throw error;
    }
  };

  /** Starts segment n + 1 after `n`; true when this writer did (so it wrote in n first). */
  const rotate = async (n: number): Promise<boolean> => {
    const started = await create(n + 1);
    newest = n + 1;
    if (started) {
      for (const old of await listSegments(dir)) {
        if (old <= n + 1 - keep) await rm(segmentPath(dir, old), { force: true });
      }
    }
    return started;
  };

  const write = async (text: string): Promise<void> => {
    for (let attempt = 0; attempt < 16; attempt++) {
      const n = newest ?? (await findNewest());
      let size: number;
      try {
        const handle = await open(segmentPath(dir, n), constants.O_WRONLY | constants.O_APPEND);
        try {
          const { bytesWritten } = await handle.write(text);
          if (bytesWritten !== Buffer.byteLength(text)) throw new Error('a short write');
          size = (await handle.stat()).size;
        } finally {
          await handle.close();
        }
      } catch (error) {
        // Removed by a rotation or by hand: find the newest again.
        if (errorCode(error) !== 'ENOENT') throw error;
        newest = undefined;
        continue;
      }
      newest = n;
      // Done when this writer started the next segment itself (its line came first), or
      // when there is none. A next segment exists only once this one passed the bound, so a
      // line put in a segment already left shows as a rotation someone else made; the look
      // for a next segment below the bound guards against writers with another bound.
      if (size >= segmentBytes ? await rotate(n) : !(await exists(segmentPath(dir, n + 1)))) {
        return;
      }
      newest = undefined;
    }
    throw new Error(`the journal ${dir} kept changing while this line was appended`);
  };

  return {
    async append(tenant, revision) {
      const text = `${gap ? `${GAP_LINE}\n` : ''}${journalLine(tenant, revision)}`;
      try {
        await write(text);
        gap = false;
      } catch (error) {
        gap = true;
        throw error;
      }
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
