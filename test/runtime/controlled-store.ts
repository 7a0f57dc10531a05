import { ModregError } from '../../src/errors.js';
import { createMemoryStore, type MemoryStoreOptions } from '../../src/stores/memory.js';
import type { ChangeListener, Store, UpdateRequest } from '../../src/stores/types.js';
import type { TenantSettings, TenantState } from '../../src/tenant/types.js';

/** A memory store whose reads, feed and availability a test steers. */
export interface ControlledStore {
  store: Store;
  /** The memory store underneath (its changes reach the feed unless it is deaf). */
  memory: Store;
  /** The listeners the runtime subscribed. */
  listeners: ChangeListener[];
  /** Every call fails like an unreachable server while true. */
  down: boolean;
  /** Every call hangs (never answers) while true. */
  hanging: boolean;
  /** Notifications are dropped while true (the feed itself says nothing). */
  deaf: boolean;
  /** Tenants whose state the store holds corrupt: reading them fails, naming the key. */
  corrupt: Set<string>;
  /** Reads wait for `release()` while held; `held()` is how many wait. */
  holdReads(): void;
  held(): number;
  /** Lets every held read go on, in the order they came. */
  release(): void;
  /** Reads made so far. */
  reads: number;
  /** Sets a tenant's settings as another process would: a commit the feed announces. */
  commit(tenant: string, settings: Partial<TenantSettings>): Promise<TenantState>;
  /** Replaces every tenant's state as if the store were emptied and written anew. */
  replaceAll(states: Record<string, TenantState>): void;
}

/** Creates a controlled store over a fresh memory store. */
export function createControlledStore(options: MemoryStoreOptions = {}): ControlledStore {
  const memory = createMemoryStore(options);
  const overrides = new Map<string, TenantState>();
  const waiting: (() => void)[] = [];
  let holding = false;
  const control: ControlledStore = {
    memory,
    listeners: [],
    down: false,
    hanging: false,
    deaf: false,
    corrupt: new Set(),
    reads: 0,
    holdReads: () => {
      holding = true;
    },
    held: () => waiting.length,
    release() {
      holding = false;
      for (const go of waiting.splice(0)) go();
    },
    commit: async (tenant, settings) =>
      (
        await memory.update(tenant, {
          apply: (current) => ({
            modules: settings.modules ?? current.modules,
            flags: settings.flags ?? current.flags,
          }),
          actor: 'elsewhere',
          operation: 'test change',
        })
      ).state,
    replaceAll(states) {
      overrides.clear();
      for (const [tenant, state] of Object.entries(states)) overrides.set(tenant, state);
    },
    store: undefined as unknown as Store,
  };
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    if (control.hanging) return new Promise<T>(() => {});
    if (control.down) {
      throw Object.assign(new Error('connect ECONNREFUSED'), {
        name: 'ModregError',
        code: 'environment',
      });
    }
    return call();
  };
  const readOne = async (tenant: string) => {
    control.reads++;
    if (control.corrupt.has(tenant)) {
      throw new ModregError('environment', `The state of "${tenant}" is corrupt.`, {
        details: { corrupt: tenant },
      });
    }
    const state = overrides.get(tenant) ?? (await memory.read(tenant));
    if (holding) await new Promise<void>((go) => waiting.push(go));
    return state;
  };
  control.store = {
    kind: 'memory',
    location: 'controlled',
    read: (tenant) => guard(() => readOne(tenant)),
    readMany: (tenants) => guard(() => Promise.all(tenants.map(readOne))),
    readManyWithHistory: (tenants) =>
      guard(() =>
        Promise.all(
          tenants.map(async (t) => ({ ...(await readOne(t)), history: await memory.history(t) })),
        ),
      ),
    list: (page) => guard(() => memory.list(page)),
    update: (tenant, request: UpdateRequest) => guard(() => memory.update(tenant, request)),
    history: (tenant, page) => guard(() => memory.history(tenant, page)),
    async subscribe(listener) {
      control.listeners.push(listener);
      return memory.subscribe({
        onChange: (event) => {
          if (!control.deaf) listener.onChange(event);
        },
      });
    },
    close: () => memory.close(),
  };
  return control;
}
