import type { GraphCase } from './graph-case.js';

/** Optional dependencies: waited for when present, dropped to break a cycle, skipped when blocked. */
export const optionalCases: GraphCase[] = [
  {
    name: 'a cycle closed by an optional edge is broken there',
    modules: [
      { name: 'a', requires: ['b'] },
      { name: 'b', requires: [], optional: ['a'] },
    ],
    expected: {
      order: ['b', 'a'],
      layers: [['b'], ['a']],
      warnings: [
        {
          module: 'b',
          message: 'optional dependency "a" is not waited for: it would close the cycle b → a → b',
        },
      ],
      droppedEdges: [{ from: 'b', to: 'a' }],
    },
  },
  {
    // Stuck on optional edges only, the first name whose required dependencies are loaded
    // goes first: a loads before b, so a does not wait for b.
    name: 'an all-optional cycle loads the first name first',
    modules: [
      { name: 'b', requires: [], optional: ['a'] },
      { name: 'a', requires: [], optional: ['b'] },
    ],
    expected: {
      order: ['a', 'b'],
      layers: [['a'], ['b']],
      warnings: [
        {
          module: 'a',
          message: 'optional dependency "b" is not waited for: it would close the cycle a → b → a',
        },
      ],
      droppedEdges: [{ from: 'a', to: 'b' }],
    },
  },
  {
    name: 'optional cycles in two components: dropped edges listed by name',
    modules: [
      { name: 'a', requires: ['c'], optional: ['b'] },
      { name: 'b', requires: [], optional: ['a'] },
      { name: 'c', requires: [], optional: ['d'] },
      { name: 'd', requires: [], optional: ['c'] },
    ],
    expected: {
      order: ['b', 'c', 'a', 'd'],
      layers: [
        ['b', 'c'],
        ['a', 'd'],
      ],
      warnings: [
        {
          module: 'b',
          message: 'optional dependency "a" is not waited for: it would close the cycle b → a → b',
        },
        {
          module: 'c',
          message: 'optional dependency "d" is not waited for: it would close the cycle c → d → c',
        },
      ],
      droppedEdges: [
        { from: 'b', to: 'a' },
        { from: 'c', to: 'd' },
      ],
    },
  },
  {
    name: 'an optional dependency on a blocked module is left out with a warning',
    modules: [
      { name: 'a', requires: [], optional: ['b'] },
      { name: 'b', requires: ['gone'] },
    ],
    expected: {
      order: ['a'],
      layers: [['a']],
      blocked: [
        {
          module: 'b',
          reason: 'requires "gone", which is not among the modules',
          cause: 'missing-dependency',
        },
      ],
      warnings: [
        { module: 'a', message: 'optional dependency "b" is blocked; "a" loads without it' },
      ],
    },
  },
  {
    name: 'a dependency both required and optional is required',
    modules: [
      { name: 'a', requires: ['b'], optional: ['b'] },
      { name: 'b', requires: ['gone'] },
      { name: 'c', requires: ['d'], optional: ['d'] },
      { name: 'd', requires: [], optional: ['c'] },
    ],
    expected: {
      order: ['d', 'c'],
      layers: [['d'], ['c']],
      blocked: [
        {
          module: 'a',
          reason:
            'requires "b", which cannot load (a → b: "b" requires "gone", which is not among the modules)',
          cause: 'blocked-dependency',
        },
        {
          module: 'b',
          reason: 'requires "gone", which is not among the modules',
          cause: 'missing-dependency',
        },
      ],
      warnings: [
        {
          module: 'd',
          message: 'optional dependency "c" is not waited for: it would close the cycle d → c → d',
        },
      ],
      droppedEdges: [{ from: 'd', to: 'c' }],
    },
  },
];
