/** A JSON value, as flags hold them. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** What is switched on for one tenant, as stored. */
export interface TenantSettings {
  /** Enabled modules, sorted by name. Core modules are on for every tenant and not stored. */
  modules: string[];
  /** Flag values the tenant has set, by key (declared defaults are not stored). */
  flags: Record<string, JsonValue>;
}

/** One tenant's committed state. */
export interface TenantState extends TenantSettings {
  tenant: string;
  /** Increased by every change; 0 for a tenant never written. */
  revision: number;
  /** ISO time of the last change; null for a tenant never written. */
  updatedAt: string | null;
}

/** One committed change, kept in the tenant's history. */
export interface HistoryEntry {
  revision: number;
  /** ISO time of the change. */
  at: string;
  /** Who made it: `--actor`, the OS user, or the server's own name for it. */
  actor: string;
  /** What was asked, e.g. `enable billing --with-deps`. */
  operation: string;
  before: TenantSettings;
  after: TenantSettings;
}

/** A change to one tenant, applied atomically by {@link Store.update}. */
export interface UpdateRequest {
  /**
   * The new settings given the current state, or null to change nothing. Pure: it may be
   * called again with a newer state when another writer committed first.
   */
  apply(current: TenantState): TenantSettings | null;
  actor: string;
  /** What was asked, for the history; read after `apply`, so it may come from the plan. */
  readonly operation: string;
  /** Refuse (a `conflict` error) unless the tenant is still at this revision. */
  expectedRevision?: number;
}

/** What {@link Store.update} did. */
export interface UpdateResult {
  state: TenantState;
  /** False when `apply` returned null: nothing was written. */
  changed: boolean;
  /** The history entry written, when something changed. */
  entry?: HistoryEntry;
}

/** A tenant changed: its new revision. */
export interface StoreEvent {
  tenant: string;
  revision: number;
}

/** Stops a subscription. */
export type Unsubscribe = () => Promise<void>;

/** Told when a store's change notifications stop and start again (a lost connection). */
export interface SubscriptionWatch {
  /** Notifications stopped: changes made from now on may go unannounced. */
  onPause?(reason: string): void;
  /** Notifications flow again; what changed meanwhile was not announced and must be re-read. */
  onResume?(): void;
}

/**
 * Where tenant state lives. Every implementation passes the same conformance suite
 * (test/stores/conformance.ts): reads never see a half-written change, updates of one tenant
 * are serialised (compare-and-set on its revision, across processes), nothing is lost.
 */
export interface Store {
  /** `json`, `redis`, `memory`, … */
  readonly kind: string;
  /** Where it lives, for messages (a path, or a Redis URL without its password). */
  readonly location: string;
  /** The tenant's state; revision 0 and nothing enabled for a tenant never written. */
  read(tenant: string): Promise<TenantState>;
  /** Every tenant ever written, sorted. */
  list(): Promise<string[]>;
  /** Applies one change atomically and records it in the history. */
  update(tenant: string, request: UpdateRequest): Promise<UpdateResult>;
  /** The tenant's latest changes, newest first. */
  history(tenant: string, options?: { limit?: number }): Promise<HistoryEntry[]>;
  /**
   * Calls `listener` for every committed change, made here or by any other process; `watch`
   * hears when notifications break off and resume (stores that cannot lose them never call it).
   */
  subscribe(listener: (event: StoreEvent) => void, watch?: SubscriptionWatch): Promise<Unsubscribe>;
  /** Releases connections, watchers and timers. */
  close(): Promise<void>;
}

/** Tenant ids: what every store accepts. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Changes kept per tenant unless a store is told otherwise. */
export const DEFAULT_HISTORY_LIMIT = 100;
