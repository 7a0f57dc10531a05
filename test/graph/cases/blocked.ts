import type { GraphCase } from './graph-case.js';

/** The reason given to each module of the cycle a → b → c → a. */
export const abcCycle = 'is in a dependency cycle: a → b → c → a';

/** Required cycles, missing dependencies and unloadable modules, with what they block. */
export const blockedCases: GraphCase[] = [
  {
    name: 'a 3-cycle blocks its dependents; unrelated modules still load',
    modules: [
      { name: 'g', requires: ['f'] },
      { name: 'e', requires: ['d'] },
      { name: 'c', requires: ['a'] },
      { name: 'b', requires: ['c'] },
      { name: 'd', requires: ['a'] },
      { name: 'a', requires: ['b'] },
      { name: 'f', requires: [] },
    ],
    expected: {
      order: ['f', 'g'],
      layers: [['f'], ['g']],
      cycles: [['a', 'b', 'c', 'a']],
      blocked: [
        { module: 'a', reason: abcCycle, cause: 'cycle' },
        { module: 'b', reason: abcCycle, cause: 'cycle' },
        { module: 'c', reason: abcCycle, cause: 'cycle' },
        {
          module: 'd',
          reason: `requires "a", which cannot load (d → a: "a" ${abcCycle})`,
          cause: 'blocked-dependency',
        },
        {
          module: 'e',
          reason: `requires "d", which cannot load (e → d → a: "a" ${abcCycle})`,
          cause: 'blocked-dependency',
        },
      ],
    },
  },
  {
    name: 'a cycle against name order is rotated to start at its smallest name',
    modules: [
      { name: 'c', requires: ['b'] },
      { name: 'b', requires: ['a'] },
      { name: 'a', requires: ['c'] },
    ],
    expected: {
      cycles: [['a', 'c', 'b', 'a']],
      blocked: ['a', 'b', 'c'].map((module) => ({
        module,
        reason: 'is in a dependency cycle: a → c → b → a',
        cause: 'cycle' as const,
      })),
    },
  },
  {
    name: 'two separate cycles',
    modules: [
      { name: 'e', requires: ['c'] },
      { name: 'd', requires: ['e'] },
      { name: 'c', requires: ['d'] },
      { name: 'b', requires: ['a'] },
      { name: 'a', requires: ['b'] },
      { name: 'x', requires: [] },
    ],
    expected: {
      order: ['x'],
      layers: [['x']],
      cycles: [
        ['a', 'b', 'a'],
        ['c', 'd', 'e', 'c'],
      ],
      blocked: [
        { module: 'a', reason: 'is in a dependency cycle: a → b → a', cause: 'cycle' },
        { module: 'b', reason: 'is in a dependency cycle: a → b → a', cause: 'cycle' },
        { module: 'c', reason: 'is in a dependency cycle: c → d → e → c', cause: 'cycle' },
        { module: 'd', reason: 'is in a dependency cycle: c → d → e → c', cause: 'cycle' },
        { module: 'e', reason: 'is in a dependency cycle: c → d → e → c', cause: 'cycle' },
      ],
    },
  },
  {
    name: 'cycles are listed by name, whatever depends on what',
    modules: [
      { name: 'a', requires: ['b', 'c'] },
      { name: 'b', requires: ['a'] },
      { name: 'c', requires: ['d'] },
      { name: 'd', requires: ['c'] },
    ],
    expected: {
      cycles: [
        ['a', 'b', 'a'],
        ['c', 'd', 'c'],
      ],
      blocked: [
        { module: 'a', reason: 'is in a dependency cycle: a → b → a', cause: 'cycle' },
        { module: 'b', reason: 'is in a dependency cycle: a → b → a', cause: 'cycle' },
        { module: 'c', reason: 'is in a dependency cycle: c → d → c', cause: 'cycle' },
        { module: 'd', reason: 'is in a dependency cycle: c → d → c', cause: 'cycle' },
      ],
    },
  },
  {
    // a → b → c → a and c → d → c share c: every edge of the component is on a reported cycle.
    name: 'one component, two cycles sharing a module',
    modules: [
      { name: 'd', requires: ['c'] },
      { name: 'c', requires: ['d', 'a'] },
      { name: 'b', requires: ['c'] },
      { name: 'a', requires: ['b'] },
    ],
    expected: {
      cycles: [
        ['a', 'b', 'c', 'a'],
        ['c', 'd', 'c'],
      ],
      blocked: [
        { module: 'a', reason: abcCycle, cause: 'cycle' },
        { module: 'b', reason: abcCycle, cause: 'cycle' },
        { module: 'c', reason: abcCycle, cause: 'cycle' },
        { module: 'd', reason: 'is in a dependency cycle: c → d → c', cause: 'cycle' },
      ],
    },
  },
  {
    name: 'a missing required dependency blocks the module and its dependents',
    modules: [
      { name: 'b', requires: ['a'] },
      { name: 'a', requires: ['zeta'] },
      { name: 'c', requires: ['y', 'x', 'y'] },
    ],
    expected: {
      blocked: [
        {
          module: 'a',
          reason: 'requires "zeta", which is not among the modules',
          cause: 'missing-dependency',
        },
        {
          module: 'b',
          reason:
            'requires "a", which cannot load (b → a: "a" requires "zeta", which is not among the modules)',
          cause: 'blocked-dependency',
        },
        {
          module: 'c',
          reason: 'requires "x", "y", which are not among the modules',
          cause: 'missing-dependency',
        },
      ],
    },
  },
  {
    name: 'an unloadable module blocks its required dependents',
    modules: [
      { name: 'b', requires: ['a'] },
      { name: 'a', requires: [], unloadable: 'has an invalid module.config.json' },
      { name: 'c', requires: [] },
    ],
    expected: {
      order: ['c'],
      layers: [['c']],
      blocked: [
        { module: 'a', reason: 'has an invalid module.config.json', cause: 'unloadable' },
        {
          module: 'b',
          reason: 'requires "a", which cannot load (b → a: "a" has an invalid module.config.json)',
          cause: 'blocked-dependency',
        },
      ],
    },
  },
];
