import { posix } from 'node:path';
import type { GraphModule } from '../graph/types.js';
import { pointerSegment } from './json-source.js';
import type { DependencyList, FlagDeclaration, ModuleRecord } from './types.js';

/** One dependency as written, with the pointer where it was written. */
export interface DependencyEntry {
  name: string;
  range: string;
  pointer: string;
  optional: boolean;
}

/**
 * The record of a module from its config, tolerating wrong types (schema problems are
 * reported separately): fields that are not of their type are left out.
 * `dir` and `file` are relative to the project root.
 */
export function toModuleRecord(
  config: Record<string, unknown>,
  dir: string,
  file: string,
): ModuleRecord {
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const entry = typeof config.entry === 'string' ? posix.join(dir, config.entry) : null;
  const routes = isObject(config.routes) ? config.routes : {};
  const flags = isObject(config.flags)
    ? Object.fromEntries(Object.entries(config.flags).filter(([, flag]) => isObject(flag)))
    : {};
  return {
    name: text(config.name, ''),
    version: text(config.version, '0.0.0'),
    description: text(config.description, ''),
    path: dir,
    file,
    entry,
    dependencies: rangesByName(dependencyEntries(config.dependencies, 'dependencies', false)),
    optionalDependencies: rangesByName(
      dependencyEntries(config.optionalDependencies, 'optionalDependencies', true),
    ),
    routes: {
      prefix: typeof routes.prefix === 'string' ? routes.prefix : null,
      paths: Array.isArray(routes.paths) ? routes.paths.filter((p) => typeof p === 'string') : [],
    },
    models: Array.isArray(config.models) ? config.models.filter((m) => typeof m === 'string') : [],
    flags: flags as Record<string, FlagDeclaration>,
    core: config.core === true,
  };
}

/** The module as the dependency graph sees it. */
export function toGraphModule(record: ModuleRecord, unloadable?: string): GraphModule {
  return {
    name: record.name,
    requires: Object.keys(record.dependencies),
    optional: Object.keys(record.optionalDependencies),
    ...(unloadable === undefined ? {} : { unloadable }),
  };
}

/** Every dependency as written, in order, repeats included; `*` for a name without a range. */
export function dependencyEntries(
  list: unknown,
  key: string,
  optional: boolean,
): DependencyEntry[] {
  if (Array.isArray(list)) {
    return list.flatMap((name, index) =>
      typeof name === 'string' ? [{ name, range: '*', pointer: `/${key}/${index}`, optional }] : [],
    );
  }
  if (isObject(list)) {
    return Object.entries(list as DependencyList).flatMap(([name, range]) =>
      typeof range === 'string'
        ? [{ name, range, pointer: `/${key}/${pointerSegment(name)}`, optional }]
        : [],
    );
  }
  return [];
}

/** name → range, first occurrence winning, as an object safe for any key. */
function rangesByName(entries: readonly DependencyEntry[]): Record<string, string> {
  const ranges = new Map<string, string>();
  for (const { name, range } of entries) if (!ranges.has(name)) ranges.set(name, range);
  return Object.fromEntries(ranges);
}

/** True for a plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
