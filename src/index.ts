/**
 * modreg's core entry: discover and validate module configs, order them, read the registry
 * file `modreg discover` writes, plan tenant changes, the Store contract and the JSON store, and
 * the runtime a server runs (`createModreg`). The HTTP adapters, the Redis store and the test
 * helpers are subpath entries (`modreg/express`, `modreg/redis`, `modreg/testing`), each
 * loading only its own dependencies. Never imports the CLI.
 */
export {
  isModregError,
  ModregError,
  type ModregErrorCode,
  type ModregErrorDetails,
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
export type { FlagChanges } from './planner/flags.js';
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
  rollbackTarget,
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
export { createModreg } from './runtime/create-modreg.js';
export type { ReplacedSystemNames } from './runtime/legacy-names.js';
export type {
  AdminServer,
  ChangeOptions,
  DisableChangeOptions,
  EnableChangeOptions,
  FlagChangeOptions,
  Modreg,
  ModregLifecycle,
  ModuleRuntime,
  Observability,
  RegistryAccess,
  RegistryInfo,
  TenantChanges,
  TenantLookups,
} from './runtime/modreg.js';
export type { ModregOptions, RegistrySource, StoreSource } from './runtime/options.js';
export type {
  ChangeEvent,
  Health,
  Logger,
  ModregEvents,
  ModuleContext,
  ModuleHooks,
  ModuleProblem,
  ModuleRequest,
  ModuleResponse,
  ModuleRoute,
  ModuleRouteMethod,
  ModuleRouter,
  ModuleRoutes,
  ModuleState,
  ModuleStatus,
  RecordedRoute,
  RegistryEvent,
  RequestTenant,
  RuntimeChange,
  RuntimeStats,
  TenantContext,
  TenantSnapshot,
} from './runtime/types.js';
export {
  createJsonFileStore,
  type JsonFileStore,
  type JsonFileStoreOptions,
} from './stores/json-file.js';
export type { JsonStoreInspection } from './stores/json-inspect.js';
export { type OpenStoreOptions, openStore } from './stores/open-store.js';
export type { LockWait } from './stores/tenant-lock.js';
export {
  type ChangeListener,
  DEFAULT_HISTORY_LIMIT,
  type ListOptions,
  type Store,
  type StoreEvent,
  type TenantPage,
  type TenantRecord,
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
