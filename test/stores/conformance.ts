import { describe, expect, it } from 'vitest';
import type { Store, StoreEvent, TenantSettings, UpdateRequest } from '../../src/stores/types.js';

/** Opens a fresh, empty store; called once per test, which closes it. */
export type OpenStore = () => Promise<Store>;

/** Opens a second store on the same data as `store` (another process would). */
export type OpenSibling = (store: Store) => Promise<Store>;

/**
 * The behaviour every store must have. Each store's test file calls this with a factory for
 * fresh, empty stores; a store-specific file adds only what is specific to it.
 */
export function describeStoreConformance(
  name: string,
  open: OpenStore,
  sibling: OpenSibling,
): void {
  describe(`${name} store: conformance`, () => {
    const withStore = async (test: (store: Store) => Promise<void>) => {
      const store = await open();
      try {
        await test(store);
      } finally {
        await store.close();
      }
    };

    it('reads a tenant never written as empty, at revision 0', () =>
      withStore(async (store) => {
        expect(await store.read('acme')).toEqual({
          tenant: 'acme',
          modules: [],
          flags: {},
          revision: 0,
          updatedAt: null,
        });
        expect(await store.list()).toEqual([]);
        expect(await store.history('acme')).toEqual([]);
      }));

    it('commits a change as revision 1 with a history entry', () =>
      withStore(async (store) => {
        const result = await store.update(
          'acme',
          set({ modules: ['billing'], flags: { beta: true } }),
        );
        expect(result.changed).toBe(true);
        expect(result.state).toMatchObject({
          tenant: 'acme',
          modules: ['billing'],
          flags: { beta: true },
          revision: 1,
        });
        expect(Date.parse(result.state.updatedAt ?? '')).not.toBeNaN();
        expect(await store.read('acme')).toEqual(result.state);
        const history = await store.history('acme');
        expect(history).toEqual([
          {
            revision: 1,
            at: result.state.updatedAt,
            actor: 'tester',
            operation: 'test',
            before: { modules: [], flags: {} },
            after: { modules: ['billing'], flags: { beta: true } },
          },
        ]);
        expect(result.entry).toEqual(history[0]);
        expect(await store.list()).toEqual(['acme']);
      }));

    it('writes nothing when the change is null', () =>
      withStore(async (store) => {
        await store.update('acme', set({ modules: ['a'], flags: {} }));
        const result = await store.update('acme', {
          apply: () => null,
          actor: 'tester',
          operation: 'noop',
        });
        expect(result.changed).toBe(false);
        expect(result.state.revision).toBe(1);
        expect(await store.history('acme')).toHaveLength(1);
      }));

    it('gives each change the next revision and keeps history newest first', () =>
      withStore(async (store) => {
        for (let i = 1; i <= 5; i++) await store.update('acme', counter());
        expect((await store.read('acme')).revision).toBe(5);
        expect((await store.read('acme')).flags.count).toBe(5);
        const history = await store.history('acme');
        expect(history.map((h) => h.revision)).toEqual([5, 4, 3, 2, 1]);
        expect(history[0]?.before.flags.count).toBe(4);
        expect((await store.history('acme', { limit: 2 })).map((h) => h.revision)).toEqual([5, 4]);
      }));

    it('refuses a change made against an older revision: a conflict, never an overwrite', () =>
      withStore(async (store) => {
        await store.update('acme', counter());
        await store.update('acme', counter());
        const stale = store.update('acme', {
          ...set({ modules: ['x'], flags: {} }),
          expectedRevision: 1,
        });
        await expect(stale).rejects.toMatchObject({ name: 'ModregError', code: 'conflict' });
        expect(await store.read('acme')).toMatchObject({
          revision: 2,
          modules: [],
          flags: { count: 2 },
        });
        const current = await store.update('acme', { ...counter(), expectedRevision: 2 });
        expect(current.state.revision).toBe(3);
      }));

    it('loses no update when many are made at once', () =>
      withStore(async (store) => {
        const other = await sibling(store);
        try {
          const writers = [store, other];
          await Promise.all(
            Array.from({ length: 24 }, (_, i) =>
              (writers[i % 2] as Store).update('acme', counter()),
            ),
          );
          const state = await store.read('acme');
          expect(state.flags.count).toBe(24);
          expect(state.revision).toBe(24);
          const revisions = (await store.history('acme', { limit: 100 })).map((h) => h.revision);
          expect(revisions).toEqual(Array.from({ length: 24 }, (_, i) => 24 - i));
        } finally {
          await other.close();
        }
      }));

    it('keeps tenants apart, and lists them sorted', () =>
      withStore(async (store) => {
        await store.update('zeta', set({ modules: ['z'], flags: {} }));
        await store.update('alpha', set({ modules: ['a'], flags: {} }));
        await store.update('alpha', counter());
        expect(await store.list()).toEqual(['alpha', 'zeta']);
        expect(await store.read('zeta')).toMatchObject({ modules: ['z'], revision: 1, flags: {} });
        expect(await store.read('alpha')).toMatchObject({ modules: ['a'], revision: 2 });
      }));

    it('takes tenant ids that are names of Object.prototype members, and long ones', () =>
      withStore(async (store) => {
        const ids = [
          'constructor',
          'toString',
          'hasOwnProperty',
          'valueOf',
          'a.b-c_d',
          'x'.repeat(128),
        ];
        for (const id of ids) await store.update(id, set({ modules: ['m'], flags: { id } }));
        expect(await store.list()).toEqual([...ids].sort());
        for (const id of ids) expect((await store.read(id)).flags).toEqual({ id });
        expect(({} as Record<string, unknown>).constructor).toBe(Object);
      }));

    it('keeps any JSON flag value exactly, a "__proto__" key inside one included', () =>
      withStore(async (store) => {
        const value = JSON.parse(
          '{"__proto__": {"polluted": true}, "list": [1, "two", null, {"x": 1.5}], "ünï": "✓"}',
        );
        await store.update(
          'acme',
          set({ modules: [], flags: { json: value, text: 'a "quoted" line\nnext' } }),
        );
        const read = await store.read('acme');
        expect(JSON.stringify(read.flags.json)).toBe(JSON.stringify(value));
        expect(Object.hasOwn(read.flags.json as object, '__proto__')).toBe(true);
        expect(read.flags.text).toBe('a "quoted" line\nnext');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }));

    it('tells subscribers of changes made by another instance', () =>
      withStore(async (store) => {
        const other = await sibling(store);
        try {
          const events: StoreEvent[] = [];
          const unsubscribe = await store.subscribe((event) => events.push(event));
          await other.update('acme', counter());
          await other.update('beta', counter());
          await waitFor(() => events.some((e) => e.tenant === 'beta'));
          expect(events).toContainEqual({ tenant: 'acme', revision: 1 });
          expect(events).toContainEqual({ tenant: 'beta', revision: 1 });
          await unsubscribe();
          const seen = events.length;
          await other.update('acme', counter());
          await new Promise((resolve) => setTimeout(resolve, 150));
          expect(events).toHaveLength(seen);
        } finally {
          await other.close();
        }
      }));
  });
}

/** A change setting the given settings. */
function set(settings: TenantSettings): UpdateRequest {
  return { apply: () => settings, actor: 'tester', operation: 'test' };
}

/** A change adding 1 to the `count` flag: lost updates show as a short count. */
export function counter(): UpdateRequest {
  return {
    apply: (current) => ({
      modules: current.modules,
      flags: { ...current.flags, count: ((current.flags.count as number | undefined) ?? 0) + 1 },
    }),
    actor: 'tester',
    operation: 'count',
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
