import type { ModuleConfig, ModuleRecord, Problem } from '../registry/types.js';
import type { JsonValue } from '../tenant/types.js';
import type { Modreg } from './modreg.js';
import type { ModuleHooks, ModuleStatus, RuntimeChange, RuntimeStats } from './types.js';

/**
 * The operations of the system modreg replaces, under that system's names, as
 * `modreg.legacy` — the one place they live, so that code written for it runs unchanged:
 * `const { registry, loader, flags } = modreg.legacy`. Each forwards to one `Modreg`
 * operation, named in its comment; new code should call those.
 */
export interface ReplacedSystemNames {
  registry: {
    /** {@link Modreg.reloadRegistry}, answering with the modules. */
    discoverModules(): Promise<ModuleRecord[]>;
    /** {@link Modreg.ready}. */
    initialize(): Promise<void>;
    /** {@link Modreg.register}. */
    register(config: ModuleConfig, hooks?: ModuleHooks): Promise<ModuleRecord>;
    /** {@link Modreg.module}. */
    get(name: string): ModuleRecord | undefined;
    /** {@link Modreg.modules}. */
    list(): ModuleRecord[];
  };
  loader: {
    /** {@link Modreg.loadModulesForTenant}. */
    loadModulesForTenant(tenant: string): Promise<ModuleStatus[]>;
    /** {@link Modreg.enable} with one module. */
    enableModuleForTenant(
      tenant: string,
      module: string,
      options?: { withDeps?: boolean },
    ): Promise<RuntimeChange>;
    /** {@link Modreg.disable} with one module. */
    disableModuleForTenant(
      tenant: string,
      module: string,
      options?: { cascade?: boolean },
    ): Promise<RuntimeChange>;
    /** {@link Modreg.reloadModulesForTenant}. */
    reloadModulesForTenant(tenant: string): Promise<ModuleStatus[]>;
    /** True when the module's hooks ran for the tenant: a cached {@link Modreg.moduleStatus}. */
    isModuleLoadedForTenant(tenant: string, module: string): boolean;
    /** {@link Modreg.moduleStatuses}. */
    getModulesForTenant(tenant: string): Promise<ModuleStatus[]>;
  };
  flags: {
    /** {@link Modreg.getFlags}. */
    getFeatureFlags(tenant: string): Promise<Record<string, JsonValue>>;
    /** {@link Modreg.isFeatureEnabled}. */
    isFeatureEnabled(tenant: string, key: string): Promise<boolean>;
    /** {@link Modreg.isModuleEnabled}. */
    isModuleEnabled(tenant: string, module: string): Promise<boolean>;
    /** {@link Modreg.updateFlags} with `{ set }`. */
    updateFeatureFlags(
      tenant: string,
      set: Record<string, JsonValue>,
      options?: { strict?: boolean },
    ): Promise<RuntimeChange>;
    /** {@link Modreg.invalidate}. */
    invalidateCache(tenant: string): void;
    /** {@link Modreg.invalidateAll}. */
    clearAllCache(): void;
  };
  /** {@link Modreg.registryInfo}'s problems and blocked modules. */
  validateModuleDependencies(): {
    problems: readonly Problem[];
    blocked: readonly { module: string; reason: string }[];
  };
  /** {@link Modreg.stats}. */
  getStats(): RuntimeStats;
  /** {@link Modreg.isReady}. */
  isInitialized(): boolean;
}

/** The legacy names of `modreg`, each forwarding to one canonical operation. */
export function createLegacyNames(
  modreg: Omit<Modreg, 'legacy'>,
  isLoaded: (tenant: string, module: string) => boolean,
): ReplacedSystemNames {
  return {
    registry: {
      discoverModules: async () => {
        await modreg.reloadRegistry();
        return [...modreg.modules()];
      },
      initialize: () => modreg.ready(),
      register: (config, hooks) => modreg.register(config, hooks),
      get: (name) => modreg.module(name),
      list: () => [...modreg.modules()],
    },
    loader: {
      loadModulesForTenant: (tenant) => modreg.loadModulesForTenant(tenant),
      enableModuleForTenant: (tenant, module, options) => modreg.enable(tenant, module, options),
      disableModuleForTenant: (tenant, module, options) => modreg.disable(tenant, module, options),
      reloadModulesForTenant: (tenant) => modreg.reloadModulesForTenant(tenant),
      isModuleLoadedForTenant: isLoaded,
      getModulesForTenant: (tenant) => modreg.moduleStatuses(tenant),
    },
    flags: {
      getFeatureFlags: (tenant) => modreg.getFlags(tenant),
      isFeatureEnabled: (tenant, key) => modreg.isFeatureEnabled(tenant, key),
      isModuleEnabled: (tenant, module) => modreg.isModuleEnabled(tenant, module),
      updateFeatureFlags: (tenant, set, options) => modreg.updateFlags(tenant, { set }, options),
      invalidateCache: (tenant) => modreg.invalidate(tenant),
      clearAllCache: () => modreg.invalidateAll(),
    },
    validateModuleDependencies: () => {
      const { problems, blocked } = modreg.registryInfo();
      return { problems, blocked };
    },
    getStats: () => modreg.stats(),
    isInitialized: () => modreg.isReady(),
  };
}
