import { describe, expect, it } from 'vitest';
import { planFlags } from '../../src/planner/flags.js';
import type { FlagOptions, PlannedChange } from '../../src/planner/types.js';
import type { JsonValue } from '../../src/tenant/types.js';
import { acme, planningRegistryOf, SHOP, thrownBy } from './planner-registry.js';

const shop = planningRegistryOf(SHOP);
const CURRENT = { 'billing.currency': 'USD', theme: { dark: true, size: 2 } };
const KEY_RULE =
  'a flag key is 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit. Choose a key that follows this rule.';
const NOT_JSON = 'Use null, true, false, a finite number, a string, an array or an object.';

const accepted: {
  name: string;
  set?: Record<string, JsonValue>;
  unset?: string[];
  options?: FlagOptions;
  changes: PlannedChange[];
  next: Record<string, JsonValue>;
  operation: string;
}[] = [
  {
    name: 'a declared boolean',
    set: { 'billing.new-checkout': true },
    changes: [{ flag: 'billing.new-checkout', action: 'set', reason: 'requested', to: true }],
    next: { 'billing.currency': 'USD', 'billing.new-checkout': true, theme: CURRENT.theme },
    operation: 'set billing.new-checkout = true',
  },
  {
    name: 'a new value over the current one, and the same value as no change',
    set: { theme: { size: 2, dark: true }, 'billing.currency': 'GBP' },
    options: { strict: false },
    changes: [
      { flag: 'billing.currency', action: 'set', reason: 'requested', from: 'USD', to: 'GBP' },
    ],
    next: { 'billing.currency': 'GBP', theme: CURRENT.theme },
    operation: 'set theme = {"size":2,"dark":true}, billing.currency = "GBP"',
  },
  {
    name: 'numbers, JSON and undeclared keys, sets by key then unsets by key',
    set: { 'reports.layout': [1, { a: null }], 'invoicing.max-lines': 2.5, zeta: 'z' },
    unset: ['theme', 'absent', 'billing.currency'],
    changes: [
      { flag: 'invoicing.max-lines', action: 'set', reason: 'requested', to: 2.5 },
      { flag: 'reports.layout', action: 'set', reason: 'requested', to: [1, { a: null }] },
      { flag: 'zeta', action: 'set', reason: 'requested', to: 'z' },
      { flag: 'billing.currency', action: 'unset', reason: 'requested', from: 'USD' },
      { flag: 'theme', action: 'unset', reason: 'requested', from: CURRENT.theme },
    ],
    next: { 'invoicing.max-lines': 2.5, 'reports.layout': [1, { a: null }], zeta: 'z' },
    operation:
      'set reports.layout = [1,{"a":null}], invoicing.max-lines = 2.5, zeta = "z"; unset theme, absent, billing.currency',
  },
  {
    name: 'a declared key in strict mode; unsetting an absent key is no change',
    set: { 'analytics.sample-rate': 0 },
    unset: ['absent'],
    options: { strict: true },
    changes: [{ flag: 'analytics.sample-rate', action: 'set', reason: 'requested', to: 0 }],
    next: { 'analytics.sample-rate': 0, 'billing.currency': 'USD', theme: CURRENT.theme },
    operation: 'set analytics.sample-rate = 0; unset absent (strict)',
  },
];

const refused: {
  name: string;
  set?: Record<string, unknown>;
  unset?: string[];
  options?: FlagOptions;
  message: string;
}[] = [
  {
    name: 'the key __proto__',
    set: JSON.parse('{"__proto__": {"polluted": true}}'),
    message: `Cannot set flag "__proto__" for tenant "acme": ${KEY_RULE}`,
  },
  {
    name: 'unsetting an invalid key',
    unset: ['.hidden'],
    message: `Cannot unset flag ".hidden" for tenant "acme": ${KEY_RULE}`,
  },
  {
    name: 'a string for a boolean flag',
    set: { 'billing.new-checkout': 'true' },
    message:
      'Cannot set flag "billing.new-checkout" for tenant "acme": module "billing" declares it as a boolean, and the string "true" is not one. Use true or false.',
  },
  {
    name: 'a number for a string flag',
    set: { 'billing.currency': 12 },
    message:
      'Cannot set flag "billing.currency" for tenant "acme": module "billing" declares it as a string, and the number 12 is not one. Use a string.',
  },
  {
    name: 'an object for a number flag',
    set: { 'invoicing.max-lines': { n: 1 } },
    message:
      'Cannot set flag "invoicing.max-lines" for tenant "acme": module "invoicing" declares it as a number, and the object {"n":1} is not one. Use a finite number, e.g. 10 or 2.5.',
  },
  {
    name: 'an infinite number',
    set: { 'invoicing.max-lines': Number.POSITIVE_INFINITY },
    message: `Cannot set flag "invoicing.max-lines" for tenant "acme": its value is not JSON (Infinity is not a finite number). ${NOT_JSON}`,
  },
  {
    name: 'a value that is not JSON, deep inside',
    set: { 'reports.layout': { columns: [1, undefined] } },
    message: `Cannot set flag "reports.layout" for tenant "acme": its value is not JSON (undefined is not a JSON value). ${NOT_JSON}`,
  },
  {
    name: 'a class instance',
    set: { when: new Date(0) },
    message: `Cannot set flag "when" for tenant "acme": its value is not JSON (only plain objects and arrays are JSON). ${NOT_JSON}`,
  },
  {
    name: 'a value nested too deep',
    set: { deep: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) },
    message: `Cannot set flag "deep" for tenant "acme": its value is not JSON (it is nested more than 64 levels deep). ${NOT_JSON}`,
  },
  {
    name: 'a value over the size limit, counted in bytes',
    set: { blob: 'é'.repeat(5000) },
    message:
      'Cannot set flag "blob" for tenant "acme": its value is 10002 bytes of JSON, over the limit of 8192 bytes. Keep large data elsewhere and store a reference to it in the flag.',
  },
  {
    name: 'an undeclared key in strict mode, suggesting the nearest declared one',
    set: { 'billing.new-chekout': true },
    options: { strict: true },
    message:
      'Cannot set flag "billing.new-chekout" for tenant "acme": no module declares it, and strict refuses undeclared flags. Did you mean "billing.new-checkout"?',
  },
  {
    name: 'an undeclared key in strict mode, far from every declared one',
    set: { colour: 'red' },
    options: { strict: true },
    message:
      'Cannot set flag "colour" for tenant "acme": no module declares it, and strict refuses undeclared flags. Declare it in a module\'s flags, or set it without strict.',
  },
];

describe('planFlags', () => {
  it.each(accepted)('plans $name', ({ set, unset, options, changes, next, operation }) => {
    const plan = planFlags(shop, acme(['users'], CURRENT), { set, unset }, options);
    expect(plan).toEqual({
      tenant: 'acme',
      changes,
      next: { modules: ['users'], flags: next },
      operation,
    });
    expect(Object.keys(plan.next.flags)).toEqual(Object.keys(next).sort());
  });

  it.each(refused)('refuses $name', ({ set, unset, options, message }) => {
    const changes = { set: set as Record<string, JsonValue>, unset };
    expect(thrownBy(() => planFlags(shop, acme([], CURRENT), changes, options))).toEqual({
      name: 'ModregError',
      code: 'refused',
      message,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a cyclic value', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const changes = { set: { loop: cyclic as JsonValue } };
    expect(thrownBy(() => planFlags(shop, acme(), changes)).message).toBe(
      `Cannot set flag "loop" for tenant "acme": its value is not JSON (it is nested more than 64 levels deep). ${NOT_JSON}`,
    );
  });

  it.each([
    [{}, 'Nothing to change: set or unset at least one flag.'],
    [{ set: {}, unset: [] }, 'Nothing to change: set or unset at least one flag.'],
    [{ set: { a: 1 }, unset: ['a'] }, 'Flag "a" is both set and unset; choose one.'],
  ])('refuses %j as a usage error', (changes, message) => {
    expect(thrownBy(() => planFlags(shop, acme(), changes))).toEqual({
      name: 'ModregError',
      code: 'usage',
      message,
    });
  });

  it('stores a copy of an object value, not the caller’s object', () => {
    const value = { columns: 4 };
    const plan = planFlags(shop, acme(), { set: { 'reports.layout': value } });
    value.columns = 5;
    expect(plan.next.flags['reports.layout']).toEqual({ columns: 4 });
  });
});
