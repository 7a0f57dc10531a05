/**
 * modreg's library surface: discover and validate module configs, order them, and read the
 * registry file `modreg discover` writes, plan and store tenant state, and run modules per tenant
 * in a server (createModreg). Never imports the CLI.
 */
export {
  isModregError,
  ModregError,
  type ModregErrorCode,
  type ModregErrorOptions,
} from './errors.js';
export { type BuildGraphOptions, buildDependencyGraph } from './graph/build-graph.js';
export { toDot, toMermaid } from './graph/format.js';
export type {
  BlockCause,
  BlockedModule,
  DependencyGraph,
  GraphEdge,
  GraphModule,
  GraphWarning,
} from './graph/types.js';
export {
  createPlanningRegistry,
  enabledModules,
  flagValues,
  MAX_FLAG_VALUE_BYTES,
  type Plan,
  type PlannedChange,
  type PlanningRegistry,
  parseFlagInput,
  planDisable,
  planEnable,
  planFlags,
  planRollback,
} from './planner/index.js';
export { type DiscoverOptions, discoverModules } from './registry/discover.js';
export {
  REGISTRY_FORMAT,
  type RegistryFile,
  readRegistryFile,
  toRegistryFile,
  writeRegistryFile,
} from './registry/registry-file.js';
export {
  modregConfigSchemaPath,
  moduleConfigSchemaPath,
  readModuleConfigSchema,
} from './registry/schema.js';
export {
  createModuleConfigValidator,
  createSchemaValidator,
  type ModuleConfigValidator,
  type SchemaIssue,
  type SchemaValidator,
} from './registry/schema-validator.js';
export type {
  DependencyList,
  FlagDeclaration,
  FlagType,
  ModuleConfig,
  ModuleRecord,
  Problem,
  Registry,
} from './registry/types.js';
export {
  createExpressMiddleware,
  type ExpressAdapterOptions,
  type RequestTenant,
  type ResolveTenant,
  tenantFromHeader,
  tenantFromSubdomain,
} from './runtime/adapters/express.js';
export { createModreg, type Modreg } from './runtime/create-modreg.js';
export {
  createTestModreg,
  createTestRegistry,
  type TestModregOptions,
  type TestModule,
} from './runtime/testing.js';
export type {
  ChangeEvent,
  Health,
  Logger,
  ModregOptions,
  ModuleContext,
  ModuleHooks,
  ModuleState,
  ModuleStatus,
  RuntimeChange,
  RuntimeStats,
  TenantContext,
  TenantSnapshot,
} from './runtime/types.js';
export { createJsonFileStore, type JsonFileStoreOptions } from './stores/json-file.js';
export { createMemoryStore, type MemoryStoreOptions } from './stores/memory.js';
export { type OpenStoreOptions, openStore } from './stores/open-store.js';
export type { RedisStoreOptions } from './stores/redis.js';
export {
  type ChangeListener,
  DEFAULT_HISTORY_LIMIT,
  type ListOptions,
  type Store,
  type StoreEvent,
  type TenantPage,
  type UpdateRequest,
  type UpdateResult,
} from './stores/types.js';
export {
  isTenantId,
  TENANT_ID_PATTERN,
  TENANT_ID_RULE,
  validateTenantId,
} from './tenant/tenant-id.js';
export type { HistoryEntry, JsonValue, TenantSettings, TenantState } from './tenant/types.js';

/** The Redis store; ioredis is loaded only when this is called. */
export async function createRedisStore(
  options: import('./stores/redis.js').RedisStoreOptions,
): Promise<import('./stores/types.js').Store> {
  const { createRedisStore: create } = await import('./stores/redis.js');
  return create(options);
}
