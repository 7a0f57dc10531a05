import type { FlagDeclaration, ModuleRecord } from '../registry/types.js';
import type { TenantSettings } from '../tenant/types.js';
import { compareNames, requirementsOf } from './module-order.js';
import type { PlanningRegistry } from './types.js';

/**
 * What {@link createPlanningRegistry} reads: a `RegistryFile` as it is, or a `Registry` as
 * `{ modules, order: graph.order, blocked: graph.blocked }`.
 */
export interface PlanningSource {
  modules: readonly ModuleRecord[];
  /** Loadable modules in load order. */
  order: readonly string[];
  /** Modules that cannot load, each with the reason (a phrase: `requires "x", which …`). */
  blocked: readonly { module: string; reason: string }[];
}

/**
 * The registry as the planner sees it. `core` holds the loadable `core: true` modules in
 * load order, together with what they require: a core module requiring a non-core one is
 * only a registry warning, and that module is then on for every tenant too. A module
 * neither ordered nor blocked (a hand-edited file) counts as blocked. A flag key declared
 * twice (a registry problem) belongs to the module whose file comes first.
 */
export function createPlanningRegistry(source: PlanningSource): PlanningRegistry {
  const modules = new Map<string, ModuleRecord>();
  for (const record of source.modules) {
    if (!modules.has(record.name)) modules.set(record.name, record);
  }
  const blocked = new Map<string, string>();
  for (const entry of source.blocked) {
    if (!blocked.has(entry.module)) blocked.set(entry.module, entry.reason);
  }
  const order = [...new Set(source.order)].filter(
    (name) => modules.has(name) && !blocked.has(name),
  );
  const ordered = new Set(order);
  for (const name of [...modules.keys()].sort(compareNames)) {
    if (!ordered.has(name) && !blocked.has(name)) {
      blocked.set(name, 'is missing from the load order of the registry file');
    }
  }
  const flags = new Map<string, { module: string; declaration: FlagDeclaration }>();
  const byFile = [...source.modules].sort((a, b) => compareNames(a.file, b.file));
  for (const record of byFile) {
    // A hand-edited registry file may lack a record's flags.
    for (const [key, declaration] of Object.entries(record.flags ?? {})) {
      if (!flags.has(key)) flags.set(key, { module: record.name, declaration });
    }
  }
  const partial = { modules, order, blocked, flags, core: [] };
  const core = new Set<string>();
  // Load order puts every requirement before its dependent, so walking it backwards
  // reaches a core module before what it requires.
  for (let i = order.length - 1; i >= 0; i--) {
    const name = order[i] as string;
    if (modules.get(name)?.core === true || core.has(name)) {
      core.add(name);
      for (const dep of requirementsOf(partial, name)) core.add(dep);
    }
  }
  return { ...partial, core: order.filter((name) => core.has(name)) };
}

/**
 * The modules on for a tenant, in load order: the stored ones and the core ones, keeping
 * only modules that exist, can load, and have every required dependency on. (A state
 * written by the planner always satisfies that; a registry changed since may not.)
 */
export function enabledModules(registry: PlanningRegistry, settings: TenantSettings): string[] {
  const wanted = new Set([...settings.modules, ...registry.core]);
  const on = new Set<string>();
  for (const name of registry.order) {
    if (!wanted.has(name)) continue;
    if (requirementsOf(registry, name).every((dep) => on.has(dep))) on.add(name);
  }
  return [...on];
}
