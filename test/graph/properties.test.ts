import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDependencyGraph } from '../../src/graph/build-graph.js';
import { modulesArb, reorderedArb } from './graph-arbitraries.js';
import {
  compareCycles,
  compareNames,
  edgeKey,
  hasCycle,
  keptEdges,
  loadableModules,
  modelOf,
  reaches,
  smallestTopologicalOrder,
} from './graph-model.js';

const RUNS = { numRuns: 400 };

describe('buildDependencyGraph properties', () => {
  it('orders every module after the dependencies it waits for; only optional edges are dropped', () => {
    fc.assert(
      fc.property(modulesArb, (modules) => {
        const model = modelOf(modules);
        const result = buildDependencyGraph(modules);
        const position = new Map(result.order.map((name, i) => [name, i]));
        const dropped = new Set(result.droppedEdges.map((e) => edgeKey(e.from, e.to)));
        expect(dropped.size).toBe(result.droppedEdges.length);
        expect(result.droppedEdges).toEqual(
          [...result.droppedEdges].sort(
            (x, y) => compareNames(x.from, y.from) || compareNames(x.to, y.to),
          ),
        );
        for (const edge of result.droppedEdges) {
          expect(model.optional.get(edge.from)?.has(edge.to)).toBe(true);
          expect(position.has(edge.from) && position.has(edge.to)).toBe(true);
        }
        for (const name of result.order) {
          for (const dep of model.required.get(name) ?? []) {
            expect(position.get(dep)).toBeLessThan(position.get(name) as number);
          }
          for (const dep of model.optional.get(name) ?? []) {
            if (!position.has(dep) || dropped.has(edgeKey(name, dep))) continue;
            expect(position.get(dep)).toBeLessThan(position.get(name) as number);
          }
        }
      }),
      RUNS,
    );
  });

  it('drops only optional edges that would close a cycle with the kept edges', () => {
    fc.assert(
      fc.property(modulesArb, (modules) => {
        const model = modelOf(modules);
        const result = buildDependencyGraph(modules);
        const kept = keptEdges(model, result);
        for (const edge of result.droppedEdges) {
          expect(reaches(kept, edge.to, edge.from)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('gives the lexicographically smallest order over the kept edges', () => {
    fc.assert(
      fc.property(modulesArb, (modules) => {
        const result = buildDependencyGraph(modules);
        const kept = keptEdges(modelOf(modules), result);
        expect(result.order).toEqual(smallestTopologicalOrder(kept));
      }),
      RUNS,
    );
  });

  it('gives the same result whatever the order of modules and of their dependencies', () => {
    fc.assert(
      fc.property(reorderedArb, ({ modules, reordered }) => {
        expect(buildDependencyGraph(reordered)).toEqual(buildDependencyGraph(modules));
      }),
      RUNS,
    );
  });

  it('reports a cycle iff the required edges between present modules have one', () => {
    fc.assert(
      fc.property(modulesArb, (modules) => {
        const model = modelOf(modules);
        const result = buildDependencyGraph(modules);
        expect(result.cycles.length > 0).toBe(hasCycle(model));
      }),
      RUNS,
    );
  });

  it('reports each cycle as a real, simple cycle of required edges, and covers every such edge', () => {
    fc.assert(
      fc.property(modulesArb, (modules) => {
        const model = modelOf(modules);
        const { cycles } = buildDependencyGraph(modules);
        const onCycle = new Set<string>();
        for (const cycle of cycles) {
          const inner = cycle.slice(0, -1);
          expect(inner.length).toBeGreaterThanOrEqual(2);
          expect(cycle[cycle.length - 1]).toBe(cycle[0]);
          expect(new Set(inner).size).toBe(inner.length);
          expect(cycle[0]).toBe([...inner].sort(compareNames)[0]);
          for (let i = 0; i + 1 < cycle.length; i++) {
            const from = cycle[i] as string;
            const to = cycle[i + 1] as string;
            expect(model.required.get(from)?.has(to)).toBe(true);
            onCycle.add(edgeKey(from, to));
          }
        }
        const keys = cycles.map((c) => c.join(' '));
        expect(new Set(keys).size).toBe(keys.length);
        expect(cycles).toEqual([...cycles].sort(compareCycles));
        // A graph this small stays under the 50-cycle limit, so every cyclic edge is shown.
        for (const [from, deps] of model.required) {
          for (const to of deps) {
            if (reaches(model.required, to, from))
              expect(onCycle.has(edgeKey(from, to))).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('blocks exactly the modules that cannot load, each with its cause', () => {
    fc.assert(
      fc.property(modulesArb, (modules) => {
        const model = modelOf(modules);
        const result = buildDependencyGraph(modules);
        const loadable = loadableModules(model);
        const blockedNames = result.blocked.map((b) => b.module);
        expect(blockedNames).toEqual(
          [...model.names].filter((n) => !loadable.has(n)).sort(compareNames),
        );
        expect([...result.order].sort(compareNames)).toEqual(
          [...model.names].filter((n) => loadable.has(n)).sort(compareNames),
        );
        expect(new Set(result.order).size).toBe(result.order.length);
        for (const blocked of result.blocked) {
          const name = blocked.module;
          const missing = [...(model.missing.get(name) ?? [])].sort(compareNames);
          const unloadable = model.unloadable.get(name);
          if (reaches(model.required, name, name)) {
            expect(blocked.cause).toBe('cycle');
            expect(blocked.reason).toMatch(/^is in a dependency cycle: /);
          } else if (unloadable !== undefined) {
            expect(blocked).toEqual({ module: name, reason: unloadable, cause: 'unloadable' });
          } else if (missing.length > 0) {
            const list = missing.map((m) => `"${m}"`).join(', ');
            const which = missing.length === 1 ? 'which is' : 'which are';
            expect(blocked.cause).toBe('missing-dependency');
            expect(blocked.reason).toBe(`requires ${list}, ${which} not among the modules`);
          } else {
            expect(blocked.cause).toBe('blocked-dependency');
            const dep = /^requires "([^"]*)", which cannot load \(/.exec(blocked.reason)?.[1];
            expect(dep !== undefined && model.required.get(name)?.has(dep)).toBe(true);
            expect(loadable.has(dep as string)).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it('warns once for each optional dependency left out, and for nothing else', () => {
    fc.assert(
      fc.property(modulesArb, (modules) => {
        const model = modelOf(modules);
        const result = buildDependencyGraph(modules);
        const loadable = loadableModules(model);
        const kept = keptEdges(model, result);
        const expected: string[] = [];
        for (const name of result.order) {
          for (const dep of model.optional.get(name) ?? []) {
            if (!loadable.has(dep)) {
              expected.push(
                `${name}: optional dependency "${dep}" is blocked; "${name}" loads without it`,
              );
            }
          }
        }
        for (const { from, to } of result.droppedEdges) {
          const warning = result.warnings.find(
            (w) => w.module === from && w.message.startsWith(`optional dependency "${to}" is not`),
          );
          const path = warning?.message.split('would close the cycle ')[1]?.split(' → ') ?? [];
          expect(path.slice(0, 2)).toEqual([from, to]);
          expect(path[path.length - 1]).toBe(from);
          for (let i = 1; i + 1 < path.length; i++) {
            expect(kept.get(path[i] as string)?.has(path[i + 1] as string)).toBe(true);
          }
          expected.push(`${from}: ${warning?.message}`);
        }
        const actual = result.warnings.map((w) => `${w.module}: ${w.message}`);
        expect(actual).toEqual([...expected].sort(compareWarnings));
      }),
      RUNS,
    );
  });

  it('splits the order into layers: one past the deepest dependency, members by name', () => {
    fc.assert(
      fc.property(modulesArb, (modules) => {
        const result = buildDependencyGraph(modules);
        const kept = keptEdges(modelOf(modules), result);
        expect([...result.layers.flat()].sort(compareNames)).toEqual(
          [...result.order].sort(compareNames),
        );
        const layerOf = new Map<string, number>();
        result.layers.forEach((layer, k) => {
          expect(layer.length).toBeGreaterThan(0);
          expect(layer).toEqual([...layer].sort(compareNames));
          for (const name of layer) layerOf.set(name, k);
        });
        for (const [k, layer] of result.layers.entries()) {
          for (const name of layer) {
            const depLayers = [...(kept.get(name) ?? [])].map((dep) => layerOf.get(dep) as number);
            for (const depLayer of depLayers) expect(depLayer).toBeLessThan(k);
            if (k > 0) expect(depLayers).toContain(k - 1);
          }
        }
      }),
      RUNS,
    );
  });
});

/** Warnings as `module: message`, by module and then message. */
function compareWarnings(a: string, b: string): number {
  const [moduleA = '', messageA = ''] = splitWarning(a);
  const [moduleB = '', messageB = ''] = splitWarning(b);
  return compareNames(moduleA, moduleB) || compareNames(messageA, messageB);
}

function splitWarning(line: string): string[] {
  const at = line.indexOf(': ');
  return [line.slice(0, at), line.slice(at + 2)];
}
