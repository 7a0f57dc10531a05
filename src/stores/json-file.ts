import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ModregError } from '../errors.js';
import { createStateValidator } from '../registry/state-validator.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import type { TenantState } from '../tenant/types.js';
import { changeEntry, nextHistory } from './change-entry.js';
import { errorCode } from './json-errors.js';
import { createJsonFeed } from './json-feed.js';
import type { JsonStoreInspection } from './json-inspect.js';
import { createJournalWriter } from './json-journal-writer.js';
import { ensureLayout, layoutOf } from './json-layout.js';
import { removeStaleTempFiles } from './json-temp-files.js';
import { createTenantDocuments } from './json-tenant-documents.js';
import { createTenantListing } from './json-tenant-listing.js';
import type { TenantDocument } from './tenant-file.js';
import { DEFAULT_LOCK_TIMEOUT_MS, type LockWait, lockFailure, lockTenant } from './tenant-lock.js';
import { createTenantQueue } from './tenant-queue.js';
import {
  DEFAULT_HISTORY_LIMIT,
  type Store,
  type UpdateRequest,
  type UpdateResult,
} from './types.js';

/** Options for {@link createJsonFileStore}. */
export interface JsonFileStoreOptions {
  /** The store directory (docs/json-store.md describes what is in it). */
  path: string;
  /** Changes kept per tenant. @default 100 */
  historyLimit?: number;
  /**
   * How long an update waits for another process's lock on its tenant before it fails. The
   * default outlasts the lock of a holder that died (taken over 10 s after its last renewal).
   * @default 15000
   */
  lockTimeoutMs?: number;
  /**
   * Called once per update whose wait for a tenant's lock passes 1 s (so that a command can
   * say why it waits, e.g. for the stale lock of a process that died).
   */
  onLockWait?: (wait: LockWait) => void;
  /**
   * Load the cross-process lock library with the first write rather than when the store
   * opens, for a short-lived process that may only read (the CLI). The library brings
   * signal-exit, which ends the process on a SIGINT or SIGTERM that no other listener is
   * registered for when it arrives: a process with its own `process.once` signal handler
   * wants it loaded first, before that handler, as it is by default. @default false
   */
  loadLockOnWrite?: boolean;
  /** How often subscribers poll the change journal and the store generation. @default 250 */
  feedIntervalMs?: number;
  /**
   * Whether subscribers also watch the directory (fs.watch) to hear of changes at once. Off,
   * the poll alone announces them within `feedIntervalMs` — for file systems where watching
   * does not work, such as network shares. @default true
   */
  watch?: boolean;
}

/** The JSON store: a {@link Store}, and what `modreg doctor` asks of its directory. */
export interface JsonFileStore extends Store {
  readonly kind: 'json';
  /** Whether the directory exists, is writable, and what is wrong with it; changes nothing. */
  inspect(): Promise<JsonStoreInspection>;
}

/** Tenant files read at once by readMany. */
const READ_CONCURRENCY = 16;

/** How often a store instance looks for temporary files that dead writers left. */
const TEMP_CLEANUP_INTERVAL_MS = 600_000;

/**
 * The embedded store: a directory with one small JSON file per tenant, so a change costs the
 * same with 10 or 100,000 tenants. Read-modify-write of a tenant holds a cross-process lock,
 * files are replaced atomically and durably, and a file that is not a regular file matching
 * schemas/state.schema.json for its own tenant is reported, never overwritten. Every commit
 * is appended to a change journal that subscribers follow (docs/json-store.md).
 */
export async function createJsonFileStore(options: JsonFileStoreOptions): Promise<JsonFileStore> {
  const layout = layoutOf(resolve(options.path));
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const lockOptions = {
    timeoutMs: checkedMs(options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, 'lockTimeoutMs', 0),
    ...(options.onLockWait === undefined ? {} : { onWait: options.onLockWait }),
  };
  await checkDirectory(layout.root);
  if (options.loadLockOnWrite !== true) await import('proper-lockfile');
  const validator = createStateValidator();
  const documents = createTenantDocuments(layout, () => validator);
  const journal = createJournalWriter({ dir: layout.journal });
  const feed = createJsonFeed({
    layout,
    intervalMs: checkedMs(options.feedIntervalMs ?? 250, 'feedIntervalMs', 1),
    watch: options.watch ?? true,
    revisionOf: (tenant) =>
      documents.read(tenant).then(
        (d) => d.revision,
        () => undefined,
      ),
  });
  const queue = createTenantQueue();
  let laidOut = false;
  let cleanedAt = Number.NEGATIVE_INFINITY;
  let cleaning: Promise<unknown> = Promise.resolve();

  const prepare = async () => {
    if (!laidOut) {
      await ensureLayout(layout);
      laidOut = true;
    }
    if (Date.now() - cleanedAt > TEMP_CLEANUP_INTERVAL_MS) {
      cleanedAt = Date.now();
      cleaning = removeStaleTempFiles(layout.temp).catch(() => undefined);
    }
  };

  const commit = async (tenant: string, request: UpdateRequest): Promise<UpdateResult> => {
    await prepare();
    const release = await lockTenant(layout.locks, tenant, lockOptions).catch((error) => {
      throw lockFailure(tenant, layout.locks, error);
    });
    try {
      const document = await documents.read(tenant);
      const current = stateOf(document);
      const entry = changeEntry(current, request, new Date().toISOString());
      if (entry === null) return { state: current, changed: false };
      const next: TenantDocument = {
        format: 1,
        tenant,
        revision: entry.revision,
        updatedAt: entry.at,
        modules: entry.after.modules,
        flags: entry.after.flags,
        history: nextHistory(entry, document.history, request, historyLimit),
      };
      await documents.write(tenant, next);
      // Committed: a journal line that cannot be written becomes a gap line at the next
      // append (readers then reset), and the change is not reported as failed.
      await journal.append(tenant, entry.revision).catch(() => undefined);
      feed.committed({ tenant, revision: entry.revision });
      return { state: stateOf(next), changed: true, entry };
    } finally {
      await release();
    }
  };

  const readState = async (tenant: string) => stateOf(await documents.read(tenant));
  const listing = createTenantListing(layout.tenants);

  return {
    kind: 'json',
    location: layout.root,
    async read(tenant) {
      return readState(validateTenantId(tenant));
    },
    async readMany(tenants) {
      for (const tenant of tenants) validateTenantId(tenant);
      return mapBounded(tenants, READ_CONCURRENCY, readState);
    },
    async readManyWithHistory(tenants) {
      for (const tenant of tenants) validateTenantId(tenant);
      return mapBounded(tenants, READ_CONCURRENCY, async (tenant) => {
        const document = await documents.read(tenant);
        return { ...stateOf(document), history: document.history };
      });
    },
    list: (page) => listing.list(page),
    update: async (tenant, request) =>
      queue.run(validateTenantId(tenant), async () => {
        const assumed = laidOut;
        try {
          return await commit(tenant, request);
        } catch (error) {
          // The store directory was removed under this instance: make it again, once.
          if (!assumed || !isMissing(error)) throw error;
          laidOut = false;
          return commit(tenant, request);
        }
      }),
    async history(tenant, { limit } = {}) {
      const { history } = await documents.read(validateTenantId(tenant));
      return limit === undefined ? history : history.slice(0, limit);
    },
    subscribe: (listener) => feed.subscribe(listener),
    // Only `modreg doctor` inspects: the other commands do not load it.
    inspect: async () => (await import('./json-inspect.js')).inspectJsonStore(layout),
    async close() {
      await feed.close();
      await queue.idle();
      await cleaning;
    },
  };
}

function stateOf(document: TenantDocument): TenantState {
  const { tenant, revision, updatedAt, modules, flags } = document;
  return { tenant, revision, updatedAt, modules, flags };
}

/** `items` mapped by `map`, in order, at most `limit` at a time; the first failure rejects. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await map(items[i] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT' || errorCode((error as Error).cause) === 'ENOENT';
}

function checkedMs(value: number, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ModregError(
      'usage',
      `The JSON store's ${name} is a number of milliseconds of at least ${min}, not ${String(value)}.`,
    );
  }
  return value;
}

async function checkDirectory(root: string): Promise<void> {
  const info = await stat(root).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) {
    throw new ModregError(
      'usage',
      `The JSON store is a directory, but ${root} is a file. Point --store (or MODREG_STORE) at a directory, e.g. .modreg/state.`,
    );
  }
}
