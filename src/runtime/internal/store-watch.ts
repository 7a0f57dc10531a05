import { isModregError } from '../../errors.js';
import type { Store } from '../../stores/types.js';
import type { Logger } from '../types.js';

/** Options for {@link createStoreWatch}. */
export interface StoreWatchOptions {
  store: Store;
  logger: Logger;
  /** How often a failing store is probed. */
  retryMs: number;
  /** A cheap call that succeeds when the store answers. */
  probe(): Promise<unknown>;
  /** The condition changed. */
  onChange(): void;
  /** Resolves once every read in flight has settled. */
  settled(): Promise<void>;
  /** The store answers again: these tenants' reads failed meanwhile and must be read again. */
  onRecovered(tenants: string[]): void;
}

/** Why this instance cannot vouch for the state it serves, and since when. */
export interface StoreProblem {
  reason: string;
  since: string;
}

/**
 * What this instance knows of its store: whether its calls fail (then it is probed every
 * `retryMs` until it answers), and whether its change feed is paused (then changes may go
 * unannounced until the feed resumes and what it announced meanwhile has been read).
 */
export interface StoreWatch {
  /** A store call failed; failures that are not the store's (a bad id, a corrupt key) are not counted. */
  failed(error: unknown, tenant?: string): void;
  /** A store call answered. */
  answered(): void;
  /** The feed paused. */
  paused(reason: string): void;
  /** The feed resumed; the problem clears once the catch-up reads have settled. */
  resumed(): void;
  /** The current problem, if any: calls failing first, then the feed. */
  problem(): StoreProblem | undefined;
  /** True while store calls fail (not only the feed). */
  readonly failing: boolean;
  /** Store calls that failed since the start. */
  readonly failures: number;
  stop(): void;
}

/** Creates a watch with no problem. */
export function createStoreWatch(options: StoreWatchOptions): StoreWatch {
  const { logger } = options;
  let failing: StoreProblem | undefined;
  let paused: StoreProblem | undefined;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const retry = new Set<string>();
  const problem = (reason: string) => ({ reason, since: new Date().toISOString() });

  const schedule = () => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(async () => {
      timer = undefined;
      try {
        await options.probe();
        watch.answered();
      } catch (error) {
        watch.failed(error);
        schedule();
      }
    }, options.retryMs);
    timer.unref();
  };

  const watch: StoreWatch = {
    failed(error, tenant) {
      if (isModregError(error) && (error.code !== 'environment' || error.details?.corrupt)) return;
      failures++;
      if (tenant !== undefined) retry.add(tenant);
      const reason = error instanceof Error ? error.message : String(error);
      if (failing === undefined) {
        failing = problem(reason);
        logger.warn(`modreg: the store failed; serving the last known state (${reason})`);
        options.onChange();
      } else failing.reason = reason;
      schedule();
    },
    answered() {
      if (failing === undefined) return;
      failing = undefined;
      clearTimeout(timer);
      timer = undefined;
      logger.info('modreg: the store answers again');
      const again = [...retry];
      retry.clear();
      if (again.length > 0) options.onRecovered(again);
      options.onChange();
    },
    paused(reason) {
      failures++;
      paused = problem(reason);
      logger.warn(`modreg: ${reason}; changes made meanwhile are read once the feed is back`);
      options.onChange();
    },
    resumed() {
      const was = paused;
      void options.settled().then(() => {
        if (paused !== was) return;
        paused = undefined;
        logger.info('modreg: the store feed is back; caught up');
        options.onChange();
      });
    },
    problem: () => failing ?? paused,
    get failing() {
      return failing !== undefined;
    },
    get failures() {
      return failures;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
  return watch;
}
