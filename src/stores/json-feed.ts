import { shownProse } from '../message-text.js';
import { createDirectoryWatch } from './json-directory-watch.js';
import { createFeedAnnouncer } from './json-feed-announcer.js';
import { readGeneration } from './json-generation.js';
import { createJournalReader } from './json-journal-reader.js';
import type { JsonStoreLayout } from './json-layout.js';
import { createNameScan } from './json-name-scan.js';
import { tenantOf } from './json-names.js';
import type { ChangeListener, StoreEvent, Unsubscribe } from './types.js';

/** Options of {@link createJsonFeed}. */
export interface JsonFeedOptions {
  layout: JsonStoreLayout;
  /** How often the journal and the generation are polled, in ms. */
  intervalMs: number;
  /** Whether fs.watch makes announcements immediate (the poll alone otherwise). */
  watch: boolean;
  /** The revision of a tenant's file: 0 without one, undefined when it cannot be read. */
  revisionOf(tenant: string): Promise<number | undefined>;
  /** Shortest time between two scans of tenants/ for files deleted by hand. @default 1000 */
  scanIntervalMs?: number;
}

/** The change feed of one JSON store instance, shared by its subscribers. */
export interface JsonFeed {
  subscribe(listener: ChangeListener): Promise<Unsubscribe>;
  /** A commit this instance made: announced at once. */
  committed(event: StoreEvent): void;
  close(): Promise<void>;
}

/** More files than this vanished at once: a reset of every tenant is cheaper. */
const VANISHED_ONE_BY_ONE = 1_000;

/**
 * Follows a JSON store (docs/json-store.md): the change journal, polled every `intervalMs`
 * from the offset read last, is the durable path; fs.watch on `journal/` and `tenants/` is
 * the fast one. The generation file tells a replaced store (reset); a tenant file deleted
 * by hand, or put back at a lower revision, is announced as a reset of that tenant. A poll
 * that fails pauses the feed; the first that works again announces what it missed, then
 * resumes it.
 */
export function createJsonFeed(options: JsonFeedOptions): JsonFeed {
  const { layout } = options;
  const listeners = new Set<ChangeListener>();
  const announcer = createFeedAnnouncer(listeners);
  const reader = createJournalReader({ dir: layout.journal });
  const scanIntervalMs = options.scanIntervalMs ?? 1_000;
  let scan = createNameScan(layout.tenants, scanIntervalMs);
  const checking = new Set<string>();
  let generation: string | undefined;
  let tenantsInode: number | undefined;
  let started = false;
  let startedLate = false;
  let paused: string | undefined;
  let running: Promise<void> | undefined;
  let draining = false;
  let ready: Promise<void> | undefined;
  /** What the runner does next: the whole poll, or only the journal (a watch heard it). */
  let wanted: 'poll' | 'journal' | undefined;
  let timer: NodeJS.Timeout | undefined;

  const { change, resetAll, resetSome, each, known } = announcer;

  /** A tenant's file changed under the watch: announce its revision, or a reset. */
  const check = async (tenant: string) => {
    checking.delete(tenant);
    const revision = await options.revisionOf(tenant);
    const last = known(tenant);
    if (revision === undefined || !started) return;
    if (revision > (last ?? 0)) change({ tenant, revision });
    // Lower than announced, or no file where one may have been: removed or put back by hand.
    else if (revision < (last ?? 1)) {
      const why =
        revision === 0 ? 'its file was removed' : `its file went back to revision ${revision}`;
      resetSome(`Tenant "${tenant}" must be read again: ${why}.`, new Map([[tenant, revision]]));
    }
  };
  const tenantsWatch = createDirectoryWatch(layout.tenants, options.watch, (name) => {
    const tenant = name === undefined ? undefined : tenantOf(name);
    if (tenant === undefined) {
      if (name === undefined) scan.soon();
      return;
    }
    if (checking.has(tenant)) return;
    checking.add(tenant);
    setImmediate(() => void check(tenant).catch(() => undefined));
  });
  const journalWatch = createDirectoryWatch(
    layout.journal,
    options.watch,
    () => void run('journal'),
  );

  const start = async () => {
    generation = await readGeneration(layout.root);
    await reader.toEnd();
    const tenants = await tenantsWatch.refresh();
    tenantsInode = tenants?.ino;
    await journalWatch.refresh();
    scan = createNameScan(layout.tenants, scanIntervalMs);
    // The names as they are now: files removed from now on are the ones to announce.
    await scan.vanished(tenants);
    started = true;
    if (startedLate)
      resetAll(`The change feed of ${layout.root} started late: read every tenant again.`);
  };

  const follow = async () => {
    let reset = false;
    const now = await readGeneration(layout.root);
    if (now !== generation) {
      if (generation !== undefined) {
        await reader.toEnd();
        resetAll(
          now === undefined
            ? `The JSON store ${layout.root} was removed: read every tenant again.`
            : `The JSON store ${layout.root} was replaced (a new generation): read every tenant again.`,
        );
        reset = true;
      }
      generation = now;
    }
    const tenants = await tenantsWatch.refresh();
    if (tenantsInode !== undefined && tenants?.ino !== tenantsInode && !reset) {
      resetAll(
        `The tenants directory of ${layout.root} was removed or replaced: read every tenant again.`,
      );
    }
    tenantsInode = tenants?.ino;
    await journalWatch.refresh();
    await followJournal();
    await announceVanished(await scan.vanished(tenants));
  };

  const followJournal = async () => {
    const { events, lost } = await reader.read();
    for (const event of events) change(event);
    if (lost !== undefined) resetAll(`${capital(lost)} (${layout.root}): read every tenant again.`);
  };

  const announceVanished = async (vanished: string[]) => {
    if (vanished.length > VANISHED_ONE_BY_ONE) {
      resetAll(
        `${vanished.length} tenant files were removed from ${layout.tenants}: read every tenant again.`,
      );
      return;
    }
    const gone = new Map<string, number>();
    for (const tenant of vanished) {
      if ((await options.revisionOf(tenant)) === 0 && known(tenant) !== 0) gone.set(tenant, 0);
    }
    if (gone.size > 0) {
      resetSome(
        `The files of ${[...gone.keys()].map((t) => `"${t}"`).join(', ')} were removed: read them again.`,
        gone,
      );
    }
  };

  const step = async (what: 'poll' | 'journal') => {
    try {
      if (!started) await start();
      else if (what === 'poll') await follow();
      else return await followJournal();
      if (paused !== undefined) {
        paused = undefined;
        each((listener) => listener.onResume?.());
      }
    } catch (error) {
      if (!started) startedLate = true;
      if (paused === undefined) {
        paused = `Cannot follow the changes of the JSON store ${layout.root}: ${shownProse((error as Error).message ?? String(error), 300)}`;
        each((listener) => listener.onPause?.(paused as string));
      }
    }
  };

  /**
   * Runs a poll (or a read of the journal) now, one at a time: one asked for while another
   * runs runs after it. Only a whole poll, which looks at everything, ends a pause.
   */
  const run = (what: 'poll' | 'journal'): Promise<void> => {
    wanted = wanted === 'poll' || what === 'poll' ? 'poll' : 'journal';
    if (!draining) {
      draining = true;
      running = drain();
    }
    return running as Promise<void>;
  };

  const drain = async () => {
    try {
      while (wanted !== undefined && listeners.size > 0) {
        const next = wanted;
        wanted = undefined;
        await step(next);
        if (next === 'poll' && listeners.size > 0) {
          clearTimeout(timer);
          timer = setTimeout(() => void run('poll'), options.intervalMs);
        }
      }
    } finally {
      // Synchronously after the last check of `wanted`: a run asked for later starts anew.
      wanted = undefined;
      draining = false;
    }
  };

  const stop = async () => {
    clearTimeout(timer);
    tenantsWatch.close();
    journalWatch.close();
    await running;
    clearTimeout(timer);
    await reader.close();
    started = false;
    startedLate = false;
    paused = undefined;
    ready = undefined;
    announcer.forget();
  };

  return {
    async subscribe(listener) {
      // A listener added while the feed is paused did not hear it pause.
      const pausedBefore = paused;
      listeners.add(listener);
      ready ??= run('poll');
      await ready;
      if (pausedBefore !== undefined && paused !== undefined) listener.onPause?.(paused);
      return async () => {
        if (listeners.delete(listener) && listeners.size === 0) await stop();
      };
    },
    committed(event) {
      if (started) change(event);
    },
    async close() {
      listeners.clear();
      await stop();
    },
  };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
