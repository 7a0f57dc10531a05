import { createFlagIndex, type FlagIndex } from '../../evaluation/flag-index.js';
import { buildDependencyGraph } from '../../graph/build-graph.js';
import type { BlockCause, GraphWarning } from '../../graph/types.js';
import { createPlanningRegistry } from '../../planner/planning-registry.js';
import type { PlanningRegistry } from '../../planner/types.js';
import { toGraphModule } from '../../registry/normalize.js';
import type { ModuleRecord, Problem } from '../../registry/types.js';
import type { Modreg } from '../../runtime/modreg.js';

/** `GET /api/modules`: the registry as `discover --json` shows it, from the running instance. */
export interface ModulesView {
  /** Every module, in load order, blocked ones last. */
  modules: readonly ModuleRecord[];
  problems: readonly Problem[];
  order: readonly string[];
  layers: string[][];
  cycles: string[][];
  blocked: { module: string; reason: string; cause: BlockCause }[];
  warnings: GraphWarning[];
  registry: { source: string; loadedAt: string };
}

/** The registry in the forms the routes need, made once per registry the instance loads. */
export interface RegistryViews {
  planning(): PlanningRegistry;
  modules(): ModulesView;
  /** The keys OFREP answers for: declared flags and `module:<name>` keys. */
  flagIndex(): FlagIndex;
}

/**
 * Views of `modreg`'s registry through its public interface, remade when it loads another
 * registry (a new registry file, a module registered in code): the load order it reports is
 * one array per registry, so a new array means a new registry.
 */
export function createRegistryViews(modreg: Modreg): RegistryViews {
  let order: readonly string[] | undefined;
  let planning: PlanningRegistry | undefined;
  let modules: ModulesView | undefined;
  let index: FlagIndex | undefined;
  const current = () => {
    const info = modreg.registryInfo();
    if (info.order !== order) {
      order = info.order;
      planning = createPlanningRegistry({
        modules: modreg.modules(),
        order: info.order,
        blocked: info.blocked,
      });
      modules = undefined;
      index = undefined;
    }
    return info;
  };
  return {
    planning() {
      current();
      return planning as PlanningRegistry;
    },
    modules() {
      const info = current();
      modules ??= modulesView(modreg.modules(), info);
      return modules;
    },
    flagIndex() {
      current();
      index ??= createFlagIndex(modreg.modules());
      return index;
    },
  };
}

/**
 * The instance reports order and blocked modules; layers, cycles, warnings and why each
 * module is blocked come from the graph of its records — with the modules it reports blocked
 * for reasons outside the graph (a broken config) marked unloadable, so both agree.
 */
function modulesView(
  records: readonly ModuleRecord[],
  info: ReturnType<Modreg['registryInfo']>,
): ModulesView {
  const reported = new Map(info.blocked.map((b) => [b.module, b.reason]));
  const plain = buildDependencyGraph(records.map((m) => toGraphModule(m)));
  const inGraph = new Set(plain.blocked.map((b) => b.module));
  const graph = buildDependencyGraph(
    records.map((m) => toGraphModule(m, inGraph.has(m.name) ? undefined : reported.get(m.name))),
  );
  const causes = new Map(graph.blocked.map((b) => [b.module, b.cause]));
  return {
    modules: records,
    problems: info.problems,
    order: info.order,
    layers: graph.layers,
    cycles: graph.cycles,
    blocked: info.blocked.map(({ module, reason }) => ({
      module,
      reason,
      cause: causes.get(module) ?? 'unloadable',
    })),
    warnings: graph.warnings,
    registry: { source: info.source, loadedAt: info.loadedAt },
  };
}
