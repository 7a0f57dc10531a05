import { readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One entry of a `<name>.json` in ../shared/realgraphs, as found. */
export interface SourceModule {
  name: string;
  version?: unknown;
  depends: string[];
  source_path?: string;
}

/** The parts of `<name>.stats.json` the tests compare against. */
export interface GraphStats {
  modules: number;
  duplicate_names?: number;
  /** Strongly connected components with a cycle, by member names (a singleton is a self-loop). */
  cycles?: string[][];
}

/** A module as written to its `module.config.json`: valid modreg names, semver version. */
export interface TreeModule {
  name: string;
  version: string;
  /** Mapped dependency names, as listed in the source: repeats and self-dependencies kept. */
  dependencies: string[];
}

/** One real graph, mapped to modreg names and versions. */
export interface RealGraph {
  /** The graph's file name without `.json`. */
  id: string;
  /** One per distinct source name, first occurrence kept. */
  modules: TreeModule[];
  /** Source names met again after their first module, dropped. */
  duplicates: string[];
  /** Every source name (modules and dependencies) → its modreg name. */
  names: Map<string, string>;
  stats: GraphStats | undefined;
}

/** The modreg module-name rule (schemas/module.config.schema.json). */
export const MODULE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/** Files written at once: keeps well below any open-file limit. */
const WRITE_CONCURRENCY = 32;

/** The graph files in `dir`, by id: every `<id>.json` except `.meta.json` and `.stats.json`. */
export function listGraphIds(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.meta.json') && !f.endsWith('.stats.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Reads `<id>.json` (and `<id>.stats.json` when present) and maps names and versions. */
export async function readRealGraph(dir: string, id: string): Promise<RealGraph> {
  const source = JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as SourceModule[];
  const stats = await readFile(join(dir, `${id}.stats.json`), 'utf8').then(
    (text) => JSON.parse(text) as GraphStats,
    () => undefined,
  );
  const names = new Map<string, string>();
  for (const m of source)
    for (const raw of [m.name, ...m.depends]) names.set(raw, toModuleName(raw));
  const modules = new Map<string, TreeModule>();
  const duplicates: string[] = [];
  for (const m of source) {
    const name = names.get(m.name) as string;
    if (modules.has(name)) {
      duplicates.push(m.name);
      continue;
    }
    const dependencies = m.depends.map((dep) => names.get(dep) as string);
    modules.set(name, { name, version: toSemver(m.version), dependencies });
  }
  return { id, modules: [...modules.values()], duplicates, names, stats };
}

/**
 * A modreg name for a source name: lower-cased, other characters replaced by `_`, an `x`
 * prefixed when it would not start with a letter, cut to 64 characters.
 * `Magento_InventorySales` → `magento_inventorysales`,
 * `_missing_dependency` → `x_missing_dependency`.
 */
export function toModuleName(raw: string): string {
  const name = raw.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  return (/^[a-z]/.test(name) ? name : `x${name}`).slice(0, 64);
}

/** A semver for a source version: its leading numeric parts, padded to three; `0.0.0` if none. */
export function toSemver(raw: unknown): string {
  const leading = /^\d+(?:\.\d+)*/.exec(String(raw ?? ''))?.[0] ?? '';
  const parts = leading === '' ? [] : leading.split('.').map((part) => String(Number(part)));
  return [...parts, '0', '0', '0'].slice(0, 3).join('.');
}

/** The line of `dependencies[0]` in a config {@link writeModuleTree} writes; entry i is below. */
export const FIRST_DEPENDENCY_LINE = 5;

/** Writes one `<modulesDir>/<name>/module.config.json` per module, a bounded number at a time. */
export async function writeModuleTree(modules: readonly TreeModule[], modulesDir: string) {
  const queue = [...modules];
  const worker = async () => {
    for (let m = queue.pop(); m !== undefined; m = queue.pop()) {
      const dir = join(modulesDir, m.name);
      await mkdir(dir, { recursive: true });
      const config = { name: m.name, version: m.version, dependencies: m.dependencies };
      await writeFile(join(dir, 'module.config.json'), `${JSON.stringify(config, null, 2)}\n`);
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, worker));
}
