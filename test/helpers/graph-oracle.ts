import type { BlockCause } from '../../src/graph/types.js';
import type { TreeModule } from './realgraphs.js';

/** A problem discovery must report for one dependency entry. */
export interface ExpectedProblem {
  module: string;
  /** `/dependencies/<index>` of the entry. */
  pointer: string;
  /** The entry's position in the dependency list. */
  index: number;
  dependency: string;
  kind: 'self' | 'repeat' | 'missing';
}

/** What a correct registry holds for a module tree, computed from the data alone. */
export interface GraphOracle {
  names: Set<string>;
  /** Distinct dependencies of each module that are present, self excluded. */
  edges: Map<string, string[]>;
  /** Distinct dependencies of each module that are not present (modules without: absent). */
  missing: Map<string, string[]>;
  /** Modules with themselves among their dependencies. */
  selfDependent: Set<string>;
  /** Least fixpoint of "every dependency present and loadable". */
  loadable: Set<string>;
  /** Strongly connected components of more than one module, members and list sorted. */
  components: string[][];
  /** Why each module outside `loadable` cannot load. */
  causes: Map<string, BlockCause>;
  problems: ExpectedProblem[];
}

/** The expected outcome for `modules` (distinct names), by plain set computations. */
export function graphOracle(modules: readonly TreeModule[]): GraphOracle {
  const names = new Set(modules.map((m) => m.name));
  const edges = new Map<string, string[]>();
  const missing = new Map<string, string[]>();
  const selfDependent = new Set<string>();
  const problems: ExpectedProblem[] = [];
  for (const m of modules) {
    const seen = new Set<string>();
    for (const [index, dependency] of m.dependencies.entries()) {
      const at = { module: m.name, pointer: `/dependencies/${index}`, index, dependency };
      if (dependency === m.name) {
        selfDependent.add(m.name);
        problems.push({ ...at, kind: 'self' });
      } else if (seen.has(dependency)) {
        problems.push({ ...at, kind: 'repeat' });
      } else {
        seen.add(dependency);
        if (!names.has(dependency)) problems.push({ ...at, kind: 'missing' });
      }
    }
    edges.set(
      m.name,
      [...seen].filter((d) => names.has(d)),
    );
    const absent = [...seen].filter((d) => !names.has(d));
    if (absent.length > 0) missing.set(m.name, absent);
  }
  const loadable = loadableModules(names, edges, missing);
  const components = cyclicComponents(names, edges);
  const inCycle = new Set(components.flat());
  const causes = new Map<string, BlockCause>();
  for (const name of names) {
    if (loadable.has(name)) continue;
    const cause = inCycle.has(name)
      ? 'cycle'
      : missing.has(name)
        ? 'missing-dependency'
        : 'blocked-dependency';
    causes.set(name, cause);
  }
  return { names, edges, missing, selfDependent, loadable, components, causes, problems };
}

/** Repeats "a module loads when all its dependencies are present and load" until stable. */
function loadableModules(
  names: ReadonlySet<string>,
  edges: ReadonlyMap<string, string[]>,
  missing: ReadonlyMap<string, string[]>,
): Set<string> {
  const loadable = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of names) {
      if (loadable.has(name) || missing.has(name)) continue;
      if ((edges.get(name) ?? []).every((d) => loadable.has(d))) {
        loadable.add(name);
        changed = true;
      }
    }
  }
  return loadable;
}

/** Components by mutual reachability: `u` and `v` share one when each reaches the other. */
function cyclicComponents(
  names: ReadonlySet<string>,
  edges: ReadonlyMap<string, string[]>,
): string[][] {
  const reach = new Map<string, Set<string>>();
  for (const name of names) {
    const seen = new Set<string>();
    const stack = [...(edges.get(name) ?? [])];
    for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
      if (seen.has(x)) continue;
      seen.add(x);
      stack.push(...(edges.get(x) ?? []));
    }
    reach.set(name, seen);
  }
  const placed = new Set<string>();
  const components: string[][] = [];
  for (const name of [...names].sort()) {
    if (placed.has(name) || !reach.get(name)?.has(name)) continue;
    const component = [...(reach.get(name) as Set<string>)]
      .filter((other) => reach.get(other)?.has(name))
      .sort();
    for (const member of component) placed.add(member);
    components.push(component);
  }
  return components;
}
