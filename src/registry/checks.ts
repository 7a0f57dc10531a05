import { posix } from 'node:path';
// The two classes used, not the package's index: that loads all of its ~50 files.
import Range from 'semver/classes/range.js';
import SemVer from 'semver/classes/semver.js';
import { compareNames } from '../graph/indexed-graph.js';
import { shownPlain, shownText } from '../message-text.js';
import { flagOwnerProblems } from './flag-owners.js';
import { type DependencyEntry, dependencyEntries } from './normalize.js';
import type { ModuleRecord, Problem } from './types.js';

/** A readable module config, as the cross-module checks see it. */
export interface CheckedModule {
  record: ModuleRecord;
  config: Record<string, unknown>;
}

/** A problem found by {@link checkModules}; `blocking` ones stop the module from loading. */
export interface ModuleProblem extends Problem {
  module: string;
  blocking: boolean;
}

/**
 * The checks that need more than one file: unique names, dependencies that exist at a
 * satisfying version, no self or repeated dependencies, entries inside their module, core
 * modules requiring only core modules, flag keys and route prefixes owned once.
 * `entryFaults` says, by entry path, why an entry is not a file that can be imported. Pure.
 */
export function checkModules(
  modules: readonly CheckedModule[],
  modulesDir: string,
  entryFaults: ReadonlyMap<string, string>,
): ModuleProblem[] {
  const problems: ModuleProblem[] = [];
  const byName = new Map<string, CheckedModule[]>();
  for (const m of modules) {
    const owners = byName.get(m.record.name);
    if (owners === undefined) byName.set(m.record.name, [m]);
    else owners.push(m);
  }
  const report = (m: CheckedModule, pointer: string, message: string, blocking: boolean) =>
    problems.push({ module: m.record.name, file: m.record.file, pointer, message, blocking });

  for (const [name, owners] of byName) {
    if (owners.length < 2) continue;
    for (const m of owners) {
      const others = owners
        .filter((o) => o !== m)
        .map((o) => o.record.file)
        .join(', ');
      report(
        m,
        '/name',
        `Module name ${q(name)} is also used by ${plain(others)}; module names must be unique. Rename one of them.`,
        true,
      );
    }
  }
  const prefixOwner = new Map<string, CheckedModule>();
  const sorted = [...modules].sort((a, b) => compareNames(a.record.file, b.record.file));
  const versions = createVersionCache();
  for (const m of sorted) {
    checkDependencies(m, byName, modulesDir, versions, report);
    checkEntry(m, entryFaults, report);
    const prefix = m.record.routes.prefix;
    if (prefix !== null) {
      const owner = prefixOwner.get(prefix);
      if (owner === undefined) prefixOwner.set(prefix, m);
      else
        report(
          m,
          '/routes/prefix',
          `Route prefix ${q(prefix)} is already used by module ${q(owner.record.name)} (${plain(owner.record.file)}); give each module its own prefix.`,
          false,
        );
    }
  }
  problems.push(...flagOwnerProblems(sorted, new Set(byName.keys())));
  return problems;
}

/** A name or value from a config, quoted, escaped and cut to a readable length. */
function q(text: string): string {
  return shownText(text, 80);
}

/** A path or value from a config as it is, escaped and cut. */
function plain(text: string): string {
  return shownPlain(text, 200);
}

type Report = (m: CheckedModule, pointer: string, message: string, blocking: boolean) => void;

function checkDependencies(
  m: CheckedModule,
  byName: Map<string, CheckedModule[]>,
  modulesDir: string,
  versions: VersionCache,
  report: Report,
): void {
  const { name } = m.record;
  const required = dependencyEntries(m.config.dependencies, 'dependencies', false);
  const optional = dependencyEntries(m.config.optionalDependencies, 'optionalDependencies', true);
  const firstAt = new Map<string, DependencyEntry>();
  for (const dep of [...required, ...optional]) {
    const list = dep.optional ? 'optionalDependencies' : 'dependencies';
    if (dep.name === name) {
      report(m, dep.pointer, `Module ${q(name)} lists itself in ${list}; remove it.`, false);
      continue;
    }
    const earlier = firstAt.get(dep.name);
    if (earlier !== undefined) {
      const message =
        earlier.optional === dep.optional
          ? `${q(dep.name)} is listed twice in ${list} (also at ${plain(earlier.pointer)}); remove one.`
          : `${q(dep.name)} is both a dependency and an optional dependency; keep it in one of the two lists.`;
      report(m, dep.pointer, message, false);
      continue;
    }
    firstAt.set(dep.name, dep);
    const range = versions.range(dep.range);
    if (range === null) {
      report(
        m,
        dep.pointer,
        `${q(dep.range)} is not a valid semver range for ${q(dep.name)}; write one such as "^1.2.0", ">=2.0.0 <3.0.0" or "*".`,
        !dep.optional,
      );
      continue;
    }
    const target = byName.get(dep.name)?.[0];
    if (target === undefined) {
      if (!dep.optional) {
        report(
          m,
          dep.pointer,
          `Module ${q(name)} requires ${q(dep.name)}, which is not in the modules directory (${plain(modulesDir)}). Add it, or remove it from ${plain(name)}'s dependencies.`,
          false,
        );
      }
      continue;
    }
    const version = target.record.version;
    const parsed = versions.version(version);
    if (parsed !== null && !range.test(parsed)) {
      report(
        m,
        dep.pointer,
        `Module ${q(name)} ${dep.optional ? 'optionally uses' : 'requires'} ${q(dep.name)} ${plain(dep.range)}, but ${plain(target.record.file)} has version ${plain(version)}. Update ${q(dep.name)} or change the range.`,
        !dep.optional,
      );
      continue;
    }
    if (m.record.core && !dep.optional && !target.record.core) {
      report(
        m,
        dep.pointer,
        `Core module ${q(name)} requires ${q(dep.name)}, which is not core: a core module is enabled for every tenant, so what it requires must be too. Mark ${q(dep.name)} core, or make it an optional dependency.`,
        false,
      );
    }
  }
}

function checkEntry(
  m: CheckedModule,
  entryFaults: ReadonlyMap<string, string>,
  report: Report,
): void {
  const { entry, path } = m.record;
  if (entry === null) return;
  const written = String(m.config.entry);
  // `entry` is joined and normalised: inside means under the module directory.
  const inside =
    path === '.' ? entry !== '..' && !entry.startsWith('../') : entry.startsWith(`${path}/`);
  if (!inside || posix.isAbsolute(written)) {
    report(
      m,
      '/entry',
      `entry ${shownText(written, 120)} points outside the module directory ${plain(path)}/; the runtime only imports code from the module's own directory. Move the file into it.`,
      true,
    );
  } else {
    const fault = entryFaults.get(entry);
    if (fault !== undefined) report(m, '/entry', `entry ${shownText(written, 120)} ${fault}`, true);
  }
}

/** Parsed ranges and versions, each parsed once per check (many modules share them). */
interface VersionCache {
  /** The range, or null when it is not a valid semver range. */
  range(text: string): Range | null;
  /** The version, or null when it is not valid semver (the schema reports that). */
  version(text: string): SemVer | null;
}

/** The same options for ranges and versions, or semver parses each version again per test. */
const RANGE_OPTIONS = { includePrerelease: true };

function createVersionCache(): VersionCache {
  return {
    range: parsedOnce((text) => new Range(text, RANGE_OPTIONS)),
    version: parsedOnce((text) => new SemVer(text, RANGE_OPTIONS)),
  };
}

/** `parse`, remembering each text's result (null when it throws). */
function parsedOnce<T>(parse: (text: string) => T): (text: string) => T | null {
  const results = new Map<string, T | null>();
  return (text) => {
    let result = results.get(text);
    if (result === undefined) {
      result = attempt(() => parse(text));
      results.set(text, result);
    }
    return result;
  };
}

function attempt<T>(make: () => T): T | null {
  try {
    return make();
  } catch {
    return null;
  }
}
