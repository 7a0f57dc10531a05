import { ModregError } from '../../errors.js';

/**
 * `call`, or an `environment` error once `ms` pass without an answer: no store call may hold
 * a request (or a change) longer than the instance's `storeTimeoutMs`. `doing` says what was
 * asked, `store` which store; an unanswered change may still be applied, and says so.
 */
export function withDeadline<T>(
  call: Promise<T>,
  ms: number,
  store: string,
  doing: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ModregError(
            'environment',
            `The ${store} did not answer within ${ms} ms (${doing}); is it overloaded or unreachable?`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}
