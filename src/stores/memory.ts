import { ModregError } from '../errors.js';
import { changeEntry } from './change-entry.js';
import { createTenantQueue } from './tenant-queue.js';
import {
  DEFAULT_HISTORY_LIMIT,
  type HistoryEntry,
  type Store,
  type StoreEvent,
  TENANT_ID_PATTERN,
  type TenantSettings,
  type TenantState,
} from './types.js';

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Tenants to start with, each at revision 1. @default {} */
  tenants?: Record<string, TenantSettings>;
  /** Changes kept per tenant. @default 100 */
  historyLimit?: number;
}

/**
 * A store in this process's memory, for tests and examples: the behaviour of the real
 * stores (revisions, conflicts, history, notifications), nothing persisted.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const states = new Map<string, TenantState>();
  const histories = new Map<string, HistoryEntry[]>();
  const listeners = new Set<(event: StoreEvent) => void>();
  const queue = createTenantQueue();
  const limit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const copy = <T>(value: T): T => structuredClone(value);
  const empty = (tenant: string): TenantState => ({
    tenant,
    modules: [],
    flags: {},
    revision: 0,
    updatedAt: null,
  });
  for (const [tenant, settings] of Object.entries(options.tenants ?? {})) {
    states.set(tenant, {
      tenant,
      ...copy(settings),
      revision: 1,
      updatedAt: new Date().toISOString(),
    });
  }
  const check = (tenant: string) => {
    if (!TENANT_ID_PATTERN.test(tenant))
      throw new ModregError('invalid', `"${tenant}" is not a valid tenant id.`);
    return tenant;
  };
  return {
    kind: 'memory',
    location: 'memory',
    async read(tenant) {
      return copy(states.get(check(tenant)) ?? empty(tenant));
    },
    async list() {
      return [...states.keys()].sort();
    },
    update: (tenant, request) =>
      queue.run(check(tenant), async () => {
        const current = copy(states.get(tenant) ?? empty(tenant));
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
        histories.set(tenant, [entry, ...(histories.get(tenant) ?? [])].slice(0, limit));
        for (const listener of listeners)
          queueMicrotask(() => listener({ tenant, revision: state.revision }));
        return { state: copy(state), changed: true, entry: copy(entry) };
      }),
    async history(tenant, { limit: wanted } = {}) {
      const entries = histories.get(check(tenant)) ?? [];
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
