import type { ChangeListener, StoreEvent } from './types.js';

/** Tells a feed's listeners what changed, each revision of a tenant once. */
export interface FeedAnnouncer {
  /** `event`, unless that tenant was announced at this revision or later already. */
  change(event: StoreEvent): void;
  /** Every tenant must be read again. */
  resetAll(reason: string): void;
  /** These tenants (now at these revisions, 0 for none) must be read again. */
  resetSome(reason: string, tenants: ReadonlyMap<string, number>): void;
  /** The revision last announced for `tenant`, if it is remembered. */
  known(tenant: string): number | undefined;
  /** Calls every listener; one that throws keeps the news neither from the others nor the feed. */
  each(call: (listener: ChangeListener) => void): void;
  /** Forgets what was announced (the feed stopped). */
  forget(): void;
}

/** Tenants whose last announced revision is remembered: memory stays bounded. */
const REMEMBERED = 10_000;

/**
 * An announcer to `listeners`. Watch and journal both report a commit; the revision last
 * announced per tenant (for the 10,000 tenants announced last) keeps it to one announcement.
 */
export function createFeedAnnouncer(listeners: ReadonlySet<ChangeListener>): FeedAnnouncer {
  const announced = new Map<string, number>();
  const remember = (tenant: string, revision: number) => {
    announced.delete(tenant);
    announced.set(tenant, revision);
    if (announced.size > REMEMBERED) announced.delete(announced.keys().next().value as string);
  };
  const each = (call: (listener: ChangeListener) => void) => {
    for (const listener of [...listeners]) {
      try {
        call(listener);
      } catch {
        // A listener that throws must not keep the news from the others.
      }
    }
  };
  return {
    each,
    known: (tenant) => announced.get(tenant),
    change({ tenant, revision }) {
      if ((announced.get(tenant) ?? -1) >= revision) return;
      remember(tenant, revision);
      each((listener) => listener.onChange({ tenant, revision }));
    },
    resetAll(reason) {
      announced.clear();
      each((listener) => listener.onReset?.(reason));
    },
    resetSome(reason, tenants) {
      for (const [tenant, revision] of tenants) remember(tenant, revision);
      each((listener) => listener.onReset?.(reason, (tenant) => tenants.has(tenant)));
    },
    forget: () => announced.clear(),
  };
}
