import { shownValue } from '../message-text.js';
import type { FlagDeclaration } from '../registry/types.js';
import type { JsonValue, TenantSettings } from '../tenant/types.js';
import { compareNames } from './module-order.js';
import { MAX_FLAG_VALUE_BYTES, type PlanningRegistry } from './types.js';

/** Flag keys, as schemas/module.config.schema.json declares them. */
export const FLAG_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Deepest nesting accepted in a flag value (deeper is refused, cycles included). */
const MAX_DEPTH = 64;

/**
 * Every declared flag with its default (null when it declares none), overlaid by the values
 * the tenant set, sorted by key. A set value whose type no longer matches the declaration
 * (the registry changed) gives way to the default.
 */
export function flagValues(
  registry: PlanningRegistry,
  settings: TenantSettings,
): Record<string, JsonValue> {
  const values = new Map<string, JsonValue>();
  for (const [key, { declaration }] of registry.flags) {
    values.set(key, declaration.default === undefined ? null : clone(declaration.default));
  }
  for (const [key, value] of Object.entries(settings.flags)) {
    const declared = registry.flags.get(key);
    if (declared === undefined || typeProblem(declared.declaration, value) === undefined) {
      values.set(key, clone(value));
    }
  }
  return Object.fromEntries([...values].sort((a, b) => compareNames(a[0], b[0])));
}

/** Why `key` cannot be a flag key (a clause and its fix), or undefined. */
export function flagKeyProblem(key: string): string | undefined {
  if (typeof key === 'string' && FLAG_KEY_PATTERN.test(key)) return undefined;
  return 'a flag key is 1 to 128 letters, digits, ".", "_" or "-", starting with a letter or digit. Choose a key that follows this rule.';
}

/**
 * Why `value` cannot be the value of flag `key` (a clause and its fix), or undefined: it must
 * be JSON, of the declared type, and at most {@link MAX_FLAG_VALUE_BYTES} bytes as JSON text.
 */
export function flagValueProblem(
  registry: PlanningRegistry,
  key: string,
  value: unknown,
): string | undefined {
  const notJson = jsonProblem(value, 0);
  if (notJson !== undefined) {
    return `its value is not JSON (${notJson}). Use null, true, false, a finite number, a string, an array or an object.`;
  }
  const declared = registry.flags.get(key);
  if (declared !== undefined) {
    const wrongType = typeProblem(declared.declaration, value);
    if (wrongType !== undefined) return `module "${declared.module}" declares it as ${wrongType}`;
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > MAX_FLAG_VALUE_BYTES) {
    return `its value is ${bytes} bytes of JSON, over the limit of ${MAX_FLAG_VALUE_BYTES} bytes. Keep large data elsewhere and store a reference to it in the flag.`;
  }
  return undefined;
}

/** `a boolean, and the string "true" is not one. Use true or false.`, or undefined. */
export function typeProblem(declaration: FlagDeclaration, value: unknown): string | undefined {
  const { type } = declaration;
  if (type === 'json') return undefined;
  if (type === 'number' && typeof value === 'number' && Number.isFinite(value)) return undefined;
  if ((type === 'boolean' || type === 'string') && typeof value === type) return undefined;
  const fix =
    type === 'boolean'
      ? 'Use true or false.'
      : type === 'number'
        ? 'Use a finite number, e.g. 10 or 2.5.'
        : 'Use a string.';
  return `a ${type}, and ${describeValue(value)} is not one. ${fix}`;
}

/** True when `a` and `b` are the same JSON value (object keys in any order). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEquals(item, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  return ka.every(
    (key) => Object.hasOwn(rb, key) && jsonEquals((a as Record<string, unknown>)[key], rb[key]),
  );
}

/** `the string "true"`, `the number 3`, `null`, `an array`, … */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `the array ${shownValue(value)}`;
  if (typeof value === 'object') return `the object ${shownValue(value)}`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return `the ${typeof value} ${shownValue(value)}`;
  }
  return value === undefined ? 'undefined' : `a ${typeof value}`;
}

/** Why `value` is not a JSON value, or undefined. */
function jsonProblem(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : `${value} is not a finite number`;
  }
  if (typeof value !== 'object') return `${describeValue(value)} is not a JSON value`;
  if (depth >= MAX_DEPTH) return `it is nested more than ${MAX_DEPTH} levels deep`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonProblem(value[i], depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    return 'only plain objects and arrays are JSON';
  }
  for (const item of Object.values(value)) {
    const problem = jsonProblem(item, depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function clone(value: unknown): JsonValue {
  return (
    typeof value === 'object' && value !== null ? structuredClone(value) : value
  ) as JsonValue;
}
