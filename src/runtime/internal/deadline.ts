import { ModregError } from '../../errors.js';

/**
 * `call`, or an `environment` error once `ms` pass without an answer: no store call may hold
 * a request (or a change) longer than the instance's `storeTimeoutMs`. `doing` says what was
 * asked, `store` which store; an unanswered change may still be applied, and says so. An
 * answer that arrived in time counts even when this process was too busy to read it then.
 */
export function withDeadline<T>(
  call: Promise<T>,
  ms: number,
  store: string,
  doing: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let verdict: NodeJS.Immediate | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const expire = () =>
      reject(
        new ModregError(
          'environment',
          `The ${store} did not answer within ${ms} ms (${doing}); is it overloaded or unreachable?`,
        ),
      );
    // Timers run before I/O in a turn of the event loop: after this process was busy past
    // the deadline, an answer already waiting in a socket is read only after the timer fires.
    // setImmediate runs after that I/O, so an answer that came in time still counts.
    timer = setTimeout(() => {
      verdict = setImmediate(expire);
    }, ms);
  });
  return Promise.race([call, timeout]).finally(() => {
    clearTimeout(timer);
    clearImmediate(verdict);
  });
}
