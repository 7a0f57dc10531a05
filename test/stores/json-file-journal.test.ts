import { appendFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createJsonFileStore } from '../../src/stores/json-file.js';
import { segmentPath } from '../../src/stores/json-journal.js';
import { createJournalReader, type JournalReader } from '../../src/stores/json-journal-reader.js';
import { createJournalWriter } from '../../src/stores/json-journal-writer.js';
import type { StoreEvent } from '../../src/stores/types.js';
import { tempDir } from '../helpers/temp-dir.js';
import { counter } from './conformance.js';

async function journalDir(): Promise<string> {
  return join(await tempDir(), 'journal');
}

function readerOn(dir: string): JournalReader {
  const reader = createJournalReader({ dir });
  onTestFinished(() => reader.close());
  return reader;
}

const lines = (events: StoreEvent[]) => events.map((e) => `${e.tenant} ${e.revision}`);

describe('json store: change journal', () => {
  it('gets one line per commit from the store, in revision order per tenant', async () => {
    const path = join(await tempDir(), 'state');
    const reader = readerOn(join(path, 'journal'));
    await reader.toEnd();
    const store = await createJsonFileStore({ path });
    try {
      await Promise.all([
        store.update('acme', counter()),
        store.update('beta', counter()),
        store.update('acme', counter()),
      ]);
      await store.update('acme', { apply: () => null, actor: 't', operation: 'nothing' });
      const read = lines((await reader.read()).events);
      expect(read.filter((line) => line.startsWith('acme'))).toEqual(['acme 1', 'acme 2']);
      expect(read.filter((line) => line.startsWith('beta'))).toEqual(['beta 1']);
    } finally {
      await store.close();
    }
  });

  it('reads what was appended after it took its position, in order', async () => {
    const dir = await journalDir();
    const writer = createJournalWriter({ dir });
    await writer.append('old', 1);
    const reader = readerOn(dir);
    await reader.toEnd();
    await writer.append('acme', 1);
    await writer.append('beta', 7);
    expect(await reader.read()).toEqual({
      events: [
        { tenant: 'acme', revision: 1 },
        { tenant: 'beta', revision: 7 },
      ],
    });
    expect(await reader.read()).toEqual({ events: [] });
  });

  it('starts at the first segment when there was no journal yet', async () => {
    const dir = await journalDir();
    const reader = readerOn(dir);
    await reader.toEnd();
    expect(await reader.read()).toEqual({ events: [] });
    const writer = createJournalWriter({ dir, segmentBytes: 20 });
    for (let i = 1; i <= 5; i++) await writer.append('acme', i);
    expect(lines((await reader.read()).events)).toEqual([
      'acme 1',
      'acme 2',
      'acme 3',
      'acme 4',
      'acme 5',
    ]);
  });

  it('rotates past its bound, keeps the newest segments, and a reader keeping up loses nothing', async () => {
    const dir = await journalDir();
    const writer = createJournalWriter({ dir, segmentBytes: 64, keepSegments: 3 });
    const reader = readerOn(dir);
    await reader.toEnd();
    const read: string[] = [];
    for (let i = 1; i <= 200; i++) {
      await writer.append('tenant', i);
      if (i % 10 === 0) {
        const { events, lost } = await reader.read();
        expect(lost).toBeUndefined();
        read.push(...lines(events));
      }
    }
    expect(read).toEqual(Array.from({ length: 200 }, (_, i) => `tenant ${i + 1}`));
    expect((await readdir(dir)).length).toBeLessThanOrEqual(3);
  });

  it('reads to its end a segment removed by a rotation while the reader is in the middle of it', async () => {
    const dir = await journalDir();
    const writer = createJournalWriter({ dir, segmentBytes: 50, keepSegments: 3 });
    await writer.append('start', 1);
    const reader = readerOn(dir);
    await reader.toEnd();
    await writer.append('a', 1);
    expect(lines((await reader.read()).events)).toEqual(['a 1']);
    // Two more segments: the reader's is removed, the next two remain.
    for (let i = 2; i <= 12; i++) await writer.append('a', i);
    const { events, lost } = await reader.read();
    expect(lost).toBeUndefined();
    expect(lines(events)).toEqual(Array.from({ length: 11 }, (_, i) => `a ${i + 2}`));
  });

  it('tells a reader that fell behind the segments kept, and follows on from the end', async () => {
    const dir = await journalDir();
    const writer = createJournalWriter({ dir, segmentBytes: 20, keepSegments: 2 });
    await writer.append('start', 1);
    const reader = readerOn(dir);
    await reader.toEnd();
    for (let i = 1; i <= 20; i++) await writer.append('a', i);
    const behind = await reader.read();
    expect(behind.lost).toMatch(/moved past this reader/);
    await writer.append('b', 1);
    expect(await reader.read()).toEqual({ events: [{ tenant: 'b', revision: 1 }] });
  });

  it('loses no line of many writers appending at once across rotations', async () => {
    const dir = await journalDir();
    const writers = Array.from({ length: 8 }, () =>
      createJournalWriter({ dir, segmentBytes: 100, keepSegments: 1_000 }),
    );
    const reader = readerOn(dir);
    await reader.toEnd();
    const seen = new Set<string>();
    let writing = true;
    const following = (async () => {
      while (writing) {
        const { events, lost } = await reader.read();
        expect(lost).toBeUndefined();
        for (const line of lines(events)) seen.add(line);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let i = 1; i <= 100; i++) await writer.append(`w${w}`, i);
      }),
    );
    writing = false;
    await following;
    for (const line of lines((await reader.read()).events)) seen.add(line);
    const expected = writers.flatMap((_, w) =>
      Array.from({ length: 100 }, (_, i) => `w${w} ${i + 1}`),
    );
    expect(expected.filter((line) => !seen.has(line))).toEqual([]);
  });

  it('has a writer that appended to a segment another one closed write its line again', async () => {
    const dir = await journalDir();
    const slow = createJournalWriter({ dir, segmentBytes: 30 });
    const fast = createJournalWriter({ dir, segmentBytes: 30 });
    await slow.append('slow', 1);
    const reader = readerOn(dir);
    await reader.toEnd();
    for (let i = 1; i <= 6; i++) await fast.append('fast', i);
    expect(lines((await reader.read()).events)).toHaveLength(6);
    expect((await readdir(dir)).length).toBeGreaterThan(1);
    // `slow` still takes segment 1 for the newest: the reader has left it.
    await slow.append('slow', 2);
    expect(lines((await reader.read()).events)).toEqual(['slow 2']);
  });

  it('leaves a line being written for the next read', async () => {
    const dir = await journalDir();
    const writer = createJournalWriter({ dir });
    await writer.append('start', 1);
    const reader = readerOn(dir);
    await reader.toEnd();
    await appendFile(segmentPath(dir, 1), 'acme 2\nbeta');
    expect(lines((await reader.read()).events)).toEqual(['acme 2']);
    await appendFile(segmentPath(dir, 1), ' 3\n');
    expect(lines((await reader.read()).events)).toEqual(['beta 3']);
  });

  it.each([
    ['a damaged line', 'acme 2\nnot a line at all\n', /damaged line/],
    ['a gap line', '*\nacme 3\n', /without its journal line/],
  ])('resets on %s', async (_, text, reason) => {
    const dir = await journalDir();
    await createJournalWriter({ dir }).append('start', 1);
    const reader = readerOn(dir);
    await reader.toEnd();
    await appendFile(segmentPath(dir, 1), text);
    expect((await reader.read()).lost).toMatch(reason);
  });

  it('resets when the journal is removed, and follows the one made again', async () => {
    const dir = await journalDir();
    const writer = createJournalWriter({ dir });
    await writer.append('start', 1);
    const reader = readerOn(dir);
    await reader.toEnd();
    await rm(dir, { recursive: true });
    await mkdir(dir);
    await writer.append('acme', 1);
    expect((await reader.read()).lost).toMatch(/removed or replaced/);
    await writer.append('acme', 2);
    expect(lines((await reader.read()).events)).toEqual(['acme 2']);
  });
});
