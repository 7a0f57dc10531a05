import { ModregError } from '../errors.js';
import { shownText, shownValue } from '../message-text.js';
import { didYouMean } from '../suggest.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import type { JsonValue, TenantState } from '../tenant/types.js';
import { flagKeyProblem, flagValueProblem, jsonEquals } from './flag-values.js';
import { compareNames, storedModules } from './module-order.js';
import type { FlagOptions, Plan, PlannedChange, PlanningRegistry } from './types.js';

/** The flag changes asked for in one operation. */
export interface FlagChanges {
  /** Values to set, by flag key. */
  set?: Record<string, JsonValue>;
  /** Keys to remove, so that the declared default applies again. */
  unset?: string[];
}

/**
 * Plans setting and unsetting flags for the tenant of `state`. Keys must follow the flag
 * key rule (so `__proto__` is refused, never written); a declared flag takes only values of
 * its type; with `strict`, undeclared keys are refused (naming the nearest declared one); a
 * value may take at most `MAX_FLAG_VALUE_BYTES` bytes of JSON. Setting the value a key
 * already has, or unsetting a key that is not set, changes nothing. Sets are listed first,
 * then unsets, each by key.
 */
export function planFlags(
  registry: PlanningRegistry,
  state: TenantState,
  changes: FlagChanges,
  options: FlagOptions = {},
): Plan {
  validateTenantId(state.tenant);
  const sets = changes.set === undefined ? [] : Object.entries(changes.set);
  const unsets = [...new Set(changes.unset ?? [])];
  if (sets.length === 0 && unsets.length === 0) {
    throw new ModregError('usage', 'Nothing to change: set or unset at least one flag.');
  }
  const setKeys = new Set(sets.map(([key]) => key));
  const both = unsets.find((key) => setKeys.has(key));
  if (both !== undefined) {
    throw new ModregError('usage', `Flag ${shownText(both)} is both set and unset; choose one.`);
  }
  const refuse = (verb: string, key: string, problem: string) =>
    new ModregError(
      'refused',
      `Cannot ${verb} flag ${shownText(key)} for tenant "${state.tenant}": ${problem}`,
    );
  for (const [key, value] of sets) {
    const problem =
      flagKeyProblem(key) ??
      (options.strict === true ? undeclaredProblem(registry, key) : undefined) ??
      flagValueProblem(registry, key, value);
    if (problem !== undefined) throw refuse('set', key, problem);
  }
  for (const key of unsets) {
    const problem = flagKeyProblem(key);
    if (problem !== undefined) throw refuse('unset', key, problem);
  }
  const current = new Map(Object.entries(state.flags));
  const next = new Map(current);
  const planned: PlannedChange[] = [];
  for (const [key, value] of [...sets].sort((a, b) => compareNames(a[0], b[0]))) {
    if (current.has(key) && jsonEquals(current.get(key), value)) continue;
    const to = structuredClone(value);
    next.set(key, to);
    planned.push({
      flag: key,
      action: 'set',
      reason: 'requested',
      ...previousValue(current, key),
      to,
    });
  }
  for (const key of [...unsets].sort(compareNames)) {
    if (!current.has(key)) continue;
    next.delete(key);
    planned.push({
      flag: key,
      action: 'unset',
      reason: 'requested',
      ...previousValue(current, key),
    });
  }
  return {
    tenant: state.tenant,
    changes: planned,
    next: {
      modules: storedModules(registry, state.modules),
      flags: Object.fromEntries([...next].sort((a, b) => compareNames(a[0], b[0]))),
    },
    operation: flagOperation(sets, unsets, options),
  };
}

/** `{ from }` with the key's current value, or nothing when it is not set. */
export function previousValue(
  current: ReadonlyMap<string, JsonValue>,
  key: string,
): { from?: JsonValue } {
  return current.has(key) ? { from: current.get(key) as JsonValue } : {};
}

/** Why strict mode refuses `key`, with the nearest declared key, or undefined. */
function undeclaredProblem(registry: PlanningRegistry, key: string): string | undefined {
  if (registry.flags.has(key)) return undefined;
  const suggestion = didYouMean(key, registry.flags.keys());
  const fix =
    suggestion === '' ? " Declare it in a module's flags, or set it without strict." : suggestion;
  return `no module declares it, and strict refuses undeclared flags.${fix}`;
}

/** `set billing.new-checkout = true, unset theme (strict)`. */
function flagOperation(
  sets: readonly [string, JsonValue][],
  unsets: readonly string[],
  options: FlagOptions,
): string {
  const parts: string[] = [];
  if (sets.length > 0) {
    parts.push(`set ${sets.map(([key, value]) => `${key} = ${shownValue(value)}`).join(', ')}`);
  }
  if (unsets.length > 0) parts.push(`unset ${unsets.join(', ')}`);
  return `${parts.join('; ')}${options.strict === true ? ' (strict)' : ''}`;
}
