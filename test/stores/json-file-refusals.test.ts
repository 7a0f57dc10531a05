import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createJsonFileStore } from '../../src/stores/json-file.js';
import type { Store } from '../../src/stores/types.js';
import { tempDir } from '../helpers/temp-dir.js';
import { counter, recordFeed, waitFor } from './conformance.js';

/** `promise`, or a failure once `ms` passed: a hang shows as a failed test, not a stuck run. */
function settlesWithin<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function storeWith(
  make: (file: string, tenants: string) => Promise<void>,
): Promise<{ store: Store; path: string; file: string }> {
  const path = join(await tempDir(), 'state');
  const seed = await createJsonFileStore({ path });
  await seed.update('other', counter());
  await seed.close();
  const tenants = join(path, 'tenants');
  const file = join(tenants, 'acme.json');
  await make(file, tenants);
  const store = await createJsonFileStore({ path });
  onTestFinished(() => store.close());
  return { store, path, file };
}

const notRegular: [string, RegExp, (file: string) => Promise<void>][] = [
  ['a FIFO', /a FIFO/, async (file) => void execFileSync('mkfifo', [file])],
  [
    'a socket',
    /a socket/,
    async (file) => {
      const server: Server = createServer();
      await new Promise<void>((resolve) => server.listen(file, resolve));
      onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    },
  ],
  ['a directory', /a directory/, (file) => mkdir(file)],
  ['a link to a device', /symbolic link/, (file) => symlink('/dev/zero', file)],
];

describe('json store: refusals', () => {
  it.each(notRegular)(
    'refuses %s as a tenant file, naming it, without hanging',
    async (_, kind, make) => {
      const { store, file } = await storeWith((f) => make(f));
      const refused = { code: 'environment', message: expect.stringMatching(kind) };
      await expect(settlesWithin(store.read('acme'))).rejects.toMatchObject(refused);
      await expect(settlesWithin(store.read('acme'))).rejects.toThrow(file);
      await expect(settlesWithin(store.update('acme', counter()))).rejects.toMatchObject(refused);
      await expect(settlesWithin(store.history('acme'))).rejects.toMatchObject(refused);
      await expect(settlesWithin(store.readMany(['other', 'acme']))).rejects.toMatchObject(refused);
      // The others are not hidden by it.
      expect((await settlesWithin(store.list())).tenants).toEqual(['acme', 'other']);
      expect((await settlesWithin(store.readMany(['other'])))[0]?.revision).toBe(1);
    },
  );

  it('keeps announcing changes after FIFOs appear among the tenant files', async () => {
    const { store, path } = await storeWith(async () => undefined);
    const feed = recordFeed();
    await store.subscribe(feed.listener);
    // As many as the thread pool has threads: a blocking open on each would stall all I/O.
    for (const tenant of ['acme', 'b1', 'b2', 'b3']) {
      execFileSync('mkfifo', [join(path, 'tenants', `${tenant}.json`)]);
    }
    const writer = await createJsonFileStore({ path });
    onTestFinished(() => writer.close());
    await writer.update('other', counter());
    await waitFor(() => feed.covers('other', 2));
  });

  it("refuses a tenant file that holds another tenant's state, and leaves it as it is", async () => {
    const { store, file } = await storeWith(async (f, tenants) =>
      copyFile(join(tenants, 'other.json'), f),
    );
    const copied = await readFile(file, 'utf8');
    const refused = {
      code: 'environment',
      message: expect.stringContaining('holds tenant "other", not "acme"'),
    };
    await expect(store.read('acme')).rejects.toMatchObject(refused);
    await expect(store.update('acme', counter())).rejects.toMatchObject(refused);
    expect(await readFile(file, 'utf8')).toBe(copied);
    expect((await store.read('other')).revision).toBe(1);
  });

  it("refuses a link to another tenant's file", async () => {
    const { store } = await storeWith(async (f) => symlink('other.json', f));
    await expect(store.read('acme')).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('symbolic link'),
    });
    await expect(store.update('acme', counter())).rejects.toMatchObject({ code: 'environment' });
    expect((await store.read('other')).revision).toBe(1);
  });

  it('never reaches a file outside the store through a tenant id', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'outside.json'), 'secret');
    const store = await createJsonFileStore({ path: join(dir, 'store', 'state') });
    onTestFinished(() => store.close());
    for (const id of ['../../outside', '../outside', '/etc/passwd', 'a/../../outside']) {
      await expect(store.read(id)).rejects.toMatchObject({ code: 'invalid' });
      await expect(store.update(id, counter())).rejects.toMatchObject({ code: 'invalid' });
    }
    expect(await readFile(join(dir, 'outside.json'), 'utf8')).toBe('secret');
  });

  it('lets a corrupt tenant file hide no other tenant', async () => {
    const { store, file } = await storeWith((f) => writeFile(f, '{"format": 1, '));
    expect((await store.list()).tenants).toEqual(['acme', 'other']);
    expect((await store.readMany(['other', 'nobody'])).map((s) => s.revision)).toEqual([1, 0]);
    await expect(store.readMany(['other', 'acme'])).rejects.toThrow(`${file} is corrupt`);
    await store.update('other', counter());
    expect((await store.read('other')).revision).toBe(2);
  });
});
