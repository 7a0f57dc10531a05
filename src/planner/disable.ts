import { ModregError } from '../errors.js';
import { itOrThem, pathList, quotedList } from '../message-text.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import type { TenantState } from '../tenant/types.js';
import { requestedModules, unknownModule } from './module-lookup.js';
import {
  inLoadOrder,
  loadPositions,
  requiredPath,
  requirementsOf,
  storedModules,
} from './module-order.js';
import { enabledModules } from './planning-registry.js';
import { refusalWithAlternative } from './refusal.js';
import type { DisableOptions, Plan, PlannedChange, PlanningRegistry } from './types.js';

/**
 * Plans switching `modules` off for the tenant of `state`. A module that is off is left as
 * it is; a stored module the registry no longer knows can be switched off. Refuses core
 * modules, unknown modules (naming the nearest one), and, unless `cascade`, modules that
 * enabled modules require (one dependency path per dependent). With `cascade` every enabled
 * module that would lose a required dependency is switched off too. Disables are listed in
 * reverse load order, so each dependent comes before what it requires.
 */
export function planDisable(
  registry: PlanningRegistry,
  state: TenantState,
  modules: readonly string[],
  options: DisableOptions = {},
): Plan {
  validateTenantId(state.tenant);
  const requested = requestedModules('disable', modules);
  const stored = new Set(state.modules);
  const core = new Set(registry.core);
  for (const name of requested) {
    if (!registry.modules.has(name) && !stored.has(name)) {
      throw unknownModule(registry, 'disable', name, state.tenant);
    }
    if (core.has(name)) throw coreRefusal(registry, name, state.tenant);
  }
  const positions = loadPositions(registry);
  const effective = enabledModules(registry, state);
  const on = new Set([...effective, ...stored]);
  const asked = new Set(requested.filter((name) => on.has(name)));
  // Load order puts requirements first, so one pass finds every module that loses one.
  const off = new Set(asked);
  const dependents: string[] = [];
  for (const name of effective) {
    if (off.has(name)) continue;
    if (requirementsOf(registry, name).some((dep) => off.has(dep))) {
      off.add(name);
      dependents.push(name);
    }
  }
  const pathOf = (name: string) =>
    requiredPath(
      registry,
      name,
      (m) => asked.has(m),
      (m) => off.has(m),
      positions,
    ) ?? [name];
  if (dependents.length > 0 && options.cascade !== true) {
    const paths = [...dependents].reverse().map(pathOf);
    const required = inLoadOrder(reachedFrom(registry, dependents, off), positions).filter((name) =>
      asked.has(name),
    );
    throw requiredByRefusal(required, paths, state.tenant);
  }
  // Reverse load order puts every module before what it requires, asked for or not.
  const changes = inLoadOrder(off, positions)
    .reverse()
    .map(
      (module): PlannedChange => ({
        module,
        action: 'disable',
        reason: asked.has(module) ? 'requested' : `requires ${pathOf(module)[1] ?? module}`,
      }),
    );
  return {
    tenant: state.tenant,
    changes,
    next: {
      modules: storedModules(
        registry,
        state.modules.filter((name) => !off.has(name)),
      ),
      flags: { ...state.flags },
    },
    operation: `disable ${requested.join(', ')}${options.cascade === true ? ' (and what requires it)' : ''}`,
  };
}

/** Why a core module, or a module a core module requires, stays on. */
function coreRefusal(registry: PlanningRegistry, name: string, tenant: string): ModregError {
  if (registry.modules.get(name)?.core === true) {
    return new ModregError(
      'refused',
      `"${name}" is a core module: it is enabled for every tenant and cannot be disabled.`,
    );
  }
  const positions = loadPositions(registry);
  const core = new Set(registry.core);
  for (const by of registry.core) {
    if (registry.modules.get(by)?.core !== true) continue;
    const path = requiredPath(
      registry,
      by,
      (m) => m === name,
      (m) => core.has(m),
      positions,
    );
    if (path === undefined) continue;
    return new ModregError(
      'refused',
      `Cannot disable "${name}" for tenant "${tenant}": core module "${by}" requires it (${path.join(' → ')}), so it is enabled for every tenant. Make "${name}" an optional dependency of "${path[path.length - 2]}" to let tenants disable it.`,
    );
  }
  return new ModregError(
    'refused',
    `"${name}" is enabled for every tenant and cannot be disabled.`,
  );
}

/** The modules of `within` that `starts` require, directly or through others of `within`. */
function reachedFrom(
  registry: PlanningRegistry,
  starts: readonly string[],
  within: ReadonlySet<string>,
): Set<string> {
  const reached = new Set<string>();
  const queue = [...starts];
  for (let head = 0; head < queue.length; head++) {
    for (const dep of requirementsOf(registry, queue[head] as string)) {
      if (!within.has(dep) || reached.has(dep)) continue;
      reached.add(dep);
      queue.push(dep);
    }
  }
  return reached;
}

/** The refusal printing one dependency path per enabled dependent. */
function requiredByRefusal(
  required: readonly string[],
  paths: readonly string[][],
  tenant: string,
): ModregError {
  const verb = required.length === 1 ? 'it is' : 'they are';
  const who =
    paths.length === 1
      ? `"${paths[0]?.[0]}", which is enabled`
      : `enabled modules ${quotedList(paths.map((path) => path[0] as string))}`;
  return refusalWithAlternative(
    `Cannot disable ${quotedList(required)} for tenant "${tenant}": ${verb} required by ${who} (${pathList(paths)}).`,
    `Disable ${itOrThem(paths.length)} first`,
    'cascade',
    paths,
  );
}
