import { type UnavailableModule, unavailableModules } from '../../doctor/unavailable-modules.js';
import { flagValues } from '../../planner/flag-values.js';
import { enabledModules } from '../../planner/planning-registry.js';
import type { PlanningRegistry } from '../../planner/types.js';
import type { JsonValue, TenantState } from '../../tenant/types.js';

/** Where one module stands for one tenant, and why, as the console shows it. */
export interface ModuleStateView {
  module: string;
  /**
   * `core`: on for every tenant; `enabled`; `disabled`; `blocked`: it cannot load for anyone;
   * `failed`: on, but its code failed in this server.
   */
  state: 'core' | 'enabled' | 'disabled' | 'blocked' | 'failed';
  /** `required by reports`, `needs users`, `blocked: is in a dependency cycle: a → b → a`. */
  reason: string;
  /** Enabled modules that require it (it cannot be disabled without them). */
  requiredBy: string[];
  /** Required modules that are off (enabling it needs them too). */
  needs: string[];
}

/** `GET /api/tenants/{tenant}`: `status <tenant> --json`, plus every module's state. */
export interface TenantView {
  tenant: string;
  /** Enabled modules in load order, core ones included. */
  modules: string[];
  /** Modules the store has on that will not load (gone, blocked, or unmet). */
  unavailable: UnavailableModule[];
  /** Every flag: declared defaults overlaid by the tenant's own values. */
  flags: Record<string, JsonValue>;
  /** The values the tenant itself set. */
  ownFlags: Record<string, JsonValue>;
  revision: number;
  updatedAt: string | null;
  /** Every module of the registry, in load order, blocked ones last. */
  moduleStates: ModuleStateView[];
}

/** The view of `state` against `registry`; `failed` names modules whose code failed here. */
export function tenantView(
  registry: PlanningRegistry,
  state: TenantState,
  failed: ReadonlyMap<string, string> = new Map(),
): TenantView {
  const modules = enabledModules(registry, state);
  const on = new Set(modules);
  const core = new Set(registry.core);
  const dependents = new Map<string, string[]>();
  for (const name of modules) {
    for (const dep of Object.keys(registry.modules.get(name)?.dependencies ?? {})) {
      const list = dependents.get(dep) ?? [];
      list.push(name);
      dependents.set(dep, list);
    }
  }
  const blockedNames = [...registry.modules.keys()].filter((n) => registry.blocked.has(n)).sort();
  const moduleStates = [...registry.order, ...blockedNames].map((name): ModuleStateView => {
    const requiredBy = dependents.get(name) ?? [];
    const blocked = registry.blocked.get(name);
    if (blocked !== undefined) {
      return {
        module: name,
        state: 'blocked',
        reason: `blocked: ${blocked}`,
        requiredBy: [],
        needs: [],
      };
    }
    if (core.has(name)) {
      const coreBy = requiredBy.filter((by) => core.has(by));
      const reason =
        registry.modules.get(name)?.core === true || coreBy.length === 0
          ? 'core: on for every tenant'
          : `core: required by ${coreBy.join(', ')}`;
      return { module: name, state: 'core', reason, requiredBy, needs: [] };
    }
    if (on.has(name)) {
      const failure = failed.get(name);
      if (failure !== undefined) {
        return {
          module: name,
          state: 'failed',
          reason: `failed: ${failure}`,
          requiredBy,
          needs: [],
        };
      }
      const reason = requiredBy.length > 0 ? `required by ${requiredBy.join(', ')}` : 'enabled';
      return { module: name, state: 'enabled', reason, requiredBy, needs: [] };
    }
    const needs = Object.keys(registry.modules.get(name)?.dependencies ?? {}).filter(
      (dep) => !on.has(dep),
    );
    const reason = needs.length > 0 ? `needs ${needs.join(', ')}` : 'disabled';
    return { module: name, state: 'disabled', reason, requiredBy: [], needs };
  });
  return {
    tenant: state.tenant,
    modules,
    unavailable: unavailableModules(registry, state),
    flags: flagValues(registry, state),
    ownFlags: state.flags,
    revision: state.revision,
    updatedAt: state.updatedAt,
    moduleStates,
  };
}
