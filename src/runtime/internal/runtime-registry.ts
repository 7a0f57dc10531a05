import { dirname, isAbsolute, resolve } from 'node:path';
import { buildDependencyGraph } from '../graph/build-graph.js';
import { createPlanningRegistry, enabledModules } from '../planner/index.js';
import type { PlanningRegistry } from '../planner/types.js';
import { discoverModules } from '../registry/discover.js';
import { toGraphModule } from '../registry/normalize.js';
import { type RegistryFile, readRegistryFile } from '../registry/registry-file.js';
import type { ModuleRecord, Problem } from '../registry/types.js';
import type { JsonValue, TenantSettings } from '../tenant/types.js';
import type { ModregOptions } from './types.js';

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
  /** Problems found when the modules were discovered at start (none from a registry file). */
  problems: readonly Problem[];
  /** Enabled modules for `settings` in load order, as bits over `names`. */
  enabledBits(settings: TenantSettings): Uint32Array;
}

/** Loads the registry the options name: a registry file, its content, or a modules directory. */
export async function loadRuntimeRegistry(
  options: ModregOptions,
  root: string,
): Promise<RuntimeRegistry> {
  const source = options.registry ?? '.modreg/registry.json';
  if (typeof source === 'string') {
    const file = isAbsolute(source) ? source : resolve(root, source);
    const content = await readRegistryFile(file);
    return fromFile(content, resolve(dirname(file), content.root));
  }
  if ('format' in source) return fromFile(source, root);
  const registry = await discoverModules({
    root,
    modulesDir: source.modulesDir,
    ...(source.ignore === undefined ? {} : { ignore: source.ignore }),
    ...(source.jsonOnly === undefined ? {} : { jsonOnly: source.jsonOnly }),
  });
  const { order, blocked } = registry.graph;
  return build(
    createPlanningRegistry({ modules: registry.modules, order, blocked }),
    root,
    registry.problems,
  );
}

/** A runtime registry from registry file content. */
export function fromFile(file: RegistryFile, root: string): RuntimeRegistry {
  return build(
    createPlanningRegistry({ modules: file.modules, order: file.order, blocked: file.blocked }),
    root,
    [],
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
  return build(planning, registry.root, registry.problems);
}

function build(
  planning: PlanningRegistry,
  root: string,
  problems: readonly Problem[],
): RuntimeRegistry {
  const names = [
    ...planning.order,
    ...[...planning.modules.keys()].filter((n) => planning.blocked.has(n)),
  ];
  const index = new Map(names.map((name, i) => [name, i]));
  const defaults = new Map<string, JsonValue>();
  for (const [key, { declaration }] of planning.flags) {
    defaults.set(key, (declaration.default ?? null) as JsonValue);
  }
  return {
    planning,
    names,
    index,
    defaults,
    root,
    problems,
    enabledBits(settings) {
      const bits = new Uint32Array(Math.max(1, Math.ceil(names.length / 32)));
      for (const name of enabledModules(planning, settings)) {
        const i = index.get(name) as number;
        bits[i >>> 5] = (bits[i >>> 5] as number) | (1 << (i & 31));
      }
      return bits;
    },
  };
}
