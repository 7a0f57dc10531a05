import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { createJsonFileStore } from '../../src/stores/json-file.js';
import { tenantOf } from '../../src/stores/json-names.js';
import { tempDir } from '../helpers/temp-dir.js';
import { counter } from './conformance.js';

// The listing keeps the sorted names between pages: these check it never serves them stale.

async function storeWith(tenants: readonly string[]) {
  const path = join(await tempDir(), 'state');
  const store = await createJsonFileStore({ path });
  onTestFinished(() => store.close());
  for (const tenant of tenants) await store.update(tenant, counter());
  return { store, path };
}

it('lists a tenant committed between two pages', async () => {
  const { store } = await storeWith(['a', 'b', 'c', 'd']);
  const first = await store.list({ limit: 2 });
  expect(first.tenants).toEqual(['a', 'b']);
  await store.update('bb', counter());
  const second = await store.list({ limit: 2, cursor: first.next as string });
  expect(second.tenants).toEqual(['bb', 'c']);
});

it('leaves out a tenant whose file was deleted by hand between two pages', async () => {
  const { store, path } = await storeWith(['a', 'b', 'c', 'd']);
  const first = await store.list({ limit: 2 });
  const files = await readdir(join(path, 'tenants'));
  const fileOfC = files.find((name) => tenantOf(name) === 'c') as string;
  await rm(join(path, 'tenants', fileOfC));
  const second = await store.list({ limit: 2, cursor: first.next as string });
  expect(second.tenants).toEqual(['d']);
  expect(second.next).toBeUndefined();
});

it('reads every page of an unchanged directory the same as one listing', async () => {
  const tenants = Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, '0')}`);
  const { store } = await storeWith(tenants);
  const listed: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 4, ...(cursor === undefined ? {} : { cursor }) });
    listed.push(...page.tenants);
    cursor = page.next;
  } while (cursor !== undefined);
  expect(listed).toEqual(tenants);
});
