import { enabledModules } from '../planner/planning-registry.js';
import type { PlanningRegistry } from '../planner/types.js';
import type { TenantState } from '../tenant/types.js';
import type { Finding } from './finding.js';

/** A module the store has enabled for a tenant that will not load, and why. */
export interface UnavailableModule {
  module: string;
  /**
   * `gone`: no module of that name any more; `blocked`: it cannot load (a cycle, a missing
   * dependency, a broken config…); `unmet`: it now requires a module the tenant has not on.
   */
  reason: 'gone' | 'blocked' | 'unmet';
  /** A sentence naming the module and the fix. */
  message: string;
}

/**
 * The modules `state` has enabled that will not load with `registry` as it is now — what
 * `status` marks, `doctor` reports and the admin API shows. A state written by the planner
 * has none; a registry changed since may leave some (a new dependency silently stops a
 * module from loading).
 */
export function unavailableModules(
  registry: PlanningRegistry,
  state: TenantState,
): UnavailableModule[] {
  const { tenant } = state;
  const on = new Set(enabledModules(registry, state));
  const found: UnavailableModule[] = [];
  for (const name of state.modules) {
    const module = registry.modules.get(name);
    if (module === undefined) {
      found.push({
        module: name,
        reason: 'gone',
        message: `"${name}" is enabled, but no such module exists any more; run "modreg disable ${tenant} ${name}".`,
      });
      continue;
    }
    const blocked = registry.blocked.get(name);
    if (blocked !== undefined) {
      found.push({
        module: name,
        reason: 'blocked',
        message: `"${name}" is enabled but cannot load: it ${blocked}.`,
      });
      continue;
    }
    for (const dep of Object.keys(module.dependencies)) {
      if (!on.has(dep)) {
        found.push({
          module: name,
          reason: 'unmet',
          message: `"${name}" now requires "${dep}", which this tenant has not enabled, so "${name}" will not load; run "modreg enable ${tenant} ${dep}" (or "modreg disable ${tenant} ${name}").`,
        });
      }
    }
  }
  return found;
}

/** The unavailable modules of one tenant as doctor findings. */
export function tenantFindings(registry: PlanningRegistry, state: TenantState): Finding[] {
  return unavailableModules(registry, state).map(({ message }) => ({
    check: 'tenant',
    subject: state.tenant,
    message,
  }));
}
