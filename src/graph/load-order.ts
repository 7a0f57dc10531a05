import { stronglyConnectedComponents } from './components.js';
import { shortestPath } from './cycle-paths.js';
import { createIdQueue } from './id-queue.js';
import type { IndexedGraph } from './indexed-graph.js';
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
  const { depStart, edgeTo, edgeFrom, edgeOptional, targetStart, edgeIndexByTarget } = graph;
  const n = graph.names.length;
  const pending = new Int32Array(n);
  const pendingRequired = new Int32Array(n);
  const layerOf = new Int32Array(n);
  const done = new Uint8Array(n);
  const ready = createIdQueue(n);
  // Modules waiting only for optional dependencies: the way out of an optional cycle.
  const waitingOptional = createIdQueue(n);
  let total = 0;
  const optional = graph.optionalEdges > 0;
  for (let v = 0; v < n; v++) {
    if (loadable[v] !== 1) continue;
    total++;
    let all = 0;
    let required = 0;
    for (let e = depStart[v] as number; e < (depStart[v + 1] as number); e++) {
      if (loadable[edgeTo[e] as number] !== 1 || (dropped.size > 0 && dropped.has(e))) continue;
      all++;
      if (!optional || edgeOptional[e] === 0) required++;
    }
    pending[v] = all;
    pendingRequired[v] = required;
    if (all === 0) ready.push(v);
    else if (required === 0) waitingOptional.push(v);
  }
  const order: number[] = [];
  while (order.length < total) {
    let v = ready.pop();
    if (v === -1) {
      do v = waitingOptional.pop();
      while (v !== -1 && done[v] === 1);
      if (v === -1) break;
      for (let e = depStart[v] as number; e < (depStart[v + 1] as number); e++) {
        const to = edgeTo[e] as number;
        if (loadable[to] === 1 && done[to] === 0) dropped.add(e);
      }
    }
    done[v] = 1;
    order.push(v);
    const next = (layerOf[v] as number) + 1;
    for (let i = targetStart[v] as number; i < (targetStart[v + 1] as number); i++) {
      const e = edgeIndexByTarget[i] as number;
      const from = edgeFrom[e] as number;
      if (loadable[from] !== 1 || done[from] === 1 || (dropped.size > 0 && dropped.has(e)))
        continue;
      if (next > (layerOf[from] as number)) layerOf[from] = next;
      const left = (pending[from] as number) - 1;
      pending[from] = left;
      if (!optional) {
        // Without optional edges nobody waits for optional dependencies only.
        if (left === 0) ready.push(from);
      } else if (edgeOptional[e] === 1) {
        if (left === 0) ready.push(from);
      } else {
        const requiredLeft = (pendingRequired[from] as number) - 1;
        pendingRequired[from] = requiredLeft;
        if (left === 0) ready.push(from);
        else if (requiredLeft === 0) waitingOptional.push(from);
      }
    }
  }
  // Visiting ids in order fills each layer already sorted.
  const layers: number[][] = [];
  for (let v = 0; v < n; v++) {
    if (done[v] !== 1) continue;
    const layer = layerOf[v] as number;
    const members = layers[layer];
    if (members === undefined) layers[layer] = [v];
    else members.push(v);
  }
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
