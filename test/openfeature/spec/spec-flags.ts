import { isDeepStrictEqual } from 'node:util';
import type { FlagType } from '../../../src/registry/types.js';
import type { JsonValue, TenantSettings } from '../../../src/tenant/types.js';
import type { TestModuleConfig } from '../../../src/testing.js';

/** One flag of the specification's `test-flags.json` (flagd's format). */
export interface FlagdFlag {
  variants: Record<string, JsonValue>;
  defaultVariant?: string | null;
  disabled?: boolean;
  /** A CEL rule over the context: modreg has no such rules. */
  contextEvaluator?: string;
}

/** The tenant every scenario evaluates for: a modreg provider answers per tenant. */
export const SPEC_TENANT = 'spec-tenant';

/** The module holding the flags that are on, and the one (off for the tenant) holding the disabled ones. */
export const SPEC_MODULE = 'openfeature-spec';
export const SPEC_DISABLED_MODULE = 'openfeature-spec-disabled';

/** What `test-flags.json` becomes in modreg's terms. */
export interface SpecState {
  modules: TestModuleConfig[];
  tenants: Record<string, TenantSettings>;
  /** Names a served value by the flag's variant holding it, as flagd does. */
  variant(flagKey: string, value: JsonValue): string | undefined;
}

/**
 * Maps flagd flags onto modreg: every flag is declared (its type from its variants' values,
 * its default variant's value as the declared default) by one module the tenant has on, or —
 * for a `disabled` flag — by a module the tenant has off. A flag without a targeting rule
 * serves its default variant to everyone; here that value is set as the tenant's own. A flag
 * with a rule (`contextEvaluator`) serves its default variant when the rule does not match —
 * and modreg has no rules, so the tenant gets the declared default, as flagd's DEFAULT.
 */
export function specState(flags: Readonly<Record<string, FlagdFlag>>): SpecState {
  const on: NonNullable<TestModuleConfig['flags']> = {};
  const off: NonNullable<TestModuleConfig['flags']> = {};
  const values: Record<string, JsonValue> = {};
  for (const [key, flag] of Object.entries(flags)) {
    const fallback = defaultValue(flag);
    const declaration = {
      type: flagType(key, flag),
      ...(fallback === undefined ? {} : { default: fallback }),
    };
    (flag.disabled === true ? off : on)[key] = declaration;
    if (flag.disabled !== true && flag.contextEvaluator === undefined && fallback !== undefined) {
      values[key] = fallback;
    }
  }
  return {
    modules: [
      { name: SPEC_MODULE, flags: on },
      { name: SPEC_DISABLED_MODULE, flags: off },
    ],
    tenants: { [SPEC_TENANT]: { modules: [SPEC_MODULE], flags: values } },
    variant(flagKey, value) {
      const variants = Object.hasOwn(flags, flagKey) ? flags[flagKey]?.variants : undefined;
      return Object.entries(variants ?? {}).find(([, held]) => isDeepStrictEqual(held, value))?.[0];
    },
  };
}

function defaultValue(flag: FlagdFlag): JsonValue | undefined {
  const name = flag.defaultVariant;
  return typeof name === 'string' && Object.hasOwn(flag.variants, name)
    ? flag.variants[name]
    : undefined;
}

/** The modreg type of a flagd flag: the one type all its variants' values share. */
function flagType(key: string, flag: FlagdFlag): FlagType {
  const types = new Set(
    Object.values(flag.variants).map((value) => {
      const kind = typeof value;
      return kind === 'boolean' || kind === 'string' || kind === 'number' ? kind : 'json';
    }),
  );
  const [type] = types;
  if (types.size !== 1 || type === undefined) {
    throw new Error(`test-flags.json: the variants of "${key}" do not share one type.`);
  }
  return type;
}
