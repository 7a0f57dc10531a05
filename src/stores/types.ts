import type { HistoryEntry, TenantSettings, TenantState } from '../tenant/types.js';

/** A tenant's state with its whole history, newest first: one tenant of an export. */
export interface TenantRecord extends TenantState {
  history: HistoryEntry[];
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
  /**
   * The revision to continue from: the change is committed as revision
   * `max(current revision, revisionFloor) + 1`. An import passes the exported revision, so
   * that a tenant's revisions never go backwards for a server that cached the old store's.
   * @default 0
   */
  revisionFloor?: number;
  /**
   * History carried over from another store (an import), newest first. Kept under the new
   * entry when the tenant has no history yet; left out when it has one of its own.
   * @default []
   */
  carriedHistory?: readonly HistoryEntry[];
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

/** Options of {@link Store.list}. */
export interface ListOptions {
  /** Where to go on: the `next` of the previous page. @default the first page */
  cursor?: string;
  /** Most tenants in the page, 1 to {@link MAX_PAGE_SIZE}. @default DEFAULT_PAGE_SIZE (1000) */
  limit?: number;
}

/** One page of tenant ids. */
export interface TenantPage {
  tenants: string[];
  /** The cursor of the next page; absent on the last page. */
  next?: string;
}

/** Tenants in a page unless the caller asks for another number. */
export const DEFAULT_PAGE_SIZE = 1000;

/** Most tenants one page may hold. */
export const MAX_PAGE_SIZE = 10_000;

/** Stops a subscription. */
export type Unsubscribe = () => Promise<void>;

/**
 * What a subscriber hears. A store's change feed is more than a notification: while it is not
 * paused, every change committed by anyone reaches `onChange`, or is covered by an `onReset`,
 * within the store's feed interval — also when a notification was lost on the way (a
 * reconnect, a Cluster failover). A tenant may be announced more than once, and out of order
 * with other tenants.
 */
export interface ChangeListener {
  /** `tenant` is now at `revision` (or later). */
  onChange(event: StoreEvent): void;
  /**
   * The store cannot say which tenants changed — it was emptied or replaced (a new store
   * generation), or more changed while the feed was away than it keeps. Every tenant that
   * `affects` selects (every tenant, when absent) must be read again, and what is read then
   * is the truth even when its revision is lower than the one held.
   */
  onReset?(reason: string, affects?: (tenant: string) => boolean): void;
  /** Changes may go unannounced from now on, until `onResume`. */
  onPause?(reason: string): void;
  /**
   * The feed works again, and what was committed while it was paused has been announced
   * (`onChange` or `onReset`) before this call.
   */
  onResume?(): void;
}

/**
 * Where tenant state lives. Every implementation passes the same conformance suite
 * (test/stores/conformance.ts): reads never see a half-written change, updates of one tenant
 * are serialised (compare-and-set on its revision, across processes), nothing is lost, every
 * entry point checks the tenant id with the one rule (src/tenant/tenant-id.ts), and every
 * call either answers or fails with an `environment` error within the store's deadline.
 */
export interface Store {
  /** `json`, `redis`, `memory`, … */
  readonly kind: string;
  /** Where it lives, for messages (a path, or a Redis URL without its password). */
  readonly location: string;
  /** The tenant's state; revision 0 and nothing enabled for a tenant never written. */
  read(tenant: string): Promise<TenantState>;
  /** Several tenants' states at once, in the order asked (one round trip where it can). */
  readMany(tenants: readonly string[]): Promise<TenantState[]>;
  /**
   * Several tenants' states each with its whole history (newest first), in the order asked,
   * as `read` and `history` give them: what an export takes, in one read per tenant file or
   * one round trip where the store can.
   */
  readManyWithHistory(tenants: readonly string[]): Promise<TenantRecord[]>;
  /**
   * One page of the tenants ever written, in the store's own order (stable while nothing is
   * written); pages followed through `next` list each tenant once.
   */
  list(options?: ListOptions): Promise<TenantPage>;
  /** Applies one change atomically and records it in the history. */
  update(tenant: string, request: UpdateRequest): Promise<UpdateResult>;
  /** The tenant's latest changes, newest first. */
  history(tenant: string, options?: { limit?: number }): Promise<HistoryEntry[]>;
  /** Follows every committed change, made here or by any other process (see ChangeListener). */
  subscribe(listener: ChangeListener): Promise<Unsubscribe>;
  /** Releases connections, watchers and timers. */
  close(): Promise<void>;
}

/** Changes kept per tenant unless a store is told otherwise. */
export const DEFAULT_HISTORY_LIMIT = 100;
