import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ResolvedRegistrySource } from './runtime-registry.js';

/** Options for {@link watchRegistrySource}. */
export interface RegistryWatchOptions {
  source: ResolvedRegistrySource;
  /** How often a registry file's size, time and inode are compared (a missed watch event). */
  pollMs: number;
  /** The source changed: load it again. Calls never overlap. */
  onChange(): Promise<void>;
}

/** Stops watching. */
export type StopWatching = () => void;

/**
 * Calls `onChange` when the registry source changes: a registry file replaced (watched in
 * its directory, and polled, since `modreg discover` renames a new file into place and a
 * watch can miss that), or a `module.config.*` file changed anywhere under a modules
 * directory (a recursive watch). Registry content given in code never changes by itself.
 */
export function watchRegistrySource(options: RegistryWatchOptions): StopWatching {
  const { source } = options;
  if (source.kind === 'content') return () => {};
  let running: Promise<void> | undefined;
  let again = false;
  let debounce: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(debounce);
    debounce = setTimeout(run, DEBOUNCE_MS);
    debounce.unref();
  };
  const run = () => {
    if (running !== undefined) {
      again = true;
      return;
    }
    running = options.onChange().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        run();
      }
    });
  };

  let watcher: FSWatcher | undefined;
  const start = (path: string, recursive: boolean, wanted: (name: string) => boolean) => {
    try {
      watcher = watch(path, { recursive, persistent: false }, (_event, name) => {
        if (name !== null && wanted(name.toString())) changed();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      // A directory that does not exist yet, or no watch available: the poll covers files.
    }
  };
  if (source.kind === 'directory') {
    start(source.dir, true, (name) => /(^|[/\\])module\.config\.[cm]?js(on)?$/.test(name));
    return () => {
      clearTimeout(debounce);
      watcher?.close();
    };
  }
  const file = source.file;
  start(dirname(file), false, (name) => name === basename(file));
  const signature = async () => {
    const info = await stat(file).catch(() => undefined);
    return info === undefined ? 'missing' : `${info.ino}:${info.size}:${info.mtimeMs}`;
  };
  let seen: Promise<string> = signature();
  const poll = setInterval(async () => {
    const before = await seen;
    seen = signature();
    if ((await seen) !== before) changed();
  }, options.pollMs);
  poll.unref();
  return () => {
    clearInterval(poll);
    clearTimeout(debounce);
    watcher?.close();
  };
}

/** Changes arrive in bursts (a rename fires several events): wait this long for quiet. */
const DEBOUNCE_MS = 50;
