import { describe, expect, it } from 'vitest';
import { parseFlagInput } from '../../src/planner/flag-input.js';
import { flagValues } from '../../src/planner/flag-values.js';
import type { JsonValue } from '../../src/tenant/types.js';
import { planningRegistryOf, SHOP, thrownBy } from './planner-registry.js';

const shop = planningRegistryOf(SHOP);

describe('parseFlagInput', () => {
  it.each<[string, string, JsonValue]>([
    ['billing.new-checkout', 'true', true],
    ['billing.new-checkout', 'false', false],
    ['invoicing.max-lines', '10', 10],
    ['invoicing.max-lines', '-2.5', -2.5],
    ['invoicing.max-lines', '.5', 0.5],
    ['invoicing.max-lines', '1e3', 1000],
    ['billing.currency', 'true', 'true'],
    ['billing.currency', ' EUR ', ' EUR '],
    ['billing.currency', '', ''],
    ['reports.layout', '{"columns":4}', { columns: 4 }],
    ['reports.layout', '"text"', 'text'],
    ['reports.layout', 'null', null],
    ['undeclared', '42', 42],
    ['undeclared', '[1,"a"]', [1, 'a']],
    ['undeclared', 'true', true],
    ['undeclared', 'blue', 'blue'],
    ['undeclared', '1e999', '1e999'],
    ['__proto__', '{"a":1}', { a: 1 }],
  ])('reads %s=%s', (key, raw, expected) => {
    expect(parseFlagInput(shop, key, raw)).toEqual(expected);
  });

  it.each([
    [
      'billing.new-checkout',
      'yes',
      'Cannot set flag "billing.new-checkout": module "billing" declares it as a boolean, and the string "yes" is not one. Use true or false.',
    ],
    [
      'billing.new-checkout',
      'TRUE',
      'Cannot set flag "billing.new-checkout": module "billing" declares it as a boolean, and the string "TRUE" is not one. Use true or false.',
    ],
    [
      'invoicing.max-lines',
      'ten',
      'Cannot set flag "invoicing.max-lines": module "invoicing" declares it as a number, and "ten" is not a finite number. Use a number, e.g. 10 or 2.5.',
    ],
    [
      'invoicing.max-lines',
      '1e999',
      'Cannot set flag "invoicing.max-lines": module "invoicing" declares it as a number, and "1e999" is not a finite number. Use a number, e.g. 10 or 2.5.',
    ],
    [
      'invoicing.max-lines',
      '',
      'Cannot set flag "invoicing.max-lines": module "invoicing" declares it as a number, and "" is not a finite number. Use a number, e.g. 10 or 2.5.',
    ],
  ])('refuses %s=%s', (key, raw, message) => {
    expect(thrownBy(() => parseFlagInput(shop, key, raw))).toEqual({
      name: 'ModregError',
      code: 'refused',
      message,
    });
  });

  it('refuses text that is not JSON for a JSON flag, with the parse error', () => {
    const { code, message } = thrownBy(() => parseFlagInput(shop, 'reports.layout', '{columns'));
    expect(code).toBe('refused');
    expect(message).toMatch(
      /^Cannot set flag "reports\.layout": module "reports" declares it as JSON, and "\{columns" is not valid JSON \(.+\)\. Write a JSON value, e\.g\. \{"limit":10\} or "text" with its quotes\.$/,
    );
  });
});

describe('flagValues', () => {
  it('gives every declared default, overlaid by the tenant’s values', () => {
    const values = flagValues(shop, {
      modules: [],
      flags: { 'billing.currency': 'USD', theme: 'dark', 'reports.layout': [1] },
    });
    expect(values).toEqual({
      'analytics.sample-rate': null,
      'billing.currency': 'USD',
      'billing.new-checkout': false,
      'invoicing.max-lines': 100,
      'reports.layout': [1],
      theme: 'dark',
    });
    expect(Object.keys(values)).toEqual(Object.keys(values).sort());
  });

  it('falls back to the default for a value whose type no longer matches', () => {
    const values = flagValues(shop, {
      modules: [],
      flags: { 'billing.new-checkout': 'yes', 'invoicing.max-lines': 7 },
    });
    expect(values['billing.new-checkout']).toBe(false);
    expect(values['invoicing.max-lines']).toBe(7);
  });

  it('hands out copies of object defaults', () => {
    const first = flagValues(shop, { modules: [], flags: {} });
    (first['reports.layout'] as { columns: number }).columns = 9;
    expect(flagValues(shop, { modules: [], flags: {} })['reports.layout']).toEqual({ columns: 3 });
  });
});
