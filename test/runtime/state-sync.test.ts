import { describe, expect, it } from 'vitest';
import type { RegistryFile } from '../../src/registry/registry-file.js';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createTestModreg, createTestRegistry } from '../../src/runtime/testing.js';
import { createMemoryStore } from '../../src/stores/memory.js';
import type { ChangeListener, Store } from '../../src/stores/types.js';

const configs = [
  { name: 'core', version: '1.0.0', core: true },
  { name: 'users', version: '1.0.0', dependencies: ['core'] },
  { name: 'billing', version: '1.0.0', dependencies: ['users'] },
];

function registryFile(): RegistryFile {
  return createTestRegistry(configs);
}

/** A store that can be switched off: every call then fails like an unreachable server. */
function switchable(store: Store) {
  let down = false;
  const guard = <T>(call: () => Promise<T>) =>
    down
      ? Promise.reject(
          Object.assign(new Error('connection refused'), {
            name: 'ModregError',
            code: 'environment',
          }),
        )
      : call();
  const wrapped: Store = {
    kind: store.kind,
    location: store.location,
    read: (tenant) => guard(() => store.read(tenant)),
    readMany: (tenants) => guard(() => store.readMany(tenants)),
    list: (page) => guard(() => store.list(page)),
    update: (tenant, request) => guard(() => store.update(tenant, request)),
    history: (tenant, options) => guard(() => store.history(tenant, options)),
    subscribe: (listener) => store.subscribe(listener),
    close: () => store.close(),
  };
  return {
    store: wrapped,
    setDown: (value: boolean) => {
      down = value;
    },
  };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 2000) {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('runtime: live changes and failures', () => {
  it('sees a change made elsewhere through the store notification, without a TTL expiry', async () => {
    const store = createMemoryStore();
    const modreg = createModreg({ registry: registryFile(), store, cacheTtlMs: 3_600_000 });
    expect((await modreg.snapshot('acme')).isModuleEnabled('users')).toBe(false);
    await store.update('acme', {
      apply: () => ({ modules: ['users'], flags: {} }),
      actor: 'cli',
      operation: 'enable users',
    });
    await waitFor(() => modreg.peek('acme')?.isModuleEnabled('users') === true);
    expect((await modreg.snapshot('acme')).revision).toBe(1);
    expect(modreg.getStats()?.lastChange).toMatchObject({ tenant: 'acme', revision: 1 });
    await modreg.close();
    await store.close();
  });

  it('serves the last known state while the store fails, reports it, and catches up after', async () => {
    const memory = createMemoryStore({ tenants: { acme: { modules: ['users'], flags: {} } } });
    const { store, setDown } = switchable(memory);
    const modreg = createModreg({ registry: registryFile(), store, cacheTtlMs: 1, retryMs: 20 });
    expect((await modreg.snapshot('acme')).isModuleEnabled('users')).toBe(true);
    expect(modreg.health().status).toBe('ok');
    setDown(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await modreg.snapshot('acme')).isModuleEnabled('users')).toBe(true);
    expect(modreg.health()).toMatchObject({
      status: 'stale',
      reason: expect.stringContaining('connection refused'),
    });
    await expect(modreg.snapshot('never-seen')).rejects.toMatchObject({ code: 'environment' });
    // A change lands while this instance cannot read: it must still arrive after recovery.
    await memory.update('acme', {
      apply: () => ({ modules: ['users', 'billing'], flags: {} }),
      actor: 'cli',
      operation: 'x',
    });
    setDown(false);
    await waitFor(() => modreg.health().status === 'ok');
    await waitFor(() => modreg.peek('acme')?.isModuleEnabled('billing') === true);
    expect(modreg.getStats()?.failures).toBeGreaterThan(0);
    await modreg.close();
  });

  it('reports a notification gap as stale, and re-reads every cached tenant when it ends', async () => {
    const memory = createMemoryStore({ tenants: { acme: { modules: [], flags: {} } } });
    let watch: ChangeListener | undefined;
    const deaf: Store = {
      ...memory,
      subscribe: async (listener) => {
        watch = listener;
        return async () => {};
      },
    };
    const modreg = createModreg({ registry: registryFile(), store: deaf, cacheTtlMs: 3_600_000 });
    expect((await modreg.snapshot('acme')).revision).toBe(1);
    watch?.onPause?.('Redis notifications stopped: connection lost');
    expect(modreg.health()).toMatchObject({
      status: 'stale',
      reason: expect.stringContaining('connection lost'),
    });
    await memory.update('acme', {
      apply: () => ({ modules: ['users'], flags: {} }),
      actor: 'cli',
      operation: 'x',
    });
    expect(modreg.peek('acme')?.revision).toBe(1);
    watch?.onReset?.('notifications resumed after a gap');
    watch?.onResume?.();
    await waitFor(() => modreg.peek('acme')?.revision === 2);
    expect(modreg.health().status).toBe('ok');
    await modreg.close();
    await memory.close();
  });

  it('never replaces a snapshot by an older revision', async () => {
    const store = createMemoryStore({ tenants: { acme: { modules: [], flags: {} } } });
    const modreg = createModreg({ registry: registryFile(), store });
    await modreg.enable('acme', ['users']);
    const newer = await modreg.snapshot('acme');
    expect(newer.revision).toBe(2);
    // A slow read that started earlier answers now, with revision 1: it must not win.
    const { createSnapshot } = await import('../../src/runtime/snapshot.js');
    const { fromFile } = await import('../../src/runtime/runtime-registry.js');
    const stale = createSnapshot(fromFile(registryFile(), '.'), {
      tenant: 'acme',
      revision: 1,
      updatedAt: null,
      modules: [],
      flags: {},
    });
    const { createTenantCache } = await import('../../src/runtime/tenant-cache.js');
    const cache = createTenantCache(1000);
    cache.put(newer, 0);
    expect(cache.put(stale, 0)).toBe(newer);
    expect(cache.last('acme')?.revision).toBe(2);
    await modreg.close();
    await store.close();
  });

  it('is ready before the first full sync, which loads every tenant', async () => {
    const modreg = await createTestModreg({
      modules: configs,
      tenants: { a: { modules: ['users'] }, b: {}, c: { modules: ['billing', 'users'] } },
    });
    expect(modreg.isInitialized()).toBe(true);
    expect(modreg.getStats()?.tenantsCached).toBe(0);
    await modreg.synced();
    expect(modreg.getStats()?.tenantsCached).toBe(3);
    expect(modreg.peek('c')?.modules).toEqual(['core', 'users', 'billing']);
    await modreg.close();
  });

  it('refreshes after the TTL when no notification came', async () => {
    const memory = createMemoryStore({ tenants: { acme: { modules: [], flags: {} } } });
    const silent: Store = { ...memory, subscribe: async () => async () => {} };
    const modreg = createModreg({ registry: registryFile(), store: silent, cacheTtlMs: 30 });
    expect((await modreg.snapshot('acme')).revision).toBe(1);
    await memory.update('acme', {
      apply: () => ({ modules: ['users'], flags: {} }),
      actor: 'cli',
      operation: 'x',
    });
    expect((await modreg.snapshot('acme')).revision).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect((await modreg.snapshot('acme')).revision).toBe(2);
    await modreg.close();
    await memory.close();
  });

  it('fails ready() clearly when the registry file is missing', async () => {
    const modreg = createModreg({
      registry: '/nonexistent/registry.json',
      store: createMemoryStore(),
    });
    await expect(modreg.ready()).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('modreg discover'),
    });
    expect(modreg.health().status).toBe('failing');
    await modreg.close();
  });
});

describe('runtime: configuration', () => {
  it('takes the registry and store from the modreg config the CLI uses', async () => {
    const { copyFixture } = await import('../helpers/temp-dir.js');
    const { fixturesDir, runCli } = await import('../helpers/cli.js');
    const { join } = await import('node:path');
    const { writeFile } = await import('node:fs/promises');
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    await writeFile(
      join(cwd, 'modreg.config.json'),
      JSON.stringify({ registry: 'out/registry.json', store: 'out/state' }),
    );
    expect((await runCli(['discover', '-q'], { cwd })).code).toBe(0);
    expect((await runCli(['enable', 'acme', 'crm', '--with-deps', '-q'], { cwd })).code).toBe(0);
    const modreg = createModreg({ root: cwd, config: true });
    expect((await modreg.snapshot('acme')).modules).toEqual(['core', 'auth', 'users', 'crm']);
    expect(modreg.health().store.location).toBe(join(cwd, 'out/state'));
    await modreg.close();
    const explicit = createModreg({
      root: cwd,
      config: 'modreg.config.json',
      store: createMemoryStore(),
    });
    expect((await explicit.snapshot('acme')).modules).toEqual(['core', 'auth']);
    await explicit.close();
  });
});
