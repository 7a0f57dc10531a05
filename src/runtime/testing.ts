import { ModregError } from '../errors.js';
import { buildDependencyGraph } from '../graph/build-graph.js';
import { shownValue } from '../message-text.js';
import { toGraphModule, toModuleRecord } from '../registry/normalize.js';
import { REGISTRY_FORMAT, type RegistryFile } from '../registry/registry-file.js';
import type { ModuleConfig } from '../registry/types.js';
import { createMemoryStore } from '../stores/memory.js';
import type { TenantSettings } from '../tenant/types.js';
import { createModreg } from './create-modreg.js';
import type { Modreg } from './modreg.js';
import type { ModregOptions } from './options.js';
import type { ModuleHooks } from './types.js';

/** A module config for tests: any field of a `module.config.json`, `name` required. */
export type TestModuleConfig = Partial<ModuleConfig> & { name: string };

/** A module for {@link createTestModreg}: its config, and optionally its code. */
export type TestModule = TestModuleConfig & { hooks?: ModuleHooks };

/**
 * Registry file content for module configs given in code (as if under `modules/<name>/`),
 * ordered by the real graph builder; versions default to 1.0.0. Takes the list, or
 * `{ modules: [...] }` as createTestModreg does.
 */
export function createTestRegistry(
  configs: readonly TestModuleConfig[] | { modules: readonly TestModuleConfig[] },
): RegistryFile {
  const list = Array.isArray(configs) ? configs : (configs as { modules?: unknown }).modules;
  if (!Array.isArray(list) || !list.every((c) => typeof c?.name === 'string')) {
    throw new ModregError(
      'usage',
      `createTestRegistry takes a list of module configs, each with a name ([{ name: 'billing' }]) or { modules: [...] }, not ${shownValue(configs)}.`,
    );
  }
  const records = (list as TestModuleConfig[]).map((config) =>
    toModuleRecord(
      { version: '1.0.0', ...config },
      `modules/${config.name}`,
      `modules/${config.name}/module.config.json`,
    ),
  );
  const graph = buildDependencyGraph(records.map((record) => toGraphModule(record)));
  return {
    format: REGISTRY_FORMAT,
    generatedAt: new Date().toISOString(),
    root: '.',
    modulesDir: 'modules',
    modules: records,
    order: graph.order,
    layers: graph.layers,
    blocked: graph.blocked,
    warnings: graph.warnings,
  };
}

/** Options for {@link createTestModreg}. */
export interface TestModregOptions extends Omit<ModregOptions, 'registry' | 'store' | 'modules'> {
  modules: TestModule[];
  /** Tenant state to start from, each at revision 1. @default {} */
  tenants?: Record<string, Partial<TenantSettings>>;
}

/**
 * A ready instance over modules and tenants given in the call, with an in-memory store —
 * for a server's own tests:
 * `const modreg = await createTestModreg({ modules: [{ name: 'billing' }], tenants: { acme: { modules: ['billing'] } } })`.
 * Versions default to 1.0.0; warnings are not logged unless a `logger` is given; `close()`
 * also drops the store.
 */
export async function createTestModreg(options: TestModregOptions): Promise<Modreg> {
  const { modules, tenants = {}, ...rest } = options;
  const registry = createTestRegistry(modules.map(({ hooks: _, ...config }) => config));
  const store = createMemoryStore({
    tenants: Object.fromEntries(
      Object.entries(tenants).map(([tenant, settings]) => [
        tenant,
        { modules: settings.modules ?? [], flags: settings.flags ?? {} },
      ]),
    ),
  });
  const hooks = Object.fromEntries(modules.map((m) => [m.name, m.hooks ?? {}]));
  const modreg = createModreg({ logger: false, ...rest, registry, store, modules: hooks });
  await modreg.ready();
  const close = modreg.close;
  return Object.assign(modreg, {
    close: async () => {
      await close();
      await store.close();
    },
  });
}
