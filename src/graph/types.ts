/** One module as the graph sees it: a name and the names it depends on. */
export interface GraphModule {
  /** Unique module name. */
  name: string;
  /** Modules that must load first; a missing or blocked one blocks this module. */
  requires: readonly string[];
  /** Modules loaded first when present and loadable; never required. @default [] */
  optional?: readonly string[];
  /**
   * Why this module cannot load whatever its dependencies do (an invalid config, an
   * unsatisfied version range). Its required dependents are blocked with it.
   */
  unloadable?: string;
}

/** Why a module is blocked. */
export type BlockCause = 'cycle' | 'missing-dependency' | 'unloadable' | 'blocked-dependency';

/** A module that cannot load, and the reason. */
export interface BlockedModule {
  module: string;
  /** A sentence naming the cycle, the missing module or the blocked dependency. */
  reason: string;
  cause: BlockCause;
}

/** A problem that does not block a module: an optional dependency left out of the order. */
export interface GraphWarning {
  module: string;
  message: string;
}

/** The result of {@link buildDependencyGraph}. */
export interface DependencyGraph {
  /** Every loadable module, each after all its required and present optional dependencies; ties by name. */
  order: string[];
  /** `order` split into layers: each module's dependencies are all in earlier layers. */
  layers: string[][];
  /** Required-dependency cycles as paths, first name repeated last: `['a', 'b', 'a']`. */
  cycles: string[][];
  /** Modules that cannot load, by name. */
  blocked: BlockedModule[];
  /** Optional dependencies dropped from the order (cycle broken there, or dependency blocked). */
  warnings: GraphWarning[];
  /** Optional edges the order leaves out to break a cycle: `from` may load before `to`. */
  droppedEdges: GraphEdge[];
}

/** A dependency edge: `from` depends on `to`. */
export interface GraphEdge {
  from: string;
  to: string;
}
