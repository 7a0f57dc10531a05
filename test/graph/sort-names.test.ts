import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameOrder } from '../../src/graph/sort-names.js';

const sortNames = (names: string[]) => Array.from(nameOrder(names), (i) => names[i]);

describe('nameOrder', () => {
  it('sorts like the built-in sort: code-unit order', () => {
    const name = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', '_', '-', '0', 'Z'), maxLength: 6 }),
      fc.string({ maxLength: 8 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(name, { maxLength: 200 }), (names) => {
        expect(sortNames([...names])).toEqual([...names].sort());
      }),
      { numRuns: 500 },
    );
  });

  it('keeps equal names in input order', () => {
    expect(Array.from(nameOrder(['b', 'a', 'b', 'a', 'b']))).toEqual([1, 3, 0, 2, 4]);
    const many = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 'same' : 'other'));
    const order = Array.from(nameOrder(many));
    expect(order).toEqual([
      ...order.filter((i) => i % 2 === 1),
      ...order.filter((i) => i % 2 === 0),
    ]);
    expect(order.filter((i) => i % 2 === 0)).toEqual(
      [...order.filter((i) => i % 2 === 0)].sort((a, b) => a - b),
    );
  });

  it('handles long shared prefixes, duplicates and prefixes of each other', () => {
    const names = Array.from({ length: 300 }, (_, i) => `module_shared_prefix_${i % 97}`);
    names.push('module', 'module_', '', 'module_shared_prefix_');
    expect(sortNames([...names].reverse())).toEqual([...names].sort());
  });
});
