import { type FSWatcher, type Stats, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { errorCode } from './json-errors.js';

/** A watch on one directory that survives the directory being removed and made again. */
export interface DirectoryWatch {
  /**
   * Looks at the directory again (each poll calls this): watches it when it exists and is
   * not watched yet, or is another directory than the one watched (removed and made again —
   * a watch on a removed directory hears nothing more). Returns what stat said, undefined
   * when it does not exist; other errors are thrown.
   */
  refresh(): Promise<Stats | undefined>;
  close(): void;
}

/**
 * Watches `dir` with fs.watch when `enabled`, calling `onEvent` with the name of each entry
 * that changed (undefined when the platform does not say). A watch that fails (an error
 * event, or no watch possible here, e.g. out of inotify watches) is dropped and tried again
 * at the next refresh; meanwhile the caller's poll carries on alone.
 */
export function createDirectoryWatch(
  dir: string,
  enabled: boolean,
  onEvent: (name: string | undefined) => void,
): DirectoryWatch {
  let watcher: FSWatcher | undefined;
  let watched: number | undefined;

  const drop = () => {
    watcher?.close();
    watcher = undefined;
    watched = undefined;
  };

  return {
    async refresh() {
      const info = await stat(dir).catch((error: unknown) => {
        if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
        throw error;
      });
      if (info === undefined || !info.isDirectory() || info.ino !== watched) drop();
      if (enabled && watcher === undefined && info?.isDirectory()) {
        try {
          const opened = watch(dir, (_event, name) => onEvent(name?.toString()));
          opened.on('error', () => {
            if (watcher === opened) drop();
            else opened.close();
          });
          watcher = opened;
          watched = info.ino;
          // Changes made between the stat and the watch would go unheard.
          onEvent(undefined);
        } catch {
          drop();
        }
      }
      return info?.isDirectory() ? info : undefined;
    },
    close: drop,
  };
}
