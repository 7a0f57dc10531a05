import { describe, expect, it } from 'vitest';
import { createPlanningRegistry, enabledModules } from '../../src/planner/planning-registry.js';
import { moduleRecord, planningRegistryOf, SHOP } from './planner-registry.js';

const shop = planningRegistryOf(SHOP);

describe('createPlanningRegistry', () => {
  it('indexes modules, loadable order, blocked reasons, flags and core modules', () => {
    expect([...shop.modules.keys()]).toEqual(SHOP.map((s) => s.name));
    expect(shop.order).toEqual([
      'analytics',
      'core',
      'auth',
      'users',
      'billing',
      'invoicing',
      'reports',
    ]);
    expect([...shop.blocked]).toEqual([
      ['ledger', 'requires "gone", which is not among the modules'],
    ]);
    expect(shop.core).toEqual(['core', 'auth']);
    expect(
      [...shop.flags].map(([key, { module, declaration }]) => [key, module, declaration.type]),
    ).toEqual([
      ['analytics.sample-rate', 'analytics', 'number'],
      ['billing.new-checkout', 'billing', 'boolean'],
      ['billing.currency', 'billing', 'string'],
      ['invoicing.max-lines', 'invoicing', 'number'],
      ['reports.layout', 'reports', 'json'],
    ]);
  });

  it('leaves out blocked core modules and counts unordered modules as blocked', () => {
    const registry = createPlanningRegistry({
      modules: [
        moduleRecord({ name: 'a', core: true }),
        moduleRecord({ name: 'b', core: true }),
        moduleRecord({ name: 'c' }),
      ],
      order: ['a', 'a', 'ghost'],
      blocked: [{ module: 'b', reason: 'has an invalid config (modules/b/module.config.json)' }],
    });
    expect(registry.order).toEqual(['a']);
    expect(registry.core).toEqual(['a']);
    expect([...registry.blocked]).toEqual([
      ['b', 'has an invalid config (modules/b/module.config.json)'],
      ['c', 'is missing from the load order of the registry file'],
    ]);
  });

  it('gives a flag key declared twice to the module whose file comes first', () => {
    const flag = { type: 'boolean' as const };
    const registry = createPlanningRegistry({
      modules: [
        moduleRecord({ name: 'zeta', flags: { shared: flag } }),
        moduleRecord({ name: 'alpha', flags: { shared: { type: 'string' } } }),
      ],
      order: ['alpha', 'zeta'],
      blocked: [],
    });
    expect(registry.flags.get('shared')).toEqual({
      module: 'alpha',
      declaration: { type: 'string' },
    });
  });
});

describe('enabledModules', () => {
  it.each([
    ['nothing stored: the core modules', [], ['core', 'auth']],
    [
      'stored modules and core ones in load order',
      ['users', 'billing'],
      ['core', 'auth', 'users', 'billing'],
    ],
    [
      'without unknown or blocked modules',
      ['legacy', 'ledger', 'users'],
      ['core', 'auth', 'users'],
    ],
    [
      'without modules whose dependency is off',
      ['billing', 'reports', 'analytics'],
      ['analytics', 'core', 'auth'],
    ],
    ['with a core module stored too', ['core'], ['core', 'auth']],
  ])('%s', (_, modules, expected) => {
    expect(enabledModules(shop, { modules, flags: {} })).toEqual(expected);
  });
});
