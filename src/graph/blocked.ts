import { stronglyConnectedComponents } from './components.js';
import { cyclePaths } from './cycle-paths.js';
import type { IndexedGraph } from './indexed-graph.js';
import type { BlockedModule } from './types.js';

/**
 * Blocked modules and required cycles (each smallest id first, repeated last), by id. Modules are settled dependencies first: first those
 * a queue over required edges reaches, then the rest component by component, so each
 * module's reason can point at an already settled dependency.
 */
export function findBlocked(
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
  const roots = new Map<number, BlockRoot>();
  const cycles: number[][] = [];
  for (const v of settled) settle(graph, v, reasons, roots);
  if (settled.length < n) {
    const rest = new Uint8Array(n);
    for (let v = 0; v < n; v++) if ((pending[v] as number) > 0) rest[v] = 1;
    for (const component of stronglyConnectedComponents(graph, rest, required)) {
      if (component.length === 1) {
        settle(graph, component[0] as number, reasons, roots);
        continue;
      }
      const found = cyclePaths(graph, component, required, maxCycles);
      cycles.push(...found.cycles);
      const more =
        found.uncovered > 0
          ? ` (and ${found.uncovered} more cyclic dependencies in this group)`
          : '';
      const texts = found.cycles.map((cycle) => cycleText(graph, cycle));
      const firstCycleOf = new Map<number, number>();
      found.cycles.forEach((cycle, i) => {
        for (const v of cycle) if (!firstCycleOf.has(v)) firstCycleOf.set(v, i);
      });
      for (const v of component) {
        const text = texts[firstCycleOf.get(v) ?? 0] as string;
        reasons.set(v, {
          module: name(graph, v),
          reason: `is in a dependency cycle: ${text}${more}`,
          cause: 'cycle',
        });
      }
    }
  }
  cycles.sort((a, b) => compareIds(a, b));
  const blocked = [...reasons.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  return { blocked, cycles };
}

/** Where a blocked-dependency chain ends, and how many steps away. */
interface BlockRoot {
  root: number;
  steps: number;
}

/** Decides whether `v` is blocked, its dependencies being decided already. */
function settle(
  graph: IndexedGraph,
  v: number,
  reasons: Map<number, BlockedModule>,
  roots: Map<number, BlockRoot>,
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
    const { root, steps } = roots.get(dep) ?? { root: dep, steps: 0 };
    roots.set(v, { root, steps: steps + 1 });
    const chain = [module, name(graph, dep)];
    if (steps > 1) chain.push('…');
    if (steps > 0) chain.push(name(graph, root));
    const rootReason = (reasons.get(root) as BlockedModule).reason;
    reasons.set(v, {
      module,
      reason: `requires "${name(graph, dep)}", which cannot load (${chain.join(' → ')}: "${name(graph, root)}" ${rootReason})`,
      cause: 'blocked-dependency',
    });
    return;
  }
}

/** A cycle as text; a very long one shows its start and its length. */
function cycleText(graph: IndexedGraph, cycle: readonly number[]): string {
  const names = cycle.map((id) => name(graph, id));
  if (names.length <= 12) return names.join(' → ');
  return `${names.slice(0, 10).join(' → ')} → … → ${names[0]} (a cycle of ${names.length - 1} modules)`;
}

function name(graph: IndexedGraph, id: number): string {
  return graph.names[id] as string;
}

function compareIds(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}
