import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { ModregError } from '../errors.js';
import { buildDependencyGraph } from '../graph/build-graph.js';
import { compareNames } from '../graph/indexed-graph.js';
import type { GraphModule } from '../graph/types.js';
import { type CheckedModule, checkModules, type ModuleProblem } from './checks.js';
import type { JsonSource } from './json-source.js';
import { loadConfig } from './load-config.js';
import { isObject, toGraphModule, toModuleRecord } from './normalize.js';
import { createModuleConfigValidator, type ModuleConfigValidator } from './schema-validator.js';
import type { Problem, Registry } from './types.js';

/** Options for {@link discoverModules}. */
export interface DiscoverOptions {
  /** Project root: paths in the result are relative to it. */
  root: string;
  /** Directory holding the modules, relative to `root` or absolute. @default 'modules' */
  modulesDir?: string;
  /** Globs (relative to the modules directory) to skip; `node_modules` is always skipped. @default [] */
  ignore?: readonly string[];
  /** Refuse `module.config.{js,mjs,cjs}`: executable configs run code when read. @default false */
  jsonOnly?: boolean;
  /** A validator to reuse across scans; one is compiled when absent. */
  validator?: ModuleConfigValidator;
}

const CONFIG_PATTERN = '**/module.config.{json,js,mjs,cjs}';
/** Files read at once: enough to keep the disk busy, few enough for any descriptor limit. */
const READ_CONCURRENCY = 64;

/**
 * Finds every module config under the modules directory, validates each against the schema
 * and against the others, and orders the modules. Every problem is reported, and a broken
 * module never hides the others. Throws a `ModregError` (environment) only when the
 * modules directory itself cannot be read.
 */
export async function discoverModules(options: DiscoverOptions): Promise<Registry> {
  const root = resolve(options.root);
  const absoluteDir = resolve(root, options.modulesDir ?? 'modules');
  const modulesDir = toPosix(relative(root, absoluteDir)) || '.';
  const files = await findConfigFiles(absoluteDir, modulesDir, options.ignore ?? []);
  const validator = options.validator ?? createModuleConfigValidator();
  const problems: Problem[] = [];
  const chosen = chooseOnePerDirectory(files, root, problems);

  const loaded = await mapLimited(chosen, READ_CONCURRENCY, (file) =>
    loadConfig(file, display(root, file), options.jsonOnly === true),
  );
  const modules: (CheckedModule & { source: JsonSource | undefined; schemaProblems: number })[] =
    [];
  for (const [i, result] of loaded.entries()) {
    const file = display(root, chosen[i] as string);
    if (!result.ok) {
      problems.push({
        file,
        pointer: '',
        message: result.message,
        ...(result.line === undefined ? {} : { line: result.line }),
      });
      continue;
    }
    const issues = validator.validate(result.value);
    const schemaProblems = issues.length;
    for (const key of result.source?.duplicateKeys ?? []) {
      issues.push({
        pointer: key.pointer,
        message: `Key "${lastSegment(key.pointer)}" is written twice (lines ${key.lines[0]} and ${key.lines[1]}); JSON keeps only the last one, so remove the other.`,
      });
    }
    for (const issue of issues) problems.push(locate({ file, ...issue }, result.source));
    if (!isObject(result.value) || typeof result.value.name !== 'string') continue;
    const dir = file.slice(0, file.lastIndexOf('/'));
    const record = toModuleRecord(result.value, dir, file);
    modules.push({ record, config: result.value, source: result.source, schemaProblems });
  }

  const missingEntries = await findMissingEntries(
    root,
    modules.map((m) => m.record.entry),
  );
  const sources = new Map(modules.map((m) => [m.record.file, m.source]));
  const crossProblems = checkModules(modules, modulesDir, missingEntries);
  for (const p of crossProblems) problems.push(locate(withoutInternals(p), sources.get(p.file)));
  problems.sort(
    (a, b) =>
      compareNames(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compareNames(a.pointer, b.pointer),
  );

  const graph = buildDependencyGraph(modules.map((m) => graphModule(m, crossProblems)));
  const records = modules
    .map((m) => m.record)
    .sort((a, b) => compareNames(a.name, b.name) || compareNames(a.file, b.file));
  return { modulesDir, modules: records, problems, graph };
}

async function findConfigFiles(
  absoluteDir: string,
  modulesDir: string,
  ignore: readonly string[],
): Promise<string[]> {
  try {
    const info = await stat(absoluteDir);
    if (!info.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    const files = await fg(CONFIG_PATTERN, {
      cwd: absoluteDir,
      absolute: true,
      onlyFiles: true,
      ignore: ['**/node_modules/**', ...ignore],
    });
    return files.sort(compareNames);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'ENOTDIR'
          ? 'is not a directory'
          : `cannot be read (${(error as Error).message})`;
    throw new ModregError(
      'environment',
      `Modules directory "${modulesDir}" ${why} (${absoluteDir}). Create it, or point --modules (or "modules" in modreg.config.json) at the directory holding your modules.`,
      { cause: error },
    );
  }
}

/** One config per directory: `module.config.json` first, else the first by name. */
function chooseOnePerDirectory(
  files: readonly string[],
  root: string,
  problems: Problem[],
): string[] {
  const byDir = new Map<string, string[]>();
  for (const file of files) {
    const dir = file.slice(0, file.lastIndexOf(sep === '\\' ? '\\' : '/') + 1);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  const chosen: string[] = [];
  for (const group of byDir.values()) {
    const first = group.find((f) => f.endsWith('.json')) ?? (group[0] as string);
    chosen.push(first);
    for (const other of group) {
      if (other === first) continue;
      problems.push({
        file: display(root, other),
        pointer: '',
        message: `${display(root, other)} is a second config in the directory of ${display(root, first)}; only ${lastSegment(display(root, first))} is read. Delete one of the two.`,
      });
    }
  }
  return chosen;
}

async function findMissingEntries(
  root: string,
  entries: readonly (string | null)[],
): Promise<Set<string>> {
  const missing = new Set<string>();
  const wanted = [
    ...new Set(
      entries.filter((e): e is string => e !== null && !e.startsWith('..') && !isAbsolute(e)),
    ),
  ];
  await mapLimited(wanted, READ_CONCURRENCY, async (entry) => {
    try {
      if (!(await stat(join(root, entry))).isFile()) missing.add(entry);
    } catch {
      missing.add(entry);
    }
  });
  return missing;
}

function graphModule(
  m: CheckedModule & { schemaProblems: number },
  problems: readonly ModuleProblem[],
): GraphModule {
  const { record } = m;
  const blocking = problems.find((p) => p.blocking && p.file === record.file);
  const reason =
    m.schemaProblems > 0
      ? `has an invalid config (${record.file})`
      : blocking === undefined
        ? undefined
        : `has a config problem at ${blocking.pointer} (${record.file})`;
  return toGraphModule(record, reason);
}

function locate(problem: Problem, source: JsonSource | undefined): Problem {
  if (source === undefined) return problem;
  for (let pointer = problem.pointer; ; pointer = pointer.slice(0, pointer.lastIndexOf('/'))) {
    const line = source.lineOf(pointer);
    if (line !== undefined) return { ...problem, line };
    if (pointer === '') return problem;
  }
}

function withoutInternals({ file, pointer, message }: ModuleProblem): Problem {
  return { file, pointer, message };
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function display(root: string, file: string): string {
  return toPosix(relative(root, file));
}

function toPosix(path: string): string {
  return sep === '\\' ? path.replaceAll('\\', '/') : path;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
