import { createPlanningRegistry, type PlanningRegistry } from '../src/planner/index.js';
import type { RegistryFile } from '../src/registry/registry-file.js';
import { createTestRegistry } from '../src/runtime/testing.js';

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
  return createPlanningRegistry(shopRegistryFile());
}

/** {@link shopRegistry} as the registry file a server reads. */
export function shopRegistryFile(): RegistryFile {
  return createTestRegistry([
    { name: 'core', core: true },
    { name: 'users', dependencies: ['core'] },
    { name: 'contacts', dependencies: ['users'] },
    { name: 'crm', dependencies: ['contacts', 'users'] },
    { name: 'billing', dependencies: ['users'] },
    { name: 'reports', dependencies: ['crm'], optionalDependencies: ['billing'] },
  ]);
}
