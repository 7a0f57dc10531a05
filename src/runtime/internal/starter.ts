import { isModregError } from '../../errors.js';
import type { Logger } from '../types.js';
import type { StoreProblem } from './store-watch.js';

/** Options for {@link createStarter}. */
export interface StarterOptions {
  /** One attempt at starting; may be called again after it failed. */
  attempt(): Promise<void>;
  retryMs: number;
  logger: Logger;
  /** The start succeeded or failed. */
  onChange(): void;
}

/**
 * Starts an instance, and starts it again every `retryMs` while it fails for a reason that
 * may pass (an `environment` error: the store unreachable, no registry file yet); any other
 * failure (bad options) stays. Each distinct reason is logged once.
 */
export interface Starter {
  /** Resolves once started; rejects with the reason of the attempt that failed last. */
  ready(): Promise<void>;
  readonly started: boolean;
  /** Why it has not started (yet), and since when. */
  readonly problem: StoreProblem | undefined;
  /** Stops retrying and waits for the attempt under way. */
  stop(): Promise<void>;
}

/** Begins the first attempt at once. */
export function createStarter(options: StarterOptions): Starter {
  const { logger, retryMs } = options;
  let started = false;
  let stopped = false;
  let problem: StoreProblem | undefined;
  let timer: NodeJS.Timeout | undefined;
  const retryable = (error: unknown) => isModregError(error) && error.code === 'environment';
  const failed = (error: unknown) => {
    if (stopped) return;
    const reason = error instanceof Error ? error.message : String(error);
    if (problem?.reason !== reason) {
      logger.warn(
        retryable(error)
          ? `modreg: cannot start yet, retrying every ${retryMs} ms: ${reason}`
          : `modreg: cannot start: ${reason}`,
      );
    }
    problem = { reason, since: problem?.since ?? new Date().toISOString() };
    options.onChange();
    if (!retryable(error)) return;
    timer = setTimeout(run, retryMs);
    timer.unref();
  };
  const run = () => {
    attempt = options.attempt().then(() => {
      started = true;
      problem = undefined;
      options.onChange();
    });
    attempt.catch(failed);
  };
  let attempt: Promise<void> = Promise.resolve();
  run();
  return {
    ready: async () => {
      if (!started) await attempt;
    },
    get started() {
      return started;
    },
    get problem() {
      return problem;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await attempt.catch(() => undefined);
    },
  };
}
