import { describe, expect, it } from 'vitest';
import type {
  ChangeListener,
  Store,
  StoreEvent,
  TenantPage,
  UpdateRequest,
} from '../../src/stores/types.js';
import type { HistoryEntry, TenantSettings } from '../../src/tenant/types.js';

/** Options a conformance test may open a store with. */
export interface ConformanceStoreOptions {
  historyLimit?: number;
}

/** How the shared suite reaches one kind of store. */
export interface StoreDriver {
  /** Shown in the test names: `json`, `redis`, `redis cluster`, `memory`. */
  name: string;
  /** Opens a fresh, empty store; called once per test, which closes it. */
  open(options?: ConformanceStoreOptions): Promise<Store>;
  /** Opens a second store on the same data as `store`, as another process would. */
  sibling(store: Store): Promise<Store>;
  /** Tests only this store needs, run in the same describe block. */
  additionalTests?: () => void;
}

/** Ids every store must refuse at every entry point, before touching anything. */
export const HOSTILE_TENANT_IDS: readonly string[] = [
  '../x',
  '../../outside',
  '',
  'x'.repeat(10_240),
  'a\u0000b',
  'a\nb',
  'a\u001b[2Jb',
  '__proto__',
  '.hidden',
  'a/b',
  'a\\b',
  '{acme}',
  'a b',
  'é',
];

/** Ids that look dangerous to some file system or object model but are ordinary tenants. */
export const AWKWARD_TENANT_IDS: readonly string[] = [
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'con',
  'nul',
  'CON',
  'aux.json',
  'com1',
  'lpt9.x',
  'a.',
  'a..b',
  'a.b-c_d',
  'Acme',
  'acme',
  'x'.repeat(128),
];

/**
 * The behaviour every store must have, as unstorage's `testDriver`: each store's test file
 * calls this with its driver; a store-specific file adds only what is specific to it.
 */
export function describeStoreConformance(driver: StoreDriver): void {
  const { open, sibling } = driver;
  describe(`${driver.name} store: conformance`, () => {
    const withStore = async (
      test: (store: Store) => Promise<void>,
      options?: ConformanceStoreOptions,
    ) => {
      const store = await open(options);
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
        expect(await store.list()).toEqual({ tenants: [] });
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
        expect(await allTenants(store)).toEqual(['acme']);
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

    it('keeps no more history than historyLimit, the newest entries', () =>
      withStore(
        async (store) => {
          for (let i = 0; i < 5; i++) await store.update('acme', counter());
          expect((await store.history('acme')).map((h) => h.revision)).toEqual([5, 4, 3]);
          expect((await store.read('acme')).flags.count).toBe(5);
        },
        { historyLimit: 3 },
      ));

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

    it('continues from revisionFloor, and never goes below the revision it holds', () =>
      withStore(async (store) => {
        const imported = await store.update('acme', { ...counter(), revisionFloor: 7 });
        expect(imported.state.revision).toBe(8);
        expect(imported.entry?.revision).toBe(8);
        expect((await store.read('acme')).revision).toBe(8);
        const lower = await store.update('acme', { ...counter(), revisionFloor: 3 });
        expect(lower.state.revision).toBe(9);
        expect((await store.history('acme')).map((h) => h.revision)).toEqual([9, 8]);
      }));

    it('keeps carried history under the new entry for a new tenant only', () =>
      withStore(
        async (store) => {
          const carried = [entry(3), entry(2), entry(1)];
          await store.update('fresh', { ...counter(), revisionFloor: 3, carriedHistory: carried });
          expect((await store.history('fresh')).map((h) => h.revision)).toEqual([4, 3, 2, 1]);
          expect((await store.history('fresh'))[1]).toEqual(carried[0]);

          await store.update('own', counter());
          await store.update('own', { ...counter(), revisionFloor: 3, carriedHistory: carried });
          expect((await store.history('own')).map((h) => h.revision)).toEqual([4, 1]);
        },
        { historyLimit: 10 },
      ));

    it('caps carried history at historyLimit too', () =>
      withStore(
        async (store) => {
          const carried = [entry(5), entry(4), entry(3), entry(2), entry(1)];
          await store.update('acme', { ...counter(), revisionFloor: 5, carriedHistory: carried });
          expect((await store.history('acme')).map((h) => h.revision)).toEqual([6, 5, 4]);
        },
        { historyLimit: 3 },
      ));

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

    it('keeps tenants apart', () =>
      withStore(async (store) => {
        await store.update('zeta', set({ modules: ['z'], flags: {} }));
        await store.update('alpha', set({ modules: ['a'], flags: {} }));
        await store.update('alpha', counter());
        expect((await allTenants(store)).sort()).toEqual(['alpha', 'zeta']);
        expect(await store.read('zeta')).toMatchObject({ modules: ['z'], revision: 1, flags: {} });
        expect(await store.read('alpha')).toMatchObject({ modules: ['a'], revision: 2 });
      }));

    it('reads many tenants at once, in the order asked, unknown ones empty', () =>
      withStore(async (store) => {
        await store.update('b', set({ modules: ['x'], flags: {} }));
        await store.update('a', counter());
        const states = await store.readMany(['b', 'nobody', 'a', 'b']);
        expect(states.map((s) => [s.tenant, s.revision])).toEqual([
          ['b', 1],
          ['nobody', 0],
          ['a', 1],
          ['b', 1],
        ]);
        expect(states[0]).toEqual(await store.read('b'));
        expect(await store.readMany([])).toEqual([]);
      }));

    it('reads several tenants with their histories as read and history give them', () =>
      withStore(async (store) => {
        for (let i = 0; i < 3; i++) await store.update('a', counter());
        await store.update('b', set({ modules: ['x'], flags: {} }));
        const asked = ['b', 'nobody', 'a', ...AWKWARD_TENANT_IDS.slice(0, 2)];
        const records = await store.readManyWithHistory(asked);
        expect(records).toEqual(
          await Promise.all(
            asked.map(async (t) => ({ ...(await store.read(t)), history: await store.history(t) })),
          ),
        );
        expect(records[2]?.history.map((e) => e.revision)).toEqual([3, 2, 1]);
        expect(records[1]).toMatchObject({ revision: 0, history: [] });
        expect(await store.readManyWithHistory([])).toEqual([]);
      }));

    it('lists every tenant once through pages, stable while nothing is written', () =>
      withStore(async (store) => {
        const ids = Array.from({ length: 25 }, (_, i) => `t${String(i).padStart(2, '0')}`);
        await Promise.all(ids.map((id) => store.update(id, counter())));
        const pages: TenantPage[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.list({ limit: 10, ...(cursor === undefined ? {} : { cursor }) });
          expect(page.tenants.length).toBeLessThanOrEqual(10);
          pages.push(page);
          cursor = page.next;
        } while (cursor !== undefined && pages.length < 50);
        const listed = pages.flatMap((page) => page.tenants);
        expect([...listed].sort()).toEqual(ids);
        expect(new Set(listed).size).toBe(listed.length);
        expect(pages.at(-1)?.next).toBeUndefined();
        const again = await allTenants(store, 10);
        expect(again).toEqual(listed);
      }));

    it('refuses a page size out of range and a cursor it did not give', () =>
      withStore(async (store) => {
        await store.update('acme', counter());
        for (const limit of [0, -1, 1.5, 10_001, Number.NaN]) {
          await expect(store.list({ limit })).rejects.toMatchObject({ code: 'usage' });
        }
        await expect(store.list({ cursor: 'not-a-cursor!' })).rejects.toMatchObject({
          code: 'usage',
        });
      }));

    it('takes ids that are file-system devices or Object.prototype members as ordinary tenants', () =>
      withStore(async (store) => {
        for (const id of AWKWARD_TENANT_IDS) {
          await store.update(id, set({ modules: ['m'], flags: { id } }));
        }
        expect((await allTenants(store)).sort()).toEqual([...AWKWARD_TENANT_IDS].sort());
        for (const id of AWKWARD_TENANT_IDS) {
          expect((await store.read(id)).flags).toEqual({ id });
          expect((await store.history(id)).map((h) => h.after.flags.id)).toEqual([id]);
        }
        expect(({} as Record<string, unknown>).constructor).toBe(Object);
      }));

    it('refuses hostile tenant ids at every entry point, touching nothing', () =>
      withStore(async (store) => {
        await store.update('acme', counter());
        for (const id of HOSTILE_TENANT_IDS) {
          const refused = { name: 'ModregError', code: 'invalid' };
          await expect(store.read(id)).rejects.toMatchObject(refused);
          await expect(store.readMany(['acme', id])).rejects.toMatchObject(refused);
          await expect(store.readManyWithHistory(['acme', id])).rejects.toMatchObject(refused);
          await expect(store.update(id, counter())).rejects.toMatchObject(refused);
          await expect(store.history(id)).rejects.toMatchObject(refused);
        }
        await expect(store.read(42 as unknown as string)).rejects.toMatchObject({
          code: 'invalid',
        });
        expect(await allTenants(store)).toEqual(['acme']);
        expect((await store.read('acme')).revision).toBe(1);
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

    it('tells subscribers of changes made by another instance, until unsubscribed', () =>
      withStore(async (store) => {
        const other = await sibling(store);
        try {
          const feed = recordFeed();
          const unsubscribe = await store.subscribe(feed.listener);
          await other.update('acme', counter());
          await other.update('beta', counter());
          await waitFor(() => feed.covers('beta', 1) && feed.covers('acme', 1));
          await unsubscribe();
          const seen = feed.events.length;
          await other.update('acme', counter());
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(feed.events).toHaveLength(seen);
        } finally {
          await other.close();
        }
      }));

    it('announces every change of a burst from several writers: none lost', () =>
      withStore(async (store) => {
        const other = await sibling(store);
        try {
          const feed = recordFeed();
          const unsubscribe = await store.subscribe(feed.listener);
          const tenants = ['a', 'b', 'c', 'd', 'e'];
          await Promise.all(
            Array.from({ length: 50 }, (_, i) =>
              (i % 2 === 0 ? other : store).update(tenants[i % 5] as string, counter()),
            ),
          );
          await waitFor(() => tenants.every((t) => feed.covers(t, 10)), 5000);
          await unsubscribe();
        } finally {
          await other.close();
        }
      }));

    driver.additionalTests?.();
  });
}

/** Every tenant of a store, through its pages, in the store's order. */
export async function allTenants(store: Store, limit?: number): Promise<string[]> {
  const tenants: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({
      ...(limit === undefined ? {} : { limit }),
      ...(cursor === undefined ? {} : { cursor }),
    });
    tenants.push(...page.tenants);
    cursor = page.next;
  } while (cursor !== undefined);
  return tenants;
}

/** What a subscriber heard: changes and resets. */
export interface RecordedFeed {
  listener: ChangeListener;
  events: StoreEvent[];
  resets: string[];
  /** True once `tenant` was announced at `revision` or later, or a reset covered it. */
  covers(tenant: string, revision: number): boolean;
}

/** A listener that records what it hears. */
export function recordFeed(): RecordedFeed {
  const events: StoreEvent[] = [];
  const resets: { reason: string; affects?: (tenant: string) => boolean }[] = [];
  return {
    events,
    get resets() {
      return resets.map((r) => r.reason);
    },
    listener: {
      onChange: (event) => void events.push(event),
      onReset: (reason, affects) => void resets.push({ reason, ...(affects ? { affects } : {}) }),
    },
    covers: (tenant, revision) =>
      events.some((e) => e.tenant === tenant && e.revision >= revision) ||
      resets.some((r) => r.affects === undefined || r.affects(tenant)),
  };
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

/** A history entry as another store would have written it. */
function entry(revision: number): HistoryEntry {
  return {
    revision,
    at: new Date(Date.UTC(2026, 0, revision)).toISOString(),
    actor: 'elsewhere',
    operation: `step ${revision}`,
    before: { modules: [], flags: { step: revision - 1 } },
    after: { modules: [], flags: { step: revision } },
  };
}

/** Waits until `condition` holds, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
