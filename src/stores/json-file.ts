import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TEMP_FILE_PATTERN } from '../atomic-write.js';
import { ModregError } from '../errors.js';
import { readSchema, stateSchemaPath } from '../registry/schema.js';
import { createSchemaValidator, type SchemaValidator } from '../registry/schema-validator.js';
import { validateTenantId } from '../tenant/tenant-id.js';
import type { TenantState } from '../tenant/types.js';
import { changeEntry, nextHistory } from './change-entry.js';
import { errorCode, fileSystemError } from './json-errors.js';
import { inspectJsonStore, type JsonStoreInspection } from './json-inspect.js';
import { createJournalWriter } from './json-journal-writer.js';
import { ensureLayout, layoutOf } from './json-layout.js';
import { tenantOf } from './json-names.js';
import { readRegularFile } from './json-regular-file.js';
import { removeStaleTempFiles } from './json-temp-files.js';
import { createTenantDocuments } from './json-tenant-documents.js';
import { pageOfSorted } from './pages.js';
import type { TenantDocument } from './tenant-file.js';
import { DEFAULT_LOCK_TIMEOUT_MS, type LockWait, lockFailure, lockTenant } from './tenant-lock.js';
import { createTenantQueue } from './tenant-queue.js';
import {
  DEFAULT_HISTORY_LIMIT,
  type Store,
  type StoreEvent,
  type UpdateRequest,
  type UpdateResult,
} from './types.js';

/** Options for {@link createJsonFileStore}. */
export interface JsonFileStoreOptions {
  /** The store directory: one file per tenant under `tenants/`. */
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
 * same with 10 or 100,000 tenants. Read-modify-write of a tenant holds a cross-process lock
 * (proper-lockfile), files are replaced atomically and durably, and a file that does not
 * match schemas/state.schema.json is reported, never overwritten. Other processes' changes
 * are seen by watching the directory.
 */
export async function createJsonFileStore(options: JsonFileStoreOptions): Promise<JsonFileStore> {
  const layout = layoutOf(resolve(options.path));
  const { root, tenants: tenantsDir, locks: locksDir } = layout;
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const lockOptions = {
    timeoutMs: checkedMs(options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, 'lockTimeoutMs', 0),
    ...(options.onLockWait === undefined ? {} : { onWait: options.onLockWait }),
  };
  await checkDirectory(root);
  let validator: SchemaValidator | undefined;
  const documents = createTenantDocuments(layout, () => {
    validator ??= createSchemaValidator(readSchema(stateSchemaPath));
    return validator;
  });
  const journal = createJournalWriter({ dir: layout.journal });
  const queue = createTenantQueue();
  const watchers = new Set<FSWatcher>();
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

  const readState = async (tenant: string) => stateOf(await documents.read(tenant));

  const commit = async (tenant: string, request: UpdateRequest): Promise<UpdateResult> => {
    await prepare();
    const release = await lockTenant(locksDir, tenant, lockOptions).catch((error) => {
      throw lockFailure(tenant, locksDir, error);
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
      return { state: stateOf(next), changed: true, entry };
    } finally {
      await release();
    }
  };

  const update: Store['update'] = async (tenant, request) =>
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
    });

  return {
    kind: 'json',
    location: root,
    async read(tenant) {
      return readState(validateTenantId(tenant));
    },
    async readMany(tenants) {
      for (const tenant of tenants) validateTenantId(tenant);
      return mapBounded(tenants, READ_CONCURRENCY, readState);
    },
    async list(page) {
      const names = await readdir(tenantsDir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw fileSystemError(`Cannot list ${tenantsDir}`, error);
      });
      // Writers before tmp/ left their temporary files here.
      const temps = names.filter((name) => TEMP_FILE_PATTERN.test(name));
      if (temps.length > 0) await removeStaleTempFiles(layout.tenants, temps);
      const sorted = names.flatMap((name) => tenantOf(name) ?? []).sort();
      // A tenant still under its old file name may have its new one too.
      return pageOfSorted(
        sorted.filter((tenant, i) => tenant !== sorted[i - 1]),
        page,
      );
    },
    update,
    async history(tenant, { limit } = {}) {
      const { history } = await documents.read(validateTenantId(tenant));
      return limit === undefined ? history : history.slice(0, limit);
    },
    async subscribe(listener) {
      await mkdir(tenantsDir, { recursive: true });
      const watcher = watchTenants(tenantsDir, (event) => listener.onChange(event));
      watchers.add(watcher);
      return async () => {
        watcher.close();
        watchers.delete(watcher);
      };
    },
    inspect: () => inspectJsonStore(layout),
    async close() {
      for (const watcher of watchers) watcher.close();
      watchers.clear();
      await queue.idle();
      await cleaning;
    },
  };
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

function stateOf(document: TenantDocument): TenantState {
  const { tenant, revision, updatedAt, modules, flags } = document;
  return { tenant, revision, updatedAt, modules, flags };
}

/**
 * Reports each tenant file replaced in `dir` with its new revision. A rename into place fires
 * one or more events; each is checked against the revision last reported, so each revision is
 * reported once and never an older one.
 */
function watchTenants(dir: string, listener: (event: StoreEvent) => void): FSWatcher {
  const seen = new Map<string, number>();
  const pending = new Set<string>();
  const check = async (file: string, tenant: string) => {
    pending.delete(file);
    try {
      // Never a FIFO: a watcher must not hang on one.
      const text = await readRegularFile(join(dir, file));
      if (text === undefined) return;
      const { revision } = JSON.parse(text) as { revision: number };
      if (revision > (seen.get(tenant) ?? 0)) {
        seen.set(tenant, revision);
        listener({ tenant, revision });
      }
    } catch {
      // Removed, or caught mid-replace: the next event reads it again.
    }
  };
  const watcher = watch(dir, (_event, file) => {
    const name = file?.toString();
    const tenant = name === undefined ? undefined : tenantOf(name);
    if (name === undefined || tenant === undefined || pending.has(name)) return;
    pending.add(name);
    setImmediate(() => void check(name, tenant));
  });
  watcher.on('error', () => watcher.close());
  return watcher;
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
