import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createTenantCache } from '../../src/runtime/internal/tenant-cache.js';
import { collector } from '../helpers/gc.js';

interface Entry {
  used: boolean;
  payload: number[];
}

/** Fills a cache with `count` entries and answers weak references to them. */
function fill(cache: ReturnType<typeof createTenantCache<Entry>>, count: number, from = 0) {
  const refs: WeakRef<Entry>[] = [];
  for (let i = from; i < from + count; i++) {
    const entry = { used: false, payload: [i] };
    cache.set(`t${i}`, entry);
    refs.push(new WeakRef(entry));
  }
  return refs;
}

/** How many of `refs` still point at a live entry after a full collection. */
async function alive(refs: readonly WeakRef<Entry>[]): Promise<number> {
  await nextTurn(); // a WeakRef holds its target until the job that made it has ended
  collector()();
  return refs.filter((ref) => ref.deref() !== undefined).length;
}

describe('tenant cache', () => {
  it.each([
    ['unbounded', undefined],
    ['bounded, never full', 100_000],
  ])('keeps nothing of what it dropped (%s)', async (_, maxTenants) => {
    const cache = createTenantCache<Entry>(maxTenants);
    const cleared = fill(cache, 20_000);
    cache.clear();
    const deleted = fill(cache, 20_000, 20_000);
    for (let i = 20_000; i < 40_000; i++) cache.delete(`t${i}`);
    const kept = fill(cache, 20_000, 40_000);
    expect(await alive(cleared)).toBe(0);
    expect(await alive(deleted)).toBe(0);
    expect(await alive(kept)).toBe(20_000);
    expect(cache.size).toBe(20_000);
  });

  it('keeps nothing of what it evicted', async () => {
    const cache = createTenantCache<Entry>(1000);
    const evicted = fill(cache, 20_000);
    const kept = fill(cache, 1000, 20_000);
    expect(cache.size).toBe(1000);
    expect(cache.evictions).toBe(20_000);
    expect(await alive(evicted)).toBe(0);
    expect(await alive(kept)).toBe(1000);
  });
});
