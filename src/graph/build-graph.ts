import { stronglyConnectedComponents } from './components.js';
import { cyclePaths, shortestPath } from './cycle-paths.js';
import { type IndexedGraph, indexGraph } from './indexed-graph.js';
import { createIdHeap } from './min-heap.js';
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
  const { blocked, cycles } = findBlocked(graph, options.maxCyclesPerComponent ?? 50);
  const warnings: GraphWarning[] = [];
  const blockedById = new Map(blocked.map((b) => [graph.ids.get(b.module) as number, b]));
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
  const loadable = new Uint8Array(graph.names.length).fill(1);
  for (const id of blockedById.keys()) loadable[id] = 0;
  const dropped = new Set<number>();
  let sorted = sortLoadable(graph, loadable, dropped);
  if (sorted === undefined) {
    warnings.push(...breakOptionalCycles(graph, loadable, dropped));
    sorted = sortLoadable(graph, loadable, dropped) as LoadOrderIds;
  }
  warnings.sort((a, b) => compare(a.module, b.module) || compare(a.message, b.message));
  const droppedEdges: GraphEdge[] = [...dropped]
    .sort((a, b) => a - b)
    .map((e) => ({
      from: name(graph, graph.edgeFrom[e] as number),
      to: name(graph, graph.edgeTo[e] as number),
    }));
  return {
    order: sorted.order.map((id) => name(graph, id)),
    layers: sorted.layers.map((layer) => layer.sort((a, b) => a - b).map((id) => name(graph, id))),
    cycles: cycles.map((cycle) => cycle.map((id) => name(graph, id))),
    blocked,
    warnings,
    droppedEdges,
  };
}

interface LoadOrderIds {
  order: number[];
  layers: number[][];
}

/**
 * Blocked modules and required cycles. Modules are settled dependencies first: first those
 * a queue over required edges reaches, then the rest component by component, so each
 * module's reason can point at an already settled dependency.
 */
function findBlocked(
  graph: IndexedGraph,
  maxCycles: number,
): { blocked: BlockedModule[]; cycles: number[][] } {
  const n = graph.names.length;
  const required = (e: number) => graph.edgeOptional[e] === 0;
  const pending = new Int32Array(n);
  for (let e = 0; e < graph.edgeTo.length; e++) {
    if (required(e))
      pending[graph.edgeFrom[e] as number] = (pending[graph.edgeFrom[e] as number] as number) + 1;
  }
  const settled: number[] = [];
  for (let v = 0; v < n; v++) if (pending[v] === 0) settled.push(v);
  for (let head = 0; head < settled.length; head++) {
    const v = settled[head] as number;
    for (let i = graph.targetStart[v] as number; i < (graph.targetStart[v + 1] as number); i++) {
      const e = graph.edgeIndexByTarget[i] as number;
      if (!required(e)) continue;
      const from = graph.edgeFrom[e] as number;
      if (--(pending[from] as number) === 0) settled.push(from);
    }
  }
  const reasons = new Map<number, BlockedModule>();
  const via = new Map<number, number>();
  const cycles: number[][] = [];
  for (const v of settled) settle(graph, v, reasons, via);
  if (settled.length < n) {
    const rest = new Uint8Array(n);
    for (let v = 0; v < n; v++) if ((pending[v] as number) > 0) rest[v] = 1;
    for (const component of stronglyConnectedComponents(graph, rest, required)) {
      if (component.length === 1) {
        settle(graph, component[0] as number, reasons, via);
        continue;
      }
      const found = cyclePaths(graph, component, required, maxCycles);
      cycles.push(...found.cycles);
      for (const v of component) {
        const cycle = found.cycles.find((c) => c.includes(v)) ?? (found.cycles[0] as number[]);
        const path = cycle.map((id) => name(graph, id)).join(' → ');
        const more =
          found.uncovered > 0
            ? ` (and ${found.uncovered} more cyclic dependencies in this group)`
            : '';
        reasons.set(v, {
          module: name(graph, v),
          reason: `is in a dependency cycle: ${path}${more}`,
          cause: 'cycle',
        });
      }
    }
  }
  cycles.sort((a, b) => compareIds(a, b));
  const blocked = [...reasons.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  return { blocked, cycles };
}

/** Decides whether `v` is blocked, its dependencies being decided already. */
function settle(
  graph: IndexedGraph,
  v: number,
  reasons: Map<number, BlockedModule>,
  via: Map<number, number>,
): void {
  const module = name(graph, v);
  const own = graph.unloadable.get(v);
  if (own !== undefined) {
    reasons.set(v, { module, reason: own, cause: 'unloadable' });
    return;
  }
  const absent = graph.missing.get(v);
  if (absent !== undefined) {
    const list = absent.map((dep) => `"${dep}"`).join(', ');
    const which = absent.length === 1 ? 'which is' : 'which are';
    reasons.set(v, {
      module,
      reason: `requires ${list}, ${which} not among the modules`,
      cause: 'missing-dependency',
    });
    return;
  }
  for (let e = graph.depStart[v] as number; e < (graph.depStart[v + 1] as number); e++) {
    const dep = graph.edgeTo[e] as number;
    if (graph.edgeOptional[e] === 1 || !reasons.has(dep)) continue;
    via.set(v, dep);
    const chain = [module];
    let root = dep;
    for (; via.has(root); root = via.get(root) as number) {
      if (chain.length < 8) chain.push(name(graph, root));
    }
    if (chain.length >= 8) chain.push('…');
    chain.push(name(graph, root));
    const rootReason = (reasons.get(root) as BlockedModule).reason;
    reasons.set(v, {
      module,
      reason: `requires "${name(graph, dep)}", which cannot load (${chain.join(' → ')}: "${name(graph, root)}" ${rootReason})`,
      cause: 'blocked-dependency',
    });
    return;
  }
}

/** Kahn's algorithm over loadable modules, smallest name first; undefined if a cycle remains. */
function sortLoadable(
  graph: IndexedGraph,
  loadable: Uint8Array,
  dropped: ReadonlySet<number>,
): LoadOrderIds | undefined {
  const n = graph.names.length;
  const follows = (e: number) =>
    loadable[graph.edgeTo[e] as number] === 1 && (dropped.size === 0 || !dropped.has(e));
  const pending = new Int32Array(n);
  const layerOf = new Int32Array(n);
  let total = 0;
  const heap = createIdHeap(n);
  for (let v = 0; v < n; v++) {
    if (loadable[v] !== 1) continue;
    total++;
    let count = 0;
    for (let e = graph.depStart[v] as number; e < (graph.depStart[v + 1] as number); e++)
      if (follows(e)) count++;
    pending[v] = count;
    if (count === 0) heap.push(v);
  }
  const order: number[] = [];
  const layers: number[][] = [];
  for (let v = heap.pop(); v !== -1; v = heap.pop()) {
    order.push(v);
    const layer = layerOf[v] as number;
    const members = layers[layer];
    if (members === undefined) layers[layer] = [v];
    else members.push(v);
    for (let i = graph.targetStart[v] as number; i < (graph.targetStart[v + 1] as number); i++) {
      const e = graph.edgeIndexByTarget[i] as number;
      const from = graph.edgeFrom[e] as number;
      if (loadable[from] !== 1 || !follows(e)) continue;
      if (layer + 1 > (layerOf[from] as number)) layerOf[from] = layer + 1;
      if (--(pending[from] as number) === 0) heap.push(from);
    }
  }
  return order.length === total ? { order, layers } : undefined;
}

/**
 * Drops optional edges until no cycle is left among loadable modules. Inside each cycle,
 * optional edges are taken back one by one in name order, keeping each one that closes no
 * cycle, so only the edges that must go are dropped.
 */
function breakOptionalCycles(
  graph: IndexedGraph,
  loadable: Uint8Array,
  dropped: Set<number>,
): GraphWarning[] {
  const follows = (e: number) => loadable[graph.edgeTo[e] as number] === 1 && !dropped.has(e);
  const warnings: GraphWarning[] = [];
  for (const component of stronglyConnectedComponents(graph, loadable, follows)) {
    if (component.length === 1) continue;
    const members = new Set(component);
    const optional: number[] = [];
    for (const v of component) {
      for (let e = graph.depStart[v] as number; e < (graph.depStart[v + 1] as number); e++) {
        if (graph.edgeOptional[e] === 1 && members.has(graph.edgeTo[e] as number)) optional.push(e);
      }
    }
    for (const e of optional) dropped.add(e);
    for (const e of optional) {
      const from = graph.edgeFrom[e] as number;
      const to = graph.edgeTo[e] as number;
      const back = shortestPath(graph, to, from, members, follows);
      if (back === undefined) {
        dropped.delete(e);
        continue;
      }
      const cycle = [from, ...back.nodes].map((id) => name(graph, id)).join(' → ');
      warnings.push({
        module: name(graph, from),
        message: `optional dependency "${name(graph, to)}" is not waited for: it would close the cycle ${cycle}`,
      });
    }
  }
  return warnings;
}

function name(graph: IndexedGraph, id: number): string {
  return graph.names[id] as string;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareIds(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}
