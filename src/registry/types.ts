import type { DependencyGraph } from '../graph/types.js';

/** The type every value of a flag must have. `json` accepts any JSON value. */
export type FlagType = 'boolean' | 'string' | 'number' | 'json';

/** A feature flag a module declares. */
export interface FlagDeclaration {
  type: FlagType;
  /** The value a tenant has until it sets one. */
  default?: unknown;
  description?: string;
}

/** Required or optional dependencies as written: ranges by name, or names (any version). */
export type DependencyList = Record<string, string> | string[];

/** A `module.config` as written (see schemas/module.config.schema.json). */
export interface ModuleConfig {
  $schema?: string;
  name: string;
  version: string;
  description?: string;
  entry?: string;
  dependencies?: DependencyList;
  optionalDependencies?: DependencyList;
  routes?: { prefix?: string; paths?: string[] };
  models?: string[];
  flags?: Record<string, FlagDeclaration>;
  core?: boolean;
}

/** A discovered module, normalised: paths relative to the project root, ranges by name. */
export interface ModuleRecord {
  name: string;
  version: string;
  description: string;
  /** The module directory, relative to the project root, with `/` separators. */
  path: string;
  /** The config file, relative to the project root. */
  file: string;
  /** The entry file, relative to the project root; null for a module without code. */
  entry: string | null;
  /** Required dependencies: name → semver range (`*` for any version). */
  dependencies: Record<string, string>;
  /** Optional dependencies: name → semver range. */
  optionalDependencies: Record<string, string>;
  routes: { prefix: string | null; paths: string[] };
  models: string[];
  flags: Record<string, FlagDeclaration>;
  core: boolean;
}

/** Something wrong in one config file, located by a JSON pointer. */
export interface Problem {
  /** The config file, relative to the project root. */
  file: string;
  /** JSON pointer inside the file ("" for the whole file). */
  pointer: string;
  /** A sentence naming the subject and the fix. */
  message: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** What discovery found: the modules, every problem, and the dependency graph. */
export interface Registry {
  /** The modules directory, relative to the project root. */
  modulesDir: string;
  /** Valid modules by name, sorted by name. Modules with problems are included when readable. */
  modules: ModuleRecord[];
  /** Every problem found; empty when all configs are valid. */
  problems: Problem[];
  graph: DependencyGraph;
}
