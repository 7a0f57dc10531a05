import type { IndexedGraph } from './indexed-graph.js';

/**
 * Strongly connected components of the modules marked in `members`, following the edges
 * `follow` accepts (Tarjan's algorithm, iterative so deep chains cannot overflow the
 * stack). Components come out dependencies first: each after every component it reaches.
 */
export function stronglyConnectedComponents(
  graph: IndexedGraph,
  members: Uint8Array,
  follow: (edge: number) => boolean,
): number[][] {
  const n = graph.names.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const nextEdge = new Int32Array(n);
  const stack: number[] = [];
  const callStack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (members[root] !== 1 || index[root] !== -1) continue;
    visit(root);
    while (callStack.length > 0) {
      const v = callStack[callStack.length - 1] as number;
      const e = nextEdge[v] as number;
      if (e < (graph.depStart[v + 1] as number)) {
        nextEdge[v] = e + 1;
        const w = graph.edgeTo[e] as number;
        if (members[w] !== 1 || !follow(e)) continue;
        if (index[w] === -1) visit(w);
        else if (onStack[w] === 1) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      callStack.pop();
      const parent = callStack[callStack.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent] as number, low[v] as number);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop() as number;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        components.push(component.sort((a, b) => a - b));
      }
    }
  }
  return components;

  function visit(v: number): void {
    index[v] = counter;
    low[v] = counter;
    counter++;
    nextEdge[v] = graph.depStart[v] as number;
    stack.push(v);
    onStack[v] = 1;
    callStack.push(v);
  }
}
