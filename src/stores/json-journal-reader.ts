import { open, stat } from 'node:fs/promises';
import { errorCode } from './json-errors.js';
import {
  type JournalOptions,
  listSegments,
  parseJournalLine,
  segmentPath,
} from './json-journal.js';
import type { StoreEvent } from './types.js';

/** What one read of the journal found. */
export interface JournalRead {
  /** The commits appended since the last read, in journal order. */
  events: StoreEvent[];
  /**
   * Set when commits may be missing from `events` (the reader fell behind the segments kept,
   * the journal was removed or replaced, a line is damaged or marks a gap): the reader is at
   * the end again, and its caller must treat every tenant as changed.
   */
  lost?: string;
}

/** Follows a store's change journal (see json-journal.ts) from where it last read. */
export interface JournalReader {
  /** Positions at the current end: what is appended from now on is read. */
  toEnd(): Promise<void>;
  /** Reads what was appended since; file-system errors are thrown (nothing is skipped). */
  read(): Promise<JournalRead>;
  close(): Promise<void>;
}

type Handle = Awaited<ReturnType<typeof open>>;

/**
 * A reader of the journal in `options.dir`. It keeps the segment it reads open, so a segment
 * removed by a rotation while the reader is in the middle of it is still read to its end,
 * and it leaves a segment only once it has seen the next one (writers rely on that, see
 * json-journal-writer.ts). A line still being written is left for the next read.
 */
export function createJournalReader(options: Pick<JournalOptions, 'dir'>): JournalReader {
  const { dir } = options;
  /** The segment being read; 0 before the first one exists. */
  let segment = 0;
  let handle: Handle | undefined;
  let inode = 0;
  let offset = 0;
  /** After positioning inside a line being written: skip to the next line. */
  let skipPartial = false;

  const release = async () => {
    const open = handle;
    handle = undefined;
    await open?.close().catch(() => undefined);
  };

  /** Opens segment `n` at `at` (or its end); false when it does not exist. */
  const enter = async (n: number, at?: number): Promise<boolean> => {
    await release();
    let opened: Handle;
    try {
      opened = await open(segmentPath(dir, n), 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw error;
    }
    const info = await opened.stat();
    handle = opened;
    segment = n;
    inode = info.ino;
    offset = at ?? info.size;
    skipPartial = false;
    if (at === undefined && offset > 0) {
      const last = Buffer.alloc(1);
      await opened.read(last, 0, 1, offset - 1);
      skipPartial = last[0] !== 0x0a;
    }
    return true;
  };

  const toEnd = async (): Promise<void> => {
    for (;;) {
      const last = (await listSegments(dir)).at(-1);
      if (last === undefined) {
        await release();
        segment = 0;
        return;
      }
      if (await enter(last)) return;
    }
  };

  const lost = async (reason: string): Promise<JournalRead> => {
    await toEnd();
    return { events: [], lost: reason };
  };

  /** Reads the complete lines after `offset` in the open segment. */
  const readLines = async (into: StoreEvent[]): Promise<string | undefined> => {
    const chunks: Buffer[] = [];
    for (let at = offset; ; ) {
      const chunk = Buffer.alloc(65_536);
      const { bytesRead } = await (handle as Handle).read(chunk, 0, chunk.length, at);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      at += bytesRead;
    }
    const bytes = Buffer.concat(chunks);
    const end = bytes.lastIndexOf(0x0a) + 1;
    offset += end;
    let lines = bytes.subarray(0, end).toString('latin1').split('\n').slice(0, -1);
    if (skipPartial && lines.length > 0) {
      lines = lines.slice(1);
      skipPartial = false;
    }
    for (const line of lines) {
      const parsed = parseJournalLine(line);
      if (parsed === 'gap') return 'a change was committed without its journal line';
      if (parsed === undefined) return 'the change journal has a damaged line';
      into.push(parsed);
    }
    return undefined;
  };

  return {
    toEnd,
    async read() {
      // Listed before reading: a segment is left only for a successor seen before its end.
      const segments = await listSegments(dir);
      const events: StoreEvent[] = [];
      if (handle === undefined) {
        if (segments.length === 0) return { events };
        if (segments[0] !== segment + 1 || !(await enter(segment + 1, 0))) {
          return lost('the change journal moved past this reader');
        }
      }
      for (;;) {
        const current = await stat(segmentPath(dir, segment)).catch(() => undefined);
        const newer = segments.some((n) => n > segment);
        if (current === undefined ? !newer : current.ino !== inode) {
          return lost('the change journal was removed or replaced');
        }
        const damaged = await readLines(events);
        if (damaged !== undefined) return lost(damaged);
        if (!newer) return { events };
        if (!segments.includes(segment + 1) || !(await enter(segment + 1, 0))) {
          return lost('the change journal moved past this reader');
        }
      }
    },
    close: release,
  };
}
