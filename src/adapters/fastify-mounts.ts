import type { Modreg } from '../runtime/modreg.js';
import type { ModulePaths } from './fastify-routes.js';

/** A module as one mounted prefix serves it. */
export interface MountedModule {
  module: string;
  /** Its full prefix: the plugin's own, then the module's `routes.prefix`. */
  prefix: string;
  paths: ModulePaths;
}

/** Options of {@link createModuleMounts}. */
export interface ModuleMountsOptions {
  modreg: Modreg;
  /** The prefixes Fastify routes were registered for (full, without a trailing slash). */
  mounted: readonly string[];
  /** The prefix of the context the plugin runs in ('' at the root). */
  base: string;
  paths: () => ModulePaths;
  /** A module whose routes cannot be served, and why. */
  onProblem(message: string): void;
}

/**
 * Which module serves a URL under a mounted prefix, for the registry of now. Built at once and
 * again on every `registry` event: each module with a `routes.prefix` goes under the longest
 * mounted prefix that holds its own (the same one, usually; a module added later under
 * `/billing/admin` is served through `/billing`), and its routes, past and future, are added to
 * its path set as its `setup` registers them.
 */
export interface ModuleMounts {
  /** The module serving `url` (query string included) under `mounted`, if any. */
  owner(mounted: string, url: string): MountedModule | undefined;
  /** Stops following routes and registry changes. */
  stop(): void;
}

/** Follows the registry of `modreg` until stopped. */
export function createModuleMounts(options: ModuleMountsOptions): ModuleMounts {
  const { modreg, base } = options;
  // Longest first, so the innermost mounted prefix takes a module.
  const mounted = [...options.mounted].sort((a, b) => b.length - a.length);
  let owners = new Map<string, MountedModule[]>();
  let stops: (() => void)[] = [];

  const build = () => {
    for (const stop of stops) stop();
    stops = [];
    const next = new Map<string, MountedModule[]>();
    for (const record of modreg.modules()) {
      if (record.routes.prefix === null) continue;
      const prefix = base + trimSlash(record.routes.prefix);
      const under = mounted.find((m) => prefix === m || prefix.startsWith(`${m}/`));
      if (under === undefined) {
        options.onProblem(
          `modreg: module "${record.name}" (prefix ${record.routes.prefix}) was added after the Fastify plugin was registered, under no prefix it mounted: its routes are served after a restart (or register the plugin with catchAll: true).`,
        );
        continue;
      }
      const entry: MountedModule = { module: record.name, prefix, paths: options.paths() };
      stops.push(
        modreg.moduleRoutes(record.name).follow((route) => {
          const problem = entry.paths.add(route, prefix);
          if (problem !== undefined) {
            options.onProblem(
              `modreg: module "${record.name}": a route is not mounted: ${problem}`,
            );
          }
        }),
      );
      next.set(under, [...(next.get(under) ?? []), entry]);
    }
    for (const list of next.values()) list.sort((a, b) => b.prefix.length - a.prefix.length);
    owners = next;
  };
  modreg.on('registry', build);
  build();

  return {
    owner(at, url) {
      const list = owners.get(at);
      if (list === undefined) return undefined;
      const only = list[0];
      if (list.length === 1 && only?.prefix === at) return only;
      const path = url.split('?', 1)[0] as string;
      return list.find(
        (m) => m.prefix === at || path === m.prefix || path.startsWith(`${m.prefix}/`),
      );
    },
    stop() {
      modreg.off('registry', build);
      for (const stop of stops) stop();
      stops = [];
    },
  };
}

/** `/billing/` → `/billing`; `/` → '' (the root). */
export function trimSlash(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}
