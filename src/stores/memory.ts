import { validateTenantId } from '../tenant/tenant-id.js';
import {
  emptyState,
  type HistoryEntry,
  type TenantSettings,
  type TenantState,
} from '../tenant/types.js';
import { changeEntry, nextHistory } from './change-entry.js';
import { pageOfSorted } from './pages.js';
import { createTenantQueue } from './tenant-queue.js';
import { type ChangeListener, DEFAULT_HISTORY_LIMIT, type Store } from './types.js';

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Tenants to start with, each at revision 1. @default {} */
  tenants?: Record<string, TenantSettings>;
  /** Changes kept per tenant. @default 100 */
  historyLimit?: number;
}

/**
 * A store in this process's memory, for tests and examples: the behaviour of the real
 * stores (revisions, conflicts, history, notifications), nothing persisted. Its feed cannot
 * lose a change: every listener hears every commit.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const states = new Map<string, TenantState>();
  const histories = new Map<string, HistoryEntry[]>();
  const listeners = new Set<ChangeListener>();
  const queue = createTenantQueue();
  const limit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const copy = <T>(value: T): T => structuredClone(value);
  for (const [tenant, settings] of Object.entries(options.tenants ?? {})) {
    states.set(validateTenantId(tenant), {
      tenant,
      ...copy(settings),
      revision: 1,
      updatedAt: new Date().toISOString(),
    });
  }
  const read = (tenant: string) => copy(states.get(tenant) ?? emptyState(tenant));
  return {
    kind: 'memory',
    location: 'memory',
    async read(tenant) {
      return read(validateTenantId(tenant));
    },
    async readMany(tenants) {
      return tenants.map(validateTenantId).map(read);
    },
    async readManyWithHistory(tenants) {
      return tenants.map(validateTenantId).map((tenant) => ({
        ...read(tenant),
        history: copy(histories.get(tenant) ?? []),
      }));
    },
    async list(page) {
      return pageOfSorted([...states.keys()].sort(), page);
    },
    update: async (tenant, request) =>
      queue.run(validateTenantId(tenant), async () => {
        const current = read(tenant);
        const change = changeEntry(current, request, new Date().toISOString());
        if (change === null) return { state: current, changed: false };
        const entry = copy(change);
        const state = {
          tenant,
          ...copy(entry.after),
          revision: entry.revision,
          updatedAt: entry.at,
        };
        states.set(tenant, state);
        histories.set(
          tenant,
          copy(nextHistory(entry, histories.get(tenant) ?? [], request, limit)),
        );
        for (const listener of listeners)
          queueMicrotask(() => listener.onChange({ tenant, revision: state.revision }));
        return { state: copy(state), changed: true, entry: copy(entry) };
      }),
    async history(tenant, { limit: wanted } = {}) {
      const entries = histories.get(validateTenantId(tenant)) ?? [];
      return copy(wanted === undefined ? entries : entries.slice(0, wanted));
    },
    async subscribe(listener) {
      listeners.add(listener);
      return async () => void listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await queue.idle();
    },
  };
}
