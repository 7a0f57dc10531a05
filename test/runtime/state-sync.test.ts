import { describe, expect, it } from 'vitest';
import { createModreg } from '../../src/runtime/create-modreg.js';
import type { Modreg } from '../../src/runtime/modreg.js';
import type { ChangeEvent, ModuleHooks } from '../../src/runtime/types.js';
import { createTestRegistry } from '../../src/testing.js';
import { createControlledStore } from './controlled-store.js';

const configs = [
  { name: 'core', version: '1.0.0', core: true },
  { name: 'users', version: '1.0.0', dependencies: ['core'] },
  { name: 'billing', version: '1.0.0', dependencies: ['users'] },
];

function start(
  control: ReturnType<typeof createControlledStore>,
  options: Partial<Parameters<typeof createModreg>[0]> = {},
): Modreg {
  return createModreg({
    registry: createTestRegistry(configs),
    store: control.store,
    cacheTtlMs: 3_600_000,
    logger: false,
    ...options,
  });
}

function changes(modreg: Modreg): ChangeEvent[] {
  const seen: ChangeEvent[] = [];
  modreg.on('change', (event) => seen.push(event));
  return seen;
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('runtime: live changes', () => {
  it('sees a change made elsewhere through the store feed, without a TTL expiry', async () => {
    const control = createControlledStore();
    const modreg = start(control);
    const seen = changes(modreg);
    expect((await modreg.snapshot('acme')).isModuleEnabled('users')).toBe(false);
    await control.commit('acme', { modules: ['billing', 'users'] });
    await waitFor(() => modreg.peek('acme')?.isModuleEnabled('billing') === true);
    expect(seen.map((e) => [e.revision, e.previousRevision])).toEqual([[1, 0]]);
    expect(modreg.stats().lastChange).toMatchObject({ tenant: 'acme', revision: 1 });
    await modreg.close();
  });

  it('reads again when a change is announced while a read is out: never stuck one behind', async () => {
    const control = createControlledStore();
    const modreg = start(control);
    const seen = changes(modreg);
    await modreg.snapshot('acme');
    control.holdReads();
    await control.commit('acme', { modules: ['users'] }); // r1: its read starts and is held
    await waitFor(() => control.held() === 1);
    await control.commit('acme', { modules: ['users', 'billing'] }); // r2, announced mid-read
    await new Promise((resolve) => setTimeout(resolve, 10));
    control.release();
    await waitFor(() => modreg.peek('acme')?.revision === 2);
    expect(modreg.peek('acme')?.modules).toEqual(['core', 'users', 'billing']);
    expect(seen.map((e) => e.revision)).toEqual([1, 2]);
    await modreg.close();
  });

  it('follows back-to-back changes while a slow activate hook runs', async () => {
    const control = createControlledStore({ tenants: { acme: { modules: [], flags: {} } } });
    const activated: string[] = [];
    const slow: ModuleHooks = {
      activate: async ({ tenant, module }) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        activated.push(`${module.name} ${tenant}`);
      },
    };
    const modreg = start(control, { modules: { users: slow, billing: slow } });
    const seen = changes(modreg);
    await modreg.loadModulesForTenant('acme');
    await control.commit('acme', { modules: ['users'] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await control.commit('acme', { modules: ['users', 'billing'] });
    await waitFor(() => modreg.peek('acme')?.revision === 3, 1000);
    expect(seen.map((e) => e.revision)).toEqual([2, 3]);
    await waitFor(() => activated.length === 2);
    expect(activated).toEqual(['users acme', 'billing acme']);
    const statuses = await modreg.moduleStatuses('acme');
    expect(statuses.filter((s) => s.state === 'loaded').map((s) => s.module)).toEqual([
      'core',
      'users',
      'billing',
    ]);
    await modreg.close();
  });

  it('converges on every tenant after a burst of changes from elsewhere', async () => {
    const tenants = ['a', 'b', 'c', 'd', 'e'];
    const control = createControlledStore();
    const modreg = start(control);
    for (const tenant of tenants) await modreg.snapshot(tenant);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        control.commit(tenants[i % 5] as string, { flags: { step: i } }),
      ),
    );
    await waitFor(() => tenants.every((t) => modreg.peek(t)?.revision === 10));
    expect(tenants.map((t) => modreg.peek(t)?.flag('step'))).toEqual([45, 46, 47, 48, 49]);
    await modreg.close();
  });

  it('never lets an answer to an older question replace a newer state', async () => {
    const control = createControlledStore({ tenants: { acme: { modules: [], flags: {} } } });
    const modreg = start(control, { cacheTtlMs: 20 });
    await modreg.snapshot('acme');
    control.deaf = true;
    control.holdReads();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await modreg.snapshot('acme'); // expired: a background read starts, reads revision 1, waits
    await waitFor(() => control.held() === 1);
    const result = await modreg.enable('acme', 'users'); // revision 2, cached at once
    expect(result.revision).toBe(2);
    control.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(modreg.peek('acme')?.revision).toBe(2);
    await modreg.close();
  });

  it('takes a store that was emptied or replaced, lower revisions included, on its reset', async () => {
    const control = createControlledStore();
    const modreg = start(control);
    const seen = changes(modreg);
    await modreg.snapshot('acme');
    for (let i = 0; i < 3; i++) await control.commit('acme', { modules: ['users'], flags: { i } });
    await waitFor(() => modreg.peek('acme')?.revision === 3);
    control.replaceAll({
      acme: { tenant: 'acme', revision: 1, updatedAt: null, modules: [], flags: {} },
    });
    for (const listener of control.listeners) listener.onReset?.('the store was replaced');
    await waitFor(() => modreg.peek('acme')?.revision === 1);
    expect(modreg.peek('acme')?.isModuleEnabled('users')).toBe(false);
    expect(seen.at(-1)).toMatchObject({ revision: 1, previousRevision: 3 });
    await modreg.close();
  });

  it('takes a lower revision read after the TTL: a tenant reset by hand', async () => {
    const control = createControlledStore();
    const modreg = start(control, { cacheTtlMs: 30 });
    await control.commit('acme', { modules: ['users'] });
    await control.commit('acme', { modules: ['users', 'billing'] });
    expect((await modreg.snapshot('acme')).revision).toBe(2);
    control.deaf = true;
    control.replaceAll({
      acme: { tenant: 'acme', revision: 0, updatedAt: null, modules: [], flags: {} },
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    await modreg.snapshot('acme'); // served while it is read again
    await waitFor(() => modreg.peek('acme')?.revision === 0);
    await modreg.close();
  });

  it('tells a change listener registered before ready()', async () => {
    const control = createControlledStore({ tenants: { acme: { modules: [], flags: {} } } });
    const modreg = start(control);
    const seen = changes(modreg);
    await modreg.ready();
    await modreg.snapshot('acme');
    await control.commit('acme', { modules: ['users'] });
    await waitFor(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ tenant: 'acme', modulesChanged: ['users'], flagsChanged: [] });
    await modreg.close();
  });

  it('tells commit listeners of every tenant the store announces, held or not', async () => {
    const control = createControlledStore();
    const modreg = start(control);
    const commits: unknown[] = [];
    const resets: unknown[] = [];
    modreg.on('commit', (event) => commits.push(event));
    modreg.on('reset', (event) => resets.push(event));
    await modreg.ready();
    await control.commit('never-read', { modules: ['users'] });
    await waitFor(() => commits.length === 1);
    expect(commits).toEqual([{ tenant: 'never-read', revision: 1 }]);
    expect(modreg.peek('never-read')).toBeUndefined();
    for (const listener of control.listeners) listener.onReset?.('the store was replaced');
    expect(resets).toEqual([{ reason: 'the store was replaced' }]);
    await modreg.close();
  });
});

describe('runtime: failures and recovery', () => {
  it('serves the last known state while the store fails, reports it, and catches up after', async () => {
    const control = createControlledStore({ tenants: { acme: { modules: ['users'], flags: {} } } });
    const modreg = start(control, { retryMs: 20, cacheTtlMs: 10 });
    expect((await modreg.snapshot('acme')).modules).toEqual(['core', 'users']);
    control.down = true;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await modreg.snapshot('acme')).modules).toEqual(['core', 'users']);
    await waitFor(() => modreg.health().status === 'stale');
    expect(modreg.health().reason).toContain('ECONNREFUSED');
    await expect(modreg.snapshot('globex')).rejects.toMatchObject({ code: 'environment' });
    control.down = false;
    await control.commit('acme', { modules: ['users', 'billing'] });
    await waitFor(() => modreg.peek('acme')?.isModuleEnabled('billing') === true);
    await waitFor(() => modreg.health().status === 'ok');
    expect(modreg.stats().failures).toBeGreaterThan(0);
    await modreg.close();
  });

  it('answers within storeTimeoutMs when the store hangs, and says a change may have applied', async () => {
    const control = createControlledStore({ tenants: { acme: { modules: ['users'], flags: {} } } });
    const modreg = start(control, { storeTimeoutMs: 150, retryMs: 30 });
    await modreg.snapshot('acme');
    control.hanging = true;
    const began = Date.now();
    await expect(modreg.snapshot('globex')).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('did not answer within 150 ms'),
    });
    expect(Date.now() - began).toBeLessThan(1000);
    expect((await modreg.snapshot('acme')).modules).toEqual(['core', 'users']);
    await expect(modreg.enable('acme', 'billing')).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('may or may not have been applied'),
    });
    expect(modreg.health()).toMatchObject({ status: 'stale' });
    control.hanging = false;
    await waitFor(() => modreg.health().status === 'ok');
    expect((await modreg.snapshot('globex')).revision).toBe(0);
    await modreg.close();
  });

  it('keeps a store with one corrupt tenant healthy for every other tenant', async () => {
    const control = createControlledStore({ tenants: { acme: { modules: ['users'], flags: {} } } });
    control.corrupt.add('broken');
    const modreg = start(control);
    await expect(modreg.snapshot('broken')).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('corrupt'),
    });
    expect((await modreg.snapshot('acme')).modules).toEqual(['core', 'users']);
    expect(modreg.health().status).toBe('ok');
    expect(modreg.stats().failures).toBe(0);
    await modreg.close();
  });

  it('reports a feed gap as stale, and reads the tenants held again on reset and resume', async () => {
    const control = createControlledStore({ tenants: { acme: { modules: [], flags: {} } } });
    const modreg = start(control);
    expect((await modreg.snapshot('acme')).revision).toBe(1);
    const [listener] = control.listeners;
    control.deaf = true;
    listener?.onPause?.('Redis notifications stopped: connection lost');
    expect(modreg.health()).toMatchObject({
      status: 'stale',
      reason: expect.stringContaining('connection lost'),
    });
    await control.commit('acme', { modules: ['users'] });
    expect(modreg.peek('acme')?.revision).toBe(1);
    listener?.onReset?.('notifications resumed after a gap');
    listener?.onResume?.();
    await waitFor(() => modreg.peek('acme')?.revision === 2);
    await waitFor(() => modreg.health().status === 'ok');
    await modreg.close();
  });
});

describe('runtime: cache', () => {
  it('re-reads an expired tenant in the background, serving it meanwhile', async () => {
    const control = createControlledStore({ tenants: { acme: { modules: [], flags: {} } } });
    control.deaf = true;
    const modreg = start(control, { cacheTtlMs: 30 });
    expect((await modreg.snapshot('acme')).revision).toBe(1);
    await control.commit('acme', { modules: ['users'] });
    expect((await modreg.snapshot('acme')).revision).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect((await modreg.snapshot('acme')).revision).toBe(1);
    await waitFor(() => modreg.peek('acme')?.revision === 2);
    await modreg.close();
  });

  it('holds at most cacheMaxTenants, dropping the least recently used', async () => {
    const tenants = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`t${i}`, { modules: ['users'], flags: { i } }]),
    );
    const control = createControlledStore({ tenants });
    const modreg = start(control, { cacheMaxTenants: 3 });
    for (let round = 0; round < 3; round++) {
      await modreg.snapshot('t0');
      for (let i = 1; i < 10; i++) {
        expect((await modreg.snapshot(`t${i}`)).flag('i')).toBe(i);
        await modreg.snapshot('t0'); // kept hot
      }
    }
    expect(modreg.stats().tenantsCached).toBe(3);
    expect(modreg.stats().evictions).toBeGreaterThanOrEqual(25);
    expect(modreg.peek('t0')?.flag('i')).toBe(0);
    await modreg.close();
  });

  it('fails a full sync whose later batch fails while an earlier one is out, without an unhandled rejection', async () => {
    // More tenants than the batches of 500 kept out at once (4), so one batch is awaited alone.
    const tenants = Object.fromEntries(
      Array.from({ length: 2100 }, (_, i) => [`t${i}`, { modules: ['users'], flags: {} }]),
    );
    const control = createControlledStore({ tenants });
    const modreg = start(control);
    await modreg.ready();
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      // Tenants are listed in name order: t700 falls in a batch after the first.
      control.corrupt.add('t700');
      control.holdReads();
      const sync = modreg.synced();
      sync.catch(() => undefined);
      await waitFor(() => control.held() > 0);
      await new Promise((resolve) => setTimeout(resolve, 20));
      control.release();
      await expect(sync).rejects.toThrow('"t700" is corrupt');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
      await modreg.close();
    }
  });

  it('reads every tenant in the first full sync, up to cacheMaxTenants', async () => {
    const tenants = Object.fromEntries(
      Array.from({ length: 1200 }, (_, i) => [`t${i}`, { modules: ['users'], flags: {} }]),
    );
    const full = start(createControlledStore({ tenants }));
    await full.synced();
    expect(full.stats().tenantsCached).toBe(1200);
    expect(full.peek('t1199')?.modules).toEqual(['core', 'users']);
    await full.close();
    const bounded = start(createControlledStore({ tenants }), { cacheMaxTenants: 100 });
    await bounded.synced();
    expect(bounded.stats().tenantsCached).toBe(100);
    await bounded.close();
  });
});
