import type { DependencyGraph, GraphModule } from '../../../src/graph/types.js';

/** One row of the build-graph table: the input and the whole expected output. */
export interface GraphCase {
  name: string;
  modules: GraphModule[];
  /** Fields left out are expected to be empty. */
  expected: Partial<DependencyGraph>;
}
