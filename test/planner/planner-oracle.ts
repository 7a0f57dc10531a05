import { enabledModules } from '../../src/planner/planning-registry.js';
import { MAX_FLAG_VALUE_BYTES, type PlanningRegistry } from '../../src/planner/types.js';
import type { TenantState } from '../../src/tenant/types.js';
import type { Operation } from './planner-arbitraries.js';

/** Flag keys, restated from schemas/module.config.schema.json. */
export const FLAG_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Whether the model accepts `operation`: an oracle written independently of the planner. */
export function expectedAcceptance(
  registry: PlanningRegistry,
  state: TenantState,
  op: Operation,
): boolean {
  const on = new Set(enabledModules(registry, state));
  const core = new Set(registry.core);
  const loadable = (name: string) => registry.modules.has(name) && !registry.blocked.has(name);
  switch (op.kind) {
    case 'enable':
      return (
        op.modules.every(loadable) &&
        (op.withDeps ||
          op.modules.every((name) =>
            [...closure(registry, [name])].every((m) => on.has(m) || op.modules.includes(m)),
          ))
      );
    case 'disable': {
      const stored = new Set(state.modules);
      if (!op.modules.every((m) => (registry.modules.has(m) || stored.has(m)) && !core.has(m))) {
        return false;
      }
      return (
        op.cascade ||
        [...on].every((m) => op.modules.includes(m) || !requiresAny(registry, m, op.modules))
      );
    }
    case 'flags':
      return flagsAccepted(registry, op);
    case 'rollback':
      return true;
    case 'restore': {
      const target = new Set([...op.target.modules, ...core]);
      return op.target.modules.every(
        (m) =>
          core.has(m) || (loadable(m) && requirements(registry, m).every((d) => target.has(d))),
      );
    }
  }
}

/** Whether `planFlags` accepts the flag operation `op`. */
function flagsAccepted(
  registry: PlanningRegistry,
  op: Extract<Operation, { kind: 'flags' }>,
): boolean {
  if (op.set.length === 0 && op.unset.length === 0) return false;
  if (op.set.some(([key]) => op.unset.includes(key))) return false;
  if (!op.unset.every((key) => FLAG_KEY.test(key))) return false;
  return op.set.every(([key, value]) => {
    const declared = registry.flags.get(key)?.declaration.type;
    if (!FLAG_KEY.test(key) || (op.strict && declared === undefined)) return false;
    const typed =
      declared === undefined ||
      declared === 'json' ||
      (declared === 'number' ? Number.isFinite(value) : typeof value === declared);
    return typed && new TextEncoder().encode(JSON.stringify(value)).length <= MAX_FLAG_VALUE_BYTES;
  });
}

/** The modules `name` requires directly. */
export function requirements(registry: PlanningRegistry, name: string): string[] {
  return Object.keys(registry.modules.get(name)?.dependencies ?? {});
}

/** Everything `names` require, transitively (not `names` themselves, unless required). */
export function closure(registry: PlanningRegistry, names: readonly string[]): Set<string> {
  const found = new Set<string>();
  const visit = (name: string) => {
    for (const dep of requirements(registry, name)) {
      if (found.has(dep)) continue;
      found.add(dep);
      visit(dep);
    }
  };
  for (const name of names) visit(name);
  return found;
}

/** Whether `name` requires one of `targets`, directly or not. */
export function requiresAny(
  registry: PlanningRegistry,
  name: string,
  targets: readonly string[],
): boolean {
  const required = closure(registry, [name]);
  return targets.some((t) => required.has(t));
}
