import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { buildDependencyGraph } from '../graph/build-graph.js';
import { compareNames } from '../graph/indexed-graph.js';
import type { GraphModule } from '../graph/types.js';
import { shownPlain, shownText } from '../message-text.js';
import { type CheckedModule, checkModules, type ModuleProblem } from './checks.js';
import { createModuleConfigValidator, type ModuleConfigValidator } from './compiled-validators.js';
import { chooseOnePerDirectory, findConfigFiles } from './find-configs.js';
import type { JsonSource } from './json-source.js';
import { type LoadedConfig, loadConfig } from './load-config.js';
import { isObject, toGraphModule, toModuleRecord } from './normalize.js';
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

  const entryFaults = findEntryFaults(
    root,
    modules.map((m) => m.record.entry),
  );
  const sources = new Map(modules.map((m) => [m.record.file, m.source]));
  const crossProblems = checkModules(modules, modulesDir, entryFaults);
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
  return { modulesDir, modules: records, problems: capPerFile(problems), graph };
}

/** The most problems listed for one file; the rest are counted in one more problem. */
const MAX_PROBLEMS_PER_FILE = 100;

/** `problems` (sorted by file) with at most {@link MAX_PROBLEMS_PER_FILE} per file. */
function capPerFile(problems: readonly Problem[]): Problem[] {
  const kept: Problem[] = [];
  for (let i = 0; i < problems.length; ) {
    const file = (problems[i] as Problem).file;
    let end = i;
    while (end < problems.length && (problems[end] as Problem).file === file) end++;
    kept.push(...problems.slice(i, Math.min(end, i + MAX_PROBLEMS_PER_FILE)));
    if (end - i > MAX_PROBLEMS_PER_FILE) {
      kept.push({
        file,
        pointer: '',
        message: `${end - i - MAX_PROBLEMS_PER_FILE} more problems in ${shownPlain(file, 200)} are not listed; fix the ones above and validate again.`,
      });
    }
    i = end;
  }
  return kept;
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
    problems.push({ file, pointer: loaded.pointer ?? '', message: loaded.message, ...line });
    return undefined;
  }
  const issues = validator.validate(loaded.value);
  const schemaProblems = issues.length;
  for (const key of loaded.source?.duplicateKeys ?? []) {
    issues.push({
      pointer: key.pointer,
      message: `Key ${shownText(lastSegment(key.pointer), 80)} is written twice (lines ${key.lines[0]} and ${key.lines[1]}); JSON keeps only the last one, so remove the other.`,
    });
  }
  for (const issue of issues) problems.push(locate({ file, ...issue }, loaded.source));
  if (!isObject(loaded.value) || typeof loaded.value.name !== 'string') return undefined;
  const slash = file.lastIndexOf('/');
  const record = toModuleRecord(loaded.value, slash === -1 ? '.' : file.slice(0, slash), file);
  return { record, config: loaded.value, source: loaded.source, schemaProblems };
}

/**
 * Why each entry that is not a file cannot be imported, by entry: checked synchronously,
 * like the configs are read. A path the file system refuses (a NUL, a name too long, a loop
 * of links, a file used as a directory) is a fault of that entry, never of the scan.
 */
function findEntryFaults(root: string, entries: readonly (string | null)[]): Map<string, string> {
  const faults = new Map<string, string>();
  for (const entry of entries) {
    if (entry === null || entry.startsWith('..') || isAbsolute(entry)) continue;
    const fault = entryFault(join(root, entry), entry);
    if (fault !== undefined) faults.set(entry, fault);
  }
  return faults;
}

function entryFault(path: string, entry: string): string | undefined {
  const shown = shownPlain(entry, 200);
  if (path.includes('\0'))
    return 'contains a NUL character, which no file name can hold; fix the path.';
  let code: string | undefined;
  let message = '';
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isFile() === true) return undefined;
    if (stats?.isDirectory() === true)
      return `is a directory (${shown}), not a file; point it at the file the runtime imports.`;
    if (stats !== undefined) return `is not a regular file (${shown}); point it at a file.`;
    code = 'ENOENT';
  } catch (error) {
    code = (error as NodeJS.ErrnoException).code;
    message = shownPlain(String((error as Error).message), 200);
  }
  if (code === 'ENOENT') return `does not exist (${shown}); create it or fix the path.`;
  if (code === 'ENOTDIR')
    return `does not exist (${shown}): a part of its path is a file, not a directory; fix the path.`;
  if (code === 'ELOOP')
    return `leads into a loop of symbolic links (${shown}); fix the links or the path.`;
  if (code === 'ENAMETOOLONG')
    return `is a path too long for the file system (${shown}); shorten it.`;
  return `cannot be checked (${message}); fix the path, or make it readable by this user.`;
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
