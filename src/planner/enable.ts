import { ModregError } from '../errors.js';
import { itOrThem, pathList, quotedList } from '../message-text.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import type { TenantState } from '../tenant/types.js';
import { requestedModules, unknownModule } from './module-lookup.js';
import { inLoadOrder, loadPositions, pathTo, requiredTree, storedModules } from './module-order.js';
import { enabledModules } from './planning-registry.js';
import { refusalWithAlternative } from './refusal.js';
import type { EnableOptions, Plan, PlannedChange, PlanningRegistry } from './types.js';

/**
 * Plans switching `modules` on for the tenant of `state`. A module already on (core ones
 * included) is left as it is. Every required dependency, transitively, must be on or named
 * too; with `withDeps` the missing ones are switched on as well. Enables are listed in load
 * order. Refuses (a `refused` {@link ModregError}) an unknown module (naming the nearest
 * one), a blocked module (with its reason), and missing dependencies (with their chain).
 */
export function planEnable(
  registry: PlanningRegistry,
  state: TenantState,
  modules: readonly string[],
  options: EnableOptions = {},
): Plan {
  validateTenantId(state.tenant);
  const requested = requestedModules('enable', modules);
  for (const name of requested) {
    if (!registry.modules.has(name)) throw unknownModule(registry, 'enable', name, state.tenant);
    const reason = registry.blocked.get(name);
    if (reason !== undefined) {
      throw new ModregError(
        'refused',
        `Cannot enable "${name}" for tenant "${state.tenant}": "${name}" ${reason}, so it cannot load. Fix that and run "modreg discover" again.`,
      );
    }
  }
  const positions = loadPositions(registry);
  const on = new Set(enabledModules(registry, state));
  const asked = requested.filter((name) => !on.has(name));
  const askedSet = new Set(asked);
  const isMissing = (name: string) => !on.has(name) && !askedSet.has(name);
  const trees = asked.map((name) => ({
    name,
    tree: requiredTree(registry, name, isMissing, positions),
  }));
  const reasons = new Map<string, string>(asked.map((name) => [name, 'requested']));
  for (const { tree } of trees) {
    for (const [dep, parent] of tree) {
      if (!reasons.has(dep)) reasons.set(dep, `required by ${parent}`);
    }
  }
  if (reasons.size > asked.length && options.withDeps !== true) {
    throw missingDependencies(trees, state.tenant, reasons.size - asked.length, positions);
  }
  const enables = inLoadOrder(reasons.keys(), positions);
  const changes: PlannedChange[] = enables.map((module) => ({
    module,
    action: 'enable',
    reason: reasons.get(module) as string,
  }));
  return {
    tenant: state.tenant,
    changes,
    next: {
      modules: storedModules(registry, [...state.modules, ...enables]),
      flags: { ...state.flags },
    },
    operation: `enable ${requested.join(', ')}${options.withDeps === true ? ' (with dependencies)' : ''}`,
  };
}

/** The refusal naming, for each module asked for, the disabled modules it needs. */
function missingDependencies(
  trees: readonly { name: string; tree: ReadonlyMap<string, string> }[],
  tenant: string,
  missingCount: number,
  positions: ReadonlyMap<string, number>,
): ModregError {
  const missing = trees.filter(({ tree }) => tree.size > 0);
  const sentences = missing.map(
    ({ name, tree }) =>
      `Cannot enable "${name}" for tenant "${tenant}": ${needs(tree, positions)}.`,
  );
  const paths = missing.flatMap(({ tree }) => {
    const parents = new Set(tree.values());
    return inLoadOrder(tree.keys(), positions)
      .filter((leaf) => !parents.has(leaf))
      .map((leaf) => pathTo(tree, leaf));
  });
  return refusalWithAlternative(
    sentences.join(' '),
    `Enable ${itOrThem(missingCount)} first`,
    'withDeps',
    paths,
  );
}

/** `it needs "a", which is disabled`, or the chain, or every path when it branches. */
function needs(tree: ReadonlyMap<string, string>, positions: ReadonlyMap<string, number>): string {
  const missing = inLoadOrder(tree.keys(), positions);
  if (missing.length === 1) return `it needs "${missing[0]}", which is disabled`;
  const parents = new Set(tree.values());
  const leaves = missing.filter((name) => !parents.has(name));
  const paths = leaves.map((leaf) => pathTo(tree, leaf));
  if (paths.length === 1) {
    const path = paths[0] as string[];
    const chain = path
      .slice(1)
      .map((name, i) => (i === 0 ? `it needs "${name}"` : `which needs "${name}"`))
      .join(', ');
    return `${chain} (${path.join(' → ')}), and they are disabled`;
  }
  return `it needs ${quotedList(missing)}, which are disabled (${pathList(paths)})`;
}
