import { compareNames } from '../graph/indexed-graph.js';
import type { PlanningRegistry } from './types.js';

export { compareNames };

/** What the walks below need of a registry. */
type ModuleSource = Pick<PlanningRegistry, 'modules'>;

/** The modules `name` requires (not the optional ones); none for an unknown module. */
export function requirementsOf(registry: ModuleSource, name: string): string[] {
  const record = registry.modules.get(name);
  return record === undefined ? [] : Object.keys(record.dependencies ?? {});
}

/** Each loadable module's index in the load order. */
export function loadPositions(registry: PlanningRegistry): Map<string, number> {
  return new Map(registry.order.map((name, i) => [name, i]));
}

/** `names` in load order; names outside it (unknown or blocked) last, by name. */
export function inLoadOrder(
  names: Iterable<string>,
  positions: ReadonlyMap<string, number>,
): string[] {
  return [...new Set(names)].sort((a, b) => {
    const pa = positions.get(a);
    const pb = positions.get(b);
    if (pa !== undefined && pb !== undefined) return pa - pb;
    if (pa !== undefined) return -1;
    if (pb !== undefined) return 1;
    return compareNames(a, b);
  });
}

/** `names` as stored: without core modules (they are implicit), unique, sorted by name. */
export function storedModules(registry: PlanningRegistry, names: Iterable<string>): string[] {
  const core = new Set(registry.core);
  return [...new Set(names)].filter((name) => !core.has(name)).sort(compareNames);
}

/**
 * The shortest path `start → … → goal` along required edges, stepping only on modules
 * `canStep` accepts (the goal included), requirements taken in load order; undefined when
 * no goal is reached.
 */
export function requiredPath(
  registry: PlanningRegistry,
  start: string,
  isGoal: (name: string) => boolean,
  canStep: (name: string) => boolean,
  positions: ReadonlyMap<string, number>,
): string[] | undefined {
  // The tree lists modules in the order a breadth-first search reaches them: the first goal
  // in it is the nearest one.
  const tree = requiredTree(registry, start, canStep, positions);
  for (const name of tree.keys()) {
    if (isGoal(name)) return pathTo(new Map([[start, start], ...tree]), name);
  }
  return undefined;
}

/**
 * The breadth-first tree from `start` along required edges through modules `canStep`
 * accepts: each reached module with the module it was reached from.
 */
export function requiredTree(
  registry: PlanningRegistry,
  start: string,
  canStep: (name: string) => boolean,
  positions: ReadonlyMap<string, number>,
): Map<string, string> {
  const parents = new Map<string, string>([[start, start]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head] as string;
    for (const dep of inLoadOrder(requirementsOf(registry, current), positions)) {
      if (parents.has(dep) || !canStep(dep)) continue;
      parents.set(dep, current);
      queue.push(dep);
    }
  }
  parents.delete(start);
  return parents;
}

/** The path from the tree's root to `name`, root first. */
export function pathTo(parents: ReadonlyMap<string, string>, name: string): string[] {
  const path = [name];
  for (let at = name; parents.has(at) && parents.get(at) !== at; ) {
    at = parents.get(at) as string;
    path.push(at);
  }
  return path.reverse();
}
