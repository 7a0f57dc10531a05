import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { buildDependencyGraph } from '../graph/build-graph.js';
import { compareNames } from '../graph/indexed-graph.js';
import type { GraphModule } from '../graph/types.js';
import { type CheckedModule, checkModules, type ModuleProblem } from './checks.js';
import { chooseOnePerDirectory, findConfigFiles } from './find-configs.js';
import type { JsonSource } from './json-source.js';
import { type LoadedConfig, loadConfig } from './load-config.js';
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
  const display = (file: string) => (modulesDir === '.' ? file : `${modulesDir}/${file}`);
  const problems: Problem[] = [];
  const files = findConfigFiles(absoluteDir, modulesDir, options.ignore ?? [], problems);
  const validator = options.validator ?? createModuleConfigValidator();
  const modules: ReadModule[] = [];
  for (const file of chooseOnePerDirectory(files, display, problems)) {
    // JSON configs load synchronously; a script config is imported, one at a time.
    const loaded = await loadConfig(
      join(absoluteDir, file),
      display(file),
      options.jsonOnly === true,
    );
    const read = readModule(loaded, display(file), validator, problems);
    if (read !== undefined) modules.push(read);
  }

  const missingEntries = findMissingEntries(
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

  const firstBlocking = new Map<string, ModuleProblem>();
  for (const p of crossProblems)
    if (p.blocking && !firstBlocking.has(p.file)) firstBlocking.set(p.file, p);
  const graph = buildDependencyGraph(
    modules.map((m) => graphModule(m, firstBlocking.get(m.record.file))),
  );
  const records = modules
    .map((m) => m.record)
    .sort((a, b) => compareNames(a.name, b.name) || compareNames(a.file, b.file));
  return { modulesDir, modules: records, problems, graph };
}

/** A config that loaded, with what the later checks need. */
interface ReadModule extends CheckedModule {
  source: JsonSource | undefined;
  schemaProblems: number;
}

/** Validates one loaded config, adding its problems; the module, when it has a name. */
function readModule(
  loaded: LoadedConfig,
  file: string,
  validator: ModuleConfigValidator,
  problems: Problem[],
): ReadModule | undefined {
  if (!loaded.ok) {
    const line = loaded.line === undefined ? {} : { line: loaded.line };
    problems.push({ file, pointer: '', message: loaded.message, ...line });
    return undefined;
  }
  const issues = validator.validate(loaded.value);
  const schemaProblems = issues.length;
  for (const key of loaded.source?.duplicateKeys ?? []) {
    issues.push({
      pointer: key.pointer,
      message: `Key "${lastSegment(key.pointer)}" is written twice (lines ${key.lines[0]} and ${key.lines[1]}); JSON keeps only the last one, so remove the other.`,
    });
  }
  for (const issue of issues) problems.push(locate({ file, ...issue }, loaded.source));
  if (!isObject(loaded.value) || typeof loaded.value.name !== 'string') return undefined;
  const slash = file.lastIndexOf('/');
  const record = toModuleRecord(loaded.value, slash === -1 ? '.' : file.slice(0, slash), file);
  return { record, config: loaded.value, source: loaded.source, schemaProblems };
}

/** The entries that are not files; checked synchronously, like the configs are read. */
function findMissingEntries(root: string, entries: readonly (string | null)[]): Set<string> {
  const missing = new Set<string>();
  for (const entry of entries) {
    if (entry === null || entry.startsWith('..') || isAbsolute(entry)) continue;
    if (statSync(join(root, entry), { throwIfNoEntry: false })?.isFile() !== true)
      missing.add(entry);
  }
  return missing;
}

function graphModule(m: ReadModule, blocking: ModuleProblem | undefined): GraphModule {
  const { record } = m;
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

function toPosix(path: string): string {
  return sep === '\\' ? path.replaceAll('\\', '/') : path;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
