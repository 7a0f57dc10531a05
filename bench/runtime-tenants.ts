import type { RegistryFile } from '../src/registry/registry-file.js';
import type { FlagDeclaration } from '../src/registry/types.js';
import { createTestRegistry } from '../src/runtime/testing.js';
import type { JsonValue, TenantSettings } from '../src/tenant/types.js';
import { createRandom, pickDistinct } from './random.js';

/** Modules in the generated registry: independent of each other, none of them core. */
export const MODULE_COUNT = 40;
/** Modules each generated tenant has on. */
export const ENABLED_PER_TENANT = 20;
/** Flag values each generated tenant has set. */
export const FLAGS_PER_TENANT = 10;

/** `module-00` … `module-39`. */
export const MODULE_NAMES: readonly string[] = Array.from(
  { length: MODULE_COUNT },
  (_, i) => `module-${String(i).padStart(2, '0')}`,
);

/** The id of generated tenant `index`: `tenant-000042`. */
export function runtimeTenantName(index: number): string {
  return `tenant-${String(index).padStart(6, '0')}`;
}

/**
 * Registry file content for {@link MODULE_NAMES}, ordered by the real graph builder; the
 * first {@link FLAGS_PER_TENANT} modules each declare the flag the tenants set.
 */
export function generatedRegistry(): RegistryFile {
  return createTestRegistry(
    MODULE_NAMES.map((name, i) => ({
      name,
      flags:
        i < FLAGS_PER_TENANT
          ? { [FLAG_KEYS[i] as string]: FLAG_DECLARATIONS[i % 3] as FlagDeclaration }
          : {},
    })),
  );
}

/**
 * `count` tenants, each with {@link ENABLED_PER_TENANT} random modules on and every declared
 * flag set: booleans, small numbers and short strings, as a real tenant's flags look.
 */
export function generatedTenants(count: number, seed: number): Record<string, TenantSettings> {
  const random = createRandom(seed);
  const tenants: Record<string, TenantSettings> = {};
  for (let t = 0; t < count; t++) {
    const modules = pickDistinct(random, MODULE_COUNT, ENABLED_PER_TENANT)
      .map((i) => MODULE_NAMES[i] as string)
      .sort();
    const flags: Record<string, JsonValue> = {};
    FLAG_KEYS.forEach((key, i) => {
      flags[key] = flagValue(i, random());
    });
    tenants[runtimeTenantName(t)] = { modules, flags };
  }
  return tenants;
}

const FLAG_KEYS: readonly string[] = MODULE_NAMES.slice(0, FLAGS_PER_TENANT).map(
  (name) => `${name}.setting`,
);
const FLAG_DECLARATIONS = [
  { type: 'boolean', default: false },
  { type: 'number', default: 0 },
  { type: 'string', default: 'standard' },
] as const;
const PLANS = ['free', 'standard', 'pro', 'enterprise'] as const;

function flagValue(i: number, draw: number): JsonValue {
  if (i % 3 === 0) return draw < 0.5;
  if (i % 3 === 1) return Math.floor(draw * 1000);
  return PLANS[Math.floor(draw * PLANS.length)] as string;
}
