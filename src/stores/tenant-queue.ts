/**
 * Runs the updates of each tenant one after the other within this process, so that they
 * wait for each other here instead of contending for the store's cross-process guard (lock or
 * compare-and-set). Different tenants run in parallel.
 */
export interface TenantQueue {
  run<T>(tenant: string, task: () => Promise<T>): Promise<T>;
  /** Resolves when every queued task has finished. */
  idle(): Promise<void>;
}

/** Creates an empty queue. */
export function createTenantQueue(): TenantQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(tenant, task) {
      const result = (tails.get(tenant) ?? Promise.resolve()).then(task);
      const tail = result.catch(() => undefined);
      tails.set(tenant, tail);
      void tail.then(() => {
        if (tails.get(tenant) === tail) tails.delete(tenant);
      });
      return result;
    },
    async idle() {
      await Promise.all(tails.values());
    },
  };
}
