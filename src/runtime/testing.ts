import { buildDependencyGraph } from '../graph/build-graph.js';
import { toGraphModule, toModuleRecord } from '../registry/normalize.js';
import { REGISTRY_FORMAT, type RegistryFile } from '../registry/registry-file.js';
import type { ModuleConfig } from '../registry/types.js';
import { createMemoryStore } from '../stores/memory.js';
import type { TenantSettings } from '../tenant/types.js';
import { createModreg, type Modreg } from './create-modreg.js';
import type { ModregOptions, ModuleHooks } from './types.js';

/** A module for {@link createTestModreg}: its config, and optionally its code. */
export type TestModule = Partial<ModuleConfig> & { name: string; hooks?: ModuleHooks };

/**
 * Registry file content for module configs given in code (as if under `modules/<name>/`),
 * ordered by the real graph builder; versions default to 1.0.0.
 */
export function createTestRegistry(
  configs: readonly (Partial<ModuleConfig> & { name: string })[],
): RegistryFile {
  const records = configs.map((config) =>
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
  /** Tenant state to start from. @default {} */
  tenants?: Record<string, Partial<TenantSettings>>;
}

/**
 * A ready instance over modules and tenants given in the call, with an in-memory store —
 * for a server's own tests:
 * `const modreg = await createTestModreg({ modules: [{ name: 'billing' }], tenants: { acme: { modules: ['billing'] } } })`.
 * Versions default to 1.0.0; `close()` also drops the store.
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
  const modreg = createModreg({ ...rest, registry, store, modules: hooks });
  await modreg.ready();
  const close = modreg.close;
  return Object.assign(modreg, {
    close: async () => {
      await close();
      await store.close();
    },
  });
}
