import type { GraphCase } from './graph-case.js';

/** Load order and layers, and how the input is read: self-dependencies, repeats, odd names. */
export const orderCases: GraphCase[] = [
  { name: 'empty input', modules: [], expected: {} },
  {
    name: 'a chain, listed dependents first',
    modules: [
      { name: 'c', requires: ['b'] },
      { name: 'b', requires: ['a'] },
      { name: 'a', requires: [] },
    ],
    expected: { order: ['a', 'b', 'c'], layers: [['a'], ['b'], ['c']] },
  },
  {
    // Layer by layer would give b, c, d, a; the smallest topological order takes a before d.
    name: 'ties by name: the lexicographically smallest topological order',
    modules: [
      { name: 'd', requires: [] },
      { name: 'a', requires: ['c'] },
      { name: 'c', requires: [] },
      { name: 'b', requires: [] },
    ],
    expected: { order: ['b', 'c', 'a', 'd'], layers: [['b', 'c', 'd'], ['a']] },
  },
  {
    name: 'layers: one more than the deepest dependency, members by name',
    modules: [
      { name: 'e', requires: ['c', 'd'] },
      { name: 'd', requires: [] },
      { name: 'c', requires: ['a', 'b'] },
      { name: 'b', requires: ['a'] },
      { name: 'a', requires: [] },
    ],
    expected: {
      order: ['a', 'b', 'c', 'd', 'e'],
      layers: [['a', 'd'], ['b'], ['c'], ['e']],
    },
  },
  {
    name: 'a self dependency is ignored, required or optional',
    modules: [
      { name: 'a', requires: ['a'] },
      { name: 'b', requires: [], optional: ['b'] },
    ],
    expected: { order: ['a', 'b'], layers: [['a', 'b']] },
  },
  {
    name: 'repeated dependencies count once',
    modules: [
      { name: 'a', requires: ['b', 'b'] },
      { name: 'b', requires: ['a', 'a'], optional: ['a'] },
      { name: 'c', requires: ['d', 'd'], optional: ['d', 'd'] },
      { name: 'd', requires: [] },
    ],
    expected: {
      order: ['d', 'c'],
      layers: [['d'], ['c']],
      cycles: [['a', 'b', 'a']],
      blocked: [
        { module: 'a', reason: 'is in a dependency cycle: a → b → a', cause: 'cycle' },
        { module: 'b', reason: 'is in a dependency cycle: a → b → a', cause: 'cycle' },
      ],
    },
  },
  {
    name: 'a repeated module name: the first one wins',
    modules: [
      { name: 'a', requires: ['b'] },
      { name: 'b', requires: [] },
      { name: 'a', requires: ['missing'], unloadable: 'is the second a' },
      { name: 'b', requires: ['a'] },
    ],
    expected: { order: ['b', 'a'], layers: [['b'], ['a']] },
  },
  {
    name: 'a present optional dependency loads first',
    modules: [
      { name: 'a', requires: [], optional: ['b'] },
      { name: 'b', requires: [] },
    ],
    expected: { order: ['b', 'a'], layers: [['b'], ['a']] },
  },
  {
    name: 'a missing optional dependency is ignored',
    modules: [{ name: 'a', requires: [], optional: ['ghost'] }],
    expected: { order: ['a'], layers: [['a']] },
  },
  {
    name: 'names that are Object.prototype members',
    modules: [
      { name: '__proto__', requires: ['constructor'] },
      { name: 'constructor', requires: [], optional: ['toString'] },
      { name: 'toString', requires: [] },
      { name: 'valueOf', requires: ['hasOwnProperty'] },
    ],
    expected: {
      order: ['toString', 'constructor', '__proto__'],
      layers: [['toString'], ['constructor'], ['__proto__']],
      blocked: [
        {
          module: 'valueOf',
          reason: 'requires "hasOwnProperty", which is not among the modules',
          cause: 'missing-dependency',
        },
      ],
    },
  },
];
