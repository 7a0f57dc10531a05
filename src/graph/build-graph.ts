import { findBlocked } from './blocked.js';
import { type IndexedGraph, indexGraph } from './indexed-graph.js';
import { type LoadOrderIds, orderLoadable } from './load-order.js';
import type {
  BlockedModule,
  DependencyGraph,
  GraphEdge,
  GraphModule,
  GraphWarning,
} from './types.js';

/** Options for {@link buildDependencyGraph}. */
export interface BuildGraphOptions {
  /** Most cycle paths reported per strongly connected component. @default 50 */
  maxCyclesPerComponent?: number;
}

/**
 * Orders modules for loading: every loadable module after its required and present optional
 * dependencies, ties by name, split into layers. Modules in a required cycle, missing a
 * required dependency, unloadable, or requiring a blocked module are blocked, each with its
 * reason; the rest still get an order. A cycle closed only through optional edges is broken
 * at an optional edge, with a warning. Pure: the same input gives the same output, in any
 * input order.
 */
export function buildDependencyGraph(
  modules: readonly GraphModule[],
  options: BuildGraphOptions = {},
): DependencyGraph {
  const graph = indexGraph(modules);
  const n = graph.names.length;
  const loadable = new Uint8Array(n).fill(1);
  // The usual case: nothing missing or unloadable. If everything then gets an order, there
  // is no required cycle either, and nothing is blocked.
  if (graph.missing.size === 0 && graph.unloadable.size === 0) {
    const attempt = orderLoadable(graph, loadable);
    if (attempt.order.length === n)
      return toNames(graph, attempt, [], [], [...attempt.cycleWarnings]);
  }
  const maxCycles = Math.max(1, options.maxCyclesPerComponent ?? 50);
  const { blocked, cycles } = findBlocked(graph, maxCycles);
  const warnings: GraphWarning[] = [];
  const blockedById = new Map(blocked.map((b) => [graph.ids[b.module] as number, b]));
  for (let e = 0; e < graph.edgeTo.length; e++) {
    const from = graph.edgeFrom[e] as number;
    const to = graph.edgeTo[e] as number;
    if (graph.edgeOptional[e] === 1 && !blockedById.has(from) && blockedById.has(to)) {
      warnings.push({
        module: name(graph, from),
        message: `optional dependency "${name(graph, to)}" is blocked; "${name(graph, from)}" loads without it`,
      });
    }
  }
  for (const id of blockedById.keys()) loadable[id] = 0;
  const sorted = orderLoadable(graph, loadable);
  warnings.push(...sorted.cycleWarnings);
  return toNames(graph, sorted, cycles, blocked, warnings);
}

function toNames(
  graph: IndexedGraph,
  sorted: LoadOrderIds,
  cycles: number[][],
  blocked: BlockedModule[],
  warnings: GraphWarning[],
): DependencyGraph {
  warnings.sort((a, b) => compare(a.module, b.module) || compare(a.message, b.message));
  const droppedEdges: GraphEdge[] = sorted.dropped.map((e) => ({
    from: name(graph, graph.edgeFrom[e] as number),
    to: name(graph, graph.edgeTo[e] as number),
  }));
  return {
    order: sorted.order.map((id) => name(graph, id)),
    layers: sorted.layers.map((layer) => layer.map((id) => name(graph, id))),
    cycles: cycles.map((cycle) => cycle.map((id) => name(graph, id))),
    blocked,
    warnings,
    droppedEdges,
  };
}

function name(graph: IndexedGraph, id: number): string {
  return graph.names[id] as string;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
