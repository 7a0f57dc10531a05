import { describe, expect, it } from 'vitest';
import { createTestModreg } from '../../src/testing.js';

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
    expect(modreg.stats()).toMatchObject({ misses: 2, hits: 1, tenantsCached: 2 });
    await modreg.snapshot('acme');
    expect(modreg.stats()).toMatchObject({ hits: 2, hitRate: 0.5 });
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
    expect(modreg.stats()?.hookFailures).toBe(2);
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
      {
        tenant: 'acme',
        revision: 1,
        previousRevision: 0,
        modules: ['core', 'users', 'billing'],
        modulesChanged: ['users', 'billing'],
        flagsChanged: [],
      },
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
    const record = await modreg.register(
      { name: 'audit', version: '2.0.0', dependencies: { users: '*' } },
      { activate: ({ tenant }) => void seen.push(tenant) },
    );
    expect(record).toMatchObject({ name: 'audit', version: '2.0.0', dependencies: { users: '*' } });
    expect(modreg.module('audit')?.version).toBe('2.0.0');
    await modreg.enable('acme', ['audit'], { withDeps: true });
    const statuses = await modreg.loadModulesForTenant('acme');
    expect(statuses.find((s) => s.module === 'audit')?.state).toBe('loaded');
    expect(seen).toEqual(['acme']);
    await expect(modreg.register({ name: 'Bad', version: '1' } as never)).rejects.toMatchObject({
      code: 'invalid',
    });
    await modreg.close();
  });

  it('rejects an invalid tenant id', async () => {
    const modreg = await createTestModreg({ modules });
    await expect(modreg.snapshot('../etc')).rejects.toMatchObject({ code: 'invalid' });
    await modreg.close();
  });
});

describe('createModreg: the library surface', () => {
  it('takes one module name or a list, and refuses anything else', async () => {
    const modreg = await createTestModreg({ modules });
    const one = await modreg.enable('acme', 'users');
    expect(one.changes).toEqual([{ module: 'users', action: 'enable', reason: 'requested' }]);
    await expect(modreg.enable('acme', 42 as never)).rejects.toMatchObject({
      code: 'usage',
      message: 'enable takes a module name or a list of module names, not 42.',
    });
    await expect(modreg.disable('acme', [['users']] as never)).rejects.toMatchObject({
      code: 'usage',
    });
    await modreg.close();
  });

  it('refuses flag changes that are not { set, unset }, naming the shape', async () => {
    const modreg = await createTestModreg({ modules });
    await expect(
      modreg.updateFlags('acme', { 'billing.beta': true } as never),
    ).rejects.toMatchObject({
      code: 'usage',
      message:
        'updateFlags takes { set: { key: value }, unset: [key] }; "billing.beta" is neither. To set that flag, write { set: { "billing.beta": value } }.',
    });
    await expect(modreg.updateFlags('acme', { set: null } as never)).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('set must be an object, not null'),
    });
    await expect(modreg.updateFlags('acme', { unset: 'x' } as never)).rejects.toMatchObject({
      code: 'usage',
    });
    const throwing = Object.defineProperty({}, 'billing.beta', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    await expect(modreg.updateFlags('acme', { set: throwing })).rejects.toMatchObject({
      code: 'invalid',
    });
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    await expect(modreg.updateFlags('acme', { set: trap })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('trap'),
    });
    await expect(
      modreg.updateFlags('acme', { set: { 'billing.beta': () => true } as never }),
    ).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('function') });
    expect((await modreg.snapshot('acme')).revision).toBe(0);
    await modreg.close();
  });

  it('plans without writing on a dry run, and refuses a change against an older revision', async () => {
    const modreg = await createTestModreg({ modules, tenants: { acme: { modules: ['users'] } } });
    const planned = await modreg.enable('acme', 'billing', { dryRun: true });
    expect(planned).toEqual({
      tenant: 'acme',
      changes: [{ module: 'billing', action: 'enable', reason: 'requested' }],
      revision: 1,
      dryRun: true,
    });
    expect((await modreg.snapshot('acme')).isModuleEnabled('billing')).toBe(false);
    await expect(modreg.enable('acme', 'billing', { expectedRevision: 0 })).rejects.toMatchObject({
      code: 'conflict',
    });
    const done = await modreg.enable('acme', 'billing', { expectedRevision: 1, actor: 'ops' });
    expect(done.revision).toBe(2);
    expect((await modreg.history('acme'))[0]).toMatchObject({ revision: 2, actor: 'ops' });
    const back = await modreg.rollback('acme', 0);
    expect(back.changes).toEqual([
      { module: 'billing', action: 'disable', reason: 'restores revision 0' },
      { module: 'users', action: 'disable', reason: 'restores revision 0' },
    ]);
    expect(back.revision).toBe(3);
    await expect(modreg.rollback('acme', 7)).rejects.toMatchObject({ code: 'refused' });
    await modreg.close();
  });

  it('keeps the names of the system it replaces in one place, forwarding to the same operations', async () => {
    const modreg = await createTestModreg({ modules, tenants: { acme: { modules: ['users'] } } });
    const { registry, loader, flags } = modreg.legacy;
    await registry.initialize();
    expect(registry.get('billing')?.name).toBe('billing');
    expect(registry.list().map((m) => m.name)).toEqual(['core', 'users', 'billing', 'reports']);
    await loader.enableModuleForTenant('acme', 'billing');
    await flags.updateFeatureFlags('acme', { 'billing.beta': true });
    expect(await flags.getFeatureFlags('acme')).toEqual({ 'billing.beta': true });
    expect(await flags.isFeatureEnabled('acme', 'billing.beta')).toBe(true);
    expect(await flags.isModuleEnabled('acme', 'billing')).toBe(true);
    await loader.loadModulesForTenant('acme');
    expect(loader.isModuleLoadedForTenant('acme', 'billing')).toBe(true);
    expect((await loader.getModulesForTenant('acme')).map((s) => s.state)).toEqual([
      'loaded',
      'loaded',
      'loaded',
      'disabled',
    ]);
    await loader.disableModuleForTenant('acme', 'billing');
    expect(modreg.legacy.validateModuleDependencies()).toEqual({ problems: [], blocked: [] });
    expect(modreg.legacy.isInitialized()).toBe(true);
    expect(modreg.legacy.getStats()).toEqual(modreg.stats());
    flags.invalidateCache('acme');
    expect(modreg.peek('acme')).toBeUndefined();
    await modreg.close();
  });

  it('reports failed and blocked modules as degraded', async () => {
    const modreg = await createTestModreg({
      modules: [
        { name: 'core', core: true },
        {
          name: 'users',
          dependencies: ['core'],
          hooks: { activate: () => Promise.reject(new Error('db down')) },
        },
        { name: 'a', dependencies: ['b'] },
        { name: 'b', dependencies: ['a'] },
      ],
      tenants: { acme: { modules: ['users'] } },
    });
    expect(modreg.health()).toMatchObject({
      status: 'degraded',
      reason: expect.stringContaining('module "a" is blocked'),
    });
    await modreg.loadModulesForTenant('acme');
    expect(modreg.health()).toMatchObject({
      status: 'degraded',
      reason:
        'module "users" failed: module "users" activate for tenant "acme" failed: db down (and 2 more)',
      modules: {
        failed: [{ module: 'users', reason: expect.stringContaining('db down') }],
        blocked: [
          { module: 'a', reason: expect.stringContaining('cycle') },
          { module: 'b', reason: expect.stringContaining('cycle') },
        ],
      },
    });
    await modreg.close();
  });

  it('logs hook failures on the console unless told otherwise', async () => {
    const logged: string[] = [];
    const original = console.error;
    console.error = (message: string) => void logged.push(message);
    try {
      const failing = { activate: () => Promise.reject(new Error('boom')) };
      const loud = await createTestModreg({
        modules: [{ name: 'x', hooks: failing }],
        tenants: { acme: { modules: ['x'] } },
        logger: undefined,
      });
      await loud.loadModulesForTenant('acme');
      await loud.close();
      expect(logged).toEqual(['modreg: module "x" activate for tenant "acme" failed: boom']);
    } finally {
      console.error = original;
    }
  });
});

describe('createModreg: snapshots', () => {
  it('hands out flag values no caller can change, and drops values of a type the registry no longer declares', async () => {
    const modreg = await createTestModreg({
      modules: [
        {
          name: 'billing',
          flags: {
            'billing.plan': { type: 'json', default: { tier: 'free' } },
            'billing.seats': { type: 'number', default: 5 },
            'billing.note': { type: 'string' },
          },
        },
      ],
      tenants: { acme: { flags: { 'billing.seats': 'ten', 'billing.extra': { a: [1] } } } },
    });
    const snapshot = await modreg.snapshot('acme');
    expect(snapshot.flag('billing.seats')).toBe(5);
    expect(snapshot.hasOwnFlag('billing.seats')).toBe(false);
    expect(snapshot.flag('billing.note')).toBeNull();
    expect(modreg.flagDeclaration('billing.note')).toEqual({
      module: 'billing',
      declaration: { type: 'string' },
    });
    expect(modreg.flagDeclaration('billing.extra')).toBeUndefined();
    const plan = snapshot.flag('billing.plan') as { tier: string };
    expect(() => {
      plan.tier = 'gold';
    }).toThrow(TypeError);
    const extra = snapshot.flags()['billing.extra'] as { a: number[] };
    expect(() => extra.a.push(2)).toThrow(TypeError);
    expect((await modreg.snapshot('acme')).flag('billing.extra')).toEqual({ a: [1] });
    await modreg.close();
  });

  it('counts peek as a use, and reads a tenant peeked past its TTL again', async () => {
    const modreg = await createTestModreg({
      modules,
      cacheTtlMs: 20,
      tenants: { acme: { modules: ['users'] } },
    });
    await modreg.snapshot('acme');
    const loads = modreg.stats().loads;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(modreg.peek('acme')?.revision).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(modreg.stats().loads).toBe(loads + 1);
    await modreg.close();
  });
});
