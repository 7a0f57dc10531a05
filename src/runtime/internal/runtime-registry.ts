import { dirname, isAbsolute, resolve } from 'node:path';
import { ModregError } from '../../errors.js';
import { buildDependencyGraph } from '../../graph/build-graph.js';
import { shownValue } from '../../message-text.js';
import { typeProblem } from '../../planner/flag-values.js';
import { createPlanningRegistry, enabledModules } from '../../planner/index.js';
import type { PlanningRegistry } from '../../planner/types.js';
import { discoverModules } from '../../registry/discover.js';
import { toGraphModule } from '../../registry/normalize.js';
import {
  REGISTRY_FORMAT,
  type RegistryFile,
  readRegistryFile,
} from '../../registry/registry-file.js';
import type { ModuleRecord, Problem } from '../../registry/types.js';
import type { JsonValue, TenantSettings } from '../../tenant/types.js';
import type { RegistrySource } from '../options.js';
import { BITS_PER_WORD } from './snapshot.js';

/** The registry as the runtime uses it: planning data plus indexes for fast lookups. */
export interface RuntimeRegistry {
  planning: PlanningRegistry;
  /** Every module by position: `index.get(name)` is its bit in a snapshot. */
  names: readonly string[];
  index: ReadonlyMap<string, number>;
  /** Declared flag defaults (shared by every snapshot). */
  defaults: ReadonlyMap<string, JsonValue>;
  /** Directory module paths (`path`, `entry`) are relative to. */
  root: string;
  /** Problems found when the modules were discovered (none from a registry file). */
  problems: readonly Problem[];
  /** The registry file, the modules directory, or `code`. */
  source: string;
  /** Enabled modules for `settings`, as bits over `names`: a number, or one per 30 modules. */
  enabledBits(settings: TenantSettings): number | readonly number[];
  /**
   * The flag values a tenant's own settings give, frozen: those whose type no longer fits
   * their declaration (the registry changed since they were set) give way to the default, as
   * `flagValues` — what the CLI shows — has it.
   */
  ownFlags(settings: TenantSettings): Readonly<Record<string, JsonValue>>;
}

/** Where the registry is read from, resolved: a file to watch, a directory to scan, or content. */
export type ResolvedRegistrySource =
  | { kind: 'file'; file: string }
  | { kind: 'directory'; dir: string; ignore?: string[]; jsonOnly?: boolean }
  | { kind: 'content'; content: RegistryFile };

/** The registry source the options name, with paths resolved against `root`. */
export function resolveRegistrySource(
  source: RegistrySource | undefined,
  root: string,
): ResolvedRegistrySource {
  const given = source ?? '.modreg/registry.json';
  if (typeof given === 'string') {
    return { kind: 'file', file: isAbsolute(given) ? given : resolve(root, given) };
  }
  if (typeof given !== 'object' || given === null) throw notARegistry(given);
  if ('format' in given) {
    const { format, modules, order, blocked } = given as Partial<RegistryFile>;
    const records = Array.isArray(modules) && modules.every((m) => typeof m?.name === 'string');
    if (
      format !== REGISTRY_FORMAT ||
      !records ||
      !Array.isArray(order) ||
      !Array.isArray(blocked)
    ) {
      throw notARegistry(given);
    }
    return { kind: 'content', content: given };
  }
  if (typeof given.modulesDir !== 'string') throw notARegistry(given);
  return { ...given, kind: 'directory', dir: resolve(root, given.modulesDir) };
}

/** Loads the registry from its source: a registry file, its content, or a modules directory. */
export async function loadRuntimeRegistry(
  source: ResolvedRegistrySource,
  root: string,
): Promise<RuntimeRegistry> {
  if (source.kind === 'file') {
    const content = await readRegistryFile(source.file);
    return fromFile(content, resolve(dirname(source.file), content.root), source.file);
  }
  if (source.kind === 'content') return fromFile(source.content, root, 'code');
  const registry = await discoverModules({
    root,
    modulesDir: source.dir,
    ...(source.ignore === undefined ? {} : { ignore: source.ignore }),
    ...(source.jsonOnly === undefined ? {} : { jsonOnly: source.jsonOnly }),
  });
  const { order, blocked } = registry.graph;
  return build(
    createPlanningRegistry({ modules: registry.modules, order, blocked }),
    root,
    registry.problems,
    source.dir,
  );
}

/** A runtime registry from registry file content. */
export function fromFile(file: RegistryFile, root: string, source: string): RuntimeRegistry {
  return build(
    createPlanningRegistry({ modules: file.modules, order: file.order, blocked: file.blocked }),
    root,
    [],
    source,
  );
}

/** The registry with one more module, ordered again (what `registry.register` does). */
export function withModule(registry: RuntimeRegistry, record: ModuleRecord): RuntimeRegistry {
  const records = [...registry.planning.modules.values()].filter((m) => m.name !== record.name);
  records.push(record);
  const graph = buildDependencyGraph(records.map((m) => toGraphModule(m)));
  const planning = createPlanningRegistry({
    modules: records,
    order: graph.order,
    blocked: graph.blocked,
  });
  return build(planning, registry.root, registry.problems, registry.source);
}

function build(
  planning: PlanningRegistry,
  root: string,
  problems: readonly Problem[],
  source: string,
): RuntimeRegistry {
  const names = [
    ...planning.order,
    ...[...planning.modules.keys()].filter((n) => planning.blocked.has(n)),
  ];
  const index = new Map(names.map((name, i) => [name, i]));
  const defaults = new Map<string, JsonValue>();
  for (const [key, { declaration }] of planning.flags) {
    defaults.set(key, deepFreeze((declaration.default ?? null) as JsonValue));
  }
  const bitsOf = (settings: TenantSettings) => {
    const words = new Array<number>(Math.max(1, Math.ceil(names.length / BITS_PER_WORD))).fill(0);
    for (const name of enabledModules(planning, settings)) {
      const i = index.get(name) as number;
      const w = (i / BITS_PER_WORD) | 0;
      words[w] = (words[w] as number) | (1 << (i % BITS_PER_WORD));
    }
    return names.length <= BITS_PER_WORD ? (words[0] as number) : Object.freeze(words);
  };
  // Tenants mostly share a few sets of modules: each set's bits are worked out once.
  const bitsBySet = new Map<string, number | readonly number[]>();
  return {
    planning,
    names,
    index,
    defaults,
    root,
    problems,
    source,
    ownFlags(settings) {
      const own = settings.flags;
      const keys = Object.keys(own);
      if (keys.length === 0) return NO_FLAGS;
      const misfit = keys.filter((key) => {
        const declared = planning.flags.get(key);
        return declared !== undefined && typeProblem(declared.declaration, own[key]) !== undefined;
      });
      if (misfit.length === 0) return deepFreeze(own);
      const kept = Object.entries(own).filter(([key]) => !misfit.includes(key));
      return deepFreeze(Object.fromEntries(kept));
    },
    enabledBits(settings) {
      const set = settings.modules.join('\u0000');
      let bits = bitsBySet.get(set);
      if (bits === undefined) {
        bits = bitsOf(settings);
        if (bitsBySet.size < DISTINCT_SETS_KEPT) bitsBySet.set(set, bits);
      }
      return bits;
    },
  };
}

/** Module sets whose bits a registry keeps: beyond them, bits are worked out per tenant. */
const DISTINCT_SETS_KEPT = 256;

/** The own flags of every tenant that set none: one object, not one per tenant. */
const NO_FLAGS: Readonly<Record<string, JsonValue>> = Object.freeze({});

/** `value` frozen all the way down, so that no caller can change what every lookup answers. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function notARegistry(given: unknown): ModregError {
  return new ModregError(
    'usage',
    `options.registry must be a registry file's path, its content (format ${REGISTRY_FORMAT}: modules, order, blocked), or { modulesDir }, not ${shownValue(given)}.`,
  );
}
