import { stronglyConnectedComponents } from './components.js';
import { shortestPath } from './cycle-paths.js';
import type { IndexedGraph } from './indexed-graph.js';
import { createIdHeap } from './min-heap.js';
import type { GraphWarning } from './types.js';

/** The load order of the loadable modules, by id. */
export interface LoadOrderIds {
  order: number[];
  /** Layers, each sorted by id. */
  layers: number[][];
  /** Optional edges left out to break cycles, sorted. */
  dropped: number[];
  /** One warning per dropped edge, naming the cycle it would close. */
  cycleWarnings: GraphWarning[];
}

/**
 * Orders the modules marked loadable (whose required dependencies are loadable and acyclic),
 * smallest name first among those ready. When only optional edges stand in the way, the
 * first module whose required dependencies are loaded goes next and its pending optional
 * edges are dropped; afterwards each dropped edge that would not close a cycle is taken back.
 */
export function orderLoadable(graph: IndexedGraph, loadable: Uint8Array): LoadOrderIds {
  const dropped = new Set<number>();
  let sorted = sortLoadable(graph, loadable, dropped);
  if (dropped.size === 0) return { ...sorted, dropped: [], cycleWarnings: [] };
  const cycleWarnings = confirmDrops(graph, loadable, dropped);
  sorted = sortLoadable(graph, loadable, dropped);
  return { ...sorted, dropped: [...dropped].sort((a, b) => a - b), cycleWarnings };
}

/** Kahn's algorithm with a min-heap; adds to `dropped` the optional edges it must skip. */
function sortLoadable(
  graph: IndexedGraph,
  loadable: Uint8Array,
  dropped: Set<number>,
): { order: number[]; layers: number[][] } {
  const n = graph.names.length;
  const follows = (e: number) =>
    loadable[graph.edgeTo[e] as number] === 1 && (dropped.size === 0 || !dropped.has(e));
  const pending = new Int32Array(n);
  const pendingRequired = new Int32Array(n);
  const layerOf = new Int32Array(n);
  const done = new Uint8Array(n);
  const ready = createIdHeap(n);
  // Modules waiting only for optional dependencies: the way out of an optional cycle.
  const waitingOptional = createIdHeap(n);
  let total = 0;
  for (let v = 0; v < n; v++) {
    if (loadable[v] !== 1) continue;
    total++;
    for (let e = graph.depStart[v] as number; e < (graph.depStart[v + 1] as number); e++) {
      if (!follows(e)) continue;
      pending[v] = (pending[v] as number) + 1;
      if (graph.edgeOptional[e] === 0) pendingRequired[v] = (pendingRequired[v] as number) + 1;
    }
    if (pending[v] === 0) ready.push(v);
    else if (pendingRequired[v] === 0) waitingOptional.push(v);
  }
  const order: number[] = [];
  const layers: number[][] = [];
  while (order.length < total) {
    let v = ready.pop();
    if (v === -1) {
      do v = waitingOptional.pop();
      while (v !== -1 && done[v] === 1);
      if (v === -1) break;
      for (let e = graph.depStart[v] as number; e < (graph.depStart[v + 1] as number); e++) {
        if (follows(e) && done[graph.edgeTo[e] as number] === 0) dropped.add(e);
      }
    }
    done[v] = 1;
    order.push(v);
    const layer = layerOf[v] as number;
    const members = layers[layer];
    if (members === undefined) layers[layer] = [v];
    else members.push(v);
    for (let i = graph.targetStart[v] as number; i < (graph.targetStart[v + 1] as number); i++) {
      const e = graph.edgeIndexByTarget[i] as number;
      const from = graph.edgeFrom[e] as number;
      if (loadable[from] !== 1 || done[from] === 1 || !follows(e)) continue;
      if (layer + 1 > (layerOf[from] as number)) layerOf[from] = layer + 1;
      pending[from] = (pending[from] as number) - 1;
      if (graph.edgeOptional[e] === 0)
        pendingRequired[from] = (pendingRequired[from] as number) - 1;
      if (pending[from] === 0) ready.push(from);
      else if (pendingRequired[from] === 0 && graph.edgeOptional[e] === 0)
        waitingOptional.push(from);
    }
  }
  for (const layer of layers) layer.sort((a, b) => a - b);
  return { order, layers };
}

/**
 * Takes back, in edge order, each dropped edge that closes no cycle with the edges kept so
 * far; for each edge that stays dropped, a warning naming the cycle it would close.
 */
function confirmDrops(
  graph: IndexedGraph,
  loadable: Uint8Array,
  dropped: Set<number>,
): GraphWarning[] {
  const componentOf = new Map<number, Set<number>>();
  const kept = (e: number) => loadable[graph.edgeTo[e] as number] === 1 && !dropped.has(e);
  const all = (e: number) => loadable[graph.edgeTo[e] as number] === 1;
  for (const component of stronglyConnectedComponents(graph, loadable, all)) {
    if (component.length === 1) continue;
    const members = new Set(component);
    for (const v of component) componentOf.set(v, members);
  }
  const warnings: GraphWarning[] = [];
  for (const e of [...dropped].sort((a, b) => a - b)) {
    const from = graph.edgeFrom[e] as number;
    const to = graph.edgeTo[e] as number;
    const members = componentOf.get(from);
    const back = members === undefined ? undefined : shortestPath(graph, to, from, members, kept);
    if (back === undefined) {
      dropped.delete(e);
      continue;
    }
    const cycle = [from, ...back.nodes].map((id) => graph.names[id] as string).join(' → ');
    warnings.push({
      module: graph.names[from] as string,
      message: `optional dependency "${graph.names[to]}" is not waited for: it would close the cycle ${cycle}`,
    });
  }
  return warnings;
}
