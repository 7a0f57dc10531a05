import { ModregError } from '../../errors.js';
import { createModuleConfigValidator } from '../../registry/compiled-validators.js';
import { toModuleRecord } from '../../registry/normalize.js';
import type { ModuleConfig, ModuleRecord } from '../../registry/types.js';
import type { Logger, RegistryEvent } from '../types.js';
import { watchRegistrySource } from './registry-watch.js';
import {
  loadRuntimeRegistry,
  type ResolvedRegistrySource,
  type RuntimeRegistry,
  withModule,
} from './runtime-registry.js';

/** Options for {@link createLiveRegistry}. */
export interface LiveRegistryOptions {
  source: ResolvedRegistrySource;
  root: string;
  pollMs: number;
  logger: Logger;
  /** A new registry is in place: bring every tenant and module to it. */
  onReplaced(previous: RuntimeRegistry, event: RegistryEvent): Promise<void>;
  /** A reload failed, or one failed before succeeded now. */
  onReloadFailure(): void;
}

/**
 * The registry as it is now: loaded from its source, replaced when the source changes (a new
 * registry file, a config changed under the modules directory) or on `reload()`, with the
 * modules registered in code kept across reloads. A source that cannot be loaded again keeps
 * the registry before it, and says why in `reloadFailure`.
 */
export interface LiveRegistry {
  current(): RuntimeRegistry;
  loadedAt(): string;
  /** Why the last reload failed, while the registry before it is used. */
  reloadFailure(): string | undefined;
  /** Loads the source again now. */
  reload(): Promise<void>;
  /** Adds (or replaces) a module given in code, checked against the module config schema. */
  register(config: ModuleConfig): Promise<ModuleRecord>;
  close(): void;
}

/** Loads the registry (rejecting with why it cannot) and starts watching its source. */
export async function createLiveRegistry(options: LiveRegistryOptions): Promise<LiveRegistry> {
  const registered = new Map<string, ModuleRecord>();
  const load = async () => {
    let next = await loadRuntimeRegistry(options.source, options.root);
    for (const record of registered.values()) next = withModule(next, record);
    return next;
  };
  let registry = await load();
  let loadedAt = new Date().toISOString();
  let failure: string | undefined;

  const replace = async (next: RuntimeRegistry) => {
    const previous = registry;
    const event = differences(previous, next);
    registry = next;
    loadedAt = new Date().toISOString();
    await options.onReplaced(previous, event);
  };
  const reload = async () => {
    let next: RuntimeRegistry;
    try {
      next = await load();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (failure !== reason) {
        options.logger.warn(
          `modreg: the registry could not be loaded again, keeping the one before: ${reason}`,
        );
      }
      failure = reason;
      options.onReloadFailure();
      return;
    }
    if (failure !== undefined) {
      failure = undefined;
      options.onReloadFailure();
    }
    if (!sameRegistry(registry, next)) await replace(next);
  };
  const stop = watchRegistrySource({
    source: options.source,
    pollMs: options.pollMs,
    onChange: reload,
  });

  return {
    current: () => registry,
    loadedAt: () => loadedAt,
    reloadFailure: () => failure,
    reload,
    async register(config) {
      const issues = createModuleConfigValidator().validate(config);
      if (issues.length > 0) {
        const list = issues.map((issue) => `${issue.pointer || '/'}: ${issue.message}`).join('; ');
        throw new ModregError(
          'invalid',
          `Cannot register module "${String(config.name)}": ${list}`,
        );
      }
      const record = toModuleRecord(
        { ...config },
        `modules/${config.name}`,
        `modules/${config.name}/module.config.json`,
      );
      registered.set(record.name, record);
      await replace(withModule(registry, record));
      return record;
    },
    close: stop,
  };
}

/** What changed between two registries, module by module. */
function differences(before: RuntimeRegistry, after: RuntimeRegistry): RegistryEvent {
  const old = before.planning.modules;
  const now = after.planning.modules;
  const added = [...now.keys()].filter((name) => !old.has(name));
  const removed = [...old.keys()].filter((name) => !now.has(name));
  const changed = [...now.keys()].filter((name) => {
    const a = old.get(name);
    return a !== undefined && describe(a) !== describe(now.get(name) as ModuleRecord);
  });
  return { added, removed, changed };
}

function sameRegistry(a: RuntimeRegistry, b: RuntimeRegistry): boolean {
  const shape = (r: RuntimeRegistry) =>
    JSON.stringify([
      r.names,
      [...r.planning.blocked],
      [...r.planning.modules.values()].map(describe),
      r.problems.length,
    ]);
  return shape(a) === shape(b);
}

function describe(record: ModuleRecord): string {
  const { version, dependencies, optionalDependencies, flags, routes, core, entry } = record;
  return JSON.stringify([version, dependencies, optionalDependencies, flags, routes, core, entry]);
}
