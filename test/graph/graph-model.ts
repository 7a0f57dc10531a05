import type { DependencyGraph, GraphModule } from '../../src/graph/types.js';

/** The input as plain sets: the first module of each name, self-edges and repeats removed. */
export interface GraphModel {
  names: Set<string>;
  /** Present required dependencies. */
  required: Map<string, Set<string>>;
  /** Present optional dependencies that are not also required. */
  optional: Map<string, Set<string>>;
  missing: Map<string, Set<string>>;
  unloadable: Map<string, string>;
}

/** Reads `modules` the way the graph is documented to: first of a name wins, self-edges ignored. */
export function modelOf(modules: readonly GraphModule[]): GraphModel {
  const first = new Map<string, GraphModule>();
  for (const m of modules) if (!first.has(m.name)) first.set(m.name, m);
  const names = new Set(first.keys());
  const model: GraphModel = {
    names,
    required: new Map(),
    optional: new Map(),
    missing: new Map(),
    unloadable: new Map(),
  };
  for (const [name, m] of first) {
    const required = new Set(m.requires.filter((d) => names.has(d) && d !== name));
    const optional = (m.optional ?? []).filter((d) => names.has(d) && d !== name);
    const missing = m.requires.filter((d) => !names.has(d));
    model.required.set(name, required);
    model.optional.set(name, new Set(optional.filter((d) => !required.has(d))));
    if (missing.length > 0) model.missing.set(name, new Set(missing));
    if (m.unloadable !== undefined) model.unloadable.set(name, m.unloadable);
  }
  return model;
}

/** Least fixpoint: a module loads when it is loadable itself and all it requires loads. */
export function loadableModules(model: GraphModel): Set<string> {
  const loadable = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of model.names) {
      if (loadable.has(name) || model.unloadable.has(name) || model.missing.has(name)) continue;
      if ([...(model.required.get(name) ?? [])].every((d) => loadable.has(d))) {
        loadable.add(name);
        changed = true;
      }
    }
  }
  return loadable;
}

/** Whether required edges close a cycle: strip modules with no remaining requirement until none is left. */
export function hasCycle(model: GraphModel): boolean {
  const left = new Set(model.names);
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of left) {
      if (![...(model.required.get(name) ?? [])].some((d) => left.has(d))) {
        left.delete(name);
        changed = true;
      }
    }
  }
  return left.size > 0;
}

/** The edges the order follows: between loaded modules, minus the dropped ones. */
export function keptEdges(model: GraphModel, result: DependencyGraph): Map<string, Set<string>> {
  const loaded = new Set(result.order);
  const dropped = new Set(result.droppedEdges.map((e) => edgeKey(e.from, e.to)));
  const kept = new Map<string, Set<string>>();
  for (const name of loaded) {
    const deps = [...(model.required.get(name) ?? []), ...(model.optional.get(name) ?? [])];
    kept.set(name, new Set(deps.filter((d) => loaded.has(d) && !dropped.has(edgeKey(name, d)))));
  }
  return kept;
}

/** Whether a path of at least one edge leads from `from` to `to`. */
export function reaches(edges: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [...(edges.get(from) ?? [])];
  while (stack.length > 0) {
    const x = stack.pop() as string;
    if (x === to) return true;
    if (seen.has(x)) continue;
    seen.add(x);
    stack.push(...(edges.get(x) ?? []));
  }
  return false;
}

/** Repeatedly takes the smallest name whose dependencies are all placed; [] marks a cycle. */
export function smallestTopologicalOrder(edges: Map<string, Set<string>>): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  while (placed.size < edges.size) {
    const ready = [...edges.keys()]
      .filter((n) => !placed.has(n) && [...(edges.get(n) ?? [])].every((d) => placed.has(d)))
      .sort(compareNames);
    const next = ready[0];
    if (next === undefined) return [];
    order.push(next);
    placed.add(next);
  }
  return order;
}

/** One string per edge, for sets of edges. */
export function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** Code-unit order, as the graph sorts names. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Cycles by their names, element by element, a prefix first. */
export function compareCycles(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareNames(a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}
