import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isTenantId } from '../tenant/tenant-id.js';
import { errorCode } from './json-errors.js';
import type { StoreEvent } from './types.js';

/**
 * The change journal of a JSON store: numbered segment files in `journal/`, to which every
 * commit appends one line `<tenant> <revision>` (O_APPEND, under the tenant's lock, after the
 * rename) — so per tenant the lines are in revision order. A writer that finds the newest
 * segment past `segmentBytes` starts the next one and removes all but the `keepSegments`
 * newest. Readers follow it from the offset they read last (json-journal-reader.ts).
 */
export interface JournalOptions {
  /** The journal directory. */
  dir: string;
  /** A segment past this size is closed and the next one started. @default 1 MiB */
  segmentBytes?: number;
  /** Segments kept: a reader further behind than this hears a reset. @default 4 */
  keepSegments?: number;
}

/** Segment size unless told otherwise: 8,000 to 70,000 commits, by the length of the ids. */
export const DEFAULT_SEGMENT_BYTES = 1 << 20;

/** Segments kept unless told otherwise. */
export const DEFAULT_KEEP_SEGMENTS = 4;

/**
 * The line of a commit made without its journal line (the append failed): a reader that
 * finds it cannot say which tenant changed, and resets.
 */
export const GAP_LINE = '*';

/** The path of segment `n`. */
export function segmentPath(dir: string, n: number): string {
  return join(dir, `${String(n).padStart(12, '0')}.log`);
}

/** The numbers of the segments in `dir`, in order; none when it does not exist. */
export async function listSegments(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  return names
    .flatMap((name) => (/^\d{12}\.log$/.test(name) ? [Number(name.slice(0, 12))] : []))
    .sort((a, b) => a - b);
}

/** The journal line of a commit (with its newline). */
export function journalLine(tenant: string, revision: number): string {
  return `${tenant} ${revision}\n`;
}

/** A line read back: a commit, a gap, or undefined for a damaged line. */
export function parseJournalLine(line: string): StoreEvent | 'gap' | undefined {
  if (line === GAP_LINE) return 'gap';
  const space = line.indexOf(' ');
  const tenant = line.slice(0, space);
  const revision = Number(line.slice(space + 1));
  if (space < 1 || !isTenantId(tenant) || !/^\d{1,15}$/.test(line.slice(space + 1))) {
    return undefined;
  }
  return { tenant, revision };
}
