import { DepGraph } from 'dependency-graph';
import toposort from 'toposort';
import { buildDependencyGraph } from '../src/graph/build-graph.js';
import { type Contender, measureInterleaved, type Outcome, timeOnce } from './measure.js';
import { createRandom, pickDistinct, shuffle } from './random.js';
import {
  type Comparison,
  formatRatio,
  type Goal,
  printGoal,
  printStats,
  ratioOf,
} from './report.js';

/** (a) Load order of generated DAGs: modreg vs toposort vs dependency-graph. */
export const graphOrderComparison: Comparison = {
  id: 'graph-order',
  async run() {
    console.log(
      '\n(a) Load order. Each contender builds its own structure from the same input arrays;',
    );
    console.log('    modreg also computes layers, cycles, blocked modules and name-ordered ties.');
    const goals: Goal[] = [];
    for (const size of SIZES) {
      const outcomes = await compareAtSize(size.modules, size.warmup, size.runs);
      const vsToposort = ratioOf(outcomes, 'toposort', 'modreg');
      const vsDepGraph = ratioOf(outcomes, 'dependency-graph', 'modreg');
      console.log(
        `  toposort ÷ modreg: ${formatRatio(vsToposort)}   dependency-graph ÷ modreg: ${formatRatio(vsDepGraph)}   (> 1×: modreg is faster)`,
      );
      if (size.modules === GOAL_SIZE) {
        const goal: Goal = {
          subject: `(a) load order, ${GOAL_SIZE.toLocaleString('en-US')} modules × 5 deps`,
          figureName: 'toposort ÷ modreg',
          figure: vsToposort,
          target: 2,
          atLeast: true,
        };
        printGoal(goal);
        goals.push(goal);
      }
    }
    return goals;
  },
};

interface GeneratedModule {
  name: string;
  requires: string[];
}

const DEPENDENCIES = 5;
const GOAL_SIZE = 10_000;
const LIMIT_MS = 10_000;
const SIZES = [
  { modules: 1_000, warmup: 20, runs: 100 },
  { modules: 10_000, warmup: 10, runs: 40 },
  { modules: 50_000, warmup: 3, runs: 15 },
];

async function compareAtSize(size: number, warmup: number, runs: number): Promise<Outcome[]> {
  const modules = generateDag(size, 0x5eed + size);
  const edgeCount = modules.reduce((sum, m) => sum + m.requires.length, 0);
  console.log(
    `\n(a) ${size.toLocaleString('en-US')} modules, ${edgeCount.toLocaleString('en-US')} edges (seeded random DAG, shuffled input)`,
  );
  const contenders: Contender<string[]>[] = [
    { name: 'modreg', run: () => buildDependencyGraph(modules).order },
    { name: 'toposort', run: () => orderWithToposort(modules) },
    { name: 'dependency-graph', run: () => orderWithDepGraph(modules) },
  ];
  // One run each outside the figures: checks the order, and drops a contender that fails.
  const failed: Outcome[] = [];
  const valid: Contender[] = [];
  for (const contender of contenders) {
    const reason = await firstRunProblem(modules, contender);
    if (reason === undefined) valid.push(contender);
    else failed.push({ name: contender.name, ok: false, reason });
  }
  const timed = await measureInterleaved(valid, { warmup, runs, limitMs: LIMIT_MS });
  const outcomes = [...timed, ...failed];
  printStats(outcomes);
  return outcomes;
}

/** Why a contender cannot be timed: it throws, takes over 10 s or gives a wrong order. */
async function firstRunProblem(
  modules: readonly GeneratedModule[],
  contender: Contender<string[]>,
): Promise<string | undefined> {
  const first = await timeOnce(contender.run);
  if (!first.ok) return first.reason;
  if (first.ms > LIMIT_MS) return `took ${(first.ms / 1000).toFixed(1)} s (limit 10 s); not timed`;
  const wrong = checkOrder(modules, first.value);
  return wrong === undefined ? undefined : `WRONG ORDER: ${wrong}`;
}

/** Module i requires 5 distinct modules with a smaller index (module i < 5 requires i). */
function generateDag(size: number, seed: number): GeneratedModule[] {
  const random = createRandom(seed);
  const names = Array.from({ length: size }, (_, i) => `m${String(i).padStart(6, '0')}`);
  const modules = names.map((name, i) => ({
    name,
    requires: pickDistinct(random, i, DEPENDENCIES).map((d) => names[d] as string),
  }));
  return shuffle(modules, random);
}

function orderWithToposort(modules: readonly GeneratedModule[]): string[] {
  const nodes: string[] = [];
  const edges: [string, string][] = [];
  for (const m of modules) {
    nodes.push(m.name);
    for (const dep of m.requires) edges.push([dep, m.name]);
  }
  return toposort.array(nodes, edges);
}

function orderWithDepGraph(modules: readonly GeneratedModule[]): string[] {
  const graph = new DepGraph<undefined>();
  for (const m of modules) graph.addNode(m.name);
  for (const m of modules) for (const dep of m.requires) graph.addDependency(m.name, dep);
  return graph.overallOrder();
}

/** Why `order` is not a load order of `modules` (each once, after its dependencies), if it is not. */
function checkOrder(modules: readonly GeneratedModule[], order: readonly string[]) {
  const position = new Map(order.map((name, i) => [name, i]));
  if (order.length !== modules.length || position.size !== modules.length) {
    return `gave ${order.length} names (${position.size} distinct) for ${modules.length} modules`;
  }
  for (const m of modules) {
    const at = position.get(m.name);
    if (at === undefined) return `left out ${m.name}`;
    const early = m.requires.find((dep) => (position.get(dep) ?? Number.POSITIVE_INFINITY) > at);
    if (early !== undefined) return `put ${m.name} before its dependency ${early}`;
  }
  return undefined;
}
