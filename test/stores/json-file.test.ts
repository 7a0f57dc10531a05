import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonFileStore } from '../../src/stores/json-file.js';
import type { Store } from '../../src/stores/types.js';
import { tempDir } from '../helpers/temp-dir.js';
import { describeStoreConformance } from './conformance.js';
import { itLosesNothingAcrossProcesses } from './processes.js';

describeStoreConformance({
  name: 'json',
  open: async (options) =>
    createJsonFileStore({ path: join(await tempDir(), 'state'), ...options }),
  sibling: (store: Store) => createJsonFileStore({ path: store.location }),
});

const change = (modules: string[]) => ({
  apply: () => ({ modules, flags: {} }),
  actor: 't',
  operation: 'test',
});

describe('json store: files', () => {
  it('keeps one file per tenant and no temporary file behind', async () => {
    const path = join(await tempDir(), 'state');
    const store = await createJsonFileStore({ path });
    await store.update('acme', change(['billing']));
    await store.update('Acme', change(['crm']));
    expect((await readdir(join(path, 'tenants'))).sort()).toEqual(['^acme.json', 'acme.json']);
    expect((await store.list()).tenants).toEqual(['Acme', 'acme']);
    expect((await store.read('Acme')).modules).toEqual(['crm']);
    const document = JSON.parse(await readFile(join(path, 'tenants', 'acme.json'), 'utf8'));
    expect(document).toMatchObject({
      format: 1,
      tenant: 'acme',
      revision: 1,
      modules: ['billing'],
    });
    await store.close();
  });

  it('caps the history at historyLimit', async () => {
    const store = await createJsonFileStore({
      path: join(await tempDir(), 'state'),
      historyLimit: 3,
    });
    for (let i = 0; i < 5; i++) await store.update('acme', change([`m${i}`]));
    expect((await store.history('acme')).map((h) => h.revision)).toEqual([5, 4, 3]);
    await store.close();
  });

  it.each([
    ['not JSON', '{"format": 1, '],
    ['not a state file', '{"hello": "world"}'],
    [
      'a bad module name',
      JSON.stringify({
        format: 1,
        tenant: 'acme',
        revision: 1,
        updatedAt: null,
        modules: ['Bad'],
        flags: {},
        history: [],
      }),
    ],
  ])('reports a corrupt file (%s) and never overwrites it', async (_, content) => {
    const path = join(await tempDir(), 'state');
    await mkdir(join(path, 'tenants'), { recursive: true });
    const file = join(path, 'tenants', 'acme.json');
    await writeFile(file, content);
    const store = await createJsonFileStore({ path });
    await expect(store.read('acme')).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('is corrupt'),
    });
    await expect(store.update('acme', change(['x']))).rejects.toMatchObject({
      code: 'environment',
    });
    expect(await readFile(file, 'utf8')).toBe(content);
    await store.close();
  });

  it('refuses a path that is a file', async () => {
    const file = join(await tempDir(), 'state.json');
    await writeFile(file, '{}');
    await expect(createJsonFileStore({ path: file })).rejects.toMatchObject({ code: 'usage' });
  });

  it('times out on a lock held elsewhere, naming it', async () => {
    const path = join(await tempDir(), 'state');
    const store: Store = await createJsonFileStore({ path, lockTimeoutMs: 200 });
    await mkdir(join(path, 'locks', 'acme.lock'), { recursive: true });
    const started = Date.now();
    await expect(store.update('acme', change(['x']))).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('waiting for the lock of tenant "acme"'),
    });
    expect(Date.now() - started).toBeLessThan(2000);
    await store.close();
  });
});

describe('json store: separate processes', () => {
  itLosesNothingAcrossProcesses(async () => join(await tempDir(), 'state'));
});
