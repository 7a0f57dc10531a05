import { buildDependencyGraph } from '../src/graph/build-graph.js';
import { createPlanningRegistry, type PlanningRegistry } from '../src/planner/index.js';
import { toGraphModule } from '../src/registry/normalize.js';
import type { ModuleRecord } from '../src/registry/types.js';

/** The module the store benchmarks switch on: it requires `contacts`, which requires `users`. */
export const TOGGLED_MODULE = 'crm';

/** What every generated tenant has on (besides the core module). */
export const TENANT_MODULES: readonly string[] = ['users'];

/**
 * The small registry the store benchmarks plan against, ordered by the real graph builder:
 * core (core: true); users ← contacts ← crm; users ← billing; reports requires crm and
 * optionally uses billing.
 */
export function shopRegistry(): PlanningRegistry {
  const modules = SHOP.map(moduleRecord);
  const graph = buildDependencyGraph(modules.map((m) => toGraphModule(m)));
  return createPlanningRegistry({ modules, order: graph.order, blocked: graph.blocked });
}

interface ShopModule {
  name: string;
  requires?: string[];
  optional?: string[];
  core?: boolean;
}

const SHOP: readonly ShopModule[] = [
  { name: 'core', core: true },
  { name: 'users', requires: ['core'] },
  { name: 'contacts', requires: ['users'] },
  { name: 'crm', requires: ['contacts', 'users'] },
  { name: 'billing', requires: ['users'] },
  { name: 'reports', requires: ['crm'], optional: ['billing'] },
];

/** A module record as discovery would write it. */
function moduleRecord(spec: ShopModule): ModuleRecord {
  const dir = `modules/${spec.name}`;
  return {
    name: spec.name,
    version: '1.0.0',
    description: '',
    path: dir,
    file: `${dir}/module.config.json`,
    entry: null,
    dependencies: Object.fromEntries((spec.requires ?? []).map((d) => [d, '*'])),
    optionalDependencies: Object.fromEntries((spec.optional ?? []).map((d) => [d, '*'])),
    routes: { prefix: null, paths: [] },
    models: [],
    flags: {},
    core: spec.core === true,
  };
}
