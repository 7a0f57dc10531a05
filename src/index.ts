/**
 * modreg's library surface: discover and validate module configs, order them, and read the
 * registry file `modreg discover` writes. Never imports the CLI.
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
