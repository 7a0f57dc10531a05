import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverModules } from '../src/registry/discover.js';
import { createModuleConfigValidator } from '../src/registry/schema-validator.js';
import type { Registry } from '../src/registry/types.js';
import { runCli } from './helpers/cli.js';
import { type GraphOracle, graphOracle } from './helpers/graph-oracle.js';
import {
  FIRST_DEPENDENCY_LINE,
  listGraphIds,
  MODULE_NAME,
  type RealGraph,
  readRealGraph,
  writeModuleTree,
} from './helpers/realgraphs.js';

// Real manifests from public projects, kept next to the repository and never copied into it.
const dataDir = fileURLToPath(new URL('../../shared/realgraphs/', import.meta.url));
const present = existsSync(dataDir);
if (!present) {
  console.warn(
    `\n!!! ../shared/realgraphs is missing (looked for ${dataDir}):` +
      ' the real-graph tests are skipped.\n',
  );
}
const graphIds = present ? listGraphIds(dataDir) : [];
const validator = createModuleConfigValidator();

/** A real graph written as a module tree in its own temp directory, and discovered. */
interface Tree {
  graph: RealGraph;
  oracle: GraphOracle;
  root: string;
  modulesDir: string;
  registry: Registry;
}

/** Builds the tree for `id` before the enclosing suite's tests and removes it after them. */
function useTree(id: string): () => Tree {
  let tree: Tree | undefined;
  beforeAll(async () => {
    const graph = await readRealGraph(dataDir, id);
    const root = await mkdtemp(join(tmpdir(), `modreg-realgraphs-${id}-`));
    const modulesDir = join(root, 'modules');
    await writeModuleTree(graph.modules, modulesDir);
    const registry = await discoverModules({ root, modulesDir: 'modules', validator });
    tree = { graph, oracle: graphOracle(graph.modules), root, modulesDir, registry };
  });
  afterAll(async () => {
    if (tree !== undefined) await rm(tree.root, { recursive: true, force: true });
  });
  return () => tree as Tree;
}

describe.skipIf(!present)('real module graphs (../shared/realgraphs)', () => {
  it('finds the graph files', () => {
    expect(graphIds).toContain('drupal-core-11.x-all');
    expect(graphIds.length).toBeGreaterThanOrEqual(18);
  });

  describe.each(graphIds)('%s', (id) => {
    const tree = useTree(id);

    it('maps every name and version to a valid one, without collisions', () => {
      const { graph } = tree();
      const mapped = [...graph.names.values()];
      expect(new Set(mapped).size).toBe(mapped.length);
      expect(mapped.filter((name) => !MODULE_NAME.test(name))).toEqual([]);
      expect(graph.modules.filter((m) => semver.valid(m.version) === null)).toEqual([]);
      expect(graph.duplicates.length).toBe(graph.stats?.duplicate_names ?? 0);
      if (graph.stats !== undefined) expect(graph.modules.length).toBe(graph.stats.modules);
      expect(tree().registry.modules.map((m) => m.name)).toEqual([...tree().oracle.names].sort());
    });

    it('places every module exactly once, in the order or blocked', () => {
      const { order, blocked } = tree().registry.graph;
      const placed = [...order, ...blocked.map((b) => b.module)];
      expect(new Set(placed).size).toBe(placed.length);
      expect(new Set(placed)).toEqual(tree().oracle.names);
    });

    it('orders every module after all of its dependencies', () => {
      const { order } = tree().registry.graph;
      const position = new Map(order.map((name, i) => [name, i]));
      for (const [i, name] of order.entries()) {
        expect(tree().oracle.missing.get(name)).toBeUndefined();
        for (const dep of tree().oracle.edges.get(name) ?? []) {
          expect(position.get(dep), `${name} → ${dep}`).toBeLessThan(i);
        }
      }
    });

    it('blocks exactly the modules that cannot load, each with its cause', () => {
      const { oracle, registry } = tree();
      expect(new Set(registry.graph.order)).toEqual(oracle.loadable);
      const causes = new Map(registry.graph.blocked.map((b) => [b.module, b.cause]));
      expect(causes).toEqual(oracle.causes);
      expect(registry.graph.warnings).toEqual([]);
      expect(registry.graph.droppedEdges).toEqual([]);
    });

    it('reports real cycles that cover every cyclic component and each of its edges', () => {
      const { oracle, registry } = tree();
      const onCycles = new Set<string>();
      for (const cycle of registry.graph.cycles) {
        const ring = cycle.slice(0, -1);
        expect(cycle.length).toBeGreaterThanOrEqual(3);
        expect(cycle[0]).toBe(cycle.at(-1));
        expect(new Set(ring).size).toBe(ring.length);
        for (const [i, from] of ring.entries()) {
          expect(oracle.edges.get(from), cycle.join(' → ')).toContain(cycle[i + 1]);
          onCycles.add(`${from} ${cycle[i + 1]}`);
        }
      }
      expect(new Set(registry.graph.cycles.flat())).toEqual(new Set(oracle.components.flat()));
      for (const component of oracle.components) {
        const members = new Set(component);
        for (const from of component) {
          for (const to of oracle.edges.get(from) ?? []) {
            if (members.has(to)) expect(onCycles, `${from} → ${to}`).toContain(`${from} ${to}`);
          }
        }
      }
    });

    it.runIf(existsSync(join(dataDir, `${id}.stats.json`)))(
      'agrees with the cycles of the stats file (self-loops being self-dependencies)',
      () => {
        const { graph, oracle } = tree();
        const cycles = graph.stats?.cycles ?? [];
        expect(graph.stats?.cycles).toBeDefined();
        const mapped = cycles.map((c) => c.map((n) => graph.names.get(n) ?? n).sort());
        const loops = mapped.filter((c) => c.length === 1).flat();
        expect(mapped.filter((c) => c.length > 1).sort()).toEqual([...oracle.components].sort());
        expect(new Set(loops)).toEqual(oracle.selfDependent);
      },
    );

    it('reports each self, repeated and missing dependency at its line, and nothing else', () => {
      const { oracle, registry } = tree();
      const file = (module: string) => `modules/${module}/module.config.json`;
      const where = (p: { file: string; pointer: string }) => `${p.file} ${p.pointer}`;
      const expected = oracle.problems.map((p) =>
        where({ file: file(p.module), pointer: p.pointer }),
      );
      expect(registry.problems.map(where).sort()).toEqual(expected.sort());
      const wording = { self: /itself/, repeat: /twice/, missing: /not in the modules directory/ };
      for (const p of oracle.problems) {
        const found = registry.problems.find((q) => where(q) === `${file(p.module)} ${p.pointer}`);
        expect(found?.message).toContain(`"${p.dependency}"`);
        expect(found?.message).toMatch(wording[p.kind]);
        expect(found?.line).toBe(FIRST_DEPENDENCY_LINE + p.index);
      }
    });

    it('splits the order into layers, each dependency in an earlier layer', () => {
      const { layers, order } = tree().registry.graph;
      const layerOf = new Map(layers.flatMap((layer, i) => layer.map((name) => [name, i])));
      expect(layers.flat().length).toBe(order.length);
      expect(new Set(layers.flat())).toEqual(new Set(order));
      for (const [name, layer] of layerOf) {
        for (const dep of tree().oracle.edges.get(name) ?? []) {
          expect(layerOf.get(dep), `${name} → ${dep}`).toBeLessThan(layer);
        }
      }
    });
  });

  describe('known real cycles', () => {
    const mukurtu = useTree('mukurtu-cms-main');
    const social = useTree('open-social-before-cycle-fix-2019');
    const drupal = useTree('drupal-core-11.x-nontest');

    it('Mukurtu main: mukurtu_drafts and mukurtu_protocol require each other', () => {
      const { cycles, blocked } = mukurtu().registry.graph;
      expect(cycles).toContainEqual(['mukurtu_drafts', 'mukurtu_protocol', 'mukurtu_drafts']);
      const cause = (module: string) => blocked.find((b) => b.module === module)?.cause;
      expect([cause('mukurtu_drafts'), cause('mukurtu_protocol')]).toEqual(['cycle', 'cycle']);
    });

    it('Open Social 2019: its 3 cyclic components are 1 cycle and 2 self-dependencies', () => {
      const { graph, oracle, registry } = social();
      expect(graph.stats?.cycles).toHaveLength(3);
      expect(components(registry.graph.cycles)).toEqual([['social_group', 'social_group_gvbo']]);
      expect(oracle.selfDependent).toEqual(new Set(['social_landing_page', 'social_user']));
      const selfProblems = registry.problems.filter((p) => /itself/.test(p.message));
      expect(selfProblems.map((p) => p.file).sort()).toEqual([
        'modules/social_landing_page/module.config.json',
        'modules/social_user/module.config.json',
      ]);
    });

    it('Drupal core 11.x without tests is closed: all 95 modules load', () => {
      const { registry } = drupal();
      expect(registry.problems).toEqual([]);
      expect(registry.graph.blocked).toEqual([]);
      expect(registry.graph.cycles).toEqual([]);
      expect(registry.graph.order).toHaveLength(95);
    });

    it.each([
      ['mukurtu-cms-main', mukurtu],
      ['open-social-before-cycle-fix-2019', social],
    ])('CLI graph on %s: exit 1, cycles in the JSON and the text', async (_id, tree) => {
      const { modulesDir, root } = tree();
      const json = await runCli(['graph', '--modules', modulesDir, '--json'], { cwd: root });
      expect(json.code).toBe(1);
      const { cycles } = JSON.parse(json.stdout) as { cycles: string[][] };
      expect(cycles.length).toBeGreaterThan(0);
      for (const cycle of cycles) expect(cycle[0]).toBe(cycle.at(-1));
      expect(cycles).toEqual(tree().registry.graph.cycles);
      const text = await runCli(['graph', '--modules', modulesDir], { cwd: root });
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(' → ');
    });

    it('CLI graph on drupal-core-11.x-nontest: exit 0', async () => {
      const { modulesDir, root } = drupal();
      const run = await runCli(['graph', '--modules', modulesDir, '--json'], { cwd: root });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as { order: string[] }).order).toHaveLength(95);
    });
  });
});

/** Groups cycles sharing a module into components: sorted members, sorted list. */
function components(cycles: readonly string[][]): string[][] {
  const groups: Set<string>[] = [];
  for (const cycle of cycles) {
    const merged = new Set(cycle);
    for (const group of groups.filter((g) => cycle.some((name) => g.has(name)))) {
      for (const name of group) merged.add(name);
      groups.splice(groups.indexOf(group), 1);
    }
    groups.push(merged);
  }
  return groups.map((g) => [...g].sort()).sort();
}
