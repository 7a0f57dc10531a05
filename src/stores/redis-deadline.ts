/** The error of a call that did not finish within its deadline. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * `work`, or a {@link DeadlineExceeded} rejection once `ms` have passed without its answer
 * (a reply that reached the socket in time counts, even if this process was busy then).
 * The work itself goes on (a command sent cannot be called back); its late outcome is
 * dropped, never reported as an unhandled rejection.
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  let verdict: NodeJS.Immediate | undefined;
  const expired = new Promise<never>((_, reject) => {
    // Timers run before I/O in a turn of the event loop: after this process was busy past
    // the deadline (a long synchronous step), a reply already waiting in the socket is read
    // only after the timer fires. setImmediate runs after that read, so such a reply counts.
    timer = setTimeout(() => {
      verdict = setImmediate(() => reject(new DeadlineExceeded(ms)));
    }, ms);
  });
  return Promise.race([work, expired]).finally(() => {
    clearTimeout(timer);
    clearImmediate(verdict);
  });
}
