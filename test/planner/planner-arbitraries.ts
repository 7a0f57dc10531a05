import fc from 'fast-check';
import type { FlagDeclaration, FlagType } from '../../src/registry/types.js';
import type { JsonValue, TenantSettings } from '../../src/tenant/types.js';
import type { ModuleSpec } from './planner-registry.js';

/** Module names of the random registries; `gone` is never defined, `nope` never asked for. */
export const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
/** The tenants every sequence works on. */
export const TENANTS = ['acme', 'globex', 'initech'];
/** Flag keys that no module declares, valid or not. */
const FREE_KEYS = ['free', 'free.x', '__proto__', '.bad'];
const TYPES: FlagType[] = ['boolean', 'string', 'number', 'json'];

/** A value of `type`, or (rarely) anything JSON. */
export function typedValueArb(type: FlagType | undefined): fc.Arbitrary<JsonValue> {
  const json = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>;
  const typed: Record<FlagType, fc.Arbitrary<JsonValue>> = {
    boolean: fc.boolean(),
    string: fc.string({ maxLength: 4 }),
    number: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    json,
  };
  return type === undefined ? json : typed[type];
}

/**
 * Module `names[i]`: required dependencies among earlier modules (a DAG), or `gone`. The
 * names come shuffled, so that name order and load order differ.
 */
function moduleSpecArb(names: readonly string[], i: number): fc.Arbitrary<ModuleSpec> {
  const name = names[i] as string;
  const earlier = names.slice(0, i);
  const flagsArb = fc
    .uniqueArray(fc.nat({ max: 2 }), { maxLength: 2 })
    .chain((ids) =>
      fc
        .tuple(...ids.map(() => fc.constantFrom(...TYPES)))
        .map((types) =>
          Object.fromEntries(
            types.map((type, j): [string, FlagDeclaration] => [
              `${name}.f${ids[j]}`,
              { type, ...(type === 'boolean' ? { default: false } : {}) },
            ]),
          ),
        ),
    );
  return fc.record({
    name: fc.constant(name),
    requires: fc
      .tuple(
        fc.subarray(earlier, { maxLength: Math.min(3, earlier.length) }),
        fc.oneof({ arbitrary: fc.constant([]), weight: 12 }, fc.constant(['gone'])),
      )
      .map(([deps, gone]) => [...deps, ...gone]),
    optional: fc.subarray(
      names.filter((n) => n !== name),
      { maxLength: Math.min(2, names.length - 1) },
    ),
    core: fc.oneof({ arbitrary: fc.constant(false), weight: 7 }, fc.constant(true)),
    flags: flagsArb,
    unloadable: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 10 },
      fc.constant('has an invalid config (modules/x/module.config.json)'),
    ),
  });
}

/** A random registry of 2 to 8 modules: a DAG of required edges, some core, some blocked. */
export const specsArb: fc.Arbitrary<ModuleSpec[]> = fc
  .shuffledSubarray(NAMES, { minLength: 2 })
  .chain((names) => fc.tuple(...names.map((_, i) => moduleSpecArb(names, i))));

/** One operation on one tenant. */
export type Operation =
  | { kind: 'enable'; tenant: string; modules: string[]; withDeps: boolean }
  | { kind: 'disable'; tenant: string; modules: string[]; cascade: boolean }
  | {
      kind: 'flags';
      tenant: string;
      set: [string, JsonValue][];
      unset: string[];
      strict: boolean;
    }
  | { kind: 'rollback'; tenant: string; pick: number }
  | { kind: 'restore'; tenant: string; target: TenantSettings };

/** Operations over the modules and flags of `specs`. */
export function operationArb(specs: readonly ModuleSpec[]): fc.Arbitrary<Operation> {
  const names = [...specs.map((s) => s.name), 'nope'];
  const declared = specs.flatMap((s) =>
    Object.entries(s.flags ?? {}).map(([key, d]) => [key, d.type] as const),
  );
  const types = new Map<string, FlagType>(declared);
  const keys = [...declared.map(([key]) => key), ...FREE_KEYS];
  const tenant = fc.constantFrom(...TENANTS);
  const modules = fc.subarray(names, { minLength: 1, maxLength: Math.min(3, names.length) });
  const entry = fc
    .constantFrom(...keys)
    .chain((key) =>
      fc.tuple(
        fc.constant(key),
        fc.oneof(
          { arbitrary: typedValueArb(types.get(key)), weight: 8 },
          fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<JsonValue>,
          fc.constant('x'.repeat(9000)),
        ),
      ),
    );
  const goodFlags = fc
    .subarray(declared, { maxLength: Math.min(3, declared.length) })
    .chain((picked) =>
      fc
        .tuple(...picked.map(([, type]) => typedValueArb(type)))
        .map(
          (values): Record<string, JsonValue> =>
            Object.fromEntries(picked.map(([key], i) => [key, values[i] as JsonValue])),
        ),
    );
  return fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('enable' as const),
        tenant,
        modules,
        withDeps: fc.oneof({ arbitrary: fc.constant(true), weight: 2 }, fc.constant(false)),
      }),
      weight: 5,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('disable' as const),
        tenant,
        modules,
        cascade: fc.boolean(),
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('flags' as const),
        tenant,
        set: fc.uniqueArray(entry, { minLength: 1, maxLength: 3, selector: ([key]) => key }),
        unset: fc.subarray(keys, { maxLength: 2 }),
        strict: fc.boolean(),
      }),
      weight: 3,
    },
    {
      arbitrary: fc.record({ kind: fc.constant('rollback' as const), tenant, pick: fc.nat() }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('restore' as const),
        tenant,
        target: fc.record({ modules: fc.subarray(names), flags: goodFlags }),
      }),
      weight: 1,
    },
  );
}
