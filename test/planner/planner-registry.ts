import type { ModregError } from '../../src/errors.js';
import { buildDependencyGraph } from '../../src/graph/build-graph.js';
import { createPlanningRegistry } from '../../src/planner/planning-registry.js';
import type { PlanningRegistry } from '../../src/planner/types.js';
import { toGraphModule } from '../../src/registry/normalize.js';
import type { FlagDeclaration, ModuleRecord } from '../../src/registry/types.js';
import type { TenantState } from '../../src/tenant/types.js';

/** What a test module says about itself; the rest of its record is filled in. */
export interface ModuleSpec {
  name: string;
  requires?: string[];
  optional?: string[];
  core?: boolean;
  flags?: Record<string, FlagDeclaration>;
  /** Why it cannot load whatever its dependencies (an invalid config). */
  unloadable?: string;
}

/** A module record as discovery would write it. */
export function moduleRecord(spec: ModuleSpec): ModuleRecord {
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
    flags: spec.flags ?? {},
    core: spec.core === true,
  };
}

/** The planning registry of `specs`, ordered and blocked by the real graph builder. */
export function planningRegistryOf(specs: readonly ModuleSpec[]): PlanningRegistry {
  const modules = specs.map(moduleRecord);
  const graph = buildDependencyGraph(modules.map((m, i) => toGraphModule(m, specs[i]?.unloadable)));
  return createPlanningRegistry({ modules, order: graph.order, blocked: graph.blocked });
}

/**
 * The shop used by the unit tests: core ← auth (both core); users ← billing ← invoicing
 * (which also requires users) ← reports (which optionally uses analytics); ledger is blocked.
 */
export const SHOP: readonly ModuleSpec[] = [
  { name: 'core', core: true },
  { name: 'auth', core: true, requires: ['core'] },
  { name: 'users' },
  {
    name: 'billing',
    requires: ['users'],
    flags: {
      'billing.new-checkout': { type: 'boolean', default: false },
      'billing.currency': { type: 'string', default: 'EUR' },
    },
  },
  {
    name: 'invoicing',
    requires: ['billing', 'users'],
    flags: { 'invoicing.max-lines': { type: 'number', default: 100 } },
  },
  {
    name: 'reports',
    requires: ['invoicing'],
    optional: ['analytics'],
    flags: { 'reports.layout': { type: 'json', default: { columns: 3 } } },
  },
  { name: 'analytics', flags: { 'analytics.sample-rate': { type: 'number' } } },
  { name: 'ledger', requires: ['gone'] },
];

/** The state of tenant `acme` with `modules` stored and `flags` set. */
export function acme(modules: string[] = [], flags: TenantState['flags'] = {}): TenantState {
  return { tenant: 'acme', revision: 1, updatedAt: '2024-01-01T00:00:00.000Z', modules, flags };
}

/** The error `run` throws, as `{ name, code, message }`; fails the test when it returns. */
export function thrownBy(run: () => unknown): { name: string; code: string; message: string } {
  try {
    run();
  } catch (error) {
    const { name, code, message } = error as ModregError;
    return { name, code, message };
  }
  throw new Error('expected a ModregError, but nothing was thrown');
}
