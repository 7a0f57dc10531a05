import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModreg } from '../../src/runtime/create-modreg.js';
import type { RegistryEvent } from '../../src/runtime/types.js';
import { createMemoryStore, createTestRegistry } from '../../src/testing.js';
import { tempDir } from '../helpers/temp-dir.js';

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Writes a registry file as `modreg discover` does: a new file renamed into place. */
async function writeRegistry(file: string, configs: Parameters<typeof createTestRegistry>[0]) {
  const content = createTestRegistry(configs);
  await writeFile(`${file}.tmp`, JSON.stringify(content));
  await rename(`${file}.tmp`, file);
}

async function writeModule(dir: string, config: Record<string, unknown>) {
  await mkdir(join(dir, String(config.name)), { recursive: true });
  await writeFile(join(dir, String(config.name), 'module.config.json'), JSON.stringify(config));
}

describe('runtime: start', () => {
  it('fails ready() clearly when the registry file is missing, and starts once it is there', async () => {
    const dir = await tempDir();
    const file = join(dir, 'registry.json');
    const modreg = createModreg({
      registry: file,
      store: createMemoryStore(),
      retryMs: 20,
      logger: false,
    });
    await expect(modreg.ready()).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('modreg discover'),
    });
    expect(modreg.health()).toMatchObject({ status: 'failing' });
    expect(modreg.isReady()).toBe(false);
    await expect(modreg.snapshot('acme')).rejects.toMatchObject({ code: 'environment' });
    await writeRegistry(file, [{ name: 'users' }]);
    await waitFor(() => modreg.isReady());
    await modreg.ready();
    expect((await modreg.snapshot('acme')).revision).toBe(0);
    expect(modreg.health().status).toBe('ok');
    await modreg.close();
  });

  it('does not retry a start that cannot succeed by waiting', async () => {
    const modreg = createModreg({
      store: 42 as never,
      registry: createTestRegistry([]),
      logger: false,
    });
    await expect(modreg.ready()).rejects.toMatchObject({ code: 'usage' });
    for (const options of [
      { store: { redis: {} }, registry: createTestRegistry([]) },
      { store: createMemoryStore(), registry: { format: 1, modules: 'x' } },
      { store: createMemoryStore(), registry: 42 },
      { store: createMemoryStore(), registry: { modulesDir: 7 } },
    ]) {
      const wrong = createModreg({ ...(options as object), logger: false });
      await expect(wrong.ready()).rejects.toMatchObject({
        name: 'ModregError',
        code: 'usage',
        message: expect.stringMatching(/^options\.(store\.redis|registry) must be/),
      });
      await wrong.close();
    }
    expect(modreg.health()).toMatchObject({
      status: 'failing',
      reason: expect.stringContaining('options.store'),
    });
    await modreg.close();
  });
});

describe('runtime: a registry that changes', () => {
  it('picks up a new registry file: modules added, changed and removed, live', async () => {
    const dir = await tempDir();
    const file = join(dir, 'registry.json');
    await writeRegistry(file, [{ name: 'users' }, { name: 'legacy' }]);
    const store = createMemoryStore({
      tenants: { acme: { modules: ['users', 'legacy'], flags: {} } },
    });
    const calls: string[] = [];
    const hooks = (name: string) => ({
      activate: () => void calls.push(`activate ${name}`),
      deactivate: () => void calls.push(`deactivate ${name}`),
      teardown: () => void calls.push(`teardown ${name}`),
    });
    const modreg = createModreg({
      registry: file,
      store,
      registryPollMs: 50,
      logger: false,
      modules: { users: hooks('users'), legacy: hooks('legacy'), billing: hooks('billing') },
    });
    const events: RegistryEvent[] = [];
    modreg.on('registry', (event) => events.push(event));
    await modreg.loadModulesForTenant('acme');
    expect(calls).toEqual(['activate legacy', 'activate users']);
    await writeRegistry(file, [
      { name: 'users', version: '1.1.0' },
      { name: 'billing', dependencies: ['users'] },
    ]);
    await waitFor(() => events.length === 1);
    expect(events[0]).toEqual({ added: ['billing'], removed: ['legacy'], changed: ['users'] });
    expect(modreg.module('billing')?.name).toBe('billing');
    expect(modreg.module('legacy')).toBeUndefined();
    await waitFor(() => calls.includes('teardown legacy'));
    expect(calls.slice(2)).toEqual(['deactivate legacy', 'teardown legacy']);
    expect(modreg.peek('acme')?.modules).toEqual(['users']);
    await modreg.enable('acme', 'billing');
    await waitFor(() => calls.includes('activate billing'));
    expect(modreg.health().registry.source).toBe(file);
    await modreg.close();
    await store.close();
  });

  it('keeps the registry it has when the new one cannot be read, and says so', async () => {
    const dir = await tempDir();
    const file = join(dir, 'registry.json');
    await writeRegistry(file, [{ name: 'users' }]);
    const modreg = createModreg({
      registry: file,
      store: createMemoryStore(),
      registryPollMs: 50,
      logger: false,
    });
    await modreg.ready();
    await writeFile(file, '{ not json');
    await waitFor(() => modreg.health().status === 'degraded');
    expect(modreg.health().registry.reloadFailure).toBeDefined();
    expect(modreg.module('users')?.name).toBe('users');
    await writeRegistry(file, [{ name: 'users' }, { name: 'crm' }]);
    await waitFor(() => modreg.module('crm') !== undefined);
    expect(modreg.health().status).toBe('ok');
    await modreg.close();
  });

  it('rescans a modules directory when a module config changes under it', async () => {
    const root = await tempDir();
    const modulesDir = join(root, 'modules');
    await writeModule(modulesDir, { name: 'users', version: '1.0.0' });
    const store = createMemoryStore({
      tenants: { acme: { modules: ['users', 'crm'], flags: {} } },
    });
    const modreg = createModreg({
      root,
      registry: { modulesDir: 'modules' },
      store,
      logger: false,
    });
    expect((await modreg.snapshot('acme')).modules).toEqual(['users']);
    await writeModule(modulesDir, { name: 'crm', version: '1.0.0', dependencies: ['users'] });
    await waitFor(() => modreg.peek('acme')?.isModuleEnabled('crm') === true);
    expect(modreg.registryInfo()).toMatchObject({ order: ['users', 'crm'], source: modulesDir });
    await rm(join(modulesDir, 'users'), { recursive: true });
    await waitFor(() => modreg.peek('acme')?.modules.length === 0);
    expect(modreg.registryInfo().blocked).toEqual([
      { module: 'crm', reason: expect.stringContaining('"users"') },
    ]);
    await modreg.close();
    await store.close();
  });

  it('rebuilds nothing when a registry file is written again unchanged', async () => {
    const dir = await tempDir();
    const file = join(dir, 'registry.json');
    const registry = createTestRegistry([{ name: 'users' }]);
    await writeFile(file, JSON.stringify(registry));
    const modreg = createModreg({
      registry: file,
      store: createMemoryStore(),
      registryPollMs: 30,
      logger: false,
    });
    const events: unknown[] = [];
    modreg.on('registry', (event) => events.push(event));
    await modreg.ready();
    const loaded = modreg.registryInfo().loadedAt;
    await writeFile(file, JSON.stringify({ ...registry, generatedAt: new Date().toISOString() }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events).toEqual([]);
    expect(modreg.registryInfo().loadedAt).toBe(loaded);
    await modreg.close();
  });
});
