import { describe, expect, it } from 'vitest';
import { createTestModreg } from '../../src/runtime/testing.js';

const modules = [
  { name: 'core', core: true },
  { name: 'users', dependencies: ['core'] },
  {
    name: 'billing',
    dependencies: ['users'],
    flags: { 'billing.beta': { type: 'boolean' as const, default: false } },
  },
  { name: 'reports', dependencies: ['billing'] },
];

describe('createModreg', () => {
  it('answers lookups from a snapshot synchronously', async () => {
    const modreg = await createTestModreg({
      modules,
      tenants: { acme: { modules: ['users', 'billing'], flags: { 'billing.beta': true } } },
    });
    const snapshot = await modreg.snapshot('acme');
    expect(snapshot.modules).toEqual(['core', 'users', 'billing']);
    expect(snapshot.isModuleEnabled('billing')).toBe(true);
    expect(snapshot.isModuleEnabled('reports')).toBe(false);
    expect(snapshot.flag('billing.beta')).toBe(true);
    expect(await modreg.isFeatureEnabled('globex', 'billing.beta')).toBe(false);
    expect(await modreg.isModuleEnabled('globex', 'core')).toBe(true);
    expect(modreg.getStats()).toMatchObject({ misses: 2, hits: 1, tenantsCached: 2 });
    await modreg.snapshot('acme');
    expect(modreg.getStats()).toMatchObject({ hits: 2, hitRate: 0.5 });
    await modreg.close();
  });

  it('runs hooks in load order, and deactivates when a module is disabled', async () => {
    const calls: string[] = [];
    const hooks = (name: string) => ({
      setup: () => void calls.push(`setup ${name}`),
      activate: ({ tenant }: { tenant: string }) => void calls.push(`activate ${name} ${tenant}`),
      deactivate: ({ tenant }: { tenant: string }) =>
        void calls.push(`deactivate ${name} ${tenant}`),
      teardown: () => void calls.push(`teardown ${name}`),
    });
    const modreg = await createTestModreg({
      modules: modules.map((m) => ({ ...m, hooks: hooks(m.name) })),
      tenants: { acme: { modules: ['users', 'billing'] } },
    });
    const statuses = await modreg.loadModulesForTenant('acme');
    expect(statuses.filter((s) => s.state === 'loaded').map((s) => s.module)).toEqual([
      'core',
      'users',
      'billing',
    ]);
    expect(calls).toEqual([
      'setup core',
      'activate core acme',
      'setup users',
      'activate users acme',
      'setup billing',
      'activate billing acme',
    ]);
    calls.length = 0;
    await modreg.enable('acme', ['reports']);
    await modreg.disable('acme', ['billing'], { cascade: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([
      'setup reports',
      'activate reports acme',
      'deactivate reports acme',
      'deactivate billing acme',
    ]);
    calls.length = 0;
    await modreg.close();
    expect(calls).toEqual([
      'deactivate users acme',
      'deactivate core acme',
      'teardown reports',
      'teardown billing',
      'teardown users',
      'teardown core',
    ]);
  });

  it('marks a module whose setup throws or whose activate hangs as failed, its dependents blocked', async () => {
    const modreg = await createTestModreg({
      hookTimeoutMs: 100,
      modules: [
        { name: 'core', core: true },
        {
          name: 'users',
          dependencies: ['core'],
          hooks: {
            setup: () => {
              throw new Error('boom');
            },
          },
        },
        { name: 'billing', dependencies: ['users'] },
        { name: 'crm', dependencies: ['core'], hooks: { activate: () => new Promise(() => {}) } },
        { name: 'files', dependencies: ['core'] },
      ],
      tenants: { acme: { modules: ['users', 'billing', 'crm', 'files'] } },
    });
    const statuses = await modreg.loadModulesForTenant('acme');
    const byName = Object.fromEntries(statuses.map((s) => [s.module, s]));
    expect(byName.core?.state).toBe('loaded');
    expect(byName.files?.state).toBe('loaded');
    expect(byName.users).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('boom'),
    });
    expect(byName.billing).toMatchObject({
      state: 'blocked',
      reason: expect.stringContaining('"users"'),
    });
    expect(byName.crm).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('timed out'),
    });
    expect(modreg.getStats()?.hookFailures).toBe(2);
    await modreg.close();
  });

  it('changes state through the planner and emits change events', async () => {
    const modreg = await createTestModreg({ modules });
    const changes: unknown[] = [];
    modreg.on('change', (event) => changes.push(event));
    await modreg.snapshot('acme');
    await expect(modreg.enable('acme', ['billing'])).rejects.toMatchObject({ code: 'refused' });
    const result = await modreg.enable('acme', ['billing'], { withDeps: true });
    expect(result).toMatchObject({ tenant: 'acme', revision: 1 });
    expect(changes).toEqual([
      { tenant: 'acme', revision: 1, modules: ['core', 'users', 'billing'] },
    ]);
    await modreg.updateFlags('acme', { set: { 'billing.beta': true } });
    expect((await modreg.snapshot('acme')).flag('billing.beta')).toBe(true);
    await expect(
      modreg.updateFlags('acme', { set: { 'billing.beta': 'yes' } }),
    ).rejects.toMatchObject({ code: 'refused' });
    await modreg.close();
  });

  it('registers a module given in code, which tenants can then enable and load', async () => {
    const modreg = await createTestModreg({ modules });
    const seen: string[] = [];
    const record = await modreg.registry.register(
      { name: 'audit', version: '2.0.0', dependencies: { users: '*' } },
      { activate: ({ tenant }) => void seen.push(tenant) },
    );
    expect(record).toMatchObject({ name: 'audit', version: '2.0.0', dependencies: { users: '*' } });
    expect(modreg.registry.get('audit')?.version).toBe('2.0.0');
    await modreg.enable('acme', ['audit'], { withDeps: true });
    const statuses = await modreg.loader.loadModulesForTenant('acme');
    expect(statuses.find((s) => s.module === 'audit')?.state).toBe('loaded');
    expect(seen).toEqual(['acme']);
    await expect(
      modreg.registry.register({ name: 'Bad', version: '1' } as never),
    ).rejects.toMatchObject({ code: 'invalid' });
    await modreg.close();
  });

  it('rejects an invalid tenant id', async () => {
    const modreg = await createTestModreg({ modules });
    await expect(modreg.snapshot('../etc')).rejects.toMatchObject({ code: 'invalid' });
    await modreg.close();
  });
});
