import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/stores/memory.js';
import { tenantPages } from '../../src/stores/pages.js';
import type { ListOptions, Store } from '../../src/stores/types.js';

const tenants = Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, '0')}`);

/** A memory store holding {@link tenants}, its `list` calls recorded, a chosen one failing. */
async function recordedStore(failAt?: number) {
  const store: Store = createMemoryStore({
    tenants: Object.fromEntries(tenants.map((t) => [t, { modules: [], flags: {} }])),
  });
  const asked: (string | undefined)[] = [];
  const list = store.list.bind(store);
  store.list = async (options?: ListOptions) => {
    asked.push(options?.cursor);
    if (asked.length === failAt) throw new Error('listing failed');
    return list(options);
  };
  return { store, asked };
}

describe('tenantPages', () => {
  it('gives every page in order, asking for the next while the caller works on one', async () => {
    const { store, asked } = await recordedStore();
    const pages: string[][] = [];
    for await (const page of tenantPages(store, 10)) {
      // The next page is already asked for when a page arrives.
      expect(asked.length).toBe(Math.min(pages.length + 2, 3));
      pages.push(page);
    }
    expect(pages.flat()).toEqual(tenants);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
  });

  it('drops a page asked for but not taken, its failure with it', async () => {
    const { store, asked } = await recordedStore(2);
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      for await (const page of tenantPages(store, 10)) {
        expect(page).toEqual(tenants.slice(0, 10));
        break;
      }
      await nextTurn();
      await nextTurn();
      expect(asked.length).toBe(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('fails with the listing failure of a page the caller goes on to', async () => {
    const { store } = await recordedStore(2);
    const taken: string[][] = [];
    const run = async () => {
      for await (const page of tenantPages(store, 10)) taken.push(page);
    };
    await expect(run()).rejects.toThrow('listing failed');
    expect(taken).toEqual([tenants.slice(0, 10)]);
  });
});
