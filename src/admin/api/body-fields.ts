import { shownValue } from '../../message-text.js';
import { didYouMean } from '../../suggest.js';
import { badRequest } from '../http/request-error.js';

/** Refuses a key of `body` outside `allowed`, naming the nearest allowed one. */
export function onlyKeys(
  body: Record<string, unknown>,
  allowed: readonly string[],
  what: string,
): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw badRequest(
        `Unknown field "${key.slice(0, 40)}" in the body of ${what}.${didYouMean(key, allowed)} It takes: ${allowed.join(', ')}.`,
      );
    }
  }
}

/** A boolean field; false when absent. */
export function booleanField(body: Record<string, unknown>, key: string): boolean {
  const value = body[key];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw badRequest(`"${key}" is true or false, not ${shownValue(value)}.`);
  }
  return value;
}

/** A non-empty list of module names (strings), each once. */
export function moduleNames(body: Record<string, unknown>, key = 'modules'): string[] {
  const value = body[key];
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((name) => typeof name === 'string' && name !== '')
  ) {
    throw badRequest(
      `"${key}" is a list of one or more module names, e.g. ["billing"], not ${shownValue(value)}.`,
    );
  }
  return [...new Set(value as string[])];
}

/** A whole number from `min` to `max` given as text (a query parameter); `fallback` when absent. */
export function countParam(
  text: string | null,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  if (text === null) return fallback;
  const value = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw badRequest(`${name} is a whole number from ${min} to ${max}, not ${shownValue(text)}.`);
  }
  return value;
}
