import { describe, expect, it } from 'vitest';
import { planDisable } from '../../src/planner/disable.js';
import type { DisableOptions, PlannedChange } from '../../src/planner/types.js';
import { acme, planningRegistryOf, SHOP, thrownBy } from './planner-registry.js';

const shop = planningRegistryOf(SHOP);
const ALL = ['analytics', 'billing', 'invoicing', 'reports', 'users'];

const disable = (module: string, reason = 'requested'): PlannedChange => ({
  module,
  action: 'disable',
  reason,
});

const accepted: {
  name: string;
  stored: string[];
  request: string[];
  options?: DisableOptions;
  changes: PlannedChange[];
  next: string[];
  operation: string;
}[] = [
  {
    name: 'a module nothing requires',
    stored: ALL,
    request: ['reports'],
    changes: [disable('reports')],
    next: ['analytics', 'billing', 'invoicing', 'users'],
    operation: 'disable reports',
  },
  {
    name: 'an optional dependency of an enabled module',
    stored: ALL,
    request: ['analytics'],
    changes: [disable('analytics')],
    next: ['billing', 'invoicing', 'reports', 'users'],
    operation: 'disable analytics',
  },
  {
    name: 'a module with its dependents, named together, dependents first',
    stored: ALL,
    request: ['billing', 'reports', 'invoicing'],
    changes: [disable('reports'), disable('invoicing'), disable('billing')],
    next: ['analytics', 'users'],
    operation: 'disable billing, reports, invoicing',
  },
  {
    name: 'every dependent with --cascade, transitively, dependents first',
    stored: ALL,
    request: ['users'],
    options: { cascade: true },
    changes: [
      disable('reports', 'requires invoicing'),
      disable('invoicing', 'requires users'),
      disable('billing', 'requires users'),
      disable('users'),
    ],
    next: ['analytics'],
    operation: 'disable users (and what requires it)',
  },
  {
    name: 'a requested module that requires a cascaded one before it, in reverse load order',
    stored: ALL,
    request: ['users', 'reports'],
    options: { cascade: true },
    changes: [
      disable('reports'),
      disable('invoicing', 'requires users'),
      disable('billing', 'requires users'),
      disable('users'),
    ],
    next: ['analytics'],
    operation: 'disable users, reports (and what requires it)',
  },
  {
    name: 'a module through a dependent that is itself cascaded',
    stored: ['billing', 'invoicing', 'reports', 'users'],
    request: ['billing'],
    options: { cascade: true },
    changes: [
      disable('reports', 'requires invoicing'),
      disable('invoicing', 'requires billing'),
      disable('billing'),
    ],
    next: ['users'],
    operation: 'disable billing (and what requires it)',
  },
  {
    name: 'nothing for a module that is off, or blocked',
    stored: ['users'],
    request: ['analytics', 'ledger'],
    changes: [],
    next: ['users'],
    operation: 'disable analytics, ledger',
  },
  {
    name: 'a stored module the registry no longer has',
    stored: ['legacy', 'users'],
    request: ['legacy'],
    changes: [disable('legacy')],
    next: ['users'],
    operation: 'disable legacy',
  },
];

const refused: { name: string; stored: string[]; request: string[]; message: string }[] = [
  {
    name: 'a core module',
    stored: ALL,
    request: ['users', 'auth'],
    message: '"auth" is a core module: it is enabled for every tenant and cannot be disabled.',
  },
  {
    name: 'an unknown module, suggesting the nearest name',
    stored: ALL,
    request: ['reprots'],
    message:
      'Cannot disable "reprots" for tenant "acme": there is no module of that name in the registry. Did you mean "reports"?',
  },
  {
    name: 'a module one enabled module requires',
    stored: ['billing', 'invoicing', 'users'],
    request: ['billing'],
    message:
      'Cannot disable "billing" for tenant "acme": it is required by "invoicing", which is enabled (invoicing → billing). Disable it first, or pass cascade: true.',
  },
  {
    name: 'a module several enabled modules require, one path each',
    stored: ALL,
    request: ['users'],
    message:
      'Cannot disable "users" for tenant "acme": it is required by enabled modules "reports", "invoicing" and "billing" (reports → invoicing → users, invoicing → users, billing → users). Disable them first, or pass cascade: true.',
  },
  {
    name: 'modules some enabled module still requires',
    stored: ALL,
    request: ['billing', 'invoicing'],
    message:
      'Cannot disable "billing" and "invoicing" for tenant "acme": they are required by "reports", which is enabled (reports → invoicing). Disable it first, or pass cascade: true.',
  },
  {
    name: 'modules that several enabled modules require',
    stored: ['analytics', 'billing', 'invoicing', 'reports', 'users'],
    request: ['billing', 'analytics', 'users'],
    message:
      'Cannot disable "users" and "billing" for tenant "acme": they are required by enabled modules "reports" and "invoicing" (reports → invoicing → users, invoicing → users). Disable them first, or pass cascade: true.',
  },
];

describe('planDisable', () => {
  it.each(accepted)('plans $name', ({ stored, request, options, changes, next, operation }) => {
    const state = acme(stored, { 'billing.currency': 'USD' });
    expect(planDisable(shop, state, request, options)).toEqual({
      tenant: 'acme',
      changes,
      next: { modules: next, flags: { 'billing.currency': 'USD' } },
      operation,
    });
  });

  it.each(refused)('refuses $name', ({ stored, request, message }) => {
    expect(thrownBy(() => planDisable(shop, acme(stored), request))).toEqual({
      name: 'ModregError',
      code: 'refused',
      message,
    });
  });

  it('refuses a module a core module requires, though it is not marked core', () => {
    const registry = planningRegistryOf([
      { name: 'kernel', core: true, requires: ['logging'] },
      { name: 'logging', requires: ['clock'] },
      { name: 'clock' },
    ]);
    expect(registry.core).toEqual(['clock', 'logging', 'kernel']);
    expect(thrownBy(() => planDisable(registry, acme(), ['clock']))).toEqual({
      name: 'ModregError',
      code: 'refused',
      message:
        'Cannot disable "clock" for tenant "acme": core module "kernel" requires it (kernel → logging → clock), so it is enabled for every tenant. Make "clock" an optional dependency of "logging" to let tenants disable it.',
    });
  });

  it('refuses an empty request as a usage error', () => {
    expect(thrownBy(() => planDisable(shop, acme(), []))).toEqual({
      name: 'ModregError',
      code: 'usage',
      message: 'Nothing to disable: name at least one module.',
    });
  });

  it('lists at most ten dependency paths', () => {
    const specs = [
      { name: 'base' },
      ...Array.from({ length: 12 }, (_, i) => ({ name: `m${i + 10}`, requires: ['base'] })),
    ];
    const registry = planningRegistryOf(specs);
    const { message } = thrownBy(() =>
      planDisable(registry, acme(specs.map((s) => s.name)), ['base']),
    );
    expect(message).toBe(
      'Cannot disable "base" for tenant "acme": it is required by enabled modules "m21", "m20", "m19", "m18", "m17", "m16", "m15", "m14", "m13", "m12" and 2 more (m21 → base, m20 → base, m19 → base, m18 → base, m17 → base, m16 → base, m15 → base, m14 → base, m13 → base, m12 → base, and 2 more). Disable them first, or pass cascade: true.',
    );
  });
});
