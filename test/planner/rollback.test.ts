import { describe, expect, it } from 'vitest';
import { planRollback } from '../../src/planner/rollback.js';
import type { PlannedChange } from '../../src/planner/types.js';
import type { TenantSettings } from '../../src/tenant/types.js';
import { acme, planningRegistryOf, SHOP, thrownBy } from './planner-registry.js';

const shop = planningRegistryOf(SHOP);
const current = acme(['billing', 'invoicing', 'reports', 'users'], {
  'billing.currency': 'USD',
  theme: { dark: true },
});
const FIX = 'Enable and disable the modules you need one by one instead.';

const accepted: {
  name: string;
  target: TenantSettings;
  revision: number;
  changes: PlannedChange[];
  next: TenantSettings;
}[] = [
  {
    name: 'disables dependents first, then enables in load order, then flags by key',
    target: {
      modules: ['users', 'analytics'],
      flags: { theme: { dark: true }, 'billing.new-checkout': true },
    },
    revision: 3,
    changes: [
      { module: 'reports', action: 'disable', reason: 'restores revision 3' },
      { module: 'invoicing', action: 'disable', reason: 'restores revision 3' },
      { module: 'billing', action: 'disable', reason: 'restores revision 3' },
      { module: 'analytics', action: 'enable', reason: 'restores revision 3' },
      { flag: 'billing.new-checkout', action: 'set', reason: 'restores revision 3', to: true },
      { flag: 'billing.currency', action: 'unset', reason: 'restores revision 3', from: 'USD' },
    ],
    next: {
      modules: ['analytics', 'users'],
      flags: { 'billing.new-checkout': true, theme: { dark: true } },
    },
  },
  {
    name: 'changes nothing when the target is the current state; core modules stay implicit',
    target: {
      modules: ['users', 'reports', 'invoicing', 'billing', 'core'],
      flags: { theme: { dark: true }, 'billing.currency': 'USD' },
    },
    revision: 7,
    changes: [],
    next: {
      modules: ['billing', 'invoicing', 'reports', 'users'],
      flags: { 'billing.currency': 'USD', theme: { dark: true } },
    },
  },
  {
    name: 'restores revision 0, where nothing was set',
    target: { modules: [], flags: {} },
    revision: 0,
    changes: [
      { module: 'reports', action: 'disable', reason: 'restores revision 0' },
      { module: 'invoicing', action: 'disable', reason: 'restores revision 0' },
      { module: 'billing', action: 'disable', reason: 'restores revision 0' },
      { module: 'users', action: 'disable', reason: 'restores revision 0' },
      {
        flag: 'billing.currency',
        action: 'unset',
        reason: 'restores revision 0',
        from: 'USD',
      },
      { flag: 'theme', action: 'unset', reason: 'restores revision 0', from: { dark: true } },
    ],
    next: { modules: [], flags: {} },
  },
  {
    name: 'changes a flag value',
    target: {
      modules: ['billing', 'invoicing', 'reports', 'users'],
      flags: { 'billing.currency': 'EUR', theme: { dark: true } },
    },
    revision: 2,
    changes: [
      {
        flag: 'billing.currency',
        action: 'set',
        reason: 'restores revision 2',
        from: 'USD',
        to: 'EUR',
      },
    ],
    next: {
      modules: ['billing', 'invoicing', 'reports', 'users'],
      flags: { 'billing.currency': 'EUR', theme: { dark: true } },
    },
  },
];

const refused: { name: string; target: TenantSettings; message: string }[] = [
  {
    name: 'a module the registry no longer has',
    target: { modules: ['users', 'legacy'], flags: {} },
    message: `that revision enables "legacy", which is no longer in the registry. ${FIX}`,
  },
  {
    name: 'a module that is blocked now',
    target: { modules: ['ledger'], flags: {} },
    message: `that revision enables "ledger", which cannot load now ("ledger" requires "gone", which is not among the modules). ${FIX}`,
  },
  {
    name: 'a module that requires more now',
    target: { modules: ['reports', 'invoicing'], flags: {} },
    message: `that revision enables "invoicing", which now requires "users" and "billing", and that revision does not enable them. ${FIX}`,
  },
  {
    name: 'a flag value of a type no longer declared',
    target: { modules: [], flags: { 'billing.new-checkout': 'on' } },
    message:
      'that revision\'s flag "billing.new-checkout" does not fit: module "billing" declares it as a boolean, and the string "on" is not one. Use true or false.',
  },
  {
    name: 'a flag key that is not valid',
    target: { modules: [], flags: JSON.parse('{"__proto__": true}') },
    message:
      'that revision\'s flag "__proto__" does not fit: a flag key is 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit. Choose a key that follows this rule.',
  },
];

describe('planRollback', () => {
  it.each(accepted)('$name', ({ target, revision, changes, next }) => {
    expect(planRollback(shop, current, target, revision)).toEqual({
      tenant: 'acme',
      changes,
      next,
      operation: `roll back to revision ${revision}`,
    });
  });

  it.each(refused)('refuses $name', ({ target, message }) => {
    expect(thrownBy(() => planRollback(shop, current, target, 4))).toEqual({
      name: 'ModregError',
      code: 'refused',
      message: `Cannot roll tenant "acme" back to revision 4: the registry changed since revision 4, and ${message}`,
    });
  });

  it.each([-1, 1.5, Number.NaN])('refuses revision %s as a usage error', (revision) => {
    expect(
      thrownBy(() => planRollback(shop, current, { modules: [], flags: {} }, revision)),
    ).toEqual({
      name: 'ModregError',
      code: 'usage',
      message: `A revision is a whole number, 0 or more, not ${Number.isNaN(revision) ? 'null' : revision}.`,
    });
  });
});
