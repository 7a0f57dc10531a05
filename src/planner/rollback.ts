import { ModregError } from '../errors.js';
import { quotedList, shownText, shownValue } from '../message-text.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import type { JsonValue, TenantSettings, TenantState } from '../tenant/types.js';
import { flagKeyProblem, flagValueProblem, jsonEquals } from './flag-values.js';
import { previousValue } from './flags.js';
import {
  compareNames,
  inLoadOrder,
  loadPositions,
  requirementsOf,
  storedModules,
} from './module-order.js';
import { enabledModules } from './planning-registry.js';
import type { Plan, PlannedChange, PlanningRegistry } from './types.js';

/**
 * Plans restoring `target`, the settings after revision `revision` (a history entry's
 * `after`), for the tenant of `state`. The registry may have changed since: every module to
 * enable must still exist, load, and have its required dependencies among the target's
 * modules or the core ones, and every flag value must fit the current declarations, or the
 * rollback is refused. Lists disables (dependents first), then enables (in load order), then
 * flag sets and unsets (by key).
 */
export function planRollback(
  registry: PlanningRegistry,
  state: TenantState,
  target: TenantSettings,
  revision: number,
): Plan {
  if (!Number.isInteger(revision) || revision < 0) {
    throw new ModregError(
      'usage',
      `A revision is a whole number, 0 or more, not ${shownValue(revision)}.`,
    );
  }
  return planReplace(registry, state, target, {
    intro: `Cannot roll tenant "${state.tenant}" back to revision ${revision}: the registry changed since revision ${revision}, and`,
    subject: 'that revision',
    gone: 'is no longer in the registry',
    requires: 'now requires',
    reason: `restores revision ${revision}`,
    operation: `roll back to revision ${revision}`,
  });
}

/**
 * Plans setting the tenant of `state` to the settings an export file gives it (`modreg
 * import`), under the same rules as {@link planRollback}.
 */
export function planImport(
  registry: PlanningRegistry,
  state: TenantState,
  target: TenantSettings,
  file: string,
): Plan {
  return planReplace(registry, state, target, {
    intro: `Cannot set tenant "${state.tenant}" to its settings in ${file}:`,
    subject: 'the file',
    gone: 'is not in the registry',
    requires: 'requires',
    reason: `imported from ${file}`,
    operation: `import from ${file}`,
  });
}

/** How a replacement is told: the refusal's start, what holds the target, the change reason. */
interface ReplaceWording {
  intro: string;
  subject: string;
  /** How a missing module is said to be missing, and a requirement to be required. */
  gone: string;
  requires: string;
  reason: string;
  operation: string;
}

function planReplace(
  registry: PlanningRegistry,
  state: TenantState,
  target: TenantSettings,
  wording: ReplaceWording,
): Plan {
  validateTenantId(state.tenant);
  const positions = loadPositions(registry);
  const wanted = storedModules(registry, target.modules);
  const problem =
    moduleProblem(registry, wanted, positions, wording) ??
    flagProblem(registry, target, wording.subject);
  if (problem !== undefined) throw new ModregError('refused', `${wording.intro} ${problem}`);
  const { reason } = wording;
  const wantedSet = new Set(wanted);
  const effective = enabledModules(registry, state);
  const on = new Set(effective);
  const current = storedModules(registry, [...state.modules, ...effective]);
  const changes: PlannedChange[] = [
    ...inLoadOrder(
      current.filter((name) => !wantedSet.has(name)),
      positions,
    )
      .reverse()
      .map((module): PlannedChange => ({ module, action: 'disable', reason })),
    ...inLoadOrder(
      wanted.filter((name) => !on.has(name)),
      positions,
    ).map((module): PlannedChange => ({ module, action: 'enable', reason })),
  ];
  const flags = new Map(Object.entries(state.flags));
  const restored = Object.entries(target.flags).sort((a, b) => compareNames(a[0], b[0]));
  for (const [key, value] of restored) {
    if (flags.has(key) && jsonEquals(flags.get(key), value)) continue;
    changes.push({ flag: key, action: 'set', reason, ...previousValue(flags, key), to: value });
  }
  for (const key of [...flags.keys()].sort(compareNames)) {
    if (Object.hasOwn(target.flags, key)) continue;
    changes.push({ flag: key, action: 'unset', reason, ...previousValue(flags, key) });
  }
  return {
    tenant: state.tenant,
    changes,
    next: {
      modules: wanted,
      flags: Object.fromEntries(restored.map(([key, value]) => [key, structuredClone(value)])),
    },
    operation: wording.operation,
  };
}

/** Why a module of the target cannot be on now, or undefined. */
function moduleProblem(
  registry: PlanningRegistry,
  wanted: readonly string[],
  positions: ReadonlyMap<string, number>,
  { subject, gone, requires }: ReplaceWording,
): string | undefined {
  const fix = 'Enable and disable the modules you need one by one instead.';
  const on = new Set([...wanted, ...registry.core]);
  for (const name of inLoadOrder(wanted, positions)) {
    if (!registry.modules.has(name)) {
      return `${subject} enables ${shownText(name)}, which ${gone}. ${fix}`;
    }
    const blocked = registry.blocked.get(name);
    if (blocked !== undefined) {
      return `${subject} enables "${name}", which cannot load now ("${name}" ${blocked}). ${fix}`;
    }
    const missing = inLoadOrder(
      requirementsOf(registry, name).filter((dep) => !on.has(dep)),
      positions,
    );
    if (missing.length > 0) {
      const what = missing.length === 1 ? 'it' : 'them';
      return `${subject} enables "${name}", which ${requires} ${quotedList(missing)}, and ${subject} does not enable ${what}. ${fix}`;
    }
  }
  return undefined;
}

/** Why a flag value of the target does not fit the current declarations, or undefined. */
function flagProblem(
  registry: PlanningRegistry,
  target: TenantSettings,
  subject: string,
): string | undefined {
  const entries: [string, JsonValue][] = Object.entries(target.flags);
  for (const [key, value] of entries.sort((a, b) => compareNames(a[0], b[0]))) {
    const problem = flagKeyProblem(key) ?? flagValueProblem(registry, key, value);
    if (problem !== undefined)
      return `${subject}'s flag ${shownText(key)} does not fit: ${problem}`;
  }
  return undefined;
}
