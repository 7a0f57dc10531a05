import { execFile } from 'node:child_process';
import { mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createJsonFileStore, type JsonFileStore } from '../../src/stores/json-file.js';
import type { ChangeListener } from '../../src/stores/types.js';
import { tempDir } from '../helpers/temp-dir.js';
import { counter, type RecordedFeed, recordFeed, waitFor } from './conformance.js';

const writerScript = fileURLToPath(new URL('./concurrent-writer.mjs', import.meta.url));

/** Opens stores on one directory and closes them when the test ends. */
async function storesOn(path: string, count: number, options: { watch?: boolean } = {}) {
  const stores: JsonFileStore[] = [];
  for (let i = 0; i < count; i++) stores.push(await createJsonFileStore({ path, ...options }));
  return stores;
}

async function closeAll(stores: readonly JsonFileStore[]): Promise<void> {
  await Promise.all(stores.map((store) => store.close()));
}

/** Each tenant's last revision, as read from the store. */
async function lastRevisions(store: JsonFileStore, tenants: readonly string[]) {
  return new Map((await store.readMany(tenants)).map((state) => [state.tenant, state.revision]));
}

function coversAll(feed: RecordedFeed, revisions: Map<string, number>): boolean {
  return [...revisions].every(([tenant, revision]) => feed.covers(tenant, revision));
}

describe('json store: change feed', () => {
  it.each([
    ['with the watch', true],
    ['with the poll alone', false],
  ])(
    'announces every change of 8 instances bursting on 3 tenants to every subscriber (%s)',
    async (_, watch) => {
      const path = join(await tempDir(), 'state');
      const stores = await storesOn(path, 8, { watch });
      try {
        const feeds = stores.map(() => recordFeed());
        await Promise.all(
          stores.map((store, i) => store.subscribe((feeds[i] as RecordedFeed).listener)),
        );
        const tenants = ['a', 'b', 'c'];
        for (let burst = 0; burst < 3; burst++) {
          await Promise.all(
            stores.flatMap((store, i) =>
              Array.from({ length: 10 }, (_, j) =>
                store.update(tenants[(i + j) % 3] as string, counter()),
              ),
            ),
          );
        }
        const revisions = await lastRevisions(stores[0] as JsonFileStore, tenants);
        expect([...revisions.values()].reduce((a, b) => a + b)).toBe(240);
        await waitFor(() => feeds.every((feed) => coversAll(feed, revisions)), 5_000);
      } finally {
        await closeAll(stores);
      }
    },
  );

  it('announces every change of 8 writer processes to subscribers, watching or not', {
    timeout: 120_000,
  }, async () => {
    const path = join(await tempDir(), 'state');
    const [watching, polling] = [
      await createJsonFileStore({ path }),
      await createJsonFileStore({ path, watch: false }),
    ];
    const feeds = [recordFeed(), recordFeed()];
    await watching.subscribe((feeds[0] as RecordedFeed).listener);
    await polling.subscribe((feeds[1] as RecordedFeed).listener);
    try {
      await Promise.all(
        Array.from(
          { length: 8 },
          (_, writer) =>
            new Promise<void>((resolve, reject) =>
              execFile(
                process.execPath,
                [writerScript, path, String(writer), '25', '3'],
                (error, _o, stderr) =>
                  error ? reject(new Error(stderr || error.message)) : resolve(),
              ),
            ),
        ),
      );
      const revisions = await lastRevisions(watching, ['t0', 't1', 't2']);
      expect([...revisions.values()].reduce((a, b) => a + b)).toBe(200);
      await waitFor(() => feeds.every((feed) => coversAll(feed, revisions)), 5_000);
    } finally {
      await closeAll([watching, polling]);
    }
  });

  it('announces a change within about a second with the watch off', async () => {
    const path = join(await tempDir(), 'state');
    const [writer, reader] = [
      await createJsonFileStore({ path }),
      await createJsonFileStore({ path, watch: false }),
    ];
    try {
      await writer.update('acme', counter());
      const feed = recordFeed();
      await reader.subscribe(feed.listener);
      await writer.update('acme', counter());
      await waitFor(() => feed.covers('acme', 2), 1_500);
      expect(feed.resets).toEqual([]);
    } finally {
      await closeAll([writer, reader]);
    }
  });

  it('resets when the store directory is removed and made again, and follows the new one', async () => {
    const path = join(await tempDir(), 'state');
    const [writer, reader] = [
      await createJsonFileStore({ path }),
      await createJsonFileStore({ path }),
    ];
    try {
      await writer.update('acme', counter());
      const feed = recordFeed();
      await reader.subscribe(feed.listener);
      await rm(path, { recursive: true });
      // The same writer instance writes again: nothing of the old directory is remembered.
      await writer.update('acme', counter());
      await waitFor(() =>
        feed.resets.some((reason) => /store .* was (removed|replaced)/.test(reason)),
      );
      const seen = feed.events.length;
      await writer.update('beta', counter());
      await waitFor(() => feed.events.slice(seen).some((e) => e.tenant === 'beta'));
    } finally {
      await closeAll([writer, reader]);
    }
  });

  it('resets when the generation file is replaced', async () => {
    const path = join(await tempDir(), 'state');
    const store = await createJsonFileStore({ path, watch: false });
    try {
      await store.update('acme', counter());
      const feed = recordFeed();
      await store.subscribe(feed.listener);
      await writeFile(join(path, 'store.json.new'), '{"format":1,"generation":"0000-1111-2222"}');
      await rename(join(path, 'store.json.new'), join(path, 'store.json'));
      await waitFor(() => feed.resets.length > 0);
      expect(feed.resets[0]).toMatch(/new generation/);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['with the watch', true],
    ['with the scan alone', false],
  ])('announces a tenant file deleted by hand as a reset of that tenant (%s)', async (_, watch) => {
    const path = join(await tempDir(), 'state');
    const store = await createJsonFileStore({ path, watch });
    try {
      await store.update('acme', counter());
      await store.update('beta', counter());
      const resets: { reason: string; affects?: (tenant: string) => boolean }[] = [];
      await store.subscribe({
        onChange: () => undefined,
        onReset: (reason, affects) => void resets.push({ reason, ...(affects ? { affects } : {}) }),
      });
      await unlink(join(path, 'tenants', 'acme.json'));
      await waitFor(() => resets.length > 0, 5_000);
      expect(resets[0]?.reason).toMatch(/acme/);
      expect(resets[0]?.affects?.('acme')).toBe(true);
      expect(resets[0]?.affects?.('beta')).toBe(false);
      expect((await store.read('acme')).revision).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('pauses while the feed cannot read the store, then announces what it missed and resumes', async () => {
    const path = join(await tempDir(), 'state');
    const [writer, reader] = [
      await createJsonFileStore({ path }),
      await createJsonFileStore({ path, watch: false }),
    ];
    try {
      await writer.update('acme', counter());
      const calls: string[] = [];
      const listener: ChangeListener = {
        onChange: (e) => void calls.push(`change ${e.tenant} ${e.revision}`),
        onReset: () => void calls.push('reset'),
        onPause: (reason) => void calls.push(`pause ${reason}`),
        onResume: () => void calls.push('resume'),
      };
      await reader.subscribe(listener);
      const generation = join(path, 'store.json');
      await rename(generation, `${generation}.away`);
      await mkdir(generation);
      await waitFor(() => calls.some((c) => c.startsWith('pause')));
      expect(calls.find((c) => c.startsWith('pause'))).toContain('store.json');
      await writer.update('acme', counter());
      await rm(generation, { recursive: true });
      await rename(`${generation}.away`, generation);
      await waitFor(() => calls.includes('resume'));
      expect(calls.indexOf('change acme 2')).toBeGreaterThan(-1);
      expect(calls.indexOf('change acme 2')).toBeLessThan(calls.indexOf('resume'));
      expect(calls).not.toContain('reset');
    } finally {
      await closeAll([writer, reader]);
    }
  });

  it('follows a store that does not exist yet without creating it', async () => {
    const path = join(await tempDir(), 'state');
    const reader = await createJsonFileStore({ path, watch: false });
    const feed = recordFeed();
    await reader.subscribe(feed.listener);
    expect((await reader.inspect()).exists).toBe(false);
    const writer = await createJsonFileStore({ path });
    try {
      await writer.update('acme', counter());
      await writer.update('acme', counter());
      await waitFor(() => feed.covers('acme', 2));
      expect(feed.resets).toEqual([]);
    } finally {
      await closeAll([writer, reader]);
    }
  });
});
