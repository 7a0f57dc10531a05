import type { IndexedGraph } from './indexed-graph.js';

/** Cycle paths found in one strongly connected component. */
export interface ComponentCycles {
  /** Each cycle as ids, smallest id first and repeated last. */
  cycles: number[][];
  /** Edges of the component that close a cycle but sit in none of `cycles` (over `limit`). */
  uncovered: number;
}

/**
 * Cycle paths through a strongly connected component, enough of them that every edge
 * inside the component lies on one: for each edge `u → v` not yet on a reported cycle, the
 * shortest way back from `v` to `u` closes a new one. Listing every elementary cycle can
 * take exponential time; this shows every edge that has to change to break the component.
 */
export function cyclePaths(
  graph: IndexedGraph,
  component: readonly number[],
  follow: (edge: number) => boolean,
  limit = 50,
): ComponentCycles {
  const members = new Set(component);
  const covered = new Set<number>();
  const seen = new Set<string>();
  const cycles: number[][] = [];
  let uncovered = 0;
  for (const u of component) {
    for (let e = graph.depStart[u] as number; e < (graph.depStart[u + 1] as number); e++) {
      const v = graph.edgeTo[e] as number;
      if (!members.has(v) || !follow(e) || covered.has(e)) continue;
      if (cycles.length >= limit) {
        uncovered++;
        continue;
      }
      const back = shortestPath(graph, v, u, members, follow);
      if (back === undefined) continue;
      covered.add(e);
      for (const edge of back.edges) covered.add(edge);
      const cycle = canonical([u, ...back.nodes]);
      const key = cycle.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push(cycle);
      }
    }
  }
  return { cycles, uncovered };
}

/** Breadth-first path from `from` to `to` inside `members`: its nodes (both ends included) and edges. */
export function shortestPath(
  graph: IndexedGraph,
  from: number,
  to: number,
  members: ReadonlySet<number>,
  follow: (edge: number) => boolean,
): { nodes: number[]; edges: number[] } | undefined {
  const via = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const x = queue[head] as number;
    if (x === to) break;
    for (let e = graph.depStart[x] as number; e < (graph.depStart[x + 1] as number); e++) {
      const y = graph.edgeTo[e] as number;
      if (!members.has(y) || via.has(y) || !follow(e)) continue;
      via.set(y, e);
      queue.push(y);
    }
  }
  if (!via.has(to)) return undefined;
  const nodes = [to];
  const edges: number[] = [];
  for (let x = to; x !== from; ) {
    const e = via.get(x) as number;
    edges.push(e);
    x = graph.edgeFrom[e] as number;
    nodes.push(x);
  }
  return { nodes: nodes.reverse(), edges: edges.reverse() };
}

/** Rotates a cycle `[a, …, a]` so that its smallest id comes first (and last). */
function canonical(cycle: number[]): number[] {
  const ring = cycle.slice(0, -1);
  let start = 0;
  for (let i = 1; i < ring.length; i++)
    if ((ring[i] as number) < (ring[start] as number)) start = i;
  const rotated = [...ring.slice(start), ...ring.slice(0, start)];
  rotated.push(rotated[0] as number);
  return rotated;
}
