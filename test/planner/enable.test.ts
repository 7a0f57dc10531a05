import { describe, expect, it } from 'vitest';
import type { ModregError } from '../../src/errors.js';
import { planEnable } from '../../src/planner/enable.js';
import type { EnableOptions, PlannedChange } from '../../src/planner/types.js';
import { acme, planningRegistryOf, SHOP, thrownBy } from './planner-registry.js';

const shop = planningRegistryOf(SHOP);

interface Accepted {
  name: string;
  stored: string[];
  request: string[];
  options?: EnableOptions;
  changes: PlannedChange[];
  next: string[];
  operation: string;
}

const enable = (module: string, reason = 'requested'): PlannedChange => ({
  module,
  action: 'enable',
  reason,
});

const accepted: Accepted[] = [
  {
    name: 'a module without dependencies',
    stored: [],
    request: ['users'],
    changes: [enable('users')],
    next: ['users'],
    operation: 'enable users',
  },
  {
    name: 'a module whose dependencies are on',
    stored: ['users'],
    request: ['billing'],
    changes: [enable('billing')],
    next: ['billing', 'users'],
    operation: 'enable billing',
  },
  {
    name: 'a module together with its dependency, in load order',
    stored: [],
    request: ['billing', 'users', 'billing'],
    changes: [enable('users'), enable('billing')],
    next: ['billing', 'users'],
    operation: 'enable billing, users',
  },
  {
    name: 'missing dependencies with --with-deps',
    stored: [],
    request: ['reports'],
    options: { withDeps: true },
    changes: [
      enable('users', 'required by invoicing'),
      enable('billing', 'required by invoicing'),
      enable('invoicing', 'required by reports'),
      enable('reports'),
    ],
    next: ['billing', 'invoicing', 'reports', 'users'],
    operation: 'enable reports (with dependencies)',
  },
  {
    name: 'only what is missing with --with-deps, never the optional dependency',
    stored: ['billing', 'users'],
    request: ['reports', 'users'],
    options: { withDeps: true },
    changes: [enable('invoicing', 'required by reports'), enable('reports')],
    next: ['billing', 'invoicing', 'reports', 'users'],
    operation: 'enable reports, users (with dependencies)',
  },
  {
    name: 'nothing for modules already on, core ones included',
    stored: ['users'],
    request: ['users', 'core', 'auth'],
    changes: [],
    next: ['users'],
    operation: 'enable users, core, auth',
  },
  {
    name: 'a stored module that is not on (its dependency was left out) and its dependency',
    stored: ['billing'],
    request: ['billing'],
    options: { withDeps: true },
    changes: [enable('users', 'required by billing'), enable('billing')],
    next: ['billing', 'users'],
    operation: 'enable billing (with dependencies)',
  },
  {
    name: 'without dropping stored modules the registry no longer has, or storing core ones',
    stored: ['auth', 'legacy'],
    request: ['analytics'],
    changes: [enable('analytics')],
    next: ['analytics', 'legacy'],
    operation: 'enable analytics',
  },
];

const refused: { name: string; stored: string[]; request: string[]; message: string }[] = [
  {
    name: 'an unknown module, suggesting the nearest name',
    stored: [],
    request: ['users', 'biling'],
    message:
      'Cannot enable "biling" for tenant "acme": there is no module of that name in the registry. Did you mean "billing"?',
  },
  {
    name: 'an unknown module far from every name',
    stored: [],
    request: ['zzzzzzzz'],
    message:
      'Cannot enable "zzzzzzzz" for tenant "acme": there is no module of that name in the registry. Check the name with "modreg graph", or run "modreg discover" if the module is new.',
  },
  {
    name: 'an unknown module with control characters, escaped',
    stored: [],
    request: ['x\u001b[31m'],
    message:
      'Cannot enable "x\\u001b[31m" for tenant "acme": there is no module of that name in the registry. Check the name with "modreg graph", or run "modreg discover" if the module is new.',
  },
  {
    name: 'a blocked module, with its reason',
    stored: [],
    request: ['ledger'],
    message:
      'Cannot enable "ledger" for tenant "acme": "ledger" requires "gone", which is not among the modules, so it cannot load. Fix that and run "modreg discover" again.',
  },
  {
    name: 'a module whose dependency is off',
    stored: [],
    request: ['billing'],
    message:
      'Cannot enable "billing" for tenant "acme": it needs "users", which is disabled. Enable it first, or pass withDeps: true.',
  },
  {
    name: 'a module whose dependencies are off in a chain',
    stored: ['users'],
    request: ['reports'],
    message:
      'Cannot enable "reports" for tenant "acme": it needs "invoicing", which needs "billing" (reports → invoicing → billing), and they are disabled. Enable them first, or pass withDeps: true.',
  },
  {
    name: 'a module whose dependencies branch',
    stored: [],
    request: ['reports'],
    message:
      'Cannot enable "reports" for tenant "acme": it needs "users", "billing" and "invoicing", which are disabled (reports → invoicing → users, reports → invoicing → billing). Enable them first, or pass withDeps: true.',
  },
  {
    name: 'several modules whose dependencies are off',
    stored: [],
    request: ['analytics', 'billing', 'invoicing'],
    message:
      'Cannot enable "billing" for tenant "acme": it needs "users", which is disabled. Cannot enable "invoicing" for tenant "acme": it needs "users", which is disabled. Enable it first, or pass withDeps: true.',
  },
];

describe('planEnable', () => {
  it.each(accepted)('plans $name', ({ stored, request, options, changes, next, operation }) => {
    const state = acme(stored, { 'billing.currency': 'USD' });
    expect(planEnable(shop, state, request, options)).toEqual({
      tenant: 'acme',
      changes,
      next: { modules: next, flags: { 'billing.currency': 'USD' } },
      operation,
    });
  });

  it.each(refused)('refuses $name', ({ stored, request, message }) => {
    expect(thrownBy(() => planEnable(shop, acme(stored), request, {}))).toEqual({
      name: 'ModregError',
      code: 'refused',
      message,
    });
  });

  it('gives a refusal its parts, so each face can name the alternative its own way', () => {
    let error: unknown;
    try {
      planEnable(shop, acme(), ['reports']);
    } catch (thrown) {
      error = thrown;
    }
    expect((error as ModregError).details).toEqual({
      problem:
        'Cannot enable "reports" for tenant "acme": it needs "users", "billing" and "invoicing", which are disabled (reports → invoicing → users, reports → invoicing → billing).',
      fix: 'Enable them first',
      alternative: 'withDeps',
      paths: [
        ['reports', 'invoicing', 'users'],
        ['reports', 'invoicing', 'billing'],
      ],
    });
  });

  it('refuses an empty request as a usage error', () => {
    expect(thrownBy(() => planEnable(shop, acme(), []))).toEqual({
      name: 'ModregError',
      code: 'usage',
      message: 'Nothing to enable: name at least one module.',
    });
  });

  it('refuses a state with an invalid tenant id', () => {
    const state = { ...acme(), tenant: '../etc' };
    expect(thrownBy(() => planEnable(shop, state, ['users'])).code).toBe('invalid');
  });
});
